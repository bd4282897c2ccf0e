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
 * The RRULE text is parsed and validated here rather than by rrule's own parser,
 * which silently accepts nonsense (BYDAY=XX, INTERVAL=0, COUNT with UNTIL, ...).
 */
import rrule from 'rrule'
import type { Options, Weekday } from 'rrule'
import { zoneNamed, type Zone } from './zones.js'

// Named ESM imports of rrule fail at run time (CJS package): use the default export.
const { RRule } = rrule

export class RecurrenceError extends Error {
  constructor(
    message: string,
    /** The input field at fault, e.g. 'rrule', 'start', 'timeZone', 'exdates/0'. */
    readonly field: string,
  ) {
    super(message)
    this.name = 'RecurrenceError'
  }
}

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
export const SEARCH_HORIZON_YEARS = 100

const MIN_YEAR = 1900
const MAX_YEAR = 9999
const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

// ---------------------------------------------------------------------------
// Wall-clock values

/** Local wall-clock fields, with no zone attached. */
interface Wall {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const WALL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Checks ranges, including impossible dates such as 30 February. */
function wallProblem(w: Wall): string | undefined {
  if (w.year < MIN_YEAR || w.year > MAX_YEAR) return `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`
  if (w.month < 1 || w.month > 12) return `there is no month ${w.month}`
  if (w.day < 1 || w.day > daysInMonth(w.year, w.month)) {
    return `${pad(w.year, 4)}-${pad(w.month)} has no day ${w.day}`
  }
  if (w.hour > 23) return 'the hour must be 00..23'
  if (w.minute > 59) return 'the minute must be 00..59'
  if (w.second > 59) return 'the second must be 00..59'
  return undefined
}

function parseWall(value: unknown, field: string): Wall {
  const m = typeof value === 'string' ? WALL_PATTERN.exec(value) : null
  if (!m) {
    throw new RecurrenceError(`${field} must be a local date and time 'YYYY-MM-DDTHH:mm' (seconds optional, no offset), got ${JSON.stringify(value)}`, field)
  }
  const wall: Wall = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
  }
  const problem = wallProblem(wall)
  if (problem) throw new RecurrenceError(`${field} '${value as string}' is not a valid date and time: ${problem}`, field)
  return wall
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** 'YYYY-MM-DDTHH:mm' — the minute-precision key used for exdates and `local`. */
function minuteKey(w: Wall): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`
}

/** The floating representation rrule works in: UTC fields = wall fields. */
function wallToFloating(w: Wall): Date {
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second))
}

function floatingToWall(d: Date): Wall {
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }
}

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
// RRULE parsing

type VisitFrequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'

type Until = { kind: 'instant'; instant: number } | { kind: 'floating'; floating: Date }

interface ParsedRule {
  freq: VisitFrequency
  interval: number
  count?: number
  until?: Until
  byweekday?: Weekday[]
  bymonthday?: number[]
  bymonth?: number[]
  bysetpos?: number[]
  byyearday?: number[]
  byweekno?: number[]
  wkst?: Weekday
}

const FREQUENCIES: Record<VisitFrequency, Options['freq']> = {
  DAILY: RRule.DAILY,
  WEEKLY: RRule.WEEKLY,
  MONTHLY: RRule.MONTHLY,
  YEARLY: RRule.YEARLY,
}
const SUB_DAILY = new Set(['HOURLY', 'MINUTELY', 'SECONDLY'])
const WEEKDAYS: Record<string, Weekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
}

function ruleError(message: string): RecurrenceError {
  return new RecurrenceError(`rrule: ${message}`, 'rrule')
}

function positiveInteger(name: string, value: string, max: number): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw ruleError(`${name} must be a whole number from 1 to ${max}, got '${value}'`)
  }
  return Number(value)
}

/** Comma list of signed ordinals, e.g. BYMONTHDAY=1,15,-1; zero is never allowed. */
function ordinalList(name: string, value: string, max: number): number[] {
  return value.split(',').map((item) => {
    if (!/^[+-]?\d{1,3}$/.test(item) || Number(item) === 0 || Math.abs(Number(item)) > max) {
      throw ruleError(`${name} values must be from 1 to ${max} or -${max} to -1, got '${item}'`)
    }
    return Number(item)
  })
}

function weekday(name: string, value: string): Weekday {
  const day = WEEKDAYS[value]
  if (!day) throw ruleError(`${name} must be one of MO, TU, WE, TH, FR, SA, SU, got '${value}'`)
  return day
}

function parseUntil(value: string): Until {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value)
  if (!m) {
    throw ruleError(`UNTIL must be a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS, optionally ending in Z), got '${value}'`)
  }
  const dateOnly = m[4] === undefined
  // A date-only UNTIL covers that whole day: UNTIL=20260630 keeps a 10:00 visit on 30 June.
  const wall: Wall = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: dateOnly ? 23 : Number(m[4]),
    minute: dateOnly ? 59 : Number(m[5]),
    second: dateOnly ? 59 : Number(m[6]),
  }
  const problem = wallProblem(wall)
  if (problem) throw ruleError(`UNTIL '${value}' is not a valid date: ${problem}`)
  const floating = wallToFloating(wall)
  return m[7] ? { kind: 'instant', instant: floating.getTime() } : { kind: 'floating', floating }
}

function parseRule(text: unknown): ParsedRule {
  if (typeof text !== 'string') throw ruleError('must be a string such as FREQ=WEEKLY;BYDAY=SA')
  const body = text.trim().replace(/^RRULE:/i, '')
  if (/DTSTART/i.test(body)) {
    throw ruleError('DTSTART is not allowed inside the rule; the first occurrence is given by start and timeZone')
  }
  if (/[\r\n]/.test(body)) throw ruleError('must be a single RRULE line (use exdates and rdates for exceptions)')
  if (body === '') throw ruleError('is empty; give a rule such as FREQ=WEEKLY;BYDAY=SA, or leave rrule out for a single visit')

  const parts = new Map<string, string>()
  for (const part of body.split(';')) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(part)
    if (!m) throw ruleError(`'${part}' is not a NAME=VALUE rule part`)
    const name = m[1]!.toUpperCase()
    if (parts.has(name)) throw ruleError(`${name} is given more than once`)
    parts.set(name, m[2]!.toUpperCase())
  }

  const freqText = parts.get('FREQ')
  if (freqText === undefined) throw ruleError('FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)')
  if (SUB_DAILY.has(freqText)) {
    throw ruleError(`FREQ=${freqText} is not supported for visits; use DAILY, WEEKLY, MONTHLY or YEARLY`)
  }
  if (!(freqText in FREQUENCIES)) {
    throw ruleError(`FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, got '${freqText}'`)
  }
  const freq = freqText as VisitFrequency
  const rule: ParsedRule = { freq, interval: 1 }

  for (const [name, value] of parts) {
    switch (name) {
      case 'FREQ':
        break
      case 'INTERVAL':
        rule.interval = positiveInteger(name, value, 1000)
        break
      case 'COUNT':
        rule.count = positiveInteger(name, value, 100_000)
        break
      case 'UNTIL':
        rule.until = parseUntil(value)
        break
      case 'BYDAY':
        rule.byweekday = value.split(',').map((item) => {
          const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item)
          if (!m) throw ruleError(`BYDAY values look like SA, 2WE or -1SU, got '${item}'`)
          const day = weekday(name, m[2]!)
          if (m[1] === undefined) return day
          const n = Number(m[1])
          const maxOrdinal = freq === 'MONTHLY' ? 5 : 53
          if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
            throw ruleError(`BYDAY ordinals such as '${item}' are only allowed with FREQ=MONTHLY or FREQ=YEARLY`)
          }
          if (n === 0 || Math.abs(n) > maxOrdinal) {
            throw ruleError(`the ordinal in BYDAY '${item}' must be from 1 to ${maxOrdinal} or -${maxOrdinal} to -1`)
          }
          return day.nth(n)
        })
        break
      case 'BYMONTHDAY':
        if (freq === 'WEEKLY') throw ruleError('BYMONTHDAY cannot be used with FREQ=WEEKLY')
        rule.bymonthday = ordinalList(name, value, 31)
        break
      case 'BYMONTH':
        rule.bymonth = value.split(',').map((item) => {
          if (!/^\d{1,2}$/.test(item) || Number(item) < 1 || Number(item) > 12) {
            throw ruleError(`BYMONTH values must be from 1 to 12, got '${item}'`)
          }
          return Number(item)
        })
        break
      case 'BYYEARDAY':
        if (freq !== 'YEARLY') throw ruleError('BYYEARDAY can only be used with FREQ=YEARLY')
        rule.byyearday = ordinalList(name, value, 366)
        break
      case 'BYWEEKNO':
        if (freq !== 'YEARLY') throw ruleError('BYWEEKNO can only be used with FREQ=YEARLY')
        rule.byweekno = ordinalList(name, value, 53)
        break
      case 'BYSETPOS':
        rule.bysetpos = ordinalList(name, value, 366)
        break
      case 'WKST':
        rule.wkst = weekday(name, value)
        break
      case 'BYHOUR':
      case 'BYMINUTE':
      case 'BYSECOND':
        throw ruleError(`${name} is not supported: the time of day of every visit is the time of start`)
      default:
        throw ruleError(`unknown rule part '${name}'`)
    }
  }

  if (rule.count !== undefined && rule.until !== undefined) {
    throw ruleError('COUNT and UNTIL cannot both be given')
  }
  if (rule.byweekno && rule.byweekday?.some((d) => d.n !== undefined)) {
    throw ruleError('BYDAY ordinals cannot be combined with BYWEEKNO')
  }
  const byParts = [rule.byweekday, rule.bymonthday, rule.bymonth, rule.byyearday, rule.byweekno]
  if (rule.bysetpos && byParts.every((p) => p === undefined)) {
    throw ruleError('BYSETPOS needs another BYxxx part (e.g. BYDAY) to select from')
  }
  return rule
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
