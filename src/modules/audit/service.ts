import { and, desc, eq } from 'drizzle-orm'
import { auditEvents } from '../../db/schema.js'
import { insertRows, type Queryable } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { afterCursor, toPage } from '../../http/pagination.js'
import { inCentre } from '../../http/scope.js'
import type { AuditQuery } from './schemas.js'

/** The audit trail: every change is recorded here with who made it, and a centre's admin reads its own. */

export interface AuditEntry {
  action: string
  entityType: string
  entityId: string | null
  centreId?: string | null
  courtId?: string | null
  /** Why, where the act needs a recorded reason (releasing withheld data); the admin's words, about the act. */
  reason?: string
}

/**
 * Records who changed what, in the caller's transaction so the audit trail and the change commit
 * together. Never put personal data here: ids and action names only.
 */
export async function audit(tx: Queryable, actor: Actor, entries: AuditEntry | AuditEntry[]) {
  const list = Array.isArray(entries) ? entries : [entries]
  if (list.length === 0) return
  await tx.execute(auditInsert(actor, list))
}

/** The insert audit() runs, for a caller that writes it as part of a larger statement (at least one entry). */
export function auditInsert(actor: Actor, entries: AuditEntry[]) {
  return insertRows(
    auditEvents,
    entries.map((entry) => ({
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      centreId: entry.centreId ?? actor.centreId,
      courtId: entry.courtId ?? actor.courtId,
      reason: entry.reason ?? null,
    })),
    // The same for every entry of one request: written once.
    { actorTokenId: actor.tokenId, actorRole: actor.role, requestId: actor.requestId },
  )
}

/** The changes recorded under the actor's centre, newest first, optionally of one entity type or entity. */
export async function listAuditEvents(db: Queryable, actor: Actor, query: AuditQuery) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        inCentre(auditEvents.centreId, actor),
        query.entityType ? eq(auditEvents.entityType, query.entityType) : undefined,
        query.entityId ? eq(auditEvents.entityId, query.entityId) : undefined,
        afterCursor(auditEvents.id, query.cursor, 'desc'),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1)
  return toPage(rows, query.limit)
}
