import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { visits, type StaggerSettings } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, notFound } from '../../domain/errors.js'
import type { PartySide } from '../../domain/vocabulary.js'
import { inCentre } from '../../db/scope.js'
import { parseTime } from '../../http/times.js'
import { audit } from '../../db/audit.js'
import {
  absencesFrom,
  prepareBooking,
  rebookVisit,
  visitView,
  type BookingContext,
  type BookingRequest,
  type VisitPatch,
  type VisitRow,
} from '../scheduling/index.js'
import { MINUTE_MS } from '../../domain/time.js'

/** Changing a booked visit: the new slot is judged by the booking rules of the scheduling module. */

/** The version a change was asked against is no longer the visit's (the route answers 412). */
export class StaleVersion extends Error {
  constructor(
    readonly expected: string[],
    readonly currentVersion: number,
  ) {
    super(`The visit is at version ${currentVersion}`)
  }
}

/** The version and status preconditions of a change, checked before and again under the row lock. */
function checkChangeable(row: VisitRow, ifMatch: '*' | string[]) {
  if (ifMatch !== '*' && !ifMatch.includes(String(row.version))) throw new StaleVersion(ifMatch, row.version)
  if (row.status !== 'booked') {
    throw conflict('visit-not-booked', `The visit is ${row.status}; only a booked visit can be moved or changed.`, { currentStatus: row.status })
  }
}

/**
 * The staggering a visit was booked with, read back from its arrivals (so a move keeps the gaps it
 * had); undefined when only one side takes part and there is nothing to keep apart.
 */
function staggerOfVisit(visit: VisitRow, people: BookingContext['people']): StaggerSettings | undefined {
  const sideOf = new Map(people.map((p) => [p.partyId, p.side]))
  const bySide = (side: PartySide) => visit.arrivals.find((a) => sideOf.get(a.partyId) === side)
  const visiting = bySide('visiting')
  const residing = bySide('residing')
  if (!visiting || !residing) return undefined
  const minutes = (a: string | Date, b: string | Date) => Math.round((new Date(a).getTime() - new Date(b).getTime()) / MINUTE_MS)
  const [firstSide, first, second] =
    Date.parse(visiting.arriveAt) <= Date.parse(residing.arriveAt) ? ['visiting' as const, visiting, residing] : ['residing' as const, residing, visiting]
  if (visit.kind === 'supervised_handover') {
    // The first side drops off during [start, end]; the other picks up `arrivalGap` after the end.
    return {
      firstToArrive: firstSide,
      arrivalGapMinutes: minutes(second.arriveAt, visit.endsAt),
      departureGapMinutes: minutes(second.leaveAt, second.arriveAt),
    }
  }
  return { firstToArrive: firstSide, arrivalGapMinutes: minutes(visit.startsAt, first.arriveAt), departureGapMinutes: minutes(first.leaveAt, visit.endsAt) }
}

/**
 * Moves a booked visit or changes its room, counsellors or duration, if it is still at one of the
 * versions in `ifMatch`: the new slot is judged by every rule a new booking obeys.
 */
export async function changeVisit(tx: Tx, actor: Actor, now: Date, id: string, ifMatch: '*' | string[], input: VisitPatch) {
  const [current] = await tx
    .select()
    .from(visits)
    .where(and(eq(visits.id, id), inCentre(visits.centreId, actor)))
  if (!current) throw notFound('visit', id)
  checkChangeable(current, ifMatch)

  const request: BookingRequest = {
    kind: current.kind,
    roomId: input.roomId ?? current.roomId ?? undefined,
    counsellorIds: input.counsellorIds ?? current.counsellorIds,
    partyIds: current.kind === 'conversation' ? current.partyIds : undefined,
    durationMinutes: input.durationMinutes ?? Math.round((current.endsAt.getTime() - current.startsAt.getTime()) / MINUTE_MS),
    purpose: current.purpose ?? undefined,
    location: current.location ?? undefined,
    interpreter: current.interpreter ?? undefined,
  }
  // A local start is read in the zone of the site the visit will be at; a rough instant first, for the absences to load.
  const roughStart = input.start ? parseTime(input.start, current.timeZone, { in: 'body', pointer: '/start' }) : current.startsAt
  const ctx = await prepareBooking(tx, actor, now, current.caseId, request, absencesFrom(roughStart))
  const start = input.start ? parseTime(input.start, ctx.timeZone, { in: 'body', pointer: '/start' }) : current.startsAt
  // Only a new start is judged against now: a visit kept where it is may get another room or counsellor.
  if (!input.start) ctx.rules.notBefore = null

  // Under the case lock, lock the visit and check again: a concurrent change must not be overwritten.
  const [locked] = await tx.select().from(visits).where(eq(visits.id, id)).for('update')
  checkChangeable(locked!, ifMatch)
  ctx.stagger = { ...ctx.stagger, ...staggerOfVisit(locked!, ctx.people), ...input.stagger }

  const row = await rebookVisit(tx, now, ctx, locked!, start)
  await audit(tx, actor, { action: 'visit.updated', entityType: 'visit', entityId: row.id })
  return { version: row.version, visit: visitView(row) }
}
