import { and, desc, eq } from 'drizzle-orm'
import { auditEvents } from '../../db/schema.js'
import type { Queryable } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { inCentre } from '../../db/scope.js'
import type { AuditQuery } from './schemas.js'

/** Reading the audit trail (src/db/audit.ts writes it): a centre's admin reads its own. */

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
