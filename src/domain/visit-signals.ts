import type { CancelledBy, VisitStatus } from './vocabulary.js'

/**
 * Signals on a case for staff: patterns in its visits that may call for a conversation or a
 * decision. They are flags only; the decision (suspending, ending) stays with the centre.
 */

/** A visit of the case as far as the signals need it; `absentPartyIds` and `outcomeReasonCode` come from its current outcome. */
export interface VisitRecord {
  start: Date
  status: VisitStatus
  partyIds: string[]
  absentPartyIds: string[]
  cancelledBy: CancelledBy | null
  cancelReasonCode: string | null
  outcomeReasonCode: string | null
}

export type Signal = { code: 'consecutive_absences'; partyId: string; count: number } | { code: 'child_refusals'; count: number }

export interface SignalSettings {
  consecutiveAbsencesSignal: number
  childRefusalsSignal: number
}

const CHILD_REFUSES = 'child_refuses'

const hasOutcome = (v: VisitRecord) => v.status === 'fulfilled' || v.status === 'noshow' || v.status === 'interrupted'

/**
 * How many of the latest visits in a row the party missed: walking back from the latest visit with
 * an outcome that the party takes part in, each outcome listing the party absent counts (a no-show,
 * or a fulfilled visit the party did not come to), the first visit
 * the party did not miss stops the count. Cancelled visits and visits still without an outcome are
 * neither absence nor attendance and are passed over.
 */
export function consecutiveAbsences(visits: readonly VisitRecord[], partyId: string): number {
  const relevant = visits.filter((v) => hasOutcome(v) && v.partyIds.includes(partyId)).sort((a, b) => b.start.getTime() - a.start.getTime())
  let count = 0
  for (const v of relevant) {
    // Listed absent: at a no-show, or at a visit held without them (fulfilled, partly attended).
    if (!v.absentPartyIds.includes(partyId)) break
    count++
  }
  return count
}

/** A visit the child refused: cancelled (by the adult who was to bring the child) or interrupted because the child refuses. */
export function isChildRefusal(v: VisitRecord): boolean {
  if (v.status === 'cancelled') return v.cancelReasonCode === CHILD_REFUSES
  if (v.status === 'interrupted') return v.outcomeReasonCode === CHILD_REFUSES
  return false
}

/** The case's signals: each party absent at the last N visits in a row, and the child refusing M visits in all. */
export function visitSignals(visits: readonly VisitRecord[], partyIds: readonly string[], settings: SignalSettings): Signal[] {
  const signals: Signal[] = []
  for (const partyId of partyIds) {
    const count = consecutiveAbsences(visits, partyId)
    if (count >= settings.consecutiveAbsencesSignal) signals.push({ code: 'consecutive_absences', partyId, count })
  }
  const refusals = visits.filter(isChildRefusal).length
  if (refusals >= settings.childRefusalsSignal) signals.push({ code: 'child_refusals', count: refusals })
  return signals
}
