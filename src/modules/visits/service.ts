import { and, eq, inArray, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Tx } from '../../db/client.js'
import { parties, visitAttendances, visitObservations, visitOutcomes, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, type DomainError } from '../../domain/errors.js'
import { childBroughtByNonAdultIncident, childBroughtByVisitorIncident, notOfVisitIncident, type NamedPerson } from '../../domain/incident-wording.js'
import {
  attributeCancellation,
  childAmongAbsent,
  isLateCancellation,
  judgeAttendance,
  judgeCancellation,
  judgeOutcome,
  outcomeFreesReservations,
  type Verdict,
} from '../../domain/visit-lifecycle.js'
import { formatInstant, localDate } from '../../domain/time.js'
import { parseTime } from '../../http/times.js'
import { audit } from '../../db/audit.js'
import { currentAgreement } from '../cases/index.js'
import { requireReason } from '../reason-codes/index.js'
import { casePeople, releaseReservations, visitView, type VisitRow } from '../scheduling/index.js'
import { attendancesOf, lockVisit, outcomeHistory } from './queries.js'
import { centreSettings } from '../admin/index.js'
import { OUTCOME_FIELDS, type CancelBody, type CheckInBody, type CheckOutBody, type OutcomeBody } from './schemas.js'
import { attendanceView, outcomeView } from './views.js'

/**
 * The day of a visit: cancelling it, checking its parties in and out, recording its outcome. Each
 * starts by locking the visit row, so two requests about one visit never interleave; the rules
 * themselves are pure (src/domain/visit-lifecycle.ts).
 */

/** A refusal of the visit's state as a 409 naming its status. */
function refused(visit: VisitRow, verdict: Extract<Verdict, { ok: false }>, extensions: Record<string, unknown> = {}) {
  return conflict(verdict.code, verdict.detail, { currentStatus: visit.status, ...extensions })
}

const clockTime = (instant: Date, timeZone: string) => DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('HH:mm')

/** The people of the case among `ids`, with names and roles, for a text staff read; anyone else stays unnamed. */
async function peopleNamed(tx: Tx, caseId: string, ids: string[]) {
  const rows = await tx
    .select({ id: parties.id, givenName: parties.givenName, familyName: parties.familyName, role: parties.role })
    .from(parties)
    .where(and(eq(parties.caseId, caseId), inArray(parties.id, ids)))
  return new Map<string, NamedPerson>(rows.map((r) => [r.id, r]))
}

/** A time in the body: a local wall time in the visit's zone or an instant, never after `now`. */
function timeInBody(value: string | undefined, pointer: string, visit: VisitRow, now: Date): Date {
  if (value === undefined) return now
  const instant = parseTime(value, visit.timeZone, { in: 'body', pointer })
  if (instant > now) throw invalidInput('body', pointer, `is in the future (now is ${formatInstant(now, visit.timeZone)})`)
  return instant
}

const bumped = (now: Date) => ({ version: sql`${visits.version} + 1`, updatedAt: now })

// ── Cancellation ────────────────────────────────────────────────────────────────────────────────

/**
 * Cancels a booked visit of today or later on behalf of whoever called it off, and frees its room,
 * counsellors and people in the same transaction. Late when it comes after start − the centre's notice.
 */
export async function cancelVisit(tx: Tx, actor: Actor, now: Date, id: string, input: CancelBody) {
  const visit = await lockVisit(tx, actor, id)
  const verdict = judgeCancellation({ status: visit.status, date: localDate(visit.startsAt, visit.timeZone) }, localDate(now, visit.timeZone))
  if (!verdict.ok) throw refused(visit, verdict)
  await requireReason(tx, visit.centreId, ['cancellation'], input.reasonCode)
  const attribution = attributeCancellation(input, await casePeople(tx, visit.caseId), visit.partyIds)
  if (!attribution.ok) throw invalidInput('body', attribution.pointer, attribution.detail)
  const settings = await centreSettings(tx, visit.centreId)
  const late = isLateCancellation(visit.startsAt, now, settings.cancellationNoticeHours)
  const [row] = await tx
    .update(visits)
    .set({
      status: 'cancelled',
      cancelledBy: input.cancelledBy,
      cancelledByPartyId: attribution.partyId,
      cancelledLate: late,
      cancelReasonCode: input.reasonCode,
      cancelExplanation: input.explanation,
      cancelledAt: now,
      ...bumped(now),
    })
    .where(eq(visits.id, id))
    .returning()
  await releaseReservations(tx, [id])
  await audit(tx, actor, { action: `visit.cancelled.${input.reasonCode}`, entityType: 'visit', entityId: id })
  return { ...visitView(row!), late, reasonCode: input.reasonCode }
}

// ── Attendance ──────────────────────────────────────────────────────────────────────────────────

/** A check-in either recorded, or refused with an incident that must be committed before the refusal is answered. */
export type CheckInResult =
  { ok: true; attendance: ReturnType<typeof attendanceView> & { visitStatus: VisitRow['status'] } } | { ok: false; refusal: DomainError }

/**
 * Someone the centre cannot place tried to come in: recorded as an internal incident on the visit
 * (never reportable), and the check-in is refused. The caller commits, then answers the refusal.
 */
async function refuseWithIncident(tx: Tx, actor: Actor, visit: VisitRow, text: string, refusal: DomainError): Promise<CheckInResult> {
  const [incident] = await tx
    .insert(visitObservations)
    .values({ visitId: visit.id, caseId: visit.caseId, kind: 'incident', text, reportable: false, recordedByTokenId: actor.tokenId })
    .returning({ id: visitObservations.id })
  await audit(tx, actor, { action: 'visit.check_in_refused', entityType: 'visit', entityId: visit.id })
  refusal.extensions.incidentId = incident!.id
  return { ok: false, refusal }
}

/** Names are typed at the desk: compared without case and surrounding or repeated spaces. */
const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * Records a party's arrival on the visit's day; the first one makes the visit `arrived`. A child is
 * brought by an adult party of the case or by an authorised visitor of the agreement. Someone who is
 * not a party of the visit, or a child brought by someone else, is refused and recorded as an incident.
 */
export async function checkIn(tx: Tx, actor: Actor, now: Date, id: string, input: CheckInBody): Promise<CheckInResult> {
  const visit = await lockVisit(tx, actor, id)
  const zone = visit.timeZone
  const visitDate = localDate(visit.startsAt, zone)
  const verdict = judgeAttendance({ status: visit.status, date: visitDate }, localDate(now, zone))
  if (!verdict.ok) throw refused(visit, verdict)
  const at = timeInBody(input.at, '/at', visit, now)
  if (localDate(at, zone) !== visitDate) throw invalidInput('body', '/at', `is not on the visit's day (${visitDate})`)

  const people = await casePeople(tx, visit.caseId)
  const party = people.find((p) => p.partyId === input.partyId && visit.partyIds.includes(p.partyId))
  // The texts the service writes itself are in the centre's language.
  const incidentLanguage = async () => (await centreSettings(tx, visit.centreId)).language
  if (!party) {
    const named = await peopleNamed(tx, visit.caseId, [input.partyId])
    return refuseWithIncident(
      tx,
      actor,
      visit,
      notOfVisitIncident(await incidentLanguage(), clockTime(at, zone), named.get(input.partyId)),
      conflict(
        'unknown-party',
        `The visit is ${visit.status}; ${input.partyId} is not a party of this visit: the check-in is refused and recorded as an incident.`,
        {
          currentStatus: visit.status,
        },
      ),
    )
  }
  const [already] = await tx
    .select()
    .from(visitAttendances)
    .where(and(eq(visitAttendances.visitId, id), eq(visitAttendances.partyId, input.partyId)))
  if (already)
    throw conflict(
      'already-checked-in',
      `The visit is ${visit.status}; party ${input.partyId} already checked in at ${clockTime(already.checkedInAt, zone)}.`,
      {
        currentStatus: visit.status,
      },
    )

  let broughtBy: { broughtByPartyId?: string; broughtByVisitor?: string } = {}
  if (party.side === 'child') {
    const brought = input.broughtBy
    if (!brought) throw invalidInput('body', '/broughtBy', 'is required for a child: an adult party of the case or an authorised visitor of the agreement')
    if ('partyId' in brought) {
      const adult = people.find((p) => p.partyId === brought.partyId && p.side !== 'child')
      if (!adult) {
        const named = await peopleNamed(tx, visit.caseId, [party.partyId, brought.partyId])
        return refuseWithIncident(
          tx,
          actor,
          visit,
          childBroughtByNonAdultIncident(await incidentLanguage(), clockTime(at, zone), named.get(party.partyId), named.get(brought.partyId)),
          conflict(
            'not-authorised',
            `The visit is ${visit.status}; the child may only be brought by an adult party of the case or an authorised visitor of the agreement: the check-in is refused and recorded as an incident.`,
            {
              currentStatus: visit.status,
            },
          ),
        )
      }
      broughtBy = { broughtByPartyId: adult.partyId }
    } else {
      const name = brought.authorisedVisitor
      const agreement = await currentAgreement(tx, visit.caseId)
      const visitor = agreement?.authorisedVisitors.find((v) => sameName(v.name, name))
      if (!visitor) {
        const named = await peopleNamed(tx, visit.caseId, [party.partyId])
        return refuseWithIncident(
          tx,
          actor,
          visit,
          childBroughtByVisitorIncident(await incidentLanguage(), clockTime(at, zone), named.get(party.partyId), name),
          conflict(
            'not-authorised',
            `The visit is ${visit.status}; "${name}" is not an authorised visitor of the agreement: the check-in is refused and recorded as an incident.`,
            {
              currentStatus: visit.status,
            },
          ),
        )
      }
      broughtBy = { broughtByVisitor: visitor.name }
    }
  } else if (input.broughtBy) {
    throw invalidInput('body', '/broughtBy', 'applies to a child only')
  }

  const [attendance] = await tx
    .insert(visitAttendances)
    .values({ visitId: id, partyId: input.partyId, checkedInAt: at, ...broughtBy, createdAt: now })
    .returning()
  let status = visit.status
  if (status === 'booked') {
    status = 'arrived'
    await tx
      .update(visits)
      .set({ status, ...bumped(now) })
      .where(eq(visits.id, id))
  }
  await audit(tx, actor, { action: 'visit.checked_in', entityType: 'visit', entityId: id })
  return { ok: true, attendance: { ...attendanceView(attendance!), visitStatus: status } }
}

/** Records a party's leaving, after its check-in, on the visit's day. */
export async function checkOut(tx: Tx, actor: Actor, now: Date, id: string, input: CheckOutBody) {
  const visit = await lockVisit(tx, actor, id)
  const zone = visit.timeZone
  const verdict = judgeAttendance({ status: visit.status, date: localDate(visit.startsAt, zone) }, localDate(now, zone))
  if (!verdict.ok) throw refused(visit, verdict)
  const at = timeInBody(input.at, '/at', visit, now)
  const [attendance] = await tx
    .select()
    .from(visitAttendances)
    .where(and(eq(visitAttendances.visitId, id), eq(visitAttendances.partyId, input.partyId)))
  if (!attendance)
    throw conflict('not-checked-in', `The visit is ${visit.status}; ${input.partyId} has not checked in at this visit, so it cannot check out.`, {
      currentStatus: visit.status,
    })
  if (attendance.checkedOutAt)
    throw conflict(
      'already-checked-out',
      `The visit is ${visit.status}; party ${input.partyId} already checked out at ${clockTime(attendance.checkedOutAt, zone)}.`,
      {
        currentStatus: visit.status,
      },
    )
  if (at < attendance.checkedInAt) throw invalidInput('body', '/at', `is before the party's check-in at ${clockTime(attendance.checkedInAt, zone)}`)
  const [row] = await tx.update(visitAttendances).set({ checkedOutAt: at }).where(eq(visitAttendances.id, attendance.id)).returning()
  await audit(tx, actor, { action: 'visit.checked_out', entityType: 'visit', entityId: id })
  return { ...attendanceView(row!), visitStatus: visit.status }
}

// ── Outcome ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Records what happened to a visit that has started, or corrects the current outcome (`supersedes`).
 * Outcomes are never changed: a correction is a new row and the history keeps both. The visit takes
 * the outcome as its status; a no-show or an interruption frees its reservations.
 */
export async function recordOutcome(tx: Tx, actor: Actor, now: Date, id: string, input: OutcomeBody) {
  const visit = await lockVisit(tx, actor, id)
  const zone = visit.timeZone
  const fields = new Set(['outcome', 'supersedes', ...OUTCOME_FIELDS[input.outcome]])
  for (const key of Object.keys(input)) if (!fields.has(key)) throw invalidInput('body', `/${key}`, `does not apply to a ${input.outcome} outcome`)

  const history = await outcomeHistory(tx, id)
  const current = history.at(-1) ?? null
  const verdict = judgeOutcome(
    { status: visit.status, start: visit.startsAt, startLabel: formatInstant(visit.startsAt, zone), currentOutcomeId: current?.id ?? null },
    input.outcome,
    input.supersedes,
    now,
  )
  if (!verdict.ok) throw refused(visit, verdict, { currentOutcomeId: current?.id ?? null })

  let values: Partial<typeof visitOutcomes.$inferInsert> = {}
  if (input.outcome === 'fulfilled') {
    const actualStart = timeInBody(input.actualStart, '/actualStart', visit, now)
    const actualEnd = timeInBody(input.actualEnd, '/actualEnd', visit, now)
    if (actualEnd <= actualStart) throw invalidInput('body', '/actualEnd', 'must be after actualStart')
    values = { actualStart, actualEnd }
  } else if (input.outcome === 'noshow') {
    input.absentPartyIds.forEach((partyId, i) => {
      if (!visit.partyIds.includes(partyId)) throw invalidInput('body', `/absentPartyIds/${i}`, 'is not a party of this visit')
    })
    const child = childAmongAbsent(input.absentPartyIds, await casePeople(tx, visit.caseId))
    if (child) throw invalidInput('body', child.pointer, child.detail)
    const attendances = await attendancesOf(tx, id)
    const present = attendances.find((a) => input.absentPartyIds.includes(a.partyId))
    if (present)
      throw conflict(
        'party-was-present',
        `The visit is ${visit.status}; party ${present.partyId} checked in at ${clockTime(present.checkedInAt, zone)} and cannot be absent.`,
        {
          currentStatus: visit.status,
        },
      )
    values = { absentPartyIds: input.absentPartyIds }
  } else {
    await requireReason(tx, visit.centreId, ['cancellation', 'suspension'], input.reasonCode)
    const interruptedAt = timeInBody(input.at, '/at', visit, now)
    if (interruptedAt < visit.spanStart) throw invalidInput('body', '/at', `is before the visit began (${formatInstant(visit.spanStart, zone)})`)
    values = { reasonCode: input.reasonCode, explanation: input.explanation, interruptedAt }
  }

  const [row] = await tx
    .insert(visitOutcomes)
    .values({ visitId: id, outcome: input.outcome, ...values, supersedes: input.supersedes ?? null, recordedByTokenId: actor.tokenId, createdAt: now })
    .returning()
  await tx
    .update(visits)
    .set({ status: input.outcome, ...bumped(now) })
    .where(eq(visits.id, id))
  if (outcomeFreesReservations(input.outcome)) await releaseReservations(tx, [id])
  await audit(tx, actor, {
    action: input.supersedes ? `visit.outcome_corrected.${input.outcome}` : `visit.outcome.${input.outcome}`,
    entityType: 'visit',
    entityId: id,
  })
  return outcomeView(row!)
}
