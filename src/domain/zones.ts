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

  constructor(private readonly zone: IANAZone) {}

  get name(): string {
    return this.zone.name
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

/** The zone of an IANA name, or undefined when the name is not one. Only valid names are kept. */
export function zoneNamed(name: string): Zone | undefined {
  const known = zones.get(name)
  if (known) return known
  if (!IANAZone.isValidZone(name)) return undefined
  const zone = new Zone(IANAZone.create(name))
  zones.set(name, zone)
  return zone
}
