import { allowedCaseActions, type CaseAction } from './case-lifecycle.js'
import type { CaseStatus } from './vocabulary.js'

/**
 * A suspension's dates drive the case's status (docs/domain.md): a suspension decided ahead of its
 * `from` leaves the case active (the suspension is *scheduled*); from `from` (the case's local day)
 * the case is suspended; from `until` (exclusive) it is active again. Defined once here: the reads
 * show the status these dates give, whether or not the scheduled job has applied it yet, and the
 * job (and every transition) applies what this says is due.
 */

/** A suspension as far as its dates go: [fromDate, untilDate), closed once resumedAt is set. */
export interface SuspensionDates {
  id: string
  /** YYYY-MM-DD, inclusive. */
  fromDate: string
  /** YYYY-MM-DD, exclusive; null: until resumed. */
  untilDate: string | null
  /** Set when the suspension was resumed, withdrawn or ran out (by the job); it no longer drives the status. */
  resumedAt: Date | null
}

/** Where an open suspension stands on `today`: not begun, in force, or over (its `until` has come). */
export type SuspensionPhase = 'scheduled' | 'current' | 'over'

export function suspensionPhase(s: Pick<SuspensionDates, 'fromDate' | 'untilDate'>, today: string): SuspensionPhase {
  if (today < s.fromDate) return 'scheduled'
  if (s.untilDate !== null && s.untilDate <= today) return 'over'
  return 'current'
}

/** The case's open suspension (not resumed): at most one, since a case with one is not suspended again. */
export function openSuspension<S extends SuspensionDates>(suspensions: readonly S[]): S | undefined {
  return suspensions.filter((s) => s.resumedAt === null).at(-1)
}

/** The case's open suspension split by phase: the one still to begin, and the one in force. */
export function suspensionState<S extends SuspensionDates>(suspensions: readonly S[], today: string): { scheduled: S | null; current: S | null } {
  const open = openSuspension(suspensions)
  const phase = open && suspensionPhase(open, today)
  return { scheduled: phase === 'scheduled' ? open! : null, current: phase === 'current' ? open! : null }
}

/**
 * The status the dates give on `today`. Only a running case (active or suspended) follows its
 * suspension's dates; intake and ended are what they are.
 */
export function effectiveCaseStatus(status: CaseStatus, suspensions: readonly SuspensionDates[], today: string): CaseStatus {
  if (status !== 'active' && status !== 'suspended') return status
  const open = openSuspension(suspensions)
  if (!open) return status
  return suspensionPhase(open, today) === 'current' ? 'suspended' : 'active'
}

/**
 * What the dates make due for the stored status on `today`: the suspension begins (active →
 * suspended), it has run out (→ active, with a resumption the referrer is told of), or it has not
 * begun after all (a case stored suspended ahead of `from`, as before suspensions followed their
 * dates: → active). null when the stored status already agrees with the dates.
 */
export function dueSuspensionChange<S extends SuspensionDates>(
  status: CaseStatus,
  suspensions: readonly S[],
  today: string,
): { change: 'begin' | 'run_out' | 'not_begun'; suspension: S } | null {
  if (status !== 'active' && status !== 'suspended') return null
  const open = openSuspension(suspensions)
  if (!open) return null
  const phase = suspensionPhase(open, today)
  if (phase === 'over') return { change: 'run_out', suspension: open }
  if (phase === 'current' && status === 'active') return { change: 'begin', suspension: open }
  if (phase === 'scheduled' && status === 'suspended') return { change: 'not_begun', suspension: open }
  return null
}

/**
 * The actions on a case as the dates leave it: while a suspension is scheduled the case is active,
 * may not be suspended a second time, and `resume` withdraws the planned suspension.
 */
export function allowedActionsOn(status: CaseStatus, scheduled: boolean): CaseAction[] {
  const actions = allowedCaseActions(status)
  return scheduled ? actions.map((a) => (a === 'suspend' ? 'resume' : a)) : actions
}
