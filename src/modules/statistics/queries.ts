import { sql, type SQL } from 'drizzle-orm'
import { rawRows, type Queryable } from '../../db/client.js'

/**
 * The statistics' SQL: one query per figure (docs/statistics.md defines each one in words). Every
 * query reads only recorded facts — timestamps, dates, statuses, outcomes — and the period's bounds,
 * never the clock, so a past period's figures change only when its data does.
 *
 * Each row carries the group it belongs to as text: 'all', 'site:<id>', 'centre:<id>' (what has no
 * site, referrals always) or 'district:<name>' ('district:unknown' when there is none).
 */

export type GroupBy = 'none' | 'site' | 'district'

/** The period as instants [start, end) and as local days [from, to] (both inclusive), in one zone. */
export interface Window {
  start: Date
  end: Date
  from: string
  to: string
  timeZone: string
}

/** Whose records: a centre (null: every centre, the operator) and optionally one site of it. */
export interface Filter {
  centreId: string | null
  siteId: string | null
}

/** One count: a figure's total (breakdown 'total', key null) or one category of a breakdown. */
export interface CountRow {
  group: string
  figure: string
  breakdown: string
  key: string | null
  value: number
}

/** Days between two events over a population: how many, the median and the 90th percentile (null without data). */
export interface DaysRow {
  group: string
  figure: string
  count: number
  median: number | null
  p90: number | null
}

const start = (w: Window) => sql`${w.start.toISOString()}::timestamptz`
const end = (w: Window) => sql`${w.end.toISOString()}::timestamptz`
const fromDay = (w: Window) => sql`${w.from}::date`
const toDay = (w: Window) => sql`${w.to}::date`
/** The local calendar day of an instant in the period's zone. */
const day = (column: SQL, w: Window) => sql`(${column} at time zone ${w.timeZone})::date`

const equals = (column: string, value: string | null) => (value ? sql`${sql.raw(column)} = ${value}::uuid` : sql`true`)

/** The group of a referral: referrals have no site, so per site they sit with their centre; per district, the court's. */
function referralGroup(groupBy: GroupBy): SQL {
  if (groupBy === 'site') return sql`'centre:' || r.centre_id`
  if (groupBy === 'district') return sql`'district:' || coalesce(ct.judicial_district, 'unknown')`
  return sql`'all'`
}

/** The group of a record with a site (a case: alias c with site cs; a visit: v with vs); without one, its centre. */
function sitedGroup(groupBy: GroupBy, record: 'c' | 'v', site: 'cs' | 'vs'): SQL {
  if (groupBy === 'site') return sql.raw(`coalesce('site:' || ${record}.site_id, 'centre:' || ${record}.centre_id)`)
  if (groupBy === 'district') return sql.raw(`'district:' || coalesce(${site}.judicial_district, 'unknown')`)
  return sql`'all'`
}

/** Referrals of the filter's centre (a site filter narrows nothing: referrals have no site). */
const referralScope = (f: Filter) => equals('r.centre_id', f.centreId)
const caseScope = (f: Filter) => sql`${equals('c.centre_id', f.centreId)} and ${equals('c.site_id', f.siteId)}`

/**
 * Whether a case ended before, in or after the period, by its effective date (the last day it ran;
 * every ended case has one), compared as 'YYYY-MM-DD' text so that the index on it picks the
 * period's cases: a case still running at some day of the period is one not ended (null, also in
 * that index) or ended on or after that day. Read so, the figures stay the period's size however
 * long the centre's history grows (bench/scale.ts).
 */
const runningAfter = (day: string) => sql`(c.end_effective_date is null or c.end_effective_date > ${day})`
const runningOn = (day: string) => sql`(c.end_effective_date is null or c.end_effective_date >= ${day})`
const endedIn = (w: Window) => sql`c.end_effective_date between ${w.from} and ${w.to}`

/**
 * A visit's current outcome: the outcome row no other row supersedes (corrections are new rows;
 * outcomes form a single chain per visit).
 */
const currentOutcome = sql`
  left join lateral (
    select o.outcome, o.absent_party_ids, o.actual_start, o.actual_end, o.interrupted_at from visit_outcomes o
    where o.visit_id = v.id and not exists (select 1 from visit_outcomes later where later.supersedes = o.id)
  ) o on true`

/**
 * The visits of the period: those starting in it, except entries in error (never a visit), each
 * with its group and where it ended up. A cancellation counts before an outcome (a cancelled
 * visit did not take place); a visit with neither is without outcome.
 */
function periodVisits(w: Window, f: Filter, groupBy: GroupBy): SQL {
  return sql`(
    select ${sitedGroup(groupBy, 'v', 'vs')} as g, v.id, v.case_id, v.kind, v.status, v.cancelled_by, v.cancelled_late, v.starts_at,
      o.absent_party_ids, v.purpose, v.interpreter ->> 'language' as interpreter_language,
      case when v.status = 'cancelled' then 'cancelled'
           when o.outcome = 'fulfilled' then 'held'
           when o.outcome = 'noshow' then 'noshow'
           when o.outcome = 'interrupted' then 'interrupted'
           else 'without_outcome' end as outcome,
      cardinality(v.counsellor_ids) as counsellors,
      -- Time spent, for the counselling hours: the recorded times where there are, else the booked ones.
      case when o.outcome = 'fulfilled' then round(greatest(0, extract(epoch from coalesce(o.actual_end, v.ends_at) - coalesce(o.actual_start, v.starts_at))) / 60)
           when o.outcome = 'interrupted' then round(greatest(0, extract(epoch from coalesce(o.interrupted_at, v.ends_at) - coalesce(o.actual_start, v.starts_at))) / 60)
      end as minutes
    from visits v
    left join sites vs on vs.id = v.site_id
    ${currentOutcome}
    where v.starts_at >= ${start(w)} and v.starts_at < ${end(w)} and v.status <> 'entered-in-error'
      and ${equals('v.centre_id', f.centreId)} and ${equals('v.site_id', f.siteId)}
  )`
}

const counts = (db: Queryable, query: SQL) => rawRows<CountRow>(db, query)

/** Referrals received: submitted in the period; by source, legal framework and the court's judicial district. */
export function referralsReceived(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", 'referralsReceived' as figure,
        case when grouping(source) = 0 then 'source' when grouping(legal_framework) = 0 then 'legalFramework'
             when grouping(district) = 0 then 'judicialDistrict' else 'total' end as breakdown,
        coalesce(source, legal_framework, district) as key, count(*)::int as value
      from (
        select ${referralGroup(groupBy)} as g, r.source, r.legal_framework, coalesce(ct.judicial_district, 'unknown') as district
        from referrals r left join courts ct on ct.id = r.court_id
        where r.submitted_at >= ${start(w)} and r.submitted_at < ${end(w)} and ${referralScope(f)}
      ) x
      group by grouping sets ((g), (g, source), (g, legal_framework), (g, district))`,
  )
}

/** Refusals and returns: referrals refused or returned with their decision in the period, by reason code. */
export function referralDecisions(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", case when status = 'refused' then 'referralsRefused' else 'referralsReturned' end as figure,
        case when grouping(reason) = 0 then 'reasonCode' else 'total' end as breakdown, reason as key, count(*)::int as value
      from (
        select ${referralGroup(groupBy)} as g, r.status, coalesce(r.status_reason_code, 'unknown') as reason
        from referrals r left join courts ct on ct.id = r.court_id
        where r.status in ('refused', 'returned') and r.decided_at >= ${start(w)} and r.decided_at < ${end(w)} and ${referralScope(f)}
      ) x
      group by grouping sets ((g, status), (g, status, reason))`,
  )
}

/** Cases started: activated in the period. */
export function casesStarted(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select ${sitedGroup(groupBy, 'c', 'cs')} as "group", 'casesStarted' as figure, 'total' as breakdown, null as key, count(*)::int as value
      from cases c left join sites cs on cs.id = c.site_id
      where c.activated_at >= ${start(w)} and c.activated_at < ${end(w)} and ${caseScope(f)}
      group by 1`,
  )
}

/**
 * Concerns opened: recorded (created) in the period, by their case's site, without any of their
 * content. `stepReached`: the furthest step of the kindreflex recorded on each, `none` without steps.
 */
export function concernsOpened(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", 'concernsOpened' as figure,
        case when grouping(step) = 0 then 'stepReached' else 'total' end as breakdown, step as key, count(*)::int as value
      from (
        select ${sitedGroup(groupBy, 'c', 'cs')} as g,
          coalesce((select s.step from concern_steps s where s.concern_id = k.id
            order by array_position(array['discussed_in_team', 'vk_consulted', 'reported'], s.step) desc limit 1), 'none') as step
        from concerns k join cases c on c.id = k.case_id left join sites cs on cs.id = c.site_id
        where k.created_at >= ${start(w)} and k.created_at < ${end(w)} and ${caseScope(f)}
      ) x
      group by grouping sets ((g), (g, step))`,
  )
}

/** Cases active at the end of the period: activated before its end and not ended by its last day (suspended ones included). */
export function casesActiveAtEnd(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select ${sitedGroup(groupBy, 'c', 'cs')} as "group", 'casesActiveAtEnd' as figure, 'total' as breakdown, null as key, count(*)::int as value
      from cases c left join sites cs on cs.id = c.site_id
      where c.activated_at < ${end(w)} and ${runningAfter(w.to)} and ${caseScope(f)}
      group by 1`,
  )
}

/**
 * Cases active at some point in the period (activated before its end, not ended before its first
 * day), and how many of them are fee-exempt: one query, so the share is over the same cases.
 */
export function casesFeeExempt(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", figure, 'total' as breakdown, null as key, count(*)::int as value
      from (
        select ${sitedGroup(groupBy, 'c', 'cs')} as g, c.fee_exempt
        from cases c left join sites cs on cs.id = c.site_id
        where c.activated_at < ${end(w)} and ${runningOn(w.from)} and ${caseScope(f)}
      ) x
      cross join lateral (values ('casesActiveInPeriod'), (case when x.fee_exempt then 'casesFeeExempt' end)) as figures(figure)
      where figure is not null
      group by g, figure`,
  )
}

/**
 * Cases suspended during the period: distinct cases with a suspension of at least one day that
 * overlaps it ([fromDate, untilDate), open-ended until resumed), by the suspension's reason code.
 */
export function casesSuspended(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", 'casesSuspended' as figure, case when grouping(reason) = 0 then 'reasonCode' else 'total' end as breakdown,
        reason as key, count(distinct case_id)::int as value
      from (
        select ${sitedGroup(groupBy, 'c', 'cs')} as g, c.id as case_id, s.reason_code as reason
        from suspensions s join cases c on c.id = s.case_id left join sites cs on cs.id = c.site_id
        where s.from_date::date <= ${toDay(w)} and (s.until_date is null or (s.until_date::date > ${fromDay(w)} and s.until_date > s.from_date))
          and ${caseScope(f)}
      ) x
      group by grouping sets ((g), (g, reason))`,
  )
}

/** Cases ended in the period: the ending's day (effective date) falls in it; by the ending's reason code. */
export function casesEnded(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", 'casesEnded' as figure, case when grouping(reason) = 0 then 'reasonCode' else 'total' end as breakdown,
        reason as key, count(*)::int as value
      from (
        select ${sitedGroup(groupBy, 'c', 'cs')} as g, coalesce(e.reason_code, 'unknown') as reason
        from cases c left join sites cs on cs.id = c.site_id
        left join lateral (select reason_code from case_events where case_id = c.id and type = 'ended' order by at desc limit 1) e on true
        where ${endedIn(w)} and ${caseScope(f)}
      ) x
      group by grouping sets ((g), (g, reason))`,
  )
}

/** Visits of the period, by kind and by where they ended up (held, cancelled, noshow, interrupted, without_outcome). */
function visitCounts(): SQL {
  return sql`select g as "group", 'visits' as figure,
        case when grouping(kind) = 0 then 'kind' when grouping(outcome) = 0 then 'outcome' else 'total' end as breakdown,
        coalesce(kind, outcome) as key, count(*)::int as value
      from period_visits pv
      group by grouping sets ((g), (g, kind), (g, outcome))`
}

/** Cancelled visits of the period by who cancelled; `late` keeps only those cancelled within the notice period. */
function visitsCancelled(late: boolean): SQL {
  return sql`select g as "group", ${late ? 'visitsCancelledLate' : 'visitsCancelled'}::text as figure,
        case when grouping(cancelled_by) = 0 then 'cancelledBy' else 'total' end as breakdown, cancelled_by as key, count(*)::int as value
      from (select g, coalesce(cancelled_by, 'unknown') as cancelled_by, cancelled_late from period_visits pv where outcome = 'cancelled') x
      where ${late ? sql`cancelled_late` : sql`true`}
      group by grouping sets ((g), (g, cancelled_by))`
}

/** No-shows of the period: visits whose current outcome is noshow; per role, the visits where a party of that role was absent. */
function visitsNoShow(): SQL {
  return sql`select g as "group", 'visitsNoShow' as figure, case when grouping(role) = 0 then 'partyRole' else 'total' end as breakdown,
        role as key, count(distinct id)::int as value
      from (
        select pv.g, pv.id, coalesce(p.role, 'unknown') as role
        from period_visits pv
        cross join lateral unnest(pv.absent_party_ids) as absent(party_id)
        left join parties p on p.id = absent.party_id
        where pv.outcome = 'noshow'
      ) x
      group by grouping sets ((g), (g, role))`
}

/** Conversations of the period, by purpose. */
function conversations(): SQL {
  return sql`select g as "group", 'conversations' as figure, case when grouping(purpose) = 0 then 'purpose' else 'total' end as breakdown,
        purpose as key, count(*)::int as value
      from period_visits pv where kind = 'conversation' group by grouping sets ((g), (g, purpose))`
}

/** Visits and conversations of the period with an interpreter (cancelled ones left out), by the language interpreted. */
function visitsWithInterpreter(): SQL {
  return sql`select g as "group", 'visitsWithInterpreter' as figure, case when grouping(interpreter_language) = 0 then 'language' else 'total' end as breakdown,
        interpreter_language as key, count(*)::int as value
      from period_visits pv where interpreter_language is not null and outcome <> 'cancelled'
      group by grouping sets ((g), (g, interpreter_language))`
}

/** Interrupted visits of the period: current outcome interrupted. */
function visitsInterrupted(): SQL {
  return sql`select g as "group", 'visitsInterrupted' as figure, 'total' as breakdown, null as key, count(*)::int as value
      from period_visits pv where outcome = 'interrupted' group by g`
}

/**
 * The cases a family is served in during the period, per group: those with a visit held in the
 * period (in the visit's group), and those in intake at some point of it — opened before its end,
 * not activated before its start, not ended before its first day (in the case's group).
 */
function servedCases(w: Window, f: Filter, groupBy: GroupBy): SQL {
  return sql`
    select distinct pv.g, pv.case_id from period_visits pv where pv.outcome = 'held'
    union
    select ${sitedGroup(groupBy, 'c', 'cs')} as g, c.id as case_id
    from cases c left join sites cs on cs.id = c.site_id
    where c.created_at < ${end(w)} and (c.activated_at is null or c.activated_at >= ${start(w)})
      and ${runningOn(w.from)} and ${caseScope(f)}`
}

/** The age band of a birth date ('YYYY-MM-DD') on the period's first day; `unknown` without one. */
const ageBand = (birthDate: SQL, w: Window) => sql`case when ${birthDate} is null then 'unknown' else (
    select case when a < 3 then '0_2' when a < 6 then '3_5' when a < 12 then '6_11' when a < 18 then '12_17' else 'adult' end
    from (select extract(year from age(${fromDay(w)}, ${birthDate}::date))::int as a) y) end`

/**
 * People served: the distinct persons among the parties of the cases served in the period (see
 * servedCases; a party who joined the case after the period left out). A person is a person key
 * (the same child in two cases, src/domain/person-key.ts), or the party itself when it has none.
 * A person's gender, postcode and birth date are those of their most recently recorded party.
 * `persons` by gender, age band at the period's start and postcode; `childrenServed` the persons
 * with the role child, by gender and age band; `adultsServed` the others, by role.
 */
function peopleServed(w: Window, f: Filter, groupBy: GroupBy): SQL {
  return sql`with people as (
        select s.g, coalesce(p.person_key, p.id::text) as person, p.role, p.gender, coalesce(p.postcode, 'unknown') as postcode,
          ${ageBand(sql`p.birth_date`, w)} as age_band, p.created_at, p.id
        from (${servedCases(w, f, groupBy)}) s join parties p on p.case_id = s.case_id
        where p.joined_at is null or p.joined_at < ${end(w)}
      ),
      persons as (select distinct on (g, person) * from people order by g, person, created_at desc, id desc),
      children as (select distinct on (g, person) * from people where role = 'child' order by g, person, created_at desc, id desc)
      select g as "group", 'persons' as figure,
          case when grouping(gender) = 0 then 'gender' when grouping(age_band) = 0 then 'ageBand' when grouping(postcode) = 0 then 'postcode' else 'total' end as breakdown,
          coalesce(gender, age_band, postcode) as key, count(*)::int as value
        from persons group by grouping sets ((g), (g, gender), (g, age_band), (g, postcode))
      union all
      select g, 'childrenServed', case when grouping(gender) = 0 then 'gender' when grouping(age_band) = 0 then 'ageBand' else 'total' end,
          coalesce(gender, age_band), count(*)::int
        from children group by grouping sets ((g), (g, gender), (g, age_band))
      union all
      select g, 'adultsServed', case when grouping(role) = 0 then 'role' else 'total' end, role, count(distinct person)::int
        from people where role <> 'child' group by grouping sets ((g), (g, role))`
}

/** Cases in intake at the period's end: opened before its end, not activated before it, not ended by its last day. */
export function casesInIntake(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select ${sitedGroup(groupBy, 'c', 'cs')} as "group", 'casesInIntake' as figure, 'total' as breakdown, null as key, count(*)::int as value
      from cases c left join sites cs on cs.id = c.site_id
      where c.created_at < ${end(w)} and (c.activated_at is null or c.activated_at >= ${end(w)})
        and ${runningAfter(w.to)} and ${caseScope(f)}
      group by 1`,
  )
}

/** The waiting list at the period's end: referrals put on it before the end and not decided (accepted, refused, …) by then. */
export function referralsWaitlistedAtEnd(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select ${referralGroup(groupBy)} as "group", 'referralsWaitlistedAtEnd' as figure, 'total' as breakdown, null as key, count(*)::int as value
      from referrals r left join courts ct on ct.id = r.court_id
      where r.waitlisted_at < ${end(w)} and (r.decided_at is null or r.decided_at >= ${end(w)}) and ${referralScope(f)}
      group by 1`,
  )
}

/**
 * Counselling time: the visits and conversations of the period that took place (held or
 * interrupted), each visit's minutes (recorded times where there are, else booked; rounded per
 * visit) times the counsellors on it, by kind.
 */
function counsellingMinutes(): SQL {
  return sql`select g as "group", 'counsellingMinutes' as figure, case when grouping(kind) = 0 then 'kind' else 'total' end as breakdown,
        kind as key, coalesce(sum(minutes * counsellors), 0)::int as value
      from period_visits pv where outcome in ('held', 'interrupted')
      group by grouping sets ((g), (g, kind))`
}

/**
 * Every figure counted from the period's visits, in one statement: the visits of the period are read
 * once, each with its current outcome, into period_visits, and each figure counts from there. Read
 * per figure, a year of a region's visits was read nine times (bench/scale.ts).
 */
export function visitFigures(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  const figures = [
    visitCounts(),
    visitsCancelled(false),
    visitsCancelled(true),
    visitsNoShow(),
    visitsInterrupted(),
    conversations(),
    visitsWithInterpreter(),
    peopleServed(w, f, groupBy),
    counsellingMinutes(),
  ]
  return counts(
    db,
    sql`with period_visits as materialized ${periodVisits(w, f, groupBy)}
      ${sql.join(
        figures.map((figure) => sql`(${figure})`),
        sql` union all `,
      )}`,
  )
}

/** Onward referrals: cases ended in the period (as casesEnded) with the reason referred_elsewhere, by the kind of service referred to. */
export function onwardReferrals(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return counts(
    db,
    sql`select g as "group", 'onwardReferrals' as figure, case when grouping(kind) = 0 then 'kind' else 'total' end as breakdown,
        kind as key, count(*)::int as value
      from (
        select ${sitedGroup(groupBy, 'c', 'cs')} as g, coalesce(e.data ->> 'referredTo', 'unknown') as kind
        from cases c left join sites cs on cs.id = c.site_id
        join lateral (select reason_code, data from case_events where case_id = c.id and type = 'ended' order by at desc limit 1) e on true
        where e.reason_code = 'referred_elsewhere' and ${endedIn(w)} and ${caseScope(f)}
      ) x
      group by grouping sets ((g), (g, kind))`,
  )
}

const days = (db: Queryable, figure: string, population: SQL) =>
  rawRows<DaysRow>(
    db,
    sql`select g as "group", ${figure}::text as figure, count(*)::int as count,
        round(percentile_cont(0.5) within group (order by days)::numeric, 1)::float8 as median,
        round(percentile_cont(0.9) within group (order by days)::numeric, 1)::float8 as p90
      from (${population}) x group by g`,
  )

/**
 * Days from the referral (submitted) to the case's first intake, for cases whose first intake was held
 * in the period: an intake in it and none before it. Both read by the period, never every intake ever:
 * the cases with an intake in the period are gathered first (a materialised CTE), and each is then
 * asked for an earlier one (a subquery with LIMIT, which the planner cannot turn into a join over
 * the whole table).
 */
export function daysReferralToIntake(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return days(
    db,
    'daysReferralToIntake',
    sql`with in_period as materialized (
        select case_id, min(held_at) as first_held_at from intakes where held_at >= ${start(w)} and held_at < ${end(w)} group by case_id
      )
      select ${sitedGroup(groupBy, 'c', 'cs')} as g, ${day(sql`i.first_held_at`, w)} - ${day(sql`r.submitted_at`, w)} as days
      from in_period i join cases c on c.id = i.case_id join referrals r on r.id = c.referral_id left join sites cs on cs.id = c.site_id
      where (select true from intakes earlier where earlier.case_id = i.case_id and earlier.held_at < ${start(w)} limit 1) is null
        and ${caseScope(f)}`,
  )
}

/**
 * Days from the referral to the case's first held visit (its start), for cases whose first held visit
 * was in the period: a held visit in it and none before it, read as daysReferralToIntake reads intakes.
 */
export function daysReferralToFirstHeldVisit(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return days(
    db,
    'daysReferralToFirstHeldVisit',
    sql`with in_period as materialized (
        select v.case_id, min(v.starts_at) as first_start from visits v ${currentOutcome}
        where v.starts_at >= ${start(w)} and v.starts_at < ${end(w)} and ${equals('v.centre_id', f.centreId)}
          and o.outcome = 'fulfilled' and v.status not in ('cancelled', 'entered-in-error') group by v.case_id
      )
      select ${sitedGroup(groupBy, 'c', 'cs')} as g, ${day(sql`h.first_start`, w)} - ${day(sql`r.submitted_at`, w)} as days
      from in_period h join cases c on c.id = h.case_id join referrals r on r.id = c.referral_id left join sites cs on cs.id = c.site_id
      where (
          select true from visits earlier join visit_outcomes eo on eo.visit_id = earlier.id
          where earlier.case_id = h.case_id and earlier.starts_at < ${start(w)} and earlier.status not in ('cancelled', 'entered-in-error')
            and eo.outcome = 'fulfilled' and not exists (select 1 from visit_outcomes later where later.supersedes = eo.id)
          limit 1
        ) is null and ${caseScope(f)}`,
  )
}

/** Trajectory length: days from activation to the ending's day, for activated cases ended in the period. */
export function daysTrajectory(db: Queryable, w: Window, f: Filter, groupBy: GroupBy) {
  return days(
    db,
    'daysTrajectory',
    sql`select ${sitedGroup(groupBy, 'c', 'cs')} as g, c.end_effective_date::date - ${day(sql`c.activated_at`, w)} as days
      from cases c left join sites cs on cs.id = c.site_id
      where c.activated_at is not null and ${endedIn(w)} and ${caseScope(f)}`,
  )
}

/** The sites and centres the groups are named after (every one in scope, so a group without data still shows its zeros). */
export function sitesInScope(db: Queryable, f: Filter) {
  return rawRows<{ id: string; centreId: string; name: string; judicialDistrict: string }>(
    db,
    sql`select id, centre_id as "centreId", name, judicial_district as "judicialDistrict" from sites s
      where ${equals('s.centre_id', f.centreId)} and ${equals('s.id', f.siteId)}`,
  )
}

export function centresInScope(db: Queryable, f: Filter) {
  return rawRows<{ id: string; name: string }>(db, sql`select id, name from centres c where ${equals('c.id', f.centreId)}`)
}

/** A site the actor may ask about (any site for the operator), with its centre. */
export async function siteOf(db: Queryable, siteId: string, centreId: string | null) {
  const [site] = await rawRows<{ id: string; centreId: string }>(
    db,
    sql`select id, centre_id as "centreId" from sites s where s.id = ${siteId}::uuid and ${equals('s.centre_id', centreId)}`,
  )
  return site
}
