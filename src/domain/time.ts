import { DateTime, IANAZone } from 'luxon'

/**
 * Time in one place: the lengths of a minute, an hour and a day in milliseconds, the default zone,
 * zones and their offsets, instants written in RFC 3339, and the local date an instant falls on.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/** The zone a centre's sites are in unless its settings say otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/Brussels'

/** The calendar date (YYYY-MM-DD) of an instant in a time zone: "today" for a case is its site's today. */
export const localDate = (instant: Date, timeZone: string) => DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!

// ── Zones and instants ──────────────────────────────────────────────────────────────────────────

/**
 * IANA zones with a fast UTC offset. luxon's IANAZone validates a name by building an
 * Intl.DateTimeFormat and computes every offset with formatToParts, both slow; availability judges
 * thousands of spans per request. Offsets are cached per UTC hour: when the offsets at both ends of
 * an hour agree, nothing changed inside it (zones do not change twice within an hour); otherwise the
 * exact offset is computed.
 */

// Bounded: a month of availability touches ~750 hours; long-running processes start over when full.
const MAX_CACHED_HOURS = 200_000

export class Zone {
  private readonly hourly = new Map<number, number>()
  private readonly suffixes = new Map<number, string>()

  constructor(private readonly zone: IANAZone) {}

  get name(): string {
    return this.zone.name
  }

  /** How an instant at this offset (minutes) ends in RFC 3339: made once per offset, lists format many. */
  suffix(offset: number): string {
    let suffix = this.suffixes.get(offset)
    if (suffix === undefined) {
      const abs = Math.abs(offset)
      // Like luxon: the names UTC and GMT are the fixed zero offset, written Z.
      suffix = /^(utc|gmt)$/i.test(this.name) ? 'Z' : `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
      this.suffixes.set(offset, suffix)
    }
    return suffix
  }

  /** Minutes east of UTC at the instant (epoch milliseconds). */
  offset(instant: number): number {
    const hour = Math.floor(instant / HOUR_MS)
    const before = this.atHour(hour)
    return before === this.atHour(hour + 1) ? before : this.zone.offset(instant)
  }

  private atHour(hour: number): number {
    let offset = this.hourly.get(hour)
    if (offset === undefined) {
      if (this.hourly.size >= MAX_CACHED_HOURS) this.hourly.clear()
      offset = this.zone.offset(hour * HOUR_MS)
      this.hourly.set(hour, offset)
    }
    return offset
  }
}

const zones = new Map<string, Zone>()

// Newer ICU (Node 24) also accepts offsets such as "+01:00" as zones; a site lives in a named
// zone whose rules follow DST, so only names (Europe/Brussels, UTC, Etc/GMT+1) are zones here.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/

/** Whether `name` is an IANA time zone name this runtime knows. */
export const isZoneName = (name: string) => IANA_NAME.test(name) && IANAZone.isValidZone(name)

/** The zone of an IANA name, or undefined when the name is not one. Only valid names are kept. */
export function zoneNamed(name: string): Zone | undefined {
  const known = zones.get(name)
  if (known) return known
  if (!isZoneName(name)) return undefined
  const zone = new Zone(IANAZone.create(name))
  zones.set(name, zone)
  return zone
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n))

/**
 * An instant as RFC 3339 with the zone's offset at that instant, e.g. '2026-03-29T10:00:00+02:00'
 * (milliseconds only when there are any) — what luxon's toISO({ suppressMilliseconds: true }) gives,
 * without its per-call cost: lists of visits format several instants per row.
 */
export function formatInstant(instant: Date, timeZone: string): string {
  const zone = zoneNamed(timeZone)
  if (!zone) throw new RangeError(`unknown time zone ${timeZone}`)
  const ms = instant.getTime()
  const offset = Math.trunc(zone.offset(ms))
  const wall = isoUtc(ms + offset * MINUTE_MS)
  return `${wall.endsWith('.000Z') ? wall.slice(0, 19) : wall.slice(0, 23)}${zone.suffix(offset)}`
}

const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n))

/**
 * What Date#toISOString writes ('2026-03-29T08:00:00.000Z'), from the epoch milliseconds by arithmetic:
 * two to four times faster than toISOString, which a booking calls for every instant it writes and a
 * list of visits for every instant it shows. The date is the proleptic Gregorian calendar's (H. Hinnant's
 * days-to-civil); years outside 0000–9999, which toISOString writes with a sign, are left to it.
 */
export function isoUtc(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  const days = Math.floor(ms / DAY_MS)
  const z = days + 719_468 // days from 0000-03-01, so that leap days end a year
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365)
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  if (!(year >= 0 && year <= 9999)) return new Date(ms).toISOString()
  let rest = ms - days * DAY_MS
  const hours = Math.floor(rest / HOUR_MS)
  rest -= hours * HOUR_MS
  const minutes = Math.floor(rest / MINUTE_MS)
  rest -= minutes * MINUTE_MS
  const seconds = Math.floor(rest / 1000)
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`
}
