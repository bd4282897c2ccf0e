import { DateTime } from 'luxon'
import { localToInstant, RecurrenceError } from '../../domain/recurrence.js'
import { invalidInput } from '../../http/problem.js'

const DAY_MS = 86_400_000
const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/**
 * A time a client gives: an RFC 3339 instant, a local wall time in `zone` (a DST gap moves forward,
 * as everywhere), or — where `dates` allows — a local date meaning the start of that day. Anything
 * that is not a real time (2026-02-30, 25:61) is a 400 naming the field, never an exception.
 */
export function parseTime(value: string, zone: string, at: { in: 'body' | 'query'; pointer: string; dates?: boolean }): Date {
  let instant: Date
  try {
    instant = at.dates && DATE_ONLY.test(value)
      ? DateTime.fromISO(value, { zone }).startOf('day').toJSDate()
      : WITH_OFFSET.test(value) ? new Date(value) : localToInstant(value, zone).instant
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error
    instant = new Date(Number.NaN)
  }
  if (Number.isNaN(instant.getTime())) {
    throw invalidInput(at.in, at.pointer, 'is not a real date and time')
  }
  return instant
}

/**
 * Absences that could matter to a booking starting around `start`: those ending after two days
 * before it (wide enough for any zone's offset and a staggered span starting the evening before).
 */
export const absencesFrom = (start: Date) => new Date(start.getTime() - 2 * DAY_MS)
