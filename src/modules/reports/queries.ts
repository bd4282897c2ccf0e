import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { rawRows, type Queryable } from '../../db/client.js'
import { reportFeed, reports } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { noCancellations, type ObservationFact, type VisitCounts } from '../../domain/reports.js'
import { CANCELLED_BY, type ObservationKind, type PartyRole } from '../../domain/vocabulary.js'
import { cursorParts, decodeCursor, encodeCursor } from '../../db/pagination.js'
import { inCentre, inCourt } from '../../db/scope.js'

/** Facts for reports straight from the database, and the reports themselves: scope, the feed. */

/** A report period: whole local days, both inclusive (YYYY-MM-DD). */
export interface Period {
  from: string
  to: string
}

/** The visits a court is told of: no conversations (the centre's own work), nothing entered in error. */
const COUNTED = sql`v.kind <> 'conversation' and v.status <> 'entered-in-error'`
/** The visit's day at its site, compared as text with the period's days. */
const LOCAL_DAY = sql`to_char(v.starts_at at time zone v.time_zone, 'YYYY-MM-DD')`

/**
 * What came of a case's visits whose day (at their site) falls in the period, in one aggregate:
 * planned, held, still booked, cancelled (late, and by whom), no-show (and, from each visit's
 * current outcome — the one no later outcome supersedes — which parties' roles were absent),
 * interrupted. Reusable wherever visit counts of a case are shown.
 */
export async function visitCounts(db: Queryable, caseId: string, period: Period): Promise<VisitCounts> {
  const [row] = await rawRows<Record<string, number | string | null> & { by_party: { role: PartyRole; visits: number }[] | null }>(
    db,
    sql`
      with counted as (
        select v.id, v.status, v.cancelled_by, v.cancelled_late
        from visits v
        where v.case_id = ${caseId} and ${COUNTED} and ${LOCAL_DAY} between ${period.from} and ${period.to}
      ),
      absent as (
        select p.role, count(distinct c.id)::int as visits
        from counted c
        join visit_outcomes o on o.visit_id = c.id and o.outcome = 'noshow'
          and not exists (select 1 from visit_outcomes later where later.supersedes = o.id)
        join parties p on p.id = any(o.absent_party_ids)
        where c.status = 'noshow'
        group by p.role
      )
      select
        count(*)::int as planned,
        (count(*) filter (where status = 'fulfilled'))::int as held,
        (count(*) filter (where status in ('booked', 'arrived')))::int as booked,
        (count(*) filter (where status = 'cancelled'))::int as cancelled,
        (count(*) filter (where status = 'cancelled' and cancelled_late))::int as late,
        ${sql.join(
          CANCELLED_BY.map((by) => sql`(count(*) filter (where status = 'cancelled' and cancelled_by = ${by}))::int as ${sql.identifier(`by_${by}`)}`),
          sql`, `,
        )},
        (count(*) filter (where status = 'noshow'))::int as noshow,
        (count(*) filter (where status = 'interrupted'))::int as interrupted,
        (select json_agg(json_build_object('role', a.role, 'visits', a.visits) order by a.role) from absent a) as by_party
      from counted`,
  )
  const n = (key: string) => Number(row?.[key] ?? 0)
  const by = noCancellations()
  for (const side of CANCELLED_BY) by[side] = n(`by_${side}`)
  return {
    planned: n('planned'),
    held: n('held'),
    booked: n('booked'),
    cancelled: { total: n('cancelled'), late: n('late'), by },
    noShow: { visits: n('noshow'), byParty: (row?.by_party ?? []).map((p) => ({ role: p.role, visits: Number(p.visits) })) },
    interrupted: n('interrupted'),
  }
}

/**
 * The observations of a case's visits in the period, as facts: the text is read only where the
 * counsellor marked it reportable and no observation of its visit is linked to a concern (open or
 * closed): of such a visit, only that it is one.
 */
export async function observationFacts(db: Queryable, caseId: string, period: Period): Promise<ObservationFact[]> {
  const rows = await rawRows<{
    id: string
    amends: string | null
    kind: ObservationKind
    date: string
    reportable: boolean
    concern_visit: boolean
    text: string | null
  }>(
    db,
    sql`
      with concern_visits as (
        select distinct lo.visit_id from concern_observations co join visit_observations lo on lo.id = co.observation_id
        where lo.case_id = ${caseId}
      )
      select o.id, o.amends, o.kind, ${LOCAL_DAY} as date, o.reportable,
        (cv.visit_id is not null) as concern_visit,
        case when o.reportable and cv.visit_id is null then o.text end as text
      from visit_observations o
      join visits v on v.id = o.visit_id
      left join concern_visits cv on cv.visit_id = o.visit_id
      where o.case_id = ${caseId} and ${COUNTED} and ${LOCAL_DAY} between ${period.from} and ${period.to}
      order by o.id`,
  )
  return rows.map((r) => ({
    id: r.id,
    amends: r.amends,
    kind: r.kind,
    date: r.date,
    reportable: r.reportable,
    concernVisit: r.concern_visit,
    text: r.text,
  }))
}

/**
 * Reports a token may read: a court's (clerk, court integration) those of its referrals and cases;
 * a centre's (admin, staff, centre integration) those of its centre.
 */
const reportScope = (actor: Actor): SQL => (actor.centreId ? inCentre(reports.centreId, actor) : inCourt(reports.courtId, actor))

export type ReportRow = typeof reports.$inferSelect

export async function findReport(db: Queryable, actor: Actor, id: string): Promise<ReportRow> {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.id, id), reportScope(actor)))
  if (!row) throw notFound('report', id)
  return row
}

/** The report that supersedes this one, if any (there is at most one: a unique index). */
export async function supersededBy(db: Queryable, id: string): Promise<string | null> {
  const [row] = await db.select({ id: reports.id }).from(reports).where(eq(reports.supersedes, id))
  return row?.id ?? null
}

// ── The feed ─────────────────────────────────────────────────────────────────────────────────

/** Where a reader starts: before every report. */
const FEED_START = encodeCursor('p', '0')

const positionPart = (v: string) => /^\d{1,15}$/.test(v)
// A cursor issued before feed positions held (transaction id, report id); 19 digits keep a tampered one a 400.
const xidPart = (v: string) => /^\d{1,19}$/.test(v)
const NO_REPORT = '00000000-0000-0000-0000-000000000000'

/**
 * The feed position a cursor continues after. A cursor of the former kind names the last report its
 * reader saw, and continues after that report's position; one naming a report that is gone is refused.
 */
async function positionAfter(db: Queryable, cursor: string, parameter: string): Promise<number> {
  if (Buffer.from(cursor, 'base64url').toString('utf8').startsWith('p|')) return Number(decodeCursor(cursor, [(v) => v === 'p', positionPart])[1])
  const [, id] = decodeCursor(cursor, [xidPart, cursorParts.uuid])
  if (id === NO_REPORT) return 0
  const [row] = await db.select({ position: reportFeed.position }).from(reportFeed).where(eq(reportFeed.reportId, id!))
  if (!row) throw invalidInput('query', `/${parameter}`, 'names a report that is no longer in the feed; start again without it')
  return row.position
}

/**
 * One page of the report feed after `cursor`, in feed order (report_feed: positions given in commit
 * order, see src/db/schema.ts), and the cursor to continue from. A reader who continues from the
 * cursor it was given sees every report of its scope once: no report can later appear behind it.
 */
export async function feedPage(db: Queryable, actor: Actor, cursor: string | undefined, limit: number, parameter: 'cursor' | 'after' = 'cursor') {
  const after = cursor ?? FEED_START
  const position = await positionAfter(db, after, parameter)
  const rows = await db
    .select({ report: reports, position: reportFeed.position })
    .from(reportFeed)
    .innerJoin(reports, eq(reports.id, reportFeed.reportId))
    .where(and(reportScope(actor), gt(reportFeed.position, position)))
    .orderBy(asc(reportFeed.position))
    .limit(limit)
  const last = rows[rows.length - 1]
  // An empty page keeps the reader where it was: it asks again from the same place.
  return { rows: rows.map((r) => r.report), nextCursor: last ? encodeCursor('p', String(last.position)) : after }
}
