import { DateTime } from 'luxon'
import { localToInstant } from '../domain/recurrence.js'
import { RecurrenceError } from '../domain/recurrence-rule.js'
import { invalidInput } from '../domain/errors.js'

/**
 * The one reader of times that clients send. The `date-time` format of every schema and every
 * handler that turns a client's time into an instant go through here, so a value the schema lets
 * pass is one the database can store.
 */

// RFC 3339 section 5.6 with the offset required, but without its leap second (23:59:60): neither
// JavaScript nor PostgreSQL can represent one as an instant. The calendar then rules out what the
// grammar allows but no month has (a 30 February).
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?(?:[Zz]|([+-])([01]\d|2[0-3]):([0-5]\d))$/
const WITH_OFFSET = /([Zz]|[+-]\d{2}:\d{2})$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/**
 * An RFC 3339 instant with offset, or undefined when it is not one or not a real moment. Read by
 * hand rather than by luxon: every instant of every query and body passes here.
 */
function parseInstant(value: string): Date | undefined {
  const m = RFC_3339.exec(value)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  // setUTCFullYear, unlike Date.UTC, takes years below 100 as they are; a day the month lacks rolls over.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  // Milliseconds only; finer digits are cut, not rounded, as PostgreSQL keeps microseconds anyway.
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0
  const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0
  return new Date(date.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis)
}

/** For ajv: the `date-time` format is exactly what parseInstant reads. */
export const isInstant = (value: string) => parseInstant(value) !== undefined

/**
 * The first instant of a local date: its midnight, or where a DST gap swallows midnight the end of the
 * gap (as luxon's startOf('day')). Read by the calendar's own resolution, a twentieth of luxon's cost;
 * what it refuses (a year before 1900, a date no month has, an unknown zone) luxon reads as before.
 * test/http/times.test.ts compares the two.
 */
export function startOfDate(date: string, zone: string): Date {
  try {
    return localToInstant(`${date}T00:00`, zone).instant
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error
  }
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate()
}

/**
 * A time a client gives: an RFC 3339 instant, a local wall time in `zone` (a DST gap moves forward,
 * as everywhere), or — where `dates` allows — a local date meaning the start of that day. Anything
 * that is not a real time (2026-02-30, 25:61, a leap second) is a 400 naming the field, never an exception.
 */
export function parseTime(value: string, zone: string, at: { in: 'body' | 'query'; pointer: string; dates?: boolean }): Date {
  let instant: Date | undefined
  try {
    instant =
      at.dates && DATE_ONLY.test(value)
        ? startOfDate(value, zone)
        : // Fields that take a local time or an instant also accept an instant without seconds (10:00+01:00).
          WITH_OFFSET.test(value)
          ? parseInstant(value.replace(/^(.{10}T\d{2}:\d{2})(?=[Zz+-])/, '$1:00'))
          : localToInstant(value, zone).instant
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error
  }
  if (!instant || Number.isNaN(instant.getTime())) {
    throw invalidInput(at.in, at.pointer, 'is not a real date and time')
  }
  return instant
}
