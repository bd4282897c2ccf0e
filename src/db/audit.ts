import type { Actor } from '../domain/actor.js'
import { insertRows, type Queryable } from './client.js'
import { auditEvents } from './schema.js'

/**
 * Writing the audit trail: every change is recorded with who made it. Infrastructure, not a module,
 * so that every module (and the demo seed) records its changes without depending on another module.
 */

export interface AuditEntry {
  action: string
  entityType: string
  entityId: string | null
  centreId?: string | null
  courtId?: string | null
  /** Why, where the act needs a recorded reason (releasing withheld data); the admin's words, about the act. */
  reason?: string
  /** The names of the fields a change touched (never their values). */
  fields?: string[]
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
      fields: entry.fields ?? null,
    })),
    // The same for every entry of one request: written once.
    { actorTokenId: actor.tokenId, actorRole: actor.role, requestId: actor.requestId },
  )
}
