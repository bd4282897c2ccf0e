import type { VisitOutcome, VisitStatus } from './vocabulary.js'
import { HOUR_MS } from './time.js'

/**
 * The day of a visit (docs/domain.md): booked → arrived (the first check-in) → fulfilled, noshow or
 * interrupted (the outcome a counsellor records); booked → cancelled. An outcome can be corrected
 * (a new outcome supersedes the current one), which moves the status to the new outcome. Pure rules:
 * the services read the facts, these judge them, and a refusal's detail always names the status.
 */

export type Verdict = { ok: true } | { ok: false; code: string; detail: string }

const refuse = (code: string, detail: string): Verdict => ({ ok: false, code, detail })
const OK: Verdict = { ok: true }

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
 * before or after the planned arrival, while the visit is booked or arrived. After that day staff
 * and admins (`afterTheDay`) may still record them, with the times they happened: a visit recorded
 * after the fact, or a desk that forgot. Never before the visit's day.
 */
export function judgeAttendance(visit: { status: VisitStatus; date: string }, today: string, afterTheDay = false): Verdict {
  if (visit.status !== 'booked' && visit.status !== 'arrived')
    return refuse('visit-not-open', `The visit is ${visit.status}; check-in and check-out are recorded only at a booked or arrived visit.`)
  if (visit.date > today)
    return refuse('not-visit-day', `The visit is ${visit.status} for ${visit.date}; check-in and check-out are recorded from that day on (today is ${today}).`)
  if (visit.date < today && !afterTheDay)
    return refuse(
      'not-visit-day',
      `The visit is ${visit.status} for ${visit.date}; check-in and check-out are recorded on that day (today is ${today}); afterwards staff record them with their times.`,
    )
  return OK
}

/** Whether the actor's role may record check-ins and check-outs after the visit's day (the desk's record, kept by staff). */
export const recordsAfterTheDay = (role: string) => role === 'admin' || role === 'staff'

/**
 * An attendance can be corrected at any time, the same day or later, except at a visit entered in
 * error (it never was one) or cancelled (nobody came).
 */
export function judgeAttendanceCorrection(status: VisitStatus): Verdict {
  if (status === 'entered-in-error' || status === 'cancelled')
    return refuse('visit-not-correctable', `The visit is ${status}; its attendances are not corrected.`)
  return OK
}

/** Any visit but one already entered in error can be marked so: it then never was a visit. */
export function judgeEnteredInError(status: VisitStatus): Verdict {
  if (status === 'entered-in-error') return refuse('visit-entered-in-error', `The visit is ${status} already.`)
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

// ── Acts are attributed to adults ───────────────────────────────────────────────────────────────

/** A person of the case as the attribution rules see them: the side their role puts them on. */
export interface CasePerson {
  partyId: string
  side: 'visiting' | 'residing' | 'child'
}

/** A field the caller must correct: where it is and why. */
export type AttributionError = { pointer: string; detail: string }

const CHILD_NEVER_ACTS =
  'is a child: a child never cancels or fails to come. Name the adult who was to bring the child (the reason `child_refuses` says the child did not want to come)'

/**
 * Which adult called a visit off (protocol: acts are attributed to adults). A party named must be an
 * adult of the case on the side that cancelled; the centre and the referrer name none. When the
 * reason is that the child does not want to come and one adult of the cancelling side is invited,
 * that adult is the one who was to bring the child; with more, the caller names one.
 */
export function attributeCancellation(
  input: { cancelledBy: string; cancelledByPartyId?: string; reasonCode: string },
  people: readonly CasePerson[],
  invited: readonly string[],
): { ok: true; partyId: string | null } | ({ ok: false } & AttributionError) {
  const pointer = '/cancelledByPartyId'
  const side = input.cancelledBy === 'visiting_party' ? 'visiting' : input.cancelledBy === 'residing_party' ? 'residing' : null
  if (input.cancelledByPartyId !== undefined) {
    const person = people.find((p) => p.partyId === input.cancelledByPartyId)
    if (!person) return { ok: false, pointer, detail: 'is not a party of this case' }
    if (person.side === 'child') return { ok: false, pointer, detail: CHILD_NEVER_ACTS }
    if (!side) return { ok: false, pointer, detail: `names a party, but the visit was called off by the ${input.cancelledBy}` }
    if (person.side !== side) return { ok: false, pointer, detail: `is on the ${person.side} side, not the side that cancelled (${input.cancelledBy})` }
    return { ok: true, partyId: person.partyId }
  }
  if (side && input.reasonCode === 'child_refuses') {
    const adults = people.filter((p) => p.side === side && invited.includes(p.partyId))
    if (adults.length === 1) return { ok: true, partyId: adults[0]!.partyId }
    return { ok: false, pointer, detail: `is required: the ${side} side has ${adults.length} adults at this visit; name the one who was to bring the child` }
  }
  return { ok: true, partyId: null }
}

/** A no-show names the adults who did not come; a child missing is the absence of the adult who was to bring them. */
export function childAmongAbsent(absentPartyIds: readonly string[], people: readonly CasePerson[]): AttributionError | null {
  const children = new Set(people.filter((p) => p.side === 'child').map((p) => p.partyId))
  const i = absentPartyIds.findIndex((id) => children.has(id))
  return i < 0 ? null : { pointer: `/absentPartyIds/${i}`, detail: CHILD_NEVER_ACTS }
}
