/**
 * Recurrence expansion for visit series.
 *
 * A series is defined in wall-clock time plus an IANA zone (docs/architecture.md, "Time"):
 * a weekly Saturday 10:00 visit stays at 10:00 local across DST. We therefore
 * expand the rule in FLOATING time — rrule is given the start as a UTC date whose
 * fields equal the local wall-clock fields and no tzid, so neither the process TZ
 * nor DST can move anything — and only then convert each wall time to an instant
 * in the series' zone.
 *
 * The rule and the wall-clock values are parsed in recurrence-rule.ts.
 */
import rrule from 'rrule'
import type { Options } from 'rrule'
import { DAY_MS, MINUTE_MS, type Zone, zoneNamed } from './time.js'

// Named ESM imports of rrule fail at run time (CJS package): use the default export.
const { RRule } = rrule

import {
  FREQUENCIES,
  floatingToWall,
  MAX_YEAR,
  minuteKey,
  pad,
  parseRule,
  parseWall,
  RecurrenceError,
  wallToFloating,
  type ParsedRule,
  type VisitFrequency,
  type Wall,
} from './recurrence-rule.js'

export interface RecurrenceInput {
  /** Local wall clock 'YYYY-MM-DDTHH:mm' (seconds optional), no offset. */
  start: string
  /** IANA zone, e.g. 'Europe/Brussels'. */
  timeZone: string
  /** e.g. 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6', optionally prefixed 'RRULE:'; no DTSTART. */
  rrule?: string
  /** Local wall clock times to leave out (minute precision). */
  exdates?: string[]
  /** Extra local wall clock times to add. */
  rdates?: string[]
  /** Hard bound (e.g. the case's planned end): no occurrence starts after it. */
  notAfter?: Date
  /** Hard cap on the number of occurrences returned; default 500. */
  maxOccurrences?: number
}

export interface Occurrence {
  /** RFC 3339 with the zone's offset, e.g. '2026-03-07T10:00:00+01:00'. */
  start: string
  instant: Date
  /** 'YYYY-MM-DDTHH:mm': the actual local wall time, after any DST adjustment. */
  local: string
}

export const RECURRENCE_WARNING_CODES = ['dst_gap_shifted', 'dst_ambiguous_first_instant', 'capped', 'bounded_by_planned_end', 'exdate_unmatched'] as const

export interface RecurrenceWarning {
  code: (typeof RECURRENCE_WARNING_CODES)[number]
  local?: string
  message: string
}

export const DEFAULT_MAX_OCCURRENCES = 500
/** An unbounded rule is searched this far ahead of start; visits a century away mean nothing. */
const SEARCH_HORIZON_YEARS = 100

// ---------------------------------------------------------------------------
// Zone conversion

function requireZone(timeZone: unknown): Zone {
  const zone = typeof timeZone === 'string' ? zoneNamed(timeZone) : undefined
  if (!zone) {
    throw new RecurrenceError(`timeZone must be an IANA time zone such as 'Europe/Brussels', got ${JSON.stringify(timeZone)}`, 'timeZone')
  }
  return zone
}

type Resolution = 'exact' | 'gap' | 'ambiguous'

/**
 * Wall time → instant in a zone, following RFC 5545 §3.3.5: a wall time that
 * does not exist (spring gap) is read with the offset in force before the gap,
 * i.e. it moves forward by the gap's length; an ambiguous one (autumn overlap)
 * takes the first, earlier instant.
 *
 * We do not rely on luxon's DateTime.fromObject here: it moves gap times forward
 * too, but resolves ambiguous times to the LATER instant (02:30+01:00 instead of
 * 02:30+02:00 in Europe/Brussels), which is not what we want.
 */
function resolveWall(w: Wall, zone: Zone): { instant: number; resolution: Resolution } {
  return resolveFloating(wallToFloating(w).getTime(), zone)
}

/**
 * localToInstant without the strings, for callers that walk a grid of wall times: `floating` is the
 * wall time as epoch milliseconds of a UTC date with the same fields (a DST gap moves forward, an
 * ambiguous time takes the first instant, as localToInstant). The caller keeps the year in 1900..9999.
 */
export function floatingToInstant(floating: number, zone: Zone): number {
  // resolveFloating's answer without its set and arrays: the earliest instant among the offsets around.
  const offsetBefore = zone.offset(floating - DAY_MS)
  let earliest = Infinity
  for (const offset of [offsetBefore, zone.offset(floating), zone.offset(floating + DAY_MS)]) {
    const instant = floating - offset * MINUTE_MS
    if (floating - zone.offset(instant) * MINUTE_MS === instant && instant < earliest) earliest = instant
  }
  return earliest === Infinity ? floating - offsetBefore * MINUTE_MS : earliest
}

function resolveFloating(asUtc: number, zone: Zone): { instant: number; resolution: Resolution } {
  // Offsets around the wall time: DST transitions are far more than a day apart,
  // so these cover every offset that can apply to it.
  const offsetBefore = zone.offset(asUtc - DAY_MS)
  const offsetAfter = zone.offset(asUtc + DAY_MS)
  const offsets = new Set([offsetBefore, zone.offset(asUtc), offsetAfter])
  const instants = [...offsets]
    .map((offset) => asUtc - offset * MINUTE_MS)
    .filter((instant) => asUtc - zone.offset(instant) * MINUTE_MS === instant)
    .sort((a, b) => a - b)
  if (instants.length === 0) {
    return { instant: asUtc - offsetBefore * MINUTE_MS, resolution: 'gap' }
  }
  return { instant: instants[0]!, resolution: instants.length > 1 ? 'ambiguous' : 'exact' }
}

function instantToWall(instant: number, zone: Zone): Wall {
  return floatingToWall(new Date(instant + zone.offset(instant) * MINUTE_MS))
}

/** RFC 3339 with the zone's numeric offset, e.g. '2026-03-07T10:00:00+01:00'. */
function formatRfc3339(instant: number, zone: Zone): string {
  const offset = zone.offset(instant)
  const w = instantToWall(instant, zone)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${minuteKey(w)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

function dstWarning(nominal: Wall, resolution: Resolution, instant: number, zone: Zone): RecurrenceWarning | undefined {
  const local = minuteKey(nominal)
  if (resolution === 'gap') {
    return {
      code: 'dst_gap_shifted',
      local,
      message: `${local} does not exist in ${zone.name} (the clocks move forward); moved to ${formatRfc3339(instant, zone)}`,
    }
  }
  if (resolution === 'ambiguous') {
    return {
      code: 'dst_ambiguous_first_instant',
      local,
      message: `${local} occurs twice in ${zone.name} (the clocks move back); the first one, ${formatRfc3339(instant, zone)}, is used`,
    }
  }
  return undefined
}

/**
 * The single local → instant conversion used everywhere. A time in a DST gap
 * moves forward by the gap, an ambiguous time takes the first instant; both
 * come with a warning.
 */
export function localToInstant(local: string, timeZone: string): { instant: Date; warning?: RecurrenceWarning } {
  const zone = requireZone(timeZone)
  const wall = parseWall(local, 'local')
  const { instant, resolution } = resolveWall(wall, zone)
  const warning = dstWarning(wall, resolution, instant, zone)
  return warning ? { instant: new Date(instant), warning } : { instant: new Date(instant) }
}

/**
 * The last millisecond of a local date ('YYYY-MM-DD') in a zone: the instant before the next date's
 * first, so a day that ends in a DST gap or repeats its last hour still ends when the next one begins
 * (what luxon's endOf('day') gives, without its cost per call).
 */
export function endOfLocalDate(date: string, timeZone: string): Date {
  const zone = requireZone(timeZone)
  const wall = parseWall(`${date}T00:00`, 'date')
  return new Date(floatingToInstant(wallToFloating(wall).getTime() + DAY_MS, zone) - 1)
}

/** The local wall time 'YYYY-MM-DDTHH:mm' of an instant in a zone. */
export function instantToLocal(instant: Date, timeZone: string): string {
  const zone = requireZone(timeZone)
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RecurrenceError('instant must be a valid Date', 'instant')
  }
  return minuteKey(instantToWall(instant.getTime(), zone))
}

// ---------------------------------------------------------------------------
// Expansion

/**
 * rrule checks UNTIL only when a date matches, so a rule that never matches
 * (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) makes it walk period by period up to the
 * year 9999: seconds of CPU for one request. We bound the walk by counting how
 * often rrule reads `options.interval`, which it does twice per period (day,
 * week, ...) it steps through; the budget covers the search horizon plus ten
 * years. Should rrule's internals change, this only makes the guard looser or
 * stricter, never the results wrong (a stop is reported as 'capped').
 */
const PERIODS_PER_YEAR: Record<VisitFrequency, number> = { DAILY: 366, WEEKLY: 53, MONTHLY: 12, YEARLY: 1 }
const INTERVAL_READS_PER_PERIOD = 2

class SearchBudgetExceeded extends Error {}

type RRuleInstance = InstanceType<typeof RRule>

function limitSearch(rule: RRuleInstance, freq: VisitFrequency): RRuleInstance {
  const budget = INTERVAL_READS_PER_PERIOD * PERIODS_PER_YEAR[freq] * (SEARCH_HORIZON_YEARS + 10)
  let reads = 0
  rule.options = new Proxy(rule.options, {
    get(target, property, receiver) {
      if (property === 'interval' && ++reads > budget) throw new SearchBudgetExceeded()
      return Reflect.get(target, property, receiver) as unknown
    },
  })
  return rule
}

/**
 * DAILY and WEEKLY rules whose only BY part is a list of weekdays (most series) walked by arithmetic:
 * rrule's general iterator costs about a millisecond for ten weekly dates. The dates are rrule's: the
 * days of each period (a day, or a week from WKST) `interval` periods apart from the one holding
 * dtstart, on the listed weekdays (a weekly rule without BYDAY: dtstart's), from dtstart to `until`,
 * at dtstart's time of day; at most COUNT of them. `visit` answers whether to go on. Answers false,
 * having visited nothing, for any other rule. test/domain/recurrence.test.ts compares it with rrule.
 */
function walkSimpleRule(rule: ParsedRule, dtstart: Date, until: Date, visit: (date: Date) => boolean): boolean {
  if (rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY') return false
  if (rule.bymonthday || rule.bymonth || rule.bysetpos || rule.byyearday || rule.byweekno) return false
  if (rule.byweekday?.some((day) => day.n !== undefined && day.n !== null && day.n !== 0)) return false
  // rrule's weekday numbers: Monday 0 … Sunday 6.
  const weekdayOf = (floating: number) => (new Date(floating).getUTCDay() + 6) % 7
  const first = dtstart.getTime()
  const last = until.getTime()
  const weekly = rule.freq === 'WEEKLY'
  const days = rule.byweekday ? new Set(rule.byweekday.map((day) => day.weekday)) : weekly ? new Set([weekdayOf(first)]) : null
  const periodDays = weekly ? 7 : 1
  const step = rule.interval * periodDays * DAY_MS
  const wkst = rule.wkst?.weekday ?? 0
  const count = rule.count ?? Infinity
  let visited = 0
  for (let period = weekly ? first - ((weekdayOf(first) - wkst + 7) % 7) * DAY_MS : first; ; period += step) {
    for (let day = 0; day < periodDays; day++) {
      const at = period + day * DAY_MS
      if (at < first) continue
      if (at > last) return true
      if (days && !days.has(weekdayOf(at))) continue
      if (visited >= count) return true
      visited++
      if (!visit(new Date(at))) return true
    }
  }
}

interface Candidate {
  /** The wall time the rule (or rdate) asked for, before any DST adjustment. */
  nominal: Wall
  instant: number
  resolution: Resolution
}

function toRRuleOptions(rule: ParsedRule, dtstart: Date, until: Date): Partial<Options> {
  return {
    freq: FREQUENCIES[rule.freq],
    interval: rule.interval,
    count: rule.count ?? null,
    until,
    dtstart,
    tzid: null, // floating: see the module comment
    wkst: rule.wkst ?? RRule.MO,
    byweekday: rule.byweekday ?? null,
    bymonthday: rule.bymonthday ?? null,
    bymonth: rule.bymonth ?? null,
    bysetpos: rule.bysetpos ?? null,
    byyearday: rule.byyearday ?? null,
    byweekno: rule.byweekno ?? null,
  }
}

function parseWallList(values: unknown, field: string): Wall[] {
  if (values === undefined) return []
  if (!Array.isArray(values)) throw new RecurrenceError(`${field} must be a list of local date-times`, field)
  return values.map((value, i) => parseWall(value, `${field}/${i}`))
}

/**
 * Expands a series into occurrences. Semantics:
 * - the rule runs in floating wall-clock time from `start`; as in RFC 5545 and
 *   python-dateutil, `start` itself is only an occurrence if it matches the rule;
 * - COUNT and UNTIL bound the rule; exdates remove from, rdates add to the set
 *   (exdates also remove rdates, RFC 5545 §3.8.5.1);
 * - `notAfter` and `maxOccurrences` bound the final set, with a warning when
 *   they cut something off.
 */
export function expandRecurrence(input: RecurrenceInput): { occurrences: Occurrence[]; warnings: RecurrenceWarning[] } {
  const zone = requireZone(input.timeZone)
  const start = parseWall(input.start, 'start')
  const exdates = parseWallList(input.exdates, 'exdates')
  const rdates = parseWallList(input.rdates, 'rdates')
  const notAfter = input.notAfter
  if (notAfter !== undefined && (!(notAfter instanceof Date) || Number.isNaN(notAfter.getTime()))) {
    throw new RecurrenceError('notAfter must be a valid Date', 'notAfter')
  }
  const cap = input.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES
  if (!Number.isInteger(cap) || cap < 1) {
    throw new RecurrenceError(`maxOccurrences must be a positive whole number, got ${String(cap)}`, 'maxOccurrences')
  }
  const rule = input.rrule === undefined ? undefined : parseRule(input.rrule)

  const toCandidate = (nominal: Wall): Candidate => ({ nominal, ...resolveWall(nominal, zone) })
  const exdateKeys = new Map(exdates.map((w) => [minuteKey(w), false]))
  /** Marks a matching exdate as used and reports whether the candidate is excluded. */
  const excluded = (c: Candidate): boolean => {
    for (const key of [minuteKey(c.nominal), minuteKey(instantToWall(c.instant, zone))]) {
      if (exdateKeys.has(key)) {
        exdateKeys.set(key, true)
        return true
      }
    }
    return false
  }

  const fromRule: Candidate[] = []
  let cutByPlannedEnd: Candidate | undefined
  /** Why the rule's iteration ended: it ran out (COUNT/UNTIL/none left), or a bound stopped it. */
  let stop: 'rule_ended' | 'planned_end' | 'cap' | 'horizon' = 'rule_ended'
  let lastExamined = ''

  if (!rule) {
    const only = toCandidate(start)
    lastExamined = minuteKey(start)
    if (!excluded(only)) {
      if (notAfter && only.instant > notAfter.getTime()) cutByPlannedEnd = only
      else fromRule.push(only)
    }
  } else {
    const untilInstant = rule.until?.kind === 'instant' ? rule.until.instant : undefined
    // rrule needs a floating bound it can stop at. An instant UNTIL is widened by
    // two days (more than any UTC offset) and applied exactly per occurrence below.
    const horizonWall = { ...start, year: Math.min(start.year + SEARCH_HORIZON_YEARS, MAX_YEAR) }
    const horizon = wallToFloating(horizonWall)
    const ruleBound = rule.until?.kind === 'floating' ? rule.until.floating : untilInstant !== undefined ? new Date(untilInstant + 2 * DAY_MS) : undefined
    const bound = ruleBound && ruleBound < horizon ? ruleBound : horizon
    let examined = 0
    let untilReached = false

    const visit = (date: Date) => {
      examined++
      const candidate = toCandidate(floatingToWall(date))
      if (untilInstant !== undefined && candidate.instant > untilInstant) {
        untilReached = true
        return false
      }
      lastExamined = minuteKey(candidate.nominal)
      if (excluded(candidate)) return true
      if (notAfter && candidate.instant > notAfter.getTime()) {
        // Occurrences only move forward in time (at most one per day), so nothing later can fit.
        cutByPlannedEnd = candidate
        stop = 'planned_end'
        return false
      }
      fromRule.push(candidate)
      if (fromRule.length > cap) {
        // One more than the cap: enough to know the rule would produce more.
        stop = 'cap'
        return false
      }
      return true
    }
    let budgetExceeded = false
    try {
      const dtstart = wallToFloating(start)
      if (!walkSimpleRule(rule, dtstart, bound, visit)) limitSearch(new RRule(toRRuleOptions(rule, dtstart, bound)), rule.freq).all(visit)
    } catch (error) {
      if (!(error instanceof SearchBudgetExceeded)) throw error
      budgetExceeded = true
    }
    const countExhausted = rule.count !== undefined && examined >= rule.count
    if (budgetExceeded) {
      stop = 'horizon'
    } else if (stop === 'rule_ended' && bound === horizon && !untilReached && !countExhausted) {
      stop = 'horizon'
      lastExamined = minuteKey(horizonWall)
    }
  }

  // Merge in the rdates (not subject to COUNT/UNTIL), dedupe by instant, sort.
  const byInstant = new Map<number, Candidate>()
  for (const c of fromRule) byInstant.set(c.instant, c)
  for (const c of rdates.map(toCandidate)) {
    if (excluded(c) || byInstant.has(c.instant)) continue
    if (notAfter && c.instant > notAfter.getTime()) {
      if (!cutByPlannedEnd || c.instant < cutByPlannedEnd.instant) cutByPlannedEnd = c
      continue
    }
    byInstant.set(c.instant, c)
  }
  const all = [...byInstant.values()].sort((a, b) => a.instant - b.instant)
  const kept = all.slice(0, cap)

  const warnings: RecurrenceWarning[] = []
  const occurrences = kept.map((c): Occurrence => {
    const warning = dstWarning(c.nominal, c.resolution, c.instant, zone)
    if (warning) warnings.push(warning)
    return {
      start: formatRfc3339(c.instant, zone),
      instant: new Date(c.instant),
      local: minuteKey(instantToWall(c.instant, zone)),
    }
  })

  for (const [key, matched] of exdateKeys) {
    // An exdate beyond where the search stopped may well match: don't cry wolf.
    if (!matched && !(stop !== 'rule_ended' && key >= lastExamined)) {
      warnings.push({ code: 'exdate_unmatched', local: key, message: `exdate ${key} does not match any occurrence` })
    }
  }
  if (cutByPlannedEnd && notAfter) {
    warnings.push({
      code: 'bounded_by_planned_end',
      local: minuteKey(cutByPlannedEnd.nominal),
      message: `occurrences after the planned end (${formatRfc3339(notAfter.getTime(), zone)}) are left out`,
    })
  }
  if (all.length > cap) {
    warnings.push({
      code: 'capped',
      local: minuteKey(all[cap]!.nominal),
      message: `the rule yields more than ${cap} occurrences; only the first ${cap} are returned`,
    })
  } else if (stop === 'horizon') {
    warnings.push({
      code: 'capped',
      message: `occurrences were only searched for up to ${SEARCH_HORIZON_YEARS} years after start; the rule may have more`,
    })
  }
  return { occurrences, warnings }
}
