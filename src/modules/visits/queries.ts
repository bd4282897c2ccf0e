import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { visitAttendanceCorrections, visitAttendances, visitOutcomes, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { notFound } from '../../domain/errors.js'
import { visitScope, type VisitRow } from '../scheduling/index.js'

/** What the day of a visit reads: the visit under lock, its attendances and its outcomes. */

export type OutcomeRow = typeof visitOutcomes.$inferSelect
export type AttendanceRow = typeof visitAttendances.$inferSelect
export type CorrectionRow = typeof visitAttendanceCorrections.$inferSelect

/**
 * The visit in the actor's scope (a counsellor: one it supervises), locked for the rest of the
 * transaction (SELECT … FOR UPDATE): a cancellation, check-in or outcome of the same visit waits for
 * this one and then sees its result.
 */
export async function lockVisit(tx: Tx, actor: Actor, id: string): Promise<VisitRow> {
  const [row] = await tx
    .select()
    .from(visits)
    .where(and(eq(visits.id, id), visitScope(actor)))
    .for('update')
  if (!row) throw notFound('visit', id)
  return row
}

/** A visit's attendances, in check-in order. */
export function attendancesOf(db: Queryable, visitId: string): Promise<AttendanceRow[]> {
  return db.select().from(visitAttendances).where(eq(visitAttendances.visitId, visitId)).orderBy(asc(visitAttendances.checkedInAt), asc(visitAttendances.id))
}

/** A visit's attendance corrections, oldest first. */
export function correctionsOf(db: Queryable, visitId: string): Promise<CorrectionRow[]> {
  return db
    .select()
    .from(visitAttendanceCorrections)
    .where(eq(visitAttendanceCorrections.visitId, visitId))
    .orderBy(asc(visitAttendanceCorrections.createdAt), asc(visitAttendanceCorrections.id))
}

/**
 * The outcomes of visits, each visit's as one chain oldest first: the first outcome (superseding
 * nothing), then the correction of it, and so on. The last of a chain is the current outcome.
 */
async function outcomeHistories(db: Queryable, visitIds: string[]): Promise<Map<string, OutcomeRow[]>> {
  const histories = new Map<string, OutcomeRow[]>()
  if (visitIds.length === 0) return histories
  const rows = await db.select().from(visitOutcomes).where(inArray(visitOutcomes.visitId, visitIds)).orderBy(asc(visitOutcomes.createdAt))
  for (const visitId of new Set(rows.map((r) => r.visitId))) {
    const own = rows.filter((r) => r.visitId === visitId)
    const chain: OutcomeRow[] = []
    let next = own.find((r) => r.supersedes === null)
    while (next) {
      chain.push(next)
      const id: string = next.id
      next = own.find((r) => r.supersedes === id)
    }
    histories.set(visitId, chain)
  }
  return histories
}

export async function outcomeHistory(db: Queryable, visitId: string): Promise<OutcomeRow[]> {
  return (await outcomeHistories(db, [visitId])).get(visitId) ?? []
}
