import { DateTime } from 'luxon'

/** The site's wall-clock time ('HH:mm') of an instant the API answers in UTC. */
export const wallClock = (instant: string, zone = 'Europe/Brussels') => DateTime.fromISO(instant, { zone }).toFormat('HH:mm')

/** The UTC instant ('…Z', as the API answers) of a wall-clock time in a zone, e.g. '2026-03-07T15:31'. */
export const utcOf = (local: string, zone = 'Europe/Brussels') => DateTime.fromISO(local, { zone }).toUTC().toISO()!
