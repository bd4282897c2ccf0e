import { and, asc, eq, inArray, notExists, sql } from 'drizzle-orm'
import { rawRows, type Queryable, type Tx } from '../../db/client.js'
import { centres, visitAttendances, visitOutcomes, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { withDefaults } from '../../domain/centre-settings.js'
import { notFound } from '../../domain/errors.js'
import type { VisitRecord } from '../../domain/visit-signals.js'
import { visitScope, type VisitRow } from '../scheduling/index.js'

/** What the day of a visit reads: the visit under lock, its attendances, its outcomes and a case's tally of them. */

export type OutcomeRow = typeof visitOutcomes.$inferSelect
export type AttendanceRow = typeof visitAttendances.$inferSelect

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

export async function centreSettings(db: Queryable, centreId: string) {
  const [row] = await db.select({ settings: centres.settings }).from(centres).where(eq(centres.id, centreId))
  return withDefaults(row?.settings)
}

/** A visit's attendances, in check-in order. */
export function attendancesOf(db: Queryable, visitId: string): Promise<AttendanceRow[]> {
  return db.select().from(visitAttendances).where(eq(visitAttendances.visitId, visitId)).orderBy(asc(visitAttendances.checkedInAt), asc(visitAttendances.id))
}

/**
 * The outcomes of visits, each visit's as one chain oldest first: the first outcome (superseding
 * nothing), then the correction of it, and so on. The last of a chain is the current outcome.
 */
export async function outcomeHistories(db: Queryable, visitIds: string[]): Promise<Map<string, OutcomeRow[]>> {
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

/** Joins each visit's current outcome: the one no other outcome supersedes. */
const currentOutcomeOf = and(
  eq(visitOutcomes.visitId, visits.id),
  notExists(sql`(select 1 from ${visitOutcomes} as superseding where superseding.supersedes = ${visitOutcomes.id})`),
)

export interface VisitCountsRow {
  planned: number
  needs_outcome: number
  fulfilled: number
  noshow: number
  interrupted: number
  cancelled: number
  cancelled_late: number
  by_visiting_party: number
  by_residing_party: number
  child_refuses: number
  by_centre: number
  by_referrer: number
  absences: { partyId: string; count: number }[]
}

/**
 * A case's visits counted in one aggregate query: still to come, awaiting an outcome (ended by
 * `now`, still booked or arrived), each outcome (the current one), cancellations by whom and how
 * many were late, and per party the no-shows listing them.
 */
export async function visitCounts(db: Queryable, caseId: string, now: Date): Promise<VisitCountsRow> {
  const at = now.toISOString()
  const [row] = await rawRows<VisitCountsRow>(
    db,
    sql`
    with v as (
      select ${visits.status} as status, ${visits.endsAt} as ends_at, ${visits.cancelledBy} as cancelled_by, ${visits.cancelReasonCode} as cancel_reason_code,
             ${visits.cancelledLate} as cancelled_late, ${visitOutcomes.absentPartyIds} as absent_party_ids
      from ${visits} left join ${visitOutcomes} on ${currentOutcomeOf}
      where ${visits.caseId} = ${caseId}
    )
    select
      count(*) filter (where status in ('booked', 'arrived') and ends_at > ${at}::timestamptz)::int as planned,
      count(*) filter (where status in ('booked', 'arrived') and ends_at <= ${at}::timestamptz)::int as needs_outcome,
      count(*) filter (where status = 'fulfilled')::int as fulfilled,
      count(*) filter (where status = 'noshow')::int as noshow,
      count(*) filter (where status = 'interrupted')::int as interrupted,
      count(*) filter (where status = 'cancelled')::int as cancelled,
      count(*) filter (where status = 'cancelled' and cancelled_late)::int as cancelled_late,
      count(*) filter (where status = 'cancelled' and cancelled_by = 'visiting_party')::int as by_visiting_party,
      count(*) filter (where status = 'cancelled' and cancelled_by = 'residing_party')::int as by_residing_party,
      count(*) filter (where status = 'cancelled' and cancel_reason_code = 'child_refuses')::int as child_refuses,
      count(*) filter (where status = 'cancelled' and cancelled_by = 'centre')::int as by_centre,
      count(*) filter (where status = 'cancelled' and cancelled_by = 'referrer')::int as by_referrer,
      coalesce((
        select json_agg(json_build_object('partyId', party_id, 'count', n) order by party_id)
        from (select unnest(absent_party_ids) as party_id, count(*)::int as n from v where status = 'noshow' group by 1) as absent
      ), '[]'::json) as absences
    from v`,
  )
  return row!
}

/** The case's visits that were held, missed, interrupted or cancelled, with their current outcome: what the signals judge. */
export async function concludedVisits(db: Queryable, caseId: string): Promise<VisitRecord[]> {
  const rows = await db
    .select({
      start: visits.startsAt,
      status: visits.status,
      partyIds: visits.partyIds,
      absentPartyIds: visitOutcomes.absentPartyIds,
      cancelledBy: visits.cancelledBy,
      cancelReasonCode: visits.cancelReasonCode,
      outcomeReasonCode: visitOutcomes.reasonCode,
    })
    .from(visits)
    .leftJoin(visitOutcomes, currentOutcomeOf)
    .where(and(eq(visits.caseId, caseId), inArray(visits.status, ['fulfilled', 'noshow', 'interrupted', 'cancelled'])))
    .orderBy(asc(visits.startsAt))
  return rows.map((r) => ({ ...r, absentPartyIds: r.absentPartyIds ?? [] }))
}
