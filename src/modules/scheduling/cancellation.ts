import { endedCancellation, suspendedCancellation } from '../../domain/incident-wording.js'
import { withDefaults } from '../../domain/centre-settings.js'
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Tx } from '../../db/client.js'
import { cases, centres, reservations, visits } from '../../db/schema.js'
import { audit } from '../audit/service.js'
import type { Actor } from '../../domain/actor.js'

/** Cancelling visits and freeing what they reserved: used by case transitions, series ending and visit changes. */

export interface Cancellation {
  reasonCode: string
  explanation: string | null
}

/** Frees a visit's reservations (cancelled, moved, entered in error). */
export async function releaseReservations(tx: Tx, visitIds: string[]) {
  if (visitIds.length === 0) return
  await tx
    .update(reservations)
    .set({ active: false })
    .where(and(eq(reservations.active, true), inArray(reservations.visitId, visitIds)))
}

/**
 * The one way booked visits are cancelled by the centre: the visits matching `which` that are still
 * booked and start in the window are cancelled and their reservations freed, in the caller's
 * transaction (which holds the case row lock, so no booking can slip in between). Returns the
 * cancelled visit ids in start order.
 */

export async function cancelBookedVisits(
  tx: Tx,
  actor: Actor,
  now: Date,
  which: { caseId: string } | { seriesId: string },
  window: { from?: Date; until?: Date },
  reason: Cancellation,
) {
  const cancelled = await tx
    .update(visits)
    .set({
      status: 'cancelled',
      cancelledBy: 'centre',
      cancelReasonCode: reason.reasonCode,
      cancelExplanation: reason.explanation,
      cancelledAt: now,
      version: sql`${visits.version} + 1`,
    })
    .where(
      and(
        'caseId' in which ? eq(visits.caseId, which.caseId) : eq(visits.seriesId, which.seriesId),
        eq(visits.status, 'booked'),
        window.from ? gte(visits.startsAt, window.from) : undefined,
        window.until ? lt(visits.startsAt, window.until) : undefined,
      ),
    )
    .returning({ id: visits.id, startsAt: visits.startsAt })
  cancelled.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id))
  const ids = cancelled.map((v) => v.id)
  await releaseReservations(tx, ids)
  await audit(
    tx,
    actor,
    ids.map((id) => ({ action: `visit.cancelled.${reason.reasonCode}`, entityType: 'visit', entityId: id })),
  )
  return ids
}

const startOfLocalDay = (date: string, timeZone: string) => DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate()

/**
 * A suspension [from, until) cancels the booked visits whose contact starts inside it (reason
 * case_suspended). A suspension dated back leaves visits already past alone: they are history.
 */
export async function cancelVisitsInSuspension(
  tx: Tx,
  actor: Actor,
  now: Date,
  caseId: string,
  period: { from: string; until: string | null },
  timeZone: string,
) {
  const from = startOfLocalDay(period.from, timeZone)
  const lang = await centreLanguageOfCase(tx, caseId)
  return cancelBookedVisits(
    tx,
    actor,
    now,
    { caseId },
    {
      from: from > now ? from : now,
      until: period.until ? startOfLocalDay(period.until, timeZone) : undefined,
    },
    { reasonCode: 'case_suspended', explanation: suspendedCancellation(lang, period.from, period.until) },
  )
}

/** Ending a case cancels every visit still to come (reason case_ended). */
export async function cancelFutureVisits(tx: Tx, actor: Actor, now: Date, caseId: string) {
  const explanation = endedCancellation(await centreLanguageOfCase(tx, caseId))
  return cancelBookedVisits(tx, actor, now, { caseId }, { from: new Date(now.getTime() + 1) }, { reasonCode: 'case_ended', explanation })
}

/** The language the case's centre works in: what the service writes on its visits is in it. */
async function centreLanguageOfCase(tx: Tx, caseId: string) {
  const [row] = await tx.select({ settings: centres.settings }).from(cases).innerJoin(centres, eq(centres.id, cases.centreId)).where(eq(cases.id, caseId))
  return withDefaults(row?.settings).language
}
