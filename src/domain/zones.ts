/**
 * IANA zones with a fast UTC offset. luxon's IANAZone validates a name by building an
 * Intl.DateTimeFormat and computes every offset with formatToParts, both slow; availability judges
 * thousands of spans per request. Offsets are cached per UTC hour: when the offsets at both ends of
 * an hour agree, nothing changed inside it (zones do not change twice within an hour); otherwise the
 * exact offset is computed.
 */
import { IANAZone } from 'luxon'

const HOUR_MS = 3_600_000
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

const pad2 = (n: number) => String(n).padStart(2, '0')

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
  const wall = new Date(ms + offset * 60_000).toISOString()
  return `${wall.endsWith('.000Z') ? wall.slice(0, 19) : wall.slice(0, 23)}${zone.suffix(offset)}`
}
