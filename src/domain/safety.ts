/**
 * A case's safety profile at the centre (docs/domain.md, "Safety by design"): two parties it keeps
 * apart never arrive or leave together. Their arrivals, and their departures, lie at least the
 * centre's minimumGapMinutes apart at every visit and conversation they both attend.
 */
import type { PartyArrival, StaggerRule } from './stagger.js'
import { MINUTE_MS } from './time.js'

export type PartyPair = readonly [string, string]

/** The pairs kept apart who both take part (by party id). */
export const pairsPresent = (pairs: readonly PartyPair[], partyIds: readonly string[]): PartyPair[] =>
  pairs.filter(([a, b]) => partyIds.includes(a) && partyIds.includes(b))

/** The pairs kept apart who would cross: both there, arriving or leaving less than the minimum apart. */
export function pairsTooClose(arrivals: readonly PartyArrival[], pairs: readonly PartyPair[], minimumGapMinutes: number): PartyPair[] {
  const byParty = new Map(arrivals.map((a) => [a.partyId, a]))
  const minimum = minimumGapMinutes * MINUTE_MS
  return pairs.filter(([a, b]) => {
    const first = byParty.get(a)
    const second = byParty.get(b)
    if (!first || !second) return false
    return Math.abs(first.arriveAt.getTime() - second.arriveAt.getTime()) < minimum || Math.abs(first.leaveAt.getTime() - second.leaveAt.getTime()) < minimum
  })
}

/**
 * The staggering a booking uses when it does not say: the default gaps, raised to the minimum when a
 * pair kept apart takes part. Gaps the client gave are kept as given (and judged: too small is a 409).
 */
export function safeStagger(base: StaggerRule, given: Partial<StaggerRule> | undefined, keepApart: boolean, minimumGapMinutes: number): StaggerRule {
  const floor = (gap: number) => (keepApart ? Math.max(gap, minimumGapMinutes) : gap)
  return {
    firstToArrive: given?.firstToArrive ?? base.firstToArrive,
    arrivalGapMinutes: given?.arrivalGapMinutes ?? floor(base.arrivalGapMinutes),
    departureGapMinutes: given?.departureGapMinutes ?? floor(base.departureGapMinutes),
  }
}
