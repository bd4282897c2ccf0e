import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { webhookAttempts, webhooks } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { inCentre } from '../../db/scope.js'

/** Reads of webhooks and their deliveries, always within the actor's centre. */

export type WebhookRow = typeof webhooks.$inferSelect

export const webhookScope = (actor: Actor) => inCentre(webhooks.centreId, actor)

export async function findWebhook(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), webhookScope(actor)))
  return row
}

/** Each delivery's attempts, oldest first, keyed by delivery id. */
export async function attemptsOf(db: Queryable, deliveryIds: string[]) {
  const rows = deliveryIds.length
    ? await db
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, deliveryIds))
        .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt))
    : []
  const byDelivery = new Map<string, (typeof rows)[number][]>()
  for (const row of rows) byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row])
  return byDelivery
}

/** The active webhooks of a centre subscribed to an event type. */
export const subscribers = (db: Queryable, centreId: string, eventType: string) =>
  db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.centreId, centreId), eq(webhooks.active, true), sql`${eventType} = any(${webhooks.events})`))
