import { DateTime } from 'luxon'

/**
 * Time in one place: the lengths of a minute, an hour and a day in milliseconds, the default zone,
 * and the step between an instant and the local date it falls on in a zone.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/** The zone a centre's sites are in unless its settings say otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/Brussels'

/** The calendar date (YYYY-MM-DD) of an instant in a time zone: "today" for a case is its site's today. */
export const localDate = (instant: Date, timeZone: string) => DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!
