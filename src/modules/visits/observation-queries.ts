import { and, asc, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { visitObservations, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { notFound } from '../../domain/errors.js'
import { visitScope } from '../scheduling/index.js'

/** Reading observations: the visit they belong to (in the actor's scope) and the visit's chain of observations. */

export type ObservationRow = typeof visitObservations.$inferSelect

/**
 * A visit the actor may write about or read the observations of: a counsellor those it supervises,
 * the rest of the centre any visit of the centre. `lock` holds the row (FOR SHARE) for the rest of the
 * transaction, so its status cannot change while an observation is being added to it.
 */
export async function findVisit(db: Queryable, actor: Actor, id: string, options: { lock?: boolean } = {}) {
  const query = db
    .select()
    .from(visits)
    .where(and(eq(visits.id, id), visitScope(actor)))
  const [row] = options.lock ? await query.for('share') : await query
  if (!row) throw notFound('visit', id)
  return row
}

/** Every observation of a visit, oldest first (ids are UUIDv7: id order is creation order). */
export function observationsOf(db: Queryable, visitId: string) {
  return db.select().from(visitObservations).where(eq(visitObservations.visitId, visitId)).orderBy(asc(visitObservations.id))
}

/**
 * An observation as the centre reads it: with the later observations that amend it, so the chain can
 * be followed both ways, and the concerns that rest on it.
 */
export function observationView(row: ObservationRow, all: ObservationRow[], concernIds: string[]) {
  return {
    id: row.id,
    visitId: row.visitId,
    caseId: row.caseId,
    kind: row.kind,
    text: row.text,
    reportable: row.reportable,
    amends: row.amends,
    amendedBy: all.filter((o) => o.amends === row.id).map((o) => o.id),
    concernIds,
    recordedByTokenId: row.recordedByTokenId,
    createdAt: row.createdAt,
  }
}
