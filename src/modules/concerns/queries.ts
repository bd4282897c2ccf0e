import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { apiTokens, concernObservations, concernSteps, concerns, visitObservations } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { notFound } from '../../domain/errors.js'
import { inCaseScope } from '../cases/index.js'

/** Reading concerns: those of the cases in the actor's scope (a counsellor's: the cases it leads or supervises a visit of). */

export type ConcernRow = typeof concerns.$inferSelect

const concernScope = (actor: Actor): SQL => inCaseScope(concerns.caseId, actor)

/** A concern in the actor's scope; `lock` holds the row (FOR UPDATE) so steps and closing do not interleave. */
export async function findConcern(db: Queryable, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<ConcernRow> {
  const query = db
    .select()
    .from(concerns)
    .where(and(eq(concerns.id, id), concernScope(actor)))
  const [row] = options.lock ? await query.for('update') : await query
  if (!row) throw notFound('concern', id)
  return row
}

/** A page of a case's concerns, newest first (ids are UUIDv7). */
export function concernsOfCase(db: Queryable, caseId: string, after: SQL | undefined, limit: number) {
  return db
    .select()
    .from(concerns)
    .where(and(eq(concerns.caseId, caseId), after))
    .orderBy(desc(concerns.id))
    .limit(limit + 1)
}

/** Whether a case has a concern still open. */
export async function hasOpenConcern(db: Queryable, caseId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: concerns.id })
    .from(concerns)
    .where(and(eq(concerns.caseId, caseId), eq(concerns.status, 'open')))
    .limit(1)
  return Boolean(row)
}

/** The concerns linked to each of these observations (observation id → concern ids, oldest first). */
export async function concernIdsOf(db: Queryable, observationIds: string[]): Promise<Map<string, string[]>> {
  const byObservation = new Map<string, string[]>()
  if (observationIds.length === 0) return byObservation
  const links = await db
    .select()
    .from(concernObservations)
    .where(inArray(concernObservations.observationId, observationIds))
    .orderBy(asc(concernObservations.concernId))
  for (const link of links) byObservation.set(link.observationId, [...(byObservation.get(link.observationId) ?? []), link.concernId])
  return byObservation
}

/** Concerns as the centre reads them: each with its linked observations and its steps (oldest first), each step with its author. */
export async function concernViews(db: Queryable, rows: ConcernRow[]) {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const links = await db
    .select({ concernId: concernObservations.concernId, observationId: concernObservations.observationId })
    .from(concernObservations)
    .innerJoin(visitObservations, eq(visitObservations.id, concernObservations.observationId))
    .where(inArray(concernObservations.concernId, ids))
    .orderBy(asc(concernObservations.observationId))
  const steps = await db
    .select({ step: concernSteps, tokenName: sql<string | null>`coalesce(${apiTokens.name}, ${apiTokens.label})` })
    .from(concernSteps)
    .leftJoin(apiTokens, eq(apiTokens.id, concernSteps.authorTokenId))
    .where(inArray(concernSteps.concernId, ids))
    .orderBy(asc(concernSteps.at), asc(concernSteps.id))
  return rows.map((row) => ({
    id: row.id,
    caseId: row.caseId,
    summary: row.summary,
    childPartyIds: row.childPartyIds,
    observedAt: row.observedAt,
    status: row.status,
    outcome: row.outcome,
    closeNote: row.closeNote,
    closedAt: row.closedAt,
    closedByTokenId: row.closedByTokenId,
    createdByTokenId: row.createdByTokenId,
    createdAt: row.createdAt,
    observationIds: links.filter((l) => l.concernId === row.id).map((l) => l.observationId),
    steps: steps
      .filter((s) => s.step.concernId === row.id)
      .map(({ step, tokenName }) => ({
        id: step.id,
        step: step.step,
        reportedTo: step.reportedTo,
        at: step.at,
        note: step.note,
        author: { tokenId: step.authorTokenId, name: step.authorName ?? tokenName },
        createdAt: step.createdAt,
      })),
  }))
}
