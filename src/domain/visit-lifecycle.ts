import type { VisitOutcome, VisitStatus } from './vocabulary.js'

/**
 * The day of a visit (docs/domain.md): booked → arrived (the first check-in) → fulfilled, noshow or
 * interrupted (the outcome a counsellor records); booked → cancelled. An outcome can be corrected
 * (a new outcome supersedes the current one), which moves the status to the new outcome. Pure rules:
 * the services read the facts, these judge them, and a refusal's detail always names the status.
 */

export type Verdict = { ok: true } | { ok: false; code: string; detail: string }

const refuse = (code: string, detail: string): Verdict => ({ ok: false, code, detail })
const OK: Verdict = { ok: true }
const HOUR_MS = 3_600_000

/** The statuses an outcome leaves a visit in. */
export const isOutcomeStatus = (status: VisitStatus): status is VisitOutcome => status === 'fulfilled' || status === 'noshow' || status === 'interrupted'

/** A cancellation is late when it comes less than the centre's notice before the start (later than start − notice). */
export function isLateCancellation(start: Date, now: Date, noticeHours: number): boolean {
  return now.getTime() > start.getTime() - noticeHours * HOUR_MS
}

/**
 * Only a booked visit of today or later (the site's local dates) can be cancelled: what already took
 * place, or should have, gets an outcome instead.
 */
export function judgeCancellation(visit: { status: VisitStatus; date: string }, today: string): Verdict {
  if (visit.status !== 'booked') return refuse('visit-not-booked', `The visit is ${visit.status}; only a booked visit can be cancelled.`)
  if (visit.date < today) return refuse('visit-in-past', `The visit was on ${visit.date}, in the past; record its outcome instead of cancelling it.`)
  return OK
}

/**
 * Check-in and check-out are recorded at the desk on the visit's own day (site's local date),
 * before or after the planned arrival, while the visit is booked or arrived.
 */
export function judgeAttendance(visit: { status: VisitStatus; date: string }, today: string): Verdict {
  if (visit.status !== 'booked' && visit.status !== 'arrived')
    return refuse('visit-not-open', `The visit is ${visit.status}; check-in and check-out are recorded only at a booked or arrived visit.`)
  if (visit.date !== today)
    return refuse('not-visit-day', `The visit is ${visit.status} for ${visit.date}; check-in and check-out are recorded on that day only (today is ${today}).`)
  return OK
}

export interface OutcomeFacts {
  status: VisitStatus
  /** The visit's start, and when it is shown to people (the site's offset). */
  start: Date
  startLabel: string
  /** The visit's current outcome (latest, not superseded), if any. */
  currentOutcomeId: string | null
}

/**
 * Whether `outcome` may be recorded now (`supersedes` set: as a correction of that outcome).
 * - Never for a cancelled or entered-in-error visit, nor for one that has not started yet.
 * - A first outcome only when there is none; a correction only of the current outcome.
 * - A first `fulfilled` or `interrupted` needs the visit `arrived` (someone checked in: the first
 *   check-in makes it so); a `noshow` may follow booked or arrived. A correction may name any
 *   outcome: it is staff setting the record straight after the day, when check-ins can no longer be made.
 */
export function judgeOutcome(facts: OutcomeFacts, outcome: VisitOutcome, supersedes: string | undefined, now: Date): Verdict {
  const { status } = facts
  if (status === 'cancelled' || status === 'entered-in-error') return refuse('visit-without-outcome', `The visit is ${status}; it has no outcome to record.`)
  if (facts.start > now)
    return refuse('visit-not-started', `The visit is ${status} and starts at ${facts.startLabel}; an outcome is recorded once it has started.`)
  if (supersedes === undefined) {
    if (facts.currentOutcomeId !== null)
      return refuse('outcome-exists', `The visit is ${status}: an outcome is already recorded (id ${facts.currentOutcomeId}); send supersedes to correct it.`)
    if (outcome !== 'noshow' && status !== 'arrived')
      return refuse('visit-not-arrived', `The visit is ${status} and nobody has checked in; record check-ins first, or a no-show, before a ${outcome} outcome.`)
    return OK
  }
  if (facts.currentOutcomeId === null)
    return refuse('no-outcome-to-correct', `The visit is ${status} and has no outcome yet; send the outcome without supersedes.`)
  if (supersedes !== facts.currentOutcomeId)
    return refuse(
      'outcome-superseded',
      `The visit is ${status}; outcome ${supersedes} is not its current outcome (${facts.currentOutcomeId}), and only the current one can be corrected.`,
    )
  return OK
}

/**
 * Whether the visit's reservations stay active after this outcome. A no-show or an interruption
 * frees the room, counsellors and people for the rest of the span; a fulfilled visit keeps them as
 * they were. A correction back to fulfilled does not reactivate freed reservations: the time is past
 * and something may have been booked in the freed slot since.
 */
export const outcomeFreesReservations = (outcome: VisitOutcome) => outcome !== 'fulfilled'
