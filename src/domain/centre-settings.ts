import type { PartySide, ReportContentPolicy, ReportLanguage } from './vocabulary.js'

/** How a centre heads the reports it files with a court. */
export interface Letterhead {
  address: string | null
  phone: string | null
  email: string | null
}

/** A centre's own rules: how long a case runs, how visits are staggered, what counts as late or repeated. */
export interface CentreSettings {
  plannedDurationMonths: number
  stagger: { firstToArrive: PartySide; arrivalGapMinutes: number; departureGapMinutes: number }
  /** Two parties a case's safety profile keeps apart arrive, and leave, at least this many minutes apart. */
  minimumGapMinutes: number
  holidayOptOuts: string[]
  /** What reports to the referrer contain: attendance only, or also observations marked reportable. */
  reportContent: ReportContentPolicy
  /** A cancellation less than this many hours before the visit starts is flagged late. */
  cancellationNoticeHours: number
  /** A party that missed this many consecutive visits is flagged on the case (a signal for staff, not a decision). */
  consecutiveAbsencesSignal: number
  /** The child refusing this many visits is flagged on the case. */
  childRefusalsSignal: number
  /** The longest a case may run from activation without an admin's exceptional reason. */
  maxTrajectoryMonths: number
  /** How many times a case may be extended without an admin's exceptional reason. */
  maxExtensions: number
  /** How often staff hold an evaluation conversation with each party and the child. */
  evaluationIntervalMonths: number
  /**
   * How many years after a case ends its people are pseudonymised and its free texts removed. The
   * default is a starting point: the centre checks it against its own rules and the law.
   */
  retentionYears: number
  /** Whether courts see the dates of this centre's visits. Off by default: the centre reports to the court, the court does not supervise it. */
  courtSeesVisits: boolean
  /** The centre's address and contact on every report it files. */
  letterhead: Letterhead
  /** The language the centre works in: its day sheet and the texts it writes itself (an automatic incident). */
  language: ReportLanguage
}

/** A centre's defaults when it says nothing else (docs/domain.md: planned end 6 months after activation). */
export const DEFAULT_CENTRE_SETTINGS: CentreSettings = {
  plannedDurationMonths: 6,
  stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 },
  minimumGapMinutes: 15,
  holidayOptOuts: [],
  reportContent: 'attendance_only',
  cancellationNoticeHours: 24,
  consecutiveAbsencesSignal: 2,
  childRefusalsSignal: 2,
  // Planned 6 months, at most 12 and two extensions: the first two extensions within a year are ordinary.
  maxTrajectoryMonths: 12,
  maxExtensions: 2,
  evaluationIntervalMonths: 3,
  retentionYears: 5,
  courtSeesVisits: false,
  letterhead: { address: null, phone: null, email: null },
  language: 'nl',
}

export function withDefaults(settings: Partial<CentreSettings> | undefined, base: CentreSettings = DEFAULT_CENTRE_SETTINGS): CentreSettings {
  return {
    ...base,
    ...settings,
    stagger: { ...base.stagger, ...settings?.stagger },
    letterhead: { ...base.letterhead, ...settings?.letterhead },
  }
}
