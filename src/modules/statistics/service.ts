import { DateTime } from 'luxon'
import type { Db } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import {
  CANCELLED_BY,
  CONCERN_STEPS,
  CONSULTATION_PARTNERS,
  CONVERSATION_PURPOSES,
  GENDERS,
  LEGAL_FRAMEWORKS,
  PARTY_ROLES,
  REFERRAL_SOURCES,
  VISIT_KINDS,
} from '../../domain/vocabulary.js'

/** Acts are attributed to adults: the roles a no-show or a served adult is counted under. */
const ADULT_ROLES = PARTY_ROLES.filter((r) => r !== 'child')
import * as q from './queries.js'
import type { Figures, Statistics, StatisticsGroup, StatisticsQuery } from './schemas.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'

/**
 * Statistics for the subsidising government: counts and durations over a period, for one centre
 * (admin, staff) or every centre (the operator), optionally per site or judicial district.
 */

/** Belgian centres report in Belgian days; one zone for every site keeps a period the same period everywhere. */
const STATISTICS_TIME_ZONE = DEFAULT_TIME_ZONE
const MAX_YEARS = 3
const VISIT_OUTCOME_BUCKETS = ['held', 'cancelled', 'noshow', 'interrupted', 'without_outcome'] as const
/** Ages on the period's first day; written with `_` so a spreadsheet does not read `3-5` as a date. */
export const AGE_BANDS = ['0_2', '3_5', '6_11', '12_17', 'adult', 'unknown'] as const

const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]))
const noDays = () => ({ count: 0, median: null, p90: null })

/** Every figure at zero, fixed vocabularies listed in full so a spreadsheet gets the same rows every time. */
function emptyFigures(): Figures {
  return {
    referralsReceived: { total: 0, bySource: zeros(REFERRAL_SOURCES), byLegalFramework: zeros(LEGAL_FRAMEWORKS), byJudicialDistrict: {} },
    referralsRefused: { total: 0, byReasonCode: {} },
    referralsReturned: { total: 0, byReasonCode: {} },
    casesStarted: { total: 0 },
    casesActiveAtEnd: { total: 0 },
    casesActiveInPeriod: { total: 0 },
    casesFeeExempt: { total: 0 },
    casesSuspended: { total: 0, byReasonCode: {} },
    casesEnded: { total: 0, byReasonCode: {} },
    visits: { total: 0, byKind: zeros(VISIT_KINDS), byOutcome: zeros(VISIT_OUTCOME_BUCKETS) },
    visitsCancelled: { total: 0, byCancelledBy: zeros(CANCELLED_BY) },
    visitsCancelledLate: { total: 0, byCancelledBy: zeros(CANCELLED_BY) },
    visitsNoShow: { total: 0, byPartyRole: zeros(ADULT_ROLES) },
    visitsInterrupted: { total: 0 },
    conversations: { total: 0, byPurpose: zeros(CONVERSATION_PURPOSES) },
    visitsWithInterpreter: { total: 0, byLanguage: {} },
    referralsWaitlistedAtEnd: { total: 0 },
    casesInIntake: { total: 0 },
    persons: { total: 0, byGender: zeros(GENDERS), byAgeBand: zeros(AGE_BANDS), byPostcode: {} },
    childrenServed: { total: 0, byGender: zeros(GENDERS), byAgeBand: zeros(AGE_BANDS) },
    adultsServed: { total: 0, byRole: zeros(ADULT_ROLES) },
    counsellingMinutes: { total: 0, byKind: zeros(VISIT_KINDS) },
    onwardReferrals: { total: 0, byKind: zeros(CONSULTATION_PARTNERS) },
    concernsOpened: { total: 0, byStepReached: zeros(['none', ...CONCERN_STEPS]) },
    daysReferralToIntake: noDays(),
    daysReferralToFirstHeldVisit: noDays(),
    daysTrajectory: noDays(),
  }
}

/** The period as local days in the statistics' zone, checked: a real day, from not after to, at most three years. */
function periodOf(query: StatisticsQuery): q.Window {
  const parse = (pointer: string, value: string) => {
    const date = DateTime.fromISO(value, { zone: STATISTICS_TIME_ZONE }).startOf('day')
    if (!date.isValid || date.year < 1900 || date.year > 9000) throw invalidInput('query', pointer, 'must be a day between 1900 and 9000')
    return date
  }
  const from = parse('/from', query.from)
  const to = parse('/to', query.to)
  if (to < from) throw invalidInput('query', '/to', `must not be before from (${query.from}); the period includes both days`)
  if (to >= from.plus({ years: MAX_YEARS })) throw invalidInput('query', '/to', `must be less than ${MAX_YEARS} years after from (${query.from})`)
  return {
    start: from.toJSDate(),
    end: to.plus({ days: 1 }).startOf('day').toJSDate(),
    from: from.toISODate(),
    to: to.toISODate(),
    timeZone: STATISTICS_TIME_ZONE,
  }
}

/** The figures of the actor's scope; a site outside it is not found. All queries read one snapshot. */
export async function statistics(db: Db, actor: Actor, query: StatisticsQuery): Promise<Statistics> {
  const window = periodOf(query)
  const groupBy: q.GroupBy = query.groupBy ?? 'none'
  const ownCentre = actor.role === 'operator' ? null : actor.centreId
  // Anyone but the operator is bound to a centre; without one there is nothing to count.
  if (actor.role !== 'operator' && !ownCentre) throw notFound('centre')
  return db.transaction(
    async (tx) => {
      let filter: q.Filter = { centreId: ownCentre, siteId: null }
      if (query.siteId) {
        const site = await q.siteOf(tx, query.siteId, ownCentre)
        if (!site) throw notFound('site', query.siteId)
        filter = { centreId: site.centreId, siteId: site.id }
      }
      const args = [tx, window, filter, groupBy] as const
      const countRows = [
        ...(await q.referralsReceived(...args)),
        ...(await q.referralDecisions(...args)),
        ...(await q.casesStarted(...args)),
        ...(await q.casesActiveAtEnd(...args)),
        ...(await q.casesFeeExempt(...args)),
        ...(await q.casesSuspended(...args)),
        ...(await q.casesEnded(...args)),
        ...(await q.visitFigures(...args)),
        ...(await q.referralsWaitlistedAtEnd(...args)),
        ...(await q.casesInIntake(...args)),
        ...(await q.onwardReferrals(...args)),
        ...(await q.concernsOpened(...args)),
      ]
      const dayRows = [...(await q.daysReferralToIntake(...args)), ...(await q.daysReferralToFirstHeldVisit(...args)), ...(await q.daysTrajectory(...args))]
      // Sorted here, not by the database's collation, so every installation lists groups alike.
      const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id)
      const sites = (await q.sitesInScope(tx, filter)).sort(byName)
      const centres = (await q.centresInScope(tx, filter)).sort(byName)

      const groups = new Map<string, StatisticsGroup>()
      const group = (id: string) => {
        let g = groups.get(id)
        if (!g) {
          g = { ...describe(id, sites, centres, filter), figures: emptyFigures() }
          groups.set(id, g)
        }
        return g
      }
      // Groups without data are listed too, with zeros: every site and centre of the scope, every site's district.
      if (groupBy === 'none') group('all')
      if (groupBy === 'site')
        for (const centre of centres) [`centre:${centre.id}`, ...sites.filter((s) => s.centreId === centre.id).map((s) => `site:${s.id}`)].forEach(group)
      if (groupBy === 'district') for (const site of sites) group(`district:${site.judicialDistrict}`)
      for (const row of countRows) addCount(group(row.group).figures, row)
      for (const row of dayRows) addDays(group(row.group).figures, row)

      return {
        period: { from: window.from, to: window.to, timeZone: window.timeZone },
        scope: { centreId: filter.centreId, siteId: filter.siteId },
        groupBy,
        groups: [...groups.values()].sort(groupOrder(groupBy)),
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

type Site = Awaited<ReturnType<typeof q.sitesInScope>>[number]
type Centre = Awaited<ReturnType<typeof q.centresInScope>>[number]

function describe(id: string, sites: Site[], centres: Centre[], filter: q.Filter): Pick<StatisticsGroup, 'type' | 'key' | 'name'> {
  const [type, ...rest] = id.split(':')
  const key = rest.join(':')
  if (type === 'site') return { type, key, name: sites.find((s) => s.id === key)?.name ?? key }
  if (type === 'centre') return { type, key, name: centres.find((c) => c.id === key)?.name ?? key }
  if (type === 'district') return { type, key, name: key }
  const name = filter.siteId ? sites[0]?.name : filter.centreId ? centres[0]?.name : undefined
  return { type: 'all', key: 'all', name: name ?? 'All centres' }
}

/** Per site: each centre first (its referrals), then its sites by name; per district by name, 'unknown' last. */
const groupOrder = (groupBy: q.GroupBy) => (a: StatisticsGroup, b: StatisticsGroup) => {
  if (groupBy === 'district') return Number(a.key === 'unknown') - Number(b.key === 'unknown') || a.key.localeCompare(b.key)
  return 0 // already inserted in order
}

/** A row into its figure: the total, or one category of a breakdown (`reasonCode` → `byReasonCode`). */
function addCount(figures: Figures, row: q.CountRow) {
  const figure: Record<string, unknown> | undefined = (figures as unknown as Record<string, Record<string, unknown>>)[row.figure]
  if (!figure) return
  if (row.breakdown === 'total') {
    figure.total = row.value
    return
  }
  const breakdown = figure[`by${row.breakdown[0]!.toUpperCase()}${row.breakdown.slice(1)}`]
  if (breakdown && typeof breakdown === 'object' && row.key !== null) (breakdown as Record<string, number>)[row.key] = row.value
}

function addDays(figures: Figures, row: q.DaysRow) {
  const days = { count: row.count, median: row.median, p90: row.p90 }
  if (row.figure === 'daysReferralToIntake') figures.daysReferralToIntake = days
  if (row.figure === 'daysReferralToFirstHeldVisit') figures.daysReferralToFirstHeldVisit = days
  if (row.figure === 'daysTrajectory') figures.daysTrajectory = days
}

const CSV_COLUMNS = ['from', 'to', 'group_type', 'group_key', 'group_name', 'figure', 'breakdown', 'key', 'value'] as const

/**
 * The same figures as one flat table for a spreadsheet: a row per group, figure and category (see
 * docs/statistics.md). A breakdown `byReasonCode` is the breakdown `reasonCode`; a duration's
 * count, median and p90 are the breakdown `statistic`. csv-stringify is loaded at the first CSV
 * asked for, not at start-up.
 */
export async function statisticsCsv(stats: Statistics): Promise<string> {
  const { stringify } = await import('csv-stringify/sync')
  const rows: (string | number | null)[][] = []
  for (const group of stats.groups) {
    const row = (figure: string, breakdown: string, key: string, value: number | null) =>
      rows.push([stats.period.from, stats.period.to, group.type, group.key, group.name, figure, breakdown, key, value])
    for (const [name, figure] of Object.entries(group.figures)) {
      for (const [property, value] of Object.entries(figure)) {
        if (value !== null && typeof value === 'object') {
          const breakdown = `${property[2]!.toLowerCase()}${property.slice(3)}`
          for (const [key, count] of Object.entries<number>(value)) row(name, breakdown, key, count)
        } else {
          const number = typeof value === 'number' ? value : null
          if (property === 'total') row(name, 'total', '', number)
          else row(name, 'statistic', property, number)
        }
      }
    }
  }
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    // A name typed by a centre ('=HYPERLINK(…)') must stay text when a spreadsheet opens the file.
    cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
  })
}
