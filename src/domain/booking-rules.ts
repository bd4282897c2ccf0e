import { holidayOn, type HolidayCode } from './belgian-holidays.js'
import { instantToLocal } from './recurrence.js'
import { localDatesOf, overlapsDateRanges, withinWeeklyHours, type DateRange, type WeeklyHours } from './opening-hours.js'
import type { VisitKind } from './vocabulary.js'

/** Why an occurrence cannot be booked (the booking API's skip/conflict codes). */
export type BookingConflictCode =
  | 'room_busy'
  | 'counsellor_busy'
  | 'party_busy'
  | 'site_closed'
  | 'outside_opening_hours'
  | 'counsellor_absent'
  | 'after_planned_end'
  | 'case_suspended'
  | 'not_covered_by_agreement'
  | 'must_not_meet'
  | 'in_the_past'

export interface BookingReason {
  code: BookingConflictCode
  detail: string
  resourceId?: string
  visitId?: string
}

export interface Slot {
  start: Date
  end: Date
  spanStart: Date
  spanEnd: Date
}

/** Everything the calendar rules need to judge one occurrence; loaded once per booking request. */
export interface BookingRules {
  kind: VisitKind
  timeZone: string
  /** The site's calendar; absent for an outside visit (no room, no site hours). */
  site?: { openingHours: WeeklyHours; closures: (DateRange & { reason?: string })[]; holidayOptOuts: readonly string[] }
  counsellors: { id: string; workingHours: WeeklyHours; absences: { from: Date; until: Date }[] }[]
  /** Inclusive local date; nothing is booked after it. */
  plannedEndDate?: string | null
  /** Local dates, `from` inclusive, `until` exclusive (null: until resumed). */
  suspensions: { from: string; until: string | null }[]
  /** The signed agreement's limits; null when the booking needs no agreement (an intake conversation). */
  agreement: { kinds: readonly string[]; validUntil: string | null; maxVisits: number | null } | null
  /** The booking's now: a contact starting before it is in the past. Null or absent: not judged (a visit recorded after the fact). */
  notBefore?: Date | null
}

/**
 * The calendar and agreement rules for one occurrence (everything but overlaps, which PostgreSQL
 * decides). `visitsCounted` is how many visits already count against the agreement's maxVisits,
 * including those accepted earlier in the same request.
 */
export function checkSlot(rules: BookingRules, slot: Slot, visitsCounted: number): BookingReason[] {
  const reasons: BookingReason[] = []
  const { timeZone } = rules
  const contactDate = instantToLocal(slot.start, timeZone).slice(0, 10)

  if (rules.notBefore && slot.start < rules.notBefore) {
    reasons.push({ code: 'in_the_past', detail: `starts in the past (now is ${instantToLocal(rules.notBefore, timeZone).slice(0, 16)})` })
  }

  if (rules.plannedEndDate && contactDate > rules.plannedEndDate) {
    reasons.push({ code: 'after_planned_end', detail: `after the case's planned end on ${rules.plannedEndDate}` })
  }
  const suspension = rules.suspensions.find((s) => contactDate >= s.from && (s.until === null || contactDate < s.until))
  if (suspension) {
    reasons.push({ code: 'case_suspended', detail: `the case is suspended from ${suspension.from}${suspension.until ? ` until ${suspension.until}` : ''}` })
  }
  if (rules.agreement) {
    const { kinds, validUntil, maxVisits } = rules.agreement
    if (!kinds.includes(rules.kind)) {
      reasons.push({ code: 'not_covered_by_agreement', detail: `the agreement allows ${kinds.join(', ') || 'no visit kinds'}, not ${rules.kind}` })
    }
    if (validUntil && contactDate > validUntil) {
      reasons.push({ code: 'not_covered_by_agreement', detail: `the agreement is valid until ${validUntil}` })
    }
    if (maxVisits !== null && visitsCounted >= maxVisits) {
      reasons.push({ code: 'not_covered_by_agreement', detail: `the agreement allows ${maxVisits} visits and ${visitsCounted} are booked or held` })
    }
  }
  if (rules.site) {
    const closure = rules.site.closures.find((c) => overlapsDateRanges([c], slot.spanStart, slot.spanEnd, timeZone))
    if (closure)
      reasons.push({ code: 'site_closed', detail: `the site is closed ${closure.from}–${closure.to}${closure.reason ? ` (${closure.reason})` : ''}` })
    for (const date of localDatesOf(slot.spanStart, slot.spanEnd, timeZone)) {
      const holiday = holidayOn(date, rules.site.holidayOptOuts as HolidayCode[])
      if (holiday) reasons.push({ code: 'site_closed', detail: `${date} is a public holiday (${holiday.names.en})` })
    }
    if (!withinWeeklyHours(rules.site.openingHours, slot.spanStart, slot.spanEnd, timeZone)) {
      reasons.push({ code: 'outside_opening_hours', detail: "outside the site's opening hours" })
    }
  }
  for (const counsellor of rules.counsellors) reasons.push(...counsellorReasons(counsellor, slot, timeZone))
  return reasons
}

/** Whether one counsellor can supervise the span: inside their working hours and not absent. */
export function counsellorReasons(counsellor: BookingRules['counsellors'][number], slot: Slot, timeZone: string): BookingReason[] {
  const reasons: BookingReason[] = []
  if (!withinWeeklyHours(counsellor.workingHours, slot.spanStart, slot.spanEnd, timeZone)) {
    reasons.push({ code: 'counsellor_absent', resourceId: counsellor.id, detail: "outside the counsellor's working hours" })
  }
  if (counsellor.absences.some((a) => a.from < slot.spanEnd && a.until > slot.spanStart)) {
    reasons.push({ code: 'counsellor_absent', resourceId: counsellor.id, detail: 'the counsellor is absent' })
  }
  return reasons
}
