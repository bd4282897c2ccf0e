import { randomBytes } from 'node:crypto'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { webhookDeliveries, webhooks } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import type { WebhookEvent } from '../../domain/vocabulary.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { audit } from '../../db/audit.js'
import { refusedDestination } from './destination.js'
import { attemptsOf, findWebhook, subscribers, webhookScope, type WebhookRow } from './queries.js'
import type { DeliveryQuery, WebhookCreate, WebhookQuery } from './schemas.js'
import { DAY_MS } from '../../domain/time.js'

/**
 * A centre's webhooks: registering receivers, and the outbox that events are written to in their
 * own transaction. Delivery itself is the worker's (worker.ts).
 */

export interface WebhookPolicy {
  /** Whether receivers on loopback or private addresses are allowed (WEBHOOK_ALLOW_PRIVATE_URLS). */
  allowPrivateUrls: boolean
}

/** Standard Webhooks secrets are `whsec_` and base64 of 24 to 64 random bytes. */
const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/** A receiver that has taken no delivery for this long is failing: its admin should look at it. */
const FAILING_AFTER_MS = DAY_MS

/** A webhook as its admin reads it: never its secret; `failing` once nothing got through for a day. */
const webhookView = ({ secret: _secret, ...shown }: WebhookRow, now: Date) => ({
  ...shown,
  failing: shown.failingSince !== null && now.getTime() - shown.failingSince.getTime() >= FAILING_AFTER_MS,
})

export async function createWebhook(tx: Tx, actor: Actor, now: Date, policy: WebhookPolicy, input: WebhookCreate) {
  const refused = await refusedDestination(input.url, policy.allowPrivateUrls)
  if (refused) throw invalidInput('body', '/url', `is not allowed: ${refused}`)
  const [row] = await tx
    .insert(webhooks)
    .values({ centreId: actor.centreId!, url: input.url, events: input.events, description: input.description ?? null, secret: newSigningSecret() })
    .returning()
  await audit(tx, actor, { action: 'webhook.created', entityType: 'webhook', entityId: row!.id })
  // The secret is stored as it is (it signs every delivery) and shown only in this answer.
  return { ...webhookView(row!, now), secret: row!.secret }
}

export async function listWebhooks(db: Queryable, actor: Actor, now: Date, q: WebhookQuery) {
  const rows = await db
    .select()
    .from(webhooks)
    .where(and(webhookScope(actor), afterCursor(webhooks.id, q.cursor)))
    .orderBy(asc(webhooks.id))
    .limit(q.limit + 1)
  const page = toPage(rows, q.limit)
  return { ...page, items: page.items.map((row) => webhookView(row, now)) }
}

export async function getWebhook(db: Queryable, actor: Actor, now: Date, id: string) {
  const row = await findWebhook(db, actor, id)
  if (!row) throw notFound('webhook', id)
  return webhookView(row, now)
}

/** Deactivates a webhook: nothing more is sent to it, its pending deliveries are given up, its log is kept. */
export async function deleteWebhook(tx: Tx, actor: Actor, now: Date, id: string) {
  const row = await findWebhook(tx, actor, id)
  if (!row) throw notFound('webhook', id)
  if (!row.active) return webhookView(row, now)
  const [updated] = await tx.update(webhooks).set({ active: false, deactivatedAt: now }).where(eq(webhooks.id, id)).returning()
  await tx
    .update(webhookDeliveries)
    .set({ status: 'failed' })
    .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending')))
  await audit(tx, actor, { action: 'webhook.deleted', entityType: 'webhook', entityId: id })
  return webhookView(updated!, now)
}

/** A webhook's deliveries, newest first, each with the log of its attempts. */
export async function listDeliveries(db: Queryable, actor: Actor, id: string, q: DeliveryQuery) {
  if (!(await findWebhook(db, actor, id))) throw notFound('webhook', id)
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, id),
        q.status ? eq(webhookDeliveries.status, q.status) : undefined,
        afterCursor(webhookDeliveries.id, q.cursor, 'desc'),
      ),
    )
    .orderBy(sql`${webhookDeliveries.id} desc`)
    .limit(q.limit + 1)
  const page = toPage(rows, q.limit)
  const attempts = await attemptsOf(
    db,
    page.items.map((d) => d.id),
  )
  return {
    ...page,
    items: page.items.map((d) => ({
      ...d,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      log: attempts.get(d.id) ?? [],
    })),
  }
}

/**
 * Writes an event to the outbox of every subscribed webhook of the centre, in the caller's
 * transaction: if the change rolls back, nothing is sent; if it commits, the event is delivered
 * even if the process stops right after. `data` must hold nothing a receiver may not read.
 */
export async function enqueueEvent(tx: Tx, now: Date, centreId: string, type: WebhookEvent, data: Record<string, unknown>) {
  const targets = await subscribers(tx, centreId, type)
  if (targets.length === 0) return
  await tx
    .insert(webhookDeliveries)
    .values(targets.map((w) => ({ webhookId: w.id, eventType: type, payload: { type, timestamp: now.toISOString(), data }, nextAttemptAt: now })))
}
