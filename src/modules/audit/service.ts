import { auditEvents } from '../../db/schema.js'
import type { Queryable } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'

export interface AuditEntry {
  action: string
  entityType: string
  entityId: string | null
  centreId?: string | null
  courtId?: string | null
}

/**
 * Records who changed what, in the caller's transaction so the audit trail and the change commit
 * together. Never put personal data here: ids and action names only.
 */
export async function audit(tx: Queryable, actor: Actor, entries: AuditEntry | AuditEntry[]) {
  const list = Array.isArray(entries) ? entries : [entries]
  if (list.length === 0) return
  await tx.insert(auditEvents).values(list.map((entry) => ({
    actorTokenId: actor.tokenId,
    actorRole: actor.role,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    centreId: entry.centreId ?? actor.centreId,
    courtId: entry.courtId ?? actor.courtId,
    requestId: actor.requestId,
  })))
}
