import { and, eq } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { visitObservations, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, notFound } from '../../domain/errors.js'
import { cursorParts, decodeCursor, invalidCursor, toPage } from '../../db/pagination.js'
import type { PageQuery } from '../../http/pagination.js'
import { audit } from '../../db/audit.js'
import { requirePast } from '../cases/index.js'
import { concernIdsOf } from '../concerns/index.js'
import { openConcernFromObservation } from '../concerns/index.js'
import { visitScope } from '../scheduling/index.js'
import { findVisit, observationsOf, observationView } from './observation-queries.js'
import type { ObservationCreate } from './observation-schemas.js'

/**
 * Observations, incidents and the child's statements about a visit. They are the facts every later
 * report is built from, so they are append-only: a correction is a new observation that `amends`
 * the earlier one, and both are kept (PostgreSQL refuses an UPDATE of the table as well).
 */

const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

/**
 * Records an observation of a visit in the actor's scope. Any visit that was booked may have one —
 * a cancelled visit too (an incident at the door) — but not a visit entered in error, which never was.
 */
export async function recordObservation(tx: Tx, actor: Actor, now: Date, visitId: string, input: ObservationCreate) {
  if (input.kind === 'child_statement' && input.reportable) {
    throw invalidField('/reportable', 'must be false for a child_statement: the child’s words never go to court')
  }
  const childProtection = input.childProtection && {
    action: input.childProtection.action,
    at: requirePast(input.childProtection.at, '/childProtection/at', now),
    by: input.childProtection.by,
  }
  const visit = await findVisit(tx, actor, visitId, { lock: true })
  if (visit.status === 'entered-in-error') {
    throw conflict('visit-entered-in-error', 'The visit was entered in error and never took place; write the observation on the visit it concerns.', {
      currentStatus: visit.status,
    })
  }
  if (input.amends !== undefined) await requireAmendable(tx, actor, visit.id, input.amends)
  const [created] = await tx
    .insert(visitObservations)
    .values({
      visitId: visit.id,
      caseId: visit.caseId,
      kind: input.kind,
      text: input.text,
      reportable: input.reportable ?? false,
      amends: input.amends ?? null,
      recordedByTokenId: actor.tokenId,
      createdAt: now,
    })
    .returning()
  // The audit trail names what happened, never what was written.
  await audit(tx, actor, {
    action: input.amends ? 'observation.amended' : 'observation.recorded',
    entityType: 'visit_observation',
    entityId: created!.id,
    centreId: visit.centreId,
  })
  // The old shorthand opens a concern resting on this observation (its visit is then never reported on in words).
  const concern = childProtection && (await openConcernFromObservation(tx, actor, now, created!, visit.centreId, childProtection))
  return observationView(created!, [], concern ? [concern.id] : [])
}

/**
 * The observation being corrected: one of this visit's. An id the actor cannot see is unknown (404);
 * an observation of another of its visits is a 400 on the field, since an amendment stays on its visit.
 */
async function requireAmendable(db: Queryable, actor: Actor, visitId: string, id: string) {
  const [row] = await db
    .select({ visitId: visitObservations.visitId })
    .from(visitObservations)
    .innerJoin(visits, eq(visits.id, visitObservations.visitId))
    .where(and(eq(visitObservations.id, id), visitScope(actor)))
  if (!row) throw notFound('observation', id)
  if (row.visitId !== visitId) throw invalidField('/amends', 'is an observation of another visit; an amendment corrects an observation of the same visit')
}

/** Every observation of a visit in the actor's scope, oldest first, each with the amendments that follow it. */
export async function listObservations(db: Queryable, actor: Actor, visitId: string, query: PageQuery) {
  const visit = await findVisit(db, actor, visitId)
  const rows = await observationsOf(db, visit.id)
  const concernIds = await concernIdsOf(
    db,
    rows.map((r) => r.id),
  )
  await audit(db, actor, { action: 'observations.read', entityType: 'visit', entityId: visit.id, centreId: visit.centreId })
  // A visit has few observations, and each view reads the others (its amendments): all are read, one page is answered.
  const views = rows.map((row) => observationView(row, rows, concernIds.get(row.id) ?? []))
  let from = 0
  if (query.cursor !== undefined) {
    const [id] = decodeCursor(query.cursor, [cursorParts.uuid])
    from = views.findIndex((view) => view.id === id) + 1
    if (from === 0) throw invalidCursor()
  }
  return toPage(views.slice(from), query.limit)
}
