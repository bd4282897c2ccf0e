import { DateTime } from 'luxon'
import type { CaseStatus } from './vocabulary.js'

/**
 * Help is temporary and exceptional: a case runs for a planned period, an extension past the
 * centre's longest trajectory or beyond its number of extensions is exceptional, and staff plan an
 * evaluation with each party and the child at a regular interval. Dates are local 'YYYY-MM-DD'.
 */

export interface TrajectoryLimits {
  maxTrajectoryMonths: number
  maxExtensions: number
}

/**
 * The limits an extension to `plannedEndDate` would pass: the longest trajectory counted from
 * activation, and the number of extensions already made. Empty when it stays within both.
 */
export function extensionBeyondLimits(
  input: { activatedOn: string | null; plannedEndDate: string; previousExtensions: number },
  limits: TrajectoryLimits,
): string[] {
  const exceeded: string[] = []
  if (input.activatedOn) {
    const longest = DateTime.fromISO(input.activatedOn).plus({ months: limits.maxTrajectoryMonths }).toISODate()!
    if (input.plannedEndDate > longest) {
      exceeded.push(`it would run past ${longest}, ${limits.maxTrajectoryMonths} months after activation (the centre's longest trajectory)`)
    }
  }
  if (input.previousExtensions >= limits.maxExtensions) {
    exceeded.push(
      `it has been extended ${input.previousExtensions} time${input.previousExtensions === 1 ? '' : 's'} already (the centre allows ${limits.maxExtensions})`,
    )
  }
  return exceeded
}

/**
 * The next evaluation conversation: `intervalMonths` after the last one held (or after activation,
 * before the first), sooner when the agreement's block of visits is used up after it (the day of
 * the block's last visit), and at the latest the planned end (the evaluation before ending or
 * extending). A date before `today` is overdue. None for a case that is not running.
 */
export function nextEvaluation(
  input: {
    status: CaseStatus
    activatedOn: string | null
    plannedEndDate: string | null
    /** The day of the last evaluation conversation held, if any. */
    lastEvaluationOn?: string | null
    /** The day of the last visit of the agreement's block (its maxVisits-th), when the block is used up. */
    blockUsedUpOn?: string | null
  },
  intervalMonths: number,
): string | null {
  if (!input.activatedOn || (input.status !== 'active' && input.status !== 'suspended')) return null
  const since = input.lastEvaluationOn && input.lastEvaluationOn > input.activatedOn ? input.lastEvaluationOn : input.activatedOn
  const candidates = [DateTime.fromISO(since).plus({ months: intervalMonths }).toISODate()!]
  if (input.blockUsedUpOn && input.blockUsedUpOn >= since) candidates.push(input.blockUsedUpOn)
  if (input.plannedEndDate) candidates.push(input.plannedEndDate)
  return candidates.sort()[0]!
}

/** `30d` → 30: the window of `endingWithin`, in days. */
export const windowDays = (window: string): number => Number(window.slice(0, -1))
