import { and, eq, inArray, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Tx } from '../../db/client.js'
import { parties, visitAttendanceCorrections, visitAttendances, visitObservations, visitOutcomes, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, notFound, type DomainError } from '../../domain/errors.js'
import {
  childBroughtByNonAdultIncident,
  childBroughtByVisitorIncident,
  childPickedUpByIncident,
  notOfVisitIncident,
  type NamedPerson,
} from '../../domain/incident-wording.js'
import {
  attributeCancellation,
  childAmongAbsent,
  isLateCancellation,
  judgeAttendance,
  judgeAttendanceCorrection,
  judgeCancellation,
  judgeEnteredInError,
  judgeOutcome,
  outcomeFreesReservations,
  recordsAfterTheDay,
  type Verdict,
} from '../../domain/visit-lifecycle.js'
import { formatInstant, localDate } from '../../domain/time.js'
import { parseTime } from '../../http/times.js'
import { audit } from '../../db/audit.js'
import { currentAgreement } from '../cases/index.js'
import { requireReason } from '../reason-codes/index.js'
import { casePeople, releaseReservations, visitView, type VisitRow } from '../scheduling/index.js'
import { attendancesOf, correctionsOf, lockVisit, outcomeHistory, type AttendanceRow } from './queries.js'
import { centreSettings } from '../admin/index.js'
import {
  OUTCOME_FIELDS,
  type AttendanceCorrectionBody,
  type CancelBody,
  type CheckInBody,
  type CheckOutBody,
  type EnteredInErrorBody,
  type OutcomeBody,
} from './schemas.js'
import { attendanceFacts, attendanceView, correctionView, enteredInErrorView, outcomeView } from './views.js'

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

/** A check-in or check-out either recorded, or refused with an incident that must be committed before the refusal is answered. */
export type CheckInResult =
  { ok: true; attendance: ReturnType<typeof attendanceView> & { visitStatus: VisitRow['status'] } } | { ok: false; refusal: DomainError }

/**
 * Someone the centre cannot place tried to come in, or to take a child away: recorded as an internal
 * incident on the visit (never reportable), and the check-in or check-out is refused. The caller
 * commits, then answers the refusal.
 */
async function refuseWithIncident(
  tx: Tx,
  actor: Actor,
  visit: VisitRow,
  text: string,
  refusal: DomainError,
  action = 'visit.check_in_refused',
): Promise<CheckInResult> {
  const [incident] = await tx
    .insert(visitObservations)
    .values({ visitId: visit.id, caseId: visit.caseId, kind: 'incident', text, reportable: false, recordedByTokenId: actor.tokenId })
    .returning({ id: visitObservations.id })
  await audit(tx, actor, { action, entityType: 'visit', entityId: visit.id })
  refusal.extensions.incidentId = incident!.id
  return { ok: false, refusal }
}

/** Names are typed at the desk: compared without case and surrounding or repeated spaces. */
const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase()

type Companion = NonNullable<CheckInBody['broughtBy']>
type CasePeople = Awaited<ReturnType<typeof casePeople>>

/**
 * Who brings or picks up a child: an adult party of the case, or an authorised visitor of the current
 * agreement (by name, as the agreement spells it). Otherwise what was wrong, for the caller to refuse.
 */
async function judgeCompanion(
  tx: Tx,
  visit: VisitRow,
  people: CasePeople,
  companion: Companion,
): Promise<{ ok: true; partyId: string | null; visitor: string | null } | { ok: false; partyId?: string; visitor?: string }> {
  if ('partyId' in companion) {
    const adult = people.find((p) => p.partyId === companion.partyId && p.side !== 'child')
    return adult ? { ok: true, partyId: adult.partyId, visitor: null } : { ok: false, partyId: companion.partyId }
  }
  const agreement = await currentAgreement(tx, visit.caseId)
  const visitor = agreement?.authorisedVisitors.find((v) => sameName(v.name, companion.authorisedVisitor))
  return visitor ? { ok: true, partyId: null, visitor: visitor.name } : { ok: false, visitor: companion.authorisedVisitor }
}

/**
 * Whether the actor may record at the visit now: on its day, or after it for staff and admins; after
 * the day `at` is required (the time it happened), since now is not it.
 */
function judgeDesk(actor: Actor, visit: VisitRow, now: Date, at: string | undefined) {
  const zone = visit.timeZone
  const visitDate = localDate(visit.startsAt, zone)
  const today = localDate(now, zone)
  const verdict = judgeAttendance({ status: visit.status, date: visitDate }, today, recordsAfterTheDay(actor.role))
  if (!verdict.ok) throw refused(visit, verdict)
  if (visitDate < today && at === undefined) throw invalidInput('body', '/at', `is required after the visit's day (${visitDate}): the time it happened`)
  return visitDate
}

/**
 * Records a party's arrival on the visit's day (staff and admins also later, with its time); the
 * first one makes the visit `arrived`. A child is brought by an adult party of the case or by an
 * authorised visitor of the agreement. Someone who is not a party of the visit, or a child brought by
 * someone else, is refused and recorded as an incident.
 */
export async function checkIn(tx: Tx, actor: Actor, now: Date, id: string, input: CheckInBody): Promise<CheckInResult> {
  const visit = await lockVisit(tx, actor, id)
  const zone = visit.timeZone
  const visitDate = judgeDesk(actor, visit, now, input.at)
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
    const companion = await judgeCompanion(tx, visit, people, brought)
    if (!companion.ok) {
      const byParty = 'partyId' in brought
      const named = await peopleNamed(tx, visit.caseId, byParty ? [party.partyId, brought.partyId] : [party.partyId])
      const lang = await incidentLanguage()
      return refuseWithIncident(
        tx,
        actor,
        visit,
        byParty
          ? childBroughtByNonAdultIncident(lang, clockTime(at, zone), named.get(party.partyId), named.get(brought.partyId))
          : childBroughtByVisitorIncident(lang, clockTime(at, zone), named.get(party.partyId), brought.authorisedVisitor),
        conflict(
          'not-authorised',
          byParty
            ? `The visit is ${visit.status}; the child may only be brought by an adult party of the case or an authorised visitor of the agreement: the check-in is refused and recorded as an incident.`
            : `The visit is ${visit.status}; "${brought.authorisedVisitor}" is not an authorised visitor of the agreement: the check-in is refused and recorded as an incident.`,
          {
            currentStatus: visit.status,
          },
        ),
      )
    }
    broughtBy = companion.partyId ? { broughtByPartyId: companion.partyId } : { broughtByVisitor: companion.visitor! }
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

/**
 * Records a party's leaving, after its check-in, on the visit's day (staff and admins also later,
 * with its time). A child leaves with whoever picks them up (`pickedUpBy`): an adult party of the case
 * or an authorised visitor of the agreement; anyone else is refused and recorded as an incident.
 */
export async function checkOut(tx: Tx, actor: Actor, now: Date, id: string, input: CheckOutBody): Promise<CheckInResult> {
  const visit = await lockVisit(tx, actor, id)
  const zone = visit.timeZone
  judgeDesk(actor, visit, now, input.at)
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

  let pickedUpBy: { pickedUpByPartyId?: string; pickedUpByVisitor?: string } = {}
  if (input.pickedUpBy) {
    const people = await casePeople(tx, visit.caseId)
    if (people.find((p) => p.partyId === input.partyId)?.side !== 'child') throw invalidInput('body', '/pickedUpBy', 'applies to a child only')
    const companion = await judgeCompanion(tx, visit, people, input.pickedUpBy)
    if (!companion.ok) {
      const named = await peopleNamed(tx, visit.caseId, [input.partyId, ...(companion.partyId ? [companion.partyId] : [])])
      const lang = (await centreSettings(tx, visit.centreId)).language
      const by = companion.partyId ? named.get(companion.partyId) : companion.visitor!
      return refuseWithIncident(
        tx,
        actor,
        visit,
        childPickedUpByIncident(lang, clockTime(at, zone), named.get(input.partyId), by),
        conflict(
          'not-authorised',
          `The visit is ${visit.status}; the child may only be picked up by an adult party of the case or an authorised visitor of the agreement: the check-out is refused and recorded as an incident.`,
          { currentStatus: visit.status },
        ),
        'visit.check_out_refused',
      )
    }
    pickedUpBy = companion.partyId ? { pickedUpByPartyId: companion.partyId } : { pickedUpByVisitor: companion.visitor! }
  }
  const [row] = await tx
    .update(visitAttendances)
    .set({ checkedOutAt: at, ...pickedUpBy })
    .where(eq(visitAttendances.id, attendance.id))
    .returning()
  await audit(tx, actor, { action: 'visit.checked_out', entityType: 'visit', entityId: id })
  return { ok: true, attendance: { ...attendanceView(row!), visitStatus: visit.status } }
}

/**
 * Corrects an attendance at any time, the same day or after it: its times, who brought or picked up
 * the child. The attendance takes the corrected values; a correction row keeps what it was and why
 * (append-only; PostgreSQL refuses a change of a recorded time without one). Both are in the visit's history.
 */
export async function correctAttendance(tx: Tx, actor: Actor, now: Date, visitId: string, attendanceId: string, input: AttendanceCorrectionBody) {
  const visit = await lockVisit(tx, actor, visitId)
  const verdict = judgeAttendanceCorrection(visit.status)
  if (!verdict.ok) throw refused(visit, verdict)
  const [attendance] = await tx
    .select()
    .from(visitAttendances)
    .where(and(eq(visitAttendances.id, attendanceId), eq(visitAttendances.visitId, visitId)))
  if (!attendance) throw notFound('attendance', attendanceId)
  const zone = visit.timeZone
  const visitDate = localDate(visit.startsAt, zone)

  const checkedInAt = input.checkedInAt === undefined ? attendance.checkedInAt : timeInBody(input.checkedInAt, '/checkedInAt', visit, now)
  if (localDate(checkedInAt, zone) !== visitDate) throw invalidInput('body', '/checkedInAt', `is not on the visit's day (${visitDate})`)
  const checkedOutAt = input.checkedOutAt === undefined ? attendance.checkedOutAt : timeInBody(input.checkedOutAt, '/checkedOutAt', visit, now)
  if (checkedOutAt && checkedOutAt < checkedInAt)
    throw invalidInput(
      'body',
      input.checkedOutAt === undefined ? '/checkedInAt' : '/checkedOutAt',
      `puts the check-out (${clockTime(checkedOutAt, zone)}) before the check-in (${clockTime(checkedInAt, zone)})`,
    )

  const values: Partial<AttendanceRow> = { checkedInAt, checkedOutAt }
  if (input.broughtBy || input.pickedUpBy) {
    const people = await casePeople(tx, visit.caseId)
    const pointer = input.broughtBy ? '/broughtBy' : '/pickedUpBy'
    if (people.find((p) => p.partyId === attendance.partyId)?.side !== 'child') throw invalidInput('body', pointer, 'applies to a child only')
    for (const [key, companion] of [
      ['broughtBy', input.broughtBy],
      ['pickedUpBy', input.pickedUpBy],
    ] as const) {
      if (!companion) continue
      const judged = await judgeCompanion(tx, visit, people, companion)
      if (!judged.ok) throw invalidInput('body', `/${key}`, 'is neither an adult party of the case nor an authorised visitor of the current agreement')
      if (key === 'broughtBy') Object.assign(values, { broughtByPartyId: judged.partyId, broughtByVisitor: judged.visitor })
      else Object.assign(values, { pickedUpByPartyId: judged.partyId, pickedUpByVisitor: judged.visitor })
    }
  }
  if (input.pickedUpBy && !checkedOutAt) throw invalidInput('body', '/pickedUpBy', 'needs a check-out: send checkedOutAt too')

  const previous = attendanceFacts(attendance)
  const corrected = attendanceFacts({ ...attendance, ...values })
  if (JSON.stringify(previous) === JSON.stringify(corrected))
    throw invalidInput('body', '', 'changes nothing: send checkedInAt, checkedOutAt, broughtBy or pickedUpBy with values other than the recorded ones')
  // The correction first: PostgreSQL lets a recorded time change only with a correction of this transaction.
  await tx.insert(visitAttendanceCorrections).values({
    attendanceId,
    visitId,
    previous,
    corrected,
    reason: input.correctionReason,
    recordedByTokenId: actor.tokenId,
  })
  const [row] = await tx.update(visitAttendances).set(values).where(eq(visitAttendances.id, attendanceId)).returning()
  await tx.update(visits).set(bumped(now)).where(eq(visits.id, visitId))
  await audit(tx, actor, { action: 'visit.attendance_corrected', entityType: 'visit', entityId: visitId })
  return { ...attendanceView(row!), corrections: (await correctionsOf(tx, visitId)).filter((c) => c.attendanceId === attendanceId).map(correctionView) }
}

// ── Entered in error ────────────────────────────────────────────────────────────────────────────

/**
 * Marks a visit entered in error: it never was one. It leaves every count, report, worklist, day
 * sheet, calendar and referrer view (each leaves the status out), and its reservations are freed.
 */
export async function markEnteredInError(tx: Tx, actor: Actor, now: Date, id: string, input: EnteredInErrorBody) {
  const visit = await lockVisit(tx, actor, id)
  const verdict = judgeEnteredInError(visit.status)
  if (!verdict.ok) throw refused(visit, verdict)
  const [row] = await tx
    .update(visits)
    .set({ status: 'entered-in-error', enteredInErrorReason: input.reason, enteredInErrorAt: now, ...bumped(now) })
    .where(eq(visits.id, id))
    .returning()
  await releaseReservations(tx, [id])
  await audit(tx, actor, { action: 'visit.entered_in_error', entityType: 'visit', entityId: id })
  return { ...visitView(row!), ...enteredInErrorView(row!) }
}

// ── Outcome ─────────────────────────────────────────────────────────────────────────────────────

/** The absent of an outcome: adults of the visit (a child missing is the absence of the adult who was to bring them) who did not check in. */
async function absentees(tx: Tx, visit: VisitRow, absentPartyIds: string[]) {
  absentPartyIds.forEach((partyId, i) => {
    if (!visit.partyIds.includes(partyId)) throw invalidInput('body', `/absentPartyIds/${i}`, 'is not a party of this visit')
  })
  const child = childAmongAbsent(absentPartyIds, await casePeople(tx, visit.caseId))
  if (child) throw invalidInput('body', child.pointer, child.detail)
  const attendances = await attendancesOf(tx, visit.id)
  const present = attendances.find((a) => absentPartyIds.includes(a.partyId))
  if (present)
    throw conflict(
      'party-was-present',
      `The visit is ${visit.status}; party ${present.partyId} checked in at ${clockTime(present.checkedInAt, visit.timeZone)} and cannot be absent.`,
      {
        currentStatus: visit.status,
      },
    )
  return absentPartyIds
}

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
    // Partly attended: the contact took place, but a party did not come.
    if (input.absentPartyIds) values.absentPartyIds = await absentees(tx, visit, input.absentPartyIds)
  } else if (input.outcome === 'noshow') {
    values = { absentPartyIds: await absentees(tx, visit, input.absentPartyIds), noticeGiven: input.noticeGiven ?? null }
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
