/**
 * Pure checks of a reserved span against a site's opening hours and closures,
 * both expressed in the site's local time. Spans are half-open [start, end), like
 * the reservations' tstzrange: a span ending at exactly midnight does not touch
 * the next day.
 */
import { DAY_MS, MINUTE_MS, type Zone, zoneNamed } from './time.js'

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'

export interface OpeningInterval {
  /** 'HH:mm' local */
  from: string
  /** 'HH:mm' local; '24:00' means until midnight */
  to: string
}

export type WeeklyHours = { [weekday in Weekday]?: OpeningInterval[] }

/** Inclusive local dates 'YYYY-MM-DD'. */
export interface DateRange {
  from: string
  to: string
}

/** Index = JavaScript's getUTCDay(). */
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

function requireZone(timeZone: string): Zone {
  const zone = zoneNamed(timeZone)
  if (!zone) throw new RangeError(`timeZone must be an IANA time zone such as 'Europe/Brussels', got ${JSON.stringify(timeZone)}`)
  return zone
}

function requireSpan(spanStart: Date, spanEnd: Date): void {
  if (!(spanStart instanceof Date) || Number.isNaN(spanStart.getTime())) throw new RangeError('spanStart must be a valid Date')
  if (!(spanEnd instanceof Date) || Number.isNaN(spanEnd.getTime())) throw new RangeError('spanEnd must be a valid Date')
  if (spanEnd < spanStart) throw new RangeError('spanEnd must not be before spanStart')
}

function dateOf(local: Date): string {
  return local.toISOString().slice(0, 10)
}

function parseClock(value: string, allowMidnightEnd: boolean): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value)
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN
  const valid = m !== null && Number(m[2]) < 60 && (minutes < 1440 || (allowMidnightEnd && minutes === 1440))
  if (!valid) throw new RangeError(`opening hours must be 'HH:mm' (00:00-23:59, or 24:00 as an end), got ${JSON.stringify(value)}`)
  return minutes
}

function parseDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m || dateOf(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))) !== value) {
    throw new RangeError(`dates must be calendar dates 'YYYY-MM-DD', got ${JSON.stringify(value)}`)
  }
  return value
}

/**
 * The local dates a span touches, in order. An empty span touches the date of
 * its start; otherwise the end is exclusive.
 */
export function localDatesOf(spanStart: Date, spanEnd: Date, timeZone: string): string[] {
  const zone = requireZone(timeZone)
  requireSpan(spanStart, spanEnd)
  const last = lastLocalDay(spanStart.getTime(), spanEnd.getTime(), zone)
  const dates: string[] = []
  for (let day = localDay(spanStart.getTime(), zone); day <= last; day++) dates.push(dateOfDay(day))
  return dates
}

/**
 * True when the whole span, in the site's local time, lies inside one opening
 * interval of its local day. A span crossing midnight is never inside (a span
 * ending at exactly midnight ends at '24:00' of its day). Throws on a bad interval
 * of any day of the week.
 */
export function withinWeeklyHours(hours: WeeklyHours, spanStart: Date, spanEnd: Date, timeZone: string): boolean {
  const zone = requireZone(timeZone)
  requireSpan(spanStart, spanEnd)
  return withinWeekMinutes(weekMinutesOf(hours), zone, spanStart.getTime(), spanEnd.getTime())
}

// A booking judges each of its occurrences against the same hours objects: parsed once per object.
// Hours are values read from the database for one request, never changed after.
const parsedWeeks = new WeakMap<WeeklyHours, WeekMinutes>()

function weekMinutesOf(hours: WeeklyHours): WeekMinutes {
  let week = parsedWeeks.get(hours)
  if (!week) parsedWeeks.set(hours, (week = weekMinutes(hours)))
  return week
}

/** Throws unless every range is two calendar dates, in order. */
export function checkDateRanges(ranges: readonly DateRange[]): void {
  for (const r of ranges) {
    if (parseDate(r.from) > parseDate(r.to)) throw new RangeError(`a date range must not end before it starts, got ${r.from}..${r.to}`)
  }
}

/** True if any local date the span touches lies within one of the (inclusive) ranges, e.g. closures. */
export function overlapsDateRanges(ranges: DateRange[], spanStart: Date, spanEnd: Date, timeZone: string): boolean {
  checkDateRanges(ranges)
  const zone = requireZone(timeZone)
  requireSpan(spanStart, spanEnd)
  if (ranges.length === 0) return false
  // 'YYYY-MM-DD' strings compare as dates: a range holds one of the span's dates when they overlap.
  const first = dateOfDay(localDay(spanStart.getTime(), zone))
  const last = dateOfDay(lastLocalDay(spanStart.getTime(), spanEnd.getTime(), zone))
  return ranges.some((r) => r.from <= last && first <= r.to)
}

/**
 * Weekly hours parsed once, for callers that judge many spans against the same week: per weekday
 * (index = getUTCDay()) the intervals as [open, close) minutes since local midnight, flattened.
 * Throws as withinWeeklyHours would on any interval of the week.
 */
export type WeekMinutes = readonly (readonly number[])[]

export function weekMinutes(hours: WeeklyHours): WeekMinutes {
  return WEEKDAYS.map((weekday) =>
    (hours[weekday] ?? []).flatMap((interval) => {
      const open = parseClock(interval.from, false)
      const close = parseClock(interval.to, true)
      if (close <= open) throw new RangeError(`an opening interval must end after it starts, got ${interval.from}-${interval.to}`)
      return [open, close]
    }),
  )
}

/** The local day of an instant (epoch milliseconds), as days since 1970-01-01. */
export const localDay = (instant: number, zone: Zone): number => Math.floor((instant + zone.offset(instant) * MINUTE_MS) / DAY_MS)

/** The local day of a span's last instant: the end is exclusive, and an empty span has its start's day. */
export const lastLocalDay = (spanStart: number, spanEnd: number, zone: Zone): number => localDay(spanEnd > spanStart ? spanEnd - 1 : spanStart, zone)

/** 'YYYY-MM-DD' of a local day (days since 1970-01-01). */
export const dateOfDay = (day: number): string => dateOf(new Date(day * DAY_MS))

/** withinWeeklyHours for a span in epoch milliseconds (end ≥ start) and a week parsed by weekMinutes. */
export function withinWeekMinutes(week: WeekMinutes, zone: Zone, spanStart: number, spanEnd: number): boolean {
  const localStart = spanStart + zone.offset(spanStart) * MINUTE_MS
  const day = Math.floor(localStart / DAY_MS)
  if (lastLocalDay(spanStart, spanEnd, zone) !== day) return false
  const from = (localStart - day * DAY_MS) / MINUTE_MS
  const to = from + (spanEnd + zone.offset(spanEnd) * MINUTE_MS - localStart) / MINUTE_MS
  // Day 0 (1970-01-01) was a Thursday.
  const intervals = week[(((day + 4) % 7) + 7) % 7]!
  for (let i = 0; i < intervals.length; i += 2) if (intervals[i]! <= from && to <= intervals[i + 1]!) return true
  return false
}
