/**
 * Parsing what a series is written in: its wall-clock start and dates ('2026-03-07T10:00') and its
 * RRULE text. The RRULE text is parsed and validated here rather than by rrule's own parser, which
 * silently accepts nonsense (BYDAY=XX, INTERVAL=0, COUNT with UNTIL, ...). Expansion is recurrence.ts.
 */
import rrule from 'rrule'
import type { Options, Weekday } from 'rrule'

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

const MIN_YEAR = 1900
export const MAX_YEAR = 9999

// ---------------------------------------------------------------------------
// Wall-clock values

/** Local wall-clock fields, with no zone attached. */
export interface Wall {
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

export function parseWall(value: unknown, field: string): Wall {
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

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** 'YYYY-MM-DDTHH:mm' — the minute-precision key used for exdates and `local`. */
export function minuteKey(w: Wall): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`
}

/** The floating representation rrule works in: UTC fields = wall fields. */
export function wallToFloating(w: Wall): Date {
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second))
}

export function floatingToWall(d: Date): Wall {
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
// RRULE parsing

export type VisitFrequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'

type Until = { kind: 'instant'; instant: number } | { kind: 'floating'; floating: Date }

export interface ParsedRule {
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

export const FREQUENCIES: Record<VisitFrequency, Options['freq']> = {
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

export function parseRule(text: unknown): ParsedRule {
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
