import type { FastifyRequest } from 'fastify'
import { auditEvents } from '../db/schema.js'
import type { Queryable } from '../db/client.js'
import type { Actor } from './auth.js'

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
export async function audit(tx: Queryable, who: FastifyRequest | { actor: Actor; id?: string }, entries: AuditEntry | AuditEntry[]) {
  const list = Array.isArray(entries) ? entries : [entries]
  if (list.length === 0) return
  await tx.insert(auditEvents).values(list.map((entry) => ({
    actorTokenId: who.actor.tokenId,
    actorRole: who.actor.role,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    centreId: entry.centreId ?? who.actor.centreId,
    courtId: entry.courtId ?? who.actor.courtId,
    requestId: who.id ?? null,
  })))
}
