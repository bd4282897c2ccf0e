import { and, eq, gte, lt, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Tx } from '../../db/client.js'
import { visits } from '../../db/schema.js'
import { audit } from '../../http/audit.js'
import type { Actor } from '../../http/auth.js'
import { releaseReservations } from './booking.js'

type Who = { actor: Actor; id: string }

/**
 * Cancels booked visits of a case and frees their reservations, in the caller's transaction (which
 * holds the case row lock, so no booking can slip in between). Returns the cancelled visit ids.
 */
async function cancelBooked(tx: Tx, who: Who, caseId: string, window: { from?: Date; until?: Date }, reasonCode: 'case_suspended' | 'case_ended', explanation: string) {
  const cancelled = await tx.update(visits).set({
    status: 'cancelled', cancelledBy: 'centre', cancelReasonCode: reasonCode, cancelExplanation: explanation,
    cancelledAt: new Date(), version: sql`${visits.version} + 1`,
  }).where(and(
    eq(visits.caseId, caseId), eq(visits.status, 'booked'),
    window.from ? gte(visits.startsAt, window.from) : undefined,
    window.until ? lt(visits.startsAt, window.until) : undefined,
  )).returning({ id: visits.id })
  const ids = cancelled.map((v) => v.id)
  await releaseReservations(tx, ids)
  for (const id of ids) await audit(tx, who, { action: `visit.cancelled.${reasonCode}`, entityType: 'visit', entityId: id })
  return ids
}

const startOfLocalDay = (date: string, timeZone: string) => DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate()

/** A suspension [from, until) cancels the booked visits whose contact starts inside it (reason case_suspended). */
export function cancelVisitsInSuspension(tx: Tx, who: Who, caseId: string, period: { from: string; until: string | null }, timeZone: string) {
  return cancelBooked(tx, who, caseId, {
    from: startOfLocalDay(period.from, timeZone),
    until: period.until ? startOfLocalDay(period.until, timeZone) : undefined,
  }, 'case_suspended', `The case is suspended from ${period.from}${period.until ? ` until ${period.until}` : ''}.`)
}

/** Ending a case cancels every visit still to come (reason case_ended). */
export function cancelFutureVisits(tx: Tx, who: Who, caseId: string, now = new Date()) {
  return cancelBooked(tx, who, caseId, { from: new Date(now.getTime() + 1) }, 'case_ended', 'The case has ended.')
}

