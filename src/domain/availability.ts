/**
 * Free slots for a booking form: every start on a local clock grid in a window, judged by the same
 * rules as a booking (booking-rules.ts) against busy spans loaded beforehand. Pure: the caller loads
 * the window's reservations and absences once, so a month is computed in memory, not per slot.
 */
import { checkSlot, counsellorReasons, type BookingRules } from './booking-rules.js'
import type { WeeklyHours } from './opening-hours.js'
import { instantToLocal, localToInstant } from './recurrence.js'
import type { StaggeredVisit } from './stagger.js'

/** A half-open [start, end) in epoch milliseconds. */
export interface Span {
  start: number
  end: number
}

/**
 * Busy spans of one resource, merged and sorted, swept once from the earliest start: findFreeSlots
 * asks about starts in increasing order, so a cursor that only moves forward answers each question
 * in amortised constant time (linear in the busy spans over the whole window). An earlier start than
 * the last one asked about falls back to a binary search. Spans of different parties may overlap
 * each other; merging makes them disjoint.
 */
export class BusyCalendar {
  private readonly spans: Span[]
  /** The first span ending after the last start asked about. */
  private cursor = 0
  private lastStart = -Infinity

  constructor(spans: Iterable<Span>) {
    const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start)
    const merged: Span[] = []
    for (const span of sorted) {
      const last = merged[merged.length - 1]
      if (last && span.start <= last.end) last.end = Math.max(last.end, span.end)
      else merged.push({ ...span })
    }
    this.spans = merged
  }

  overlaps(start: number, end: number): boolean {
    if (start < this.lastStart) this.cursor = this.firstEndingAfter(start)
    this.lastStart = start
    // Disjoint and sorted spans have sorted ends too: those ending by `start` are behind us for good.
    while (this.cursor < this.spans.length && this.spans[this.cursor]!.end <= start) this.cursor++
    const candidate = this.spans[this.cursor]
    return candidate !== undefined && candidate.start < end
  }

  private firstEndingAfter(start: number): number {
    let lo = 0
    let hi = this.spans.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.spans[mid]!.end > start) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

export interface AvailabilityInput {
  /** Site, case and agreement rules; `counsellors` are the candidates (working hours and absences). */
  rules: BookingRules
  /** Visits already counting against the agreement's maxVisits. */
  visitsCounted: number
  /** Contact starts in [from, to). */
  from: Date
  to: Date
  /** Starts lie on this grid of the local clock, from midnight. */
  stepMinutes: number
  /** The staggered visit for a start (what would be reserved). */
  plan: (start: Date) => StaggeredVisit
  /** Candidate rooms with their reservations per place (1..capacity); null when no room is used (outside visit). */
  rooms: { id: string; capacity: number; busy: (Span & { place: number })[] }[] | null
  /** Reservations of each candidate counsellor. */
  counsellorBusy: ReadonlyMap<string, Span[]>
  /** Reservations of the case's people (empty without a case). */
  partyBusy: Span[]
  /** Resume after this slot (the last one of the previous page). */
  after?: { start: Date; roomId: string | null }
  limit: number
}

export interface FreeSlot extends StaggeredVisit {
  roomId: string | null
  /** The room place that would be taken (rooms of capacity N have places 1..N). */
  place: number | null
  /** Every candidate counsellor free for the whole span. */
  counsellorIds: string[]
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const pad = (n: number) => String(n).padStart(2, '0')
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`

/** Local dates from `first` to `last` inclusive ('YYYY-MM-DD'). */
function datesBetween(first: string, last: string): string[] {
  const dates: string[] = []
  for (let day = Date.parse(first); day <= Date.parse(last); day += 86_400_000) dates.push(new Date(day).toISOString().slice(0, 10))
  return dates
}

/**
 * A start can only work if it lies inside one of the hours that must contain the whole span (the
 * site's opening hours, else any candidate counsellor's working hours): a cheap string test that
 * spares the full rules for most of the night.
 */
function mayStartAt(hours: WeeklyHours[], date: string, time: string): boolean {
  const weekday = WEEKDAYS[new Date(Date.parse(date)).getUTCDay()]!
  return hours.some((h) => (h[weekday] ?? []).some((i) => i.from <= time && time < i.to))
}

// A caller asks period after period with the same rules: each week's key is made once.
const hoursKeys = new WeakMap<WeeklyHours, string>()
function hoursKey(hours: WeeklyHours): string {
  let key = hoursKeys.get(hours)
  if (key === undefined) hoursKeys.set(hours, (key = JSON.stringify(hours)))
  return key
}

/**
 * Free slots in start order (rooms by id within one start), at most `limit`; `more` tells whether
 * another page exists. A slot is a start, a room place free for the staggered span (or no room for an
 * outside visit) and the counsellors free then; it passes every rule of checkSlot, and no reservation
 * of the room place, the counsellor or the case's people overlaps its span.
 */
export function findFreeSlots(input: AvailabilityInput): { slots: FreeSlot[]; more: boolean } {
  const { rules } = input
  const { timeZone } = rules
  if (!Number.isInteger(input.stepMinutes) || input.stepMinutes < 1 || input.stepMinutes > 1440)
    throw new RangeError('stepMinutes must be a whole number from 1 to 1440')
  const siteRules: BookingRules = { ...rules, counsellors: [] }
  const prefilter = rules.site ? [rules.site.openingHours] : rules.counsellors.map((c) => c.workingHours)
  const partyBusy = new BusyCalendar(input.partyBusy)
  // Working hours are judged once per distinct week pattern (counsellors mostly share one), absences
  // and reservations per counsellor by binary search.
  const patterns = new Map(rules.counsellors.map((c) => [hoursKey(c.workingHours), { id: c.id, workingHours: c.workingHours, absences: [] }]))
  const counsellors = rules.counsellors.map((c) => ({
    id: c.id,
    hours: hoursKey(c.workingHours),
    busy: new BusyCalendar([...(input.counsellorBusy.get(c.id) ?? []), ...c.absences.map((a) => ({ start: a.from.getTime(), end: a.until.getTime() }))]),
  }))
  const rooms = input.rooms?.map((room) => ({
    id: room.id,
    places: Array.from({ length: room.capacity }, (_, i) => new BusyCalendar(room.busy.filter((b) => b.place === i + 1))),
  }))
  // Plain string order, the same the cursor compares with.
  const roomOrder = rooms ? [...rooms].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : null

  const from = input.from.getTime()
  const to = input.to.getTime()
  const after = input.after && { start: input.after.start.getTime(), roomId: input.after.roomId }
  const slots: FreeSlot[] = []
  let lastStart = -Infinity
  const firstDate = instantToLocal(input.from, timeZone).slice(0, 10)
  const lastDate = instantToLocal(new Date(Math.max(from, to - 1)), timeZone).slice(0, 10)

  for (const date of datesBetween(firstDate, lastDate)) {
    for (let minute = 0; minute < 1440; minute += input.stepMinutes) {
      const time = clock(minute)
      if (!mayStartAt(prefilter, date, time)) continue
      const start = localToInstant(`${date}T${time}`, timeZone).instant
      const at = start.getTime()
      // A time in a DST gap moves forward onto a start already seen; an earlier page is done.
      if (at < from || at >= to || at <= lastStart) continue
      lastStart = at
      if (after && at < after.start) continue

      const planned = input.plan(start)
      if (checkSlot(siteRules, planned, input.visitsCounted).length > 0) continue
      const spanStart = planned.spanStart.getTime()
      const spanEnd = planned.spanEnd.getTime()
      if (partyBusy.overlaps(spanStart, spanEnd)) continue
      // Rooms first: a few places to look at, where the counsellors are many.
      const options: { roomId: string | null; place: number | null }[] =
        roomOrder === null
          ? [{ roomId: null, place: null }]
          : roomOrder.flatMap((room) => {
              const index = room.places.findIndex((place) => !place.overlaps(spanStart, spanEnd))
              return index === -1 ? [] : [{ roomId: room.id, place: index + 1 }]
            })
      if (options.length === 0) continue
      const onDuty = new Map<string, boolean>()
      const free = counsellors
        .filter((c) => {
          if (c.busy.overlaps(spanStart, spanEnd)) return false
          let ok = onDuty.get(c.hours)
          if (ok === undefined) onDuty.set(c.hours, (ok = counsellorReasons(patterns.get(c.hours)!, planned, timeZone).length === 0))
          return ok
        })
        .map((c) => c.id)
      if (free.length === 0) continue

      for (const option of options) {
        if (after && at === after.start && (after.roomId === null || option.roomId === null || option.roomId <= after.roomId)) continue
        if (slots.length === input.limit) return { slots, more: true }
        slots.push({ ...planned, ...option, counsellorIds: free })
      }
    }
  }
  return { slots, more: false }
}
