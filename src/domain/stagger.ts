/**
 * Staggered arrival and departure: the parties of one case never meet at the
 * centre (docs/domain.md, "Safety by design"). The room and counsellor are
 * reserved for the whole span, from the first arrival to the last departure.
 */

import { VISIT_KINDS, type PartySide, type VisitKind } from './vocabulary.js'
import { MINUTE_MS } from './time.js'

export interface StaggerRule {
  firstToArrive: PartySide
  arrivalGapMinutes: number
  departureGapMinutes: number
}

export interface PartyArrival {
  partyId: string
  arriveAt: Date
  leaveAt: Date
}

export interface StaggeredVisit {
  /** What the room and counsellor are reserved for. */
  spanStart: Date
  spanEnd: Date
  /** The contact itself. */
  start: Date
  end: Date
  arrivals: PartyArrival[]
}

const MAX_DURATION_MINUTES = 1440
const MAX_GAP_MINUTES = 240

function requireMinutes(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number of minutes from ${min} to ${max}, got ${String(value)}`)
  }
}

function plusMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * MINUTE_MS)
}

/**
 * Arrival and leave times per party, and the span to reserve.
 *
 * Visits, outside visits and conversations — first in, last out: the
 * `firstToArrive` side comes `arrivalGap` before the start and leaves
 * `departureGap` after the end; the other side comes at the start and leaves at
 * the end, so the two sides never cross in the hall.
 *
 * Handovers — drop-off, the counsellor holds the child, pick-up: the
 * `firstToArrive` side drops the child off during [start, end]; the counsellor
 * then keeps the child for `arrivalGap` minutes, after which the other side
 * picks the child up during the next `departureGap` minutes.
 *
 * When only one side has parties (e.g. a conversation with one parent) there is
 * no one to keep apart: everyone is there for [start, end] and so is the span.
 */
export function computeStagger(args: {
  kind: VisitKind
  start: Date
  durationMinutes: number
  stagger: StaggerRule
  parties: { partyId: string; side: PartySide }[]
}): StaggeredVisit {
  const { kind, start, durationMinutes, stagger, parties } = args
  if (!VISIT_KINDS.includes(kind)) throw new RangeError(`kind must be one of ${VISIT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`)
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw new RangeError('start must be a valid Date')
  requireMinutes('durationMinutes', durationMinutes, 1, MAX_DURATION_MINUTES)
  requireMinutes('arrivalGapMinutes', stagger.arrivalGapMinutes, 0, MAX_GAP_MINUTES)
  requireMinutes('departureGapMinutes', stagger.departureGapMinutes, 0, MAX_GAP_MINUTES)
  if (stagger.firstToArrive !== 'visiting' && stagger.firstToArrive !== 'residing') {
    throw new RangeError(`firstToArrive must be 'visiting' or 'residing', got ${JSON.stringify(stagger.firstToArrive)}`)
  }

  const end = plusMinutes(start, durationMinutes)
  const bothSides = new Set(parties.map((p) => p.side)).size > 1

  const presence = (side: PartySide): { arriveAt: Date; leaveAt: Date } => {
    if (!bothSides) return { arriveAt: start, leaveAt: end }
    const first = side === stagger.firstToArrive
    if (kind === 'supervised_handover') {
      if (first) return { arriveAt: start, leaveAt: end }
      const pickUp = plusMinutes(end, stagger.arrivalGapMinutes)
      return { arriveAt: pickUp, leaveAt: plusMinutes(pickUp, stagger.departureGapMinutes) }
    }
    return first
      ? { arriveAt: plusMinutes(start, -stagger.arrivalGapMinutes), leaveAt: plusMinutes(end, stagger.departureGapMinutes) }
      : { arriveAt: start, leaveAt: end }
  }

  const arrivals = parties.map(({ partyId, side }) => {
    const { arriveAt, leaveAt } = presence(side)
    // Fresh Date objects: callers may mutate what they get back.
    return { partyId, arriveAt: new Date(arriveAt), leaveAt: new Date(leaveAt) }
  })
  const times = arrivals.flatMap((a) => [a.arriveAt.getTime(), a.leaveAt.getTime()])
  return {
    spanStart: new Date(Math.min(start.getTime(), ...times)),
    spanEnd: new Date(Math.max(end.getTime(), ...times)),
    start: new Date(start),
    end,
    arrivals,
  }
}
