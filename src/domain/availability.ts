/**
 * Free slots for a booking form: every start on a local clock grid in a window, judged by the same
 * rules as a booking (booking-rules.ts) against busy spans loaded beforehand. Pure: the caller loads
 * the window's reservations and absences once, so a month is computed in memory, not per slot.
 */
import { holidayOn, type HolidayCode } from './belgian-holidays.js'
import type { BookingRules } from './booking-rules.js'
import { checkDateRanges, dateOfDay, lastLocalDay, localDay, weekMinutes, withinWeekMinutes, type WeekMinutes, type WeeklyHours } from './opening-hours.js'
import { floatingToInstant, instantToLocal, localToInstant } from './recurrence.js'
import type { StaggeredVisit } from './stagger.js'
import { DAY_MS, MINUTE_MS, type Zone, zoneNamed } from './time.js'

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
  // The merged spans' starts and ends, in order (no object per span).
  private readonly starts: Float64Array
  private readonly ends: Float64Array
  /** The first span ending after the last start asked about. */
  private cursor = 0
  private lastStart = -Infinity

  /** How many merged spans there are. */
  private readonly count: number

  constructor(spans: readonly Span[]) {
    // Spans mostly come in order (by resource and start, as the index reads them): copied and sorted only when not.
    let ordered = true
    for (let i = 0; i < spans.length && ordered; i++) ordered = spans[i]!.end > spans[i]!.start && (i === 0 || spans[i - 1]!.start <= spans[i]!.start)
    const sorted = ordered ? spans : spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start)
    const starts = new Float64Array(sorted.length)
    const ends = new Float64Array(sorted.length)
    let n = 0
    for (const span of sorted) {
      if (n > 0 && span.start <= ends[n - 1]!) ends[n - 1] = Math.max(ends[n - 1]!, span.end)
      else {
        starts[n] = span.start
        ends[n++] = span.end
      }
    }
    this.starts = starts
    this.ends = ends
    this.count = n
  }

  overlaps(start: number, end: number): boolean {
    if (start < this.lastStart) this.cursor = this.firstEndingAfter(start)
    this.lastStart = start
    // Disjoint and sorted spans have sorted ends too: those ending by `start` are behind us for good.
    const { ends, count } = this
    while (this.cursor < count && ends[this.cursor]! <= start) this.cursor++
    return this.cursor < count && this.starts[this.cursor]! < end
  }

  private firstEndingAfter(start: number): number {
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.ends[mid]! > start) hi = mid
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
  /**
   * The staggered visit for a start (what would be reserved): the same minutes around every start, as
   * computeStagger's are. Spans are reckoned from the first plan; whole plans are made for listed slots only.
   */
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

const pad = (n: number) => String(n).padStart(2, '0')
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`

/** The start of the local day `days` days after the one of `instant` (a midnight in a DST gap moves forward). */
export function localDaysAfter(instant: Date, days: number, timeZone: string): Date {
  const zone = zoneNamed(timeZone)
  if (!zone) throw new RangeError(`unknown time zone ${timeZone}`)
  return new Date(floatingToInstant((localDay(instant.getTime(), zone) + days) * DAY_MS, zone))
}

/** Local dates from `first` to `last` inclusive ('YYYY-MM-DD'). */
function datesBetween(first: string, last: string): string[] {
  const dates: string[] = []
  for (let day = Date.parse(first); day <= Date.parse(last); day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10))
  return dates
}

/**
 * Per weekday (index = getUTCDay()), which minutes of the step grid may start a slot: those inside one
 * of the hours that must contain the whole span (the site's opening hours, else any candidate
 * counsellor's working hours). It spares the full rules for most of the night; made once per call.
 */
function startGrid(weeks: WeekMinutes[], stepMinutes: number): boolean[][] {
  const inHours = (weekday: number, minute: number) => {
    for (const week of weeks) {
      const intervals = week[weekday]!
      for (let i = 0; i < intervals.length; i += 2) if (intervals[i]! <= minute && minute < intervals[i + 1]!) return true
    }
    return false
  }
  const grid: boolean[][] = []
  for (let weekday = 0; weekday < 7; weekday++) {
    const starts: boolean[] = []
    for (let minute = 0; minute < 1440; minute += stepMinutes) starts.push(inHours(weekday, minute))
    grid.push(starts)
  }
  return grid
}

// A caller asks period after period with the same rules: each week's key is made once.
const hoursKeys = new WeakMap<WeeklyHours, string>()
function hoursKey(hours: WeeklyHours): string {
  let key = hoursKeys.get(hours)
  if (key === undefined) hoursKeys.set(hours, (key = JSON.stringify(hours)))
  return key
}

/**
 * checkSlot's site and case rules (counsellors apart) as one yes or no, from values made once per
 * call: the hours parsed to minutes, and per local day whether the site is closed (a closure or a
 * public holiday) and whether the case's dates (planned end, suspensions, the agreement's validity)
 * allow a contact that day. Days are counted since 1970-01-01 in the zone.
 */
function siteAndCaseRules(
  rules: BookingRules,
  openingHours: WeekMinutes | undefined,
  zone: Zone,
  visitsCounted: number,
): (start: number, spanStart: number, spanEnd: number) => boolean {
  const { agreement, site } = rules
  if (agreement && (!agreement.kinds.includes(rules.kind) || (agreement.maxVisits !== null && visitsCounted >= agreement.maxVisits))) return () => false
  if (site) checkDateRanges(site.closures)
  const closed = new Map<number, boolean>()
  const siteClosedOn = (day: number) => {
    let answer = closed.get(day)
    if (answer === undefined) {
      const date = dateOfDay(day)
      answer = site!.closures.some((c) => c.from <= date && date <= c.to) || holidayOn(date, site!.holidayOptOuts as HolidayCode[]) !== undefined
      closed.set(day, answer)
    }
    return answer
  }
  const allowed = new Map<number, boolean>()
  const caseAllows = (day: number) => {
    let answer = allowed.get(day)
    if (answer === undefined) {
      const date = dateOfDay(day)
      answer =
        !(rules.plannedEndDate && date > rules.plannedEndDate) &&
        !rules.suspensions.some((s) => date >= s.from && (s.until === null || date < s.until)) &&
        !(agreement?.validUntil && date > agreement.validUntil)
      allowed.set(day, answer)
    }
    return answer
  }
  return (start, spanStart, spanEnd) => {
    if (!caseAllows(localDay(start, zone))) return false
    if (!site) return true
    const last = lastLocalDay(spanStart, spanEnd, zone)
    for (let day = localDay(spanStart, zone); day <= last; day++) if (siteClosedOn(day)) return false
    return withinWeekMinutes(openingHours!, zone, spanStart, spanEnd)
  }
}

/** The first place (0-based) free for the whole span, or -1. */
function freePlace(places: BusyCalendar[], spanStart: number, spanEnd: number): number {
  for (let i = 0; i < places.length; i++) if (!places[i]!.overlaps(spanStart, spanEnd)) return i
  return -1
}

function sameIds(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Free slots in start order (rooms by id within one start), at most `limit`; `more` tells whether
 * another page exists. A slot is a start, a room place free for the staggered span (or no room for an
 * outside visit) and the counsellors free then; it passes every rule of checkSlot, and no reservation
 * of the room place, the counsellor or the case's people overlaps its span.
 *
 * The rules are those of checkSlot and counsellorReasons, judged from values made once per call
 * (hours as minutes, each local day's closures, holidays and case dates, one answer per distinct week
 * of working hours per start) instead of from strings per start: test/domain/availability.test.ts
 * compares the answers with the per-start version (test/domain/fixtures/availability-reference.ts).
 * Hours and closures are checked when the call begins; the per-start version threw only once a start
 * reached them. Neither can hold a bad value once stored (admin/reference-data.ts checks them).
 */
export function findFreeSlots(input: AvailabilityInput): { slots: FreeSlot[]; more: boolean } {
  const { rules } = input
  const { timeZone } = rules
  if (!Number.isInteger(input.stepMinutes) || input.stepMinutes < 1 || input.stepMinutes > 1440)
    throw new RangeError('stepMinutes must be a whole number from 1 to 1440')
  // Throws on an unknown zone, as localToInstant did for every start.
  const firstDate = instantToLocal(input.from, timeZone).slice(0, 10)
  const zone = zoneNamed(timeZone)!
  const openingHours = rules.site && weekMinutes(rules.site.openingHours)
  const allows = siteAndCaseRules(rules, openingHours, zone, input.visitsCounted)
  const partyBusy = new BusyCalendar(input.partyBusy)
  // Working hours are judged once per start per distinct week (counsellors mostly share one),
  // absences and reservations per counsellor by the busy calendar's sweep.
  const weeks = new Map<string, number>()
  const weekOf: WeekMinutes[] = []
  const counsellors = rules.counsellors.map((c) => {
    const key = hoursKey(c.workingHours)
    let week = weeks.get(key)
    if (week === undefined) {
      weeks.set(key, (week = weekOf.length))
      weekOf.push(weekMinutes(c.workingHours))
    }
    const reserved = input.counsellorBusy.get(c.id) ?? []
    const busy = c.absences.length === 0 ? reserved : [...reserved, ...c.absences.map((a) => ({ start: a.from.getTime(), end: a.until.getTime() }))]
    return { id: c.id, week, busy: new BusyCalendar(busy) }
  })
  // 'HH:mm' strings compare as their minutes do: the grid is read from the parsed hours.
  const grid = startGrid(openingHours ? [openingHours] : weekOf, input.stepMinutes)
  // Per week: the start it was last judged for, and the answer then.
  const judgedAt = new Float64Array(weekOf.length).fill(NaN)
  const onDuty = new Uint8Array(weekOf.length)
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
  // A start's span is [start - lead, start + tail), from the first plan.
  let lead = NaN
  let tail = NaN
  // The counsellors listed for the start before: a list of the same ids is shared (written once).
  let lastFree: string[] = []
  const lastDate = instantToLocal(new Date(Math.max(from, to - 1)), timeZone).slice(0, 10)

  for (const date of datesBetween(firstDate, lastDate)) {
    const midnight = Date.parse(date)
    const starts = grid[new Date(midnight).getUTCDay()]!
    // floatingToInstant leaves the year to its caller: localToInstant refuses those it cannot read.
    const year = Number(date.slice(0, 4))
    const readable = year >= 1900 && year <= 9999
    for (let k = 0; k < starts.length; k++) {
      if (!starts[k]) continue
      const minute = k * input.stepMinutes
      const at = readable ? floatingToInstant(midnight + minute * MINUTE_MS, zone) : localToInstant(`${date}T${clock(minute)}`, timeZone).instant.getTime()
      // A time in a DST gap moves forward onto a start already seen; an earlier page is done.
      if (at < from || at >= to || at <= lastStart) continue
      lastStart = at
      if (after && at < after.start) continue

      if (Number.isNaN(lead)) {
        const first = input.plan(new Date(at))
        lead = at - first.spanStart.getTime()
        tail = first.spanEnd.getTime() - at
      }
      const spanStart = at - lead
      const spanEnd = at + tail
      if (!allows(at, spanStart, spanEnd)) continue
      if (partyBusy.overlaps(spanStart, spanEnd)) continue
      // Rooms first: a few places to look at, where the counsellors are many (and most starts of a
      // busy day have none free, so nothing is made for them).
      let options: { roomId: string | null; place: number | null }[] | null = null
      if (roomOrder === null) options = [{ roomId: null, place: null }]
      else
        for (const room of roomOrder) {
          const index = freePlace(room.places, spanStart, spanEnd)
          if (index !== -1) (options ??= []).push({ roomId: room.id, place: index + 1 })
        }
      if (options === null) continue
      const free: string[] = []
      for (const c of counsellors) {
        if (c.busy.overlaps(spanStart, spanEnd)) continue
        if (judgedAt[c.week] !== at) {
          judgedAt[c.week] = at
          onDuty[c.week] = withinWeekMinutes(weekOf[c.week]!, zone, spanStart, spanEnd) ? 1 : 0
        }
        if (onDuty[c.week] === 1) free.push(c.id)
      }
      if (free.length === 0) continue
      if (!sameIds(free, lastFree)) lastFree = free

      let planned: StaggeredVisit | undefined
      for (const option of options) {
        if (after && at === after.start && (after.roomId === null || option.roomId === null || option.roomId <= after.roomId)) continue
        if (slots.length === input.limit) return { slots, more: true }
        planned ??= input.plan(new Date(at))
        slots.push({ ...planned, ...option, counsellorIds: lastFree })
      }
    }
  }
  return { slots, more: false }
}
