import { DateTime } from 'luxon'
import { localToInstant, RecurrenceError } from '../domain/recurrence.js'
import { invalidInput } from '../domain/errors.js'

/**
 * The one reader of times that clients send. The `date-time` format of every schema and every
 * handler that turns a client's time into an instant go through here, so a value the schema lets
 * pass is one the database can store.
 */

// RFC 3339 section 5.6 with the offset required, but without its leap second (23:59:60): neither
// JavaScript nor PostgreSQL can represent one as an instant. Luxon then rules out what the grammar
// allows but the calendar does not (a 30 February).
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/
const WITH_OFFSET = /([Zz]|[+-]\d{2}:\d{2})$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** An RFC 3339 instant with offset, or undefined when it is not one or not a real moment. */
export function parseInstant(value: string): Date | undefined {
  if (!RFC_3339.test(value)) return undefined
  // Luxon reads milliseconds only; finer digits are cut, not rounded, as PostgreSQL keeps microseconds anyway.
  const normalised = value
    .replace(/^(.{10})[t ]/, '$1T')
    .replace(/(\.\d{3})\d+/, '$1')
    .replace(/z$/, 'Z')
  const parsed = DateTime.fromISO(normalised, { setZone: true })
  return parsed.isValid && parsed.year >= 1 ? parsed.toJSDate() : undefined
}

/** For ajv: the `date-time` format is exactly what parseInstant reads. */
export const isInstant = (value: string) => parseInstant(value) !== undefined

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
        ? DateTime.fromISO(value, { zone }).startOf('day').toJSDate()
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
