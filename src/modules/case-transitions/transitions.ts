import { and, count, eq, isNull } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Tx } from '../../db/client.js'
import { caseEvents, cases, centres, suspensions } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { endingCategories } from '../../domain/reason-codes.js'
import { audit } from '../../db/audit.js'
import { conflict, invalidInput, notAllowed } from '../../domain/errors.js'
import { extensionBeyondLimits } from '../../domain/trajectory.js'
import { centreSettings } from '../admin/index.js'
import { requireReason } from '../reason-codes/index.js'
import { issueReport } from '../reports/index.js'
import { cancelFutureVisits, cancelVisitsInSuspension } from '../scheduling/index.js'
import {
  addEvent,
  caseTimeZone,
  loadReadiness,
  nextCaseStatus,
  type CaseRow,
  type EndBody,
  type ExtendBody,
  type ResumeBody,
  type SuspendBody,
} from '../cases/index.js'
import { localDate } from '../../domain/time.js'
import { allowedActionsOn, effectiveCaseStatus, suspensionPhase } from '../../domain/suspension-dates.js'

/**
 * Case state changes. Each takes the case row already locked FOR UPDATE by the caller's
 * transaction, so work belonging to the same change (e.g. cancelling the visits inside a
 * suspension) can be added in that transaction, and `now`, the instant the change is judged on.
 * Each change the referrer is told of issues its report in that same transaction.
 */

const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

async function update(tx: Tx, row: CaseRow, values: Partial<typeof cases.$inferInsert>) {
  const [updated] = await tx.update(cases).set(values).where(eq(cases.id, row.id)).returning()
  return updated!
}

const record = (tx: Tx, actor: Actor, row: CaseRow, action: string) =>
  audit(tx, actor, { action: `case.${action}`, entityType: 'case', entityId: row.id, centreId: row.centreId, courtId: row.courtId })

/** intake → active, when every requirement is met; the planned end follows the centre's setting. */
export async function activateCase(tx: Tx, actor: Actor, now: Date, caseRow: CaseRow) {
  const status = nextCaseStatus(caseRow, 'activate')
  const readiness = await loadReadiness(tx, caseRow, { at: now })
  if (!readiness.ready) {
    const count = readiness.missing.length
    throw conflict('case-not-ready', `The case cannot be activated: ${count} requirement${count === 1 ? ' is' : 's are'} missing (see missing[]).`, {
      missing: readiness.missing,
    })
  }
  const [centre] = await tx.select({ settings: centres.settings }).from(centres).where(eq(centres.id, caseRow.centreId))
  const today = localDate(now, await caseTimeZone(tx, caseRow))
  const plannedEndDate = DateTime.fromISO(today).plus({ months: centre!.settings.plannedDurationMonths }).toISODate()!
  const updated = await update(tx, caseRow, { status, activatedAt: now, plannedEndDate })
  const event = await addEvent(tx, actor, now, caseRow.id, { type: 'activated', data: { plannedEndDate } })
  await record(tx, actor, caseRow, 'activated')
  await issueReport(tx, actor, now, { kind: 'case_started', caseId: caseRow.id, caseEventId: event.id })
  return { case: updated, event }
}

/**
 * A later planned end, with an explanation and optionally a coded (extension) reason. Help is
 * temporary: past the centre's longest trajectory or number of extensions, only an admin extends,
 * with an exceptional reason that is recorded with the extension.
 */
export async function extendCase(tx: Tx, actor: Actor, now: Date, caseRow: CaseRow, body: ExtendBody) {
  const status = nextCaseStatus(caseRow, 'extend')
  const previous = caseRow.plannedEndDate
  if (previous && body.plannedEndDate <= previous) throw invalidField('/plannedEndDate', `must be after the current planned end ${previous}`)
  // A bad reason is the client's to fix (400) before the case's limits are judged (409).
  const reasonCategory = body.reasonCode ? await requireReason(tx, caseRow.centreId, ['extension'], body.reasonCode) : null
  const [extensions] = await tx
    .select({ n: count() })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseRow.id), eq(caseEvents.type, 'extended')))
  const timeZone = await caseTimeZone(tx, caseRow)
  const exceeded = extensionBeyondLimits(
    {
      activatedOn: caseRow.activatedAt && localDate(caseRow.activatedAt, timeZone),
      plannedEndDate: body.plannedEndDate,
      previousExtensions: extensions!.n,
    },
    await centreSettings(tx, caseRow.centreId),
  )
  if (exceeded.length && !body.exceptionalReason) {
    throw conflict(
      'extension-beyond-limits',
      `This extension is exceptional: ${exceeded.join('; and ')}. An admin may still extend the case with an exceptionalReason, which is recorded.`,
      { limits: exceeded },
    )
  }
  if (exceeded.length && actor.role !== 'admin') {
    throw notAllowed(`Only an admin may extend a case beyond the centre's limits (${exceeded.join('; and ')}).`)
  }
  const updated = await update(tx, caseRow, { status, plannedEndDate: body.plannedEndDate })
  const event = await addEvent(tx, actor, now, caseRow.id, {
    type: 'extended',
    reasonCategory,
    reasonCode: body.reasonCode ?? null,
    explanation: body.explanation,
    courtNote: body.courtNote ?? null,
    data: {
      previousPlannedEndDate: previous,
      plannedEndDate: body.plannedEndDate,
      ...(exceeded.length ? { exceptional: true, exceptionalReason: body.exceptionalReason } : {}),
    },
  })
  await record(tx, actor, caseRow, 'extended')
  await issueReport(tx, actor, now, { kind: 'extension', caseId: caseRow.id, caseEventId: event.id })
  return { case: updated, event }
}

/**
 * active → suspended for [from, until); no visits are held or booked in that period. A suspension
 * from a later day is decided now (its visits cancelled, its report issued) and leaves the case
 * active, the suspension scheduled, until `from` (src/domain/suspension-dates.ts).
 */
export async function suspendCase(tx: Tx, actor: Actor, now: Date, caseRow: CaseRow, body: SuspendBody) {
  nextCaseStatus(caseRow, 'suspend')
  const timeZone = await caseTimeZone(tx, caseRow)
  const today = localDate(now, timeZone)
  if (body.until !== undefined && body.until <= body.from)
    throw invalidField('/until', `must be after from (${body.from}); it is the first day visits may take place again`)
  if (body.until !== undefined && body.until <= today)
    throw invalidField('/until', `must be after today (${today}): a suspension that is already over is not decided now`)
  const [planned] = await tx
    .select()
    .from(suspensions)
    .where(and(eq(suspensions.caseId, caseRow.id), isNull(suspensions.resumedAt)))
  if (planned) {
    const period = `from ${planned.fromDate}${planned.untilDate ? ` until ${planned.untilDate}` : ''}`
    throw conflict(
      'invalid-transition',
      `A suspension ${period} is already planned for this case; resume the case to withdraw it before deciding another one.`,
      { currentStatus: caseRow.status, allowedActions: allowedActionsOn(caseRow.status, true) },
    )
  }
  const reasonCategory = await requireReason(tx, caseRow.centreId, ['suspension'], body.reasonCode)
  const [suspension] = await tx
    .insert(suspensions)
    .values({
      caseId: caseRow.id,
      fromDate: body.from,
      untilDate: body.until ?? null,
      reasonCode: body.reasonCode,
      explanation: body.explanation,
      courtNote: body.courtNote ?? null,
    })
    .returning()
  // The status the dates give today; the suspension job sets it to suspended on `from`.
  const updated = await update(tx, caseRow, { status: effectiveCaseStatus(caseRow.status, [suspension!], today) })
  // Same transaction, case row locked: a booking racing this suspension either lands before (and is
  // cancelled here) or waits for the lock and is then refused by the suspension rule.
  const cancelledVisitIds = await cancelVisitsInSuspension(tx, actor, now, caseRow.id, { from: body.from, until: body.until ?? null }, timeZone)
  const event = await addEvent(tx, actor, now, caseRow.id, {
    type: 'suspended',
    reasonCategory,
    reasonCode: body.reasonCode,
    explanation: body.explanation,
    courtNote: body.courtNote ?? null,
    data: { suspensionId: suspension!.id, from: body.from, until: body.until ?? null, cancelledVisitIds },
  })
  await record(tx, actor, caseRow, 'suspended')
  await issueReport(tx, actor, now, { kind: 'suspension', caseId: caseRow.id, caseEventId: event.id })
  return { case: updated, suspension: suspension!, event }
}

/**
 * suspended → active: the open suspension ends today (its `until` is brought forward if it was
 * later or open), so visits can be booked again from today. Before its `from` (the case still
 * active) it withdraws the scheduled suspension, left empty [from, from); the visits it cancelled
 * stay cancelled, since their slots may have been booked again. The event and the referrer's report
 * say which it was.
 */
export async function resumeCase(tx: Tx, actor: Actor, now: Date, caseRow: CaseRow, body: ResumeBody) {
  const today = localDate(now, await caseTimeZone(tx, caseRow))
  const [open] = await tx
    .select()
    .from(suspensions)
    .where(and(eq(suspensions.caseId, caseRow.id), isNull(suspensions.resumedAt)))
  const withdrawn = open !== undefined && caseRow.status === 'active' && suspensionPhase(open, today) === 'scheduled'
  const status = withdrawn ? caseRow.status : nextCaseStatus(caseRow, 'resume')
  let data: Record<string, unknown> = { suspensionIds: [], until: today }
  if (open && withdrawn) {
    await tx.update(suspensions).set({ resumedAt: now, untilDate: open.fromDate }).where(eq(suspensions.id, open.id))
    data = { suspensionId: open.id, suspensionIds: [open.id], from: open.fromDate, until: open.untilDate, withdrawn: true }
  } else if (open) {
    // A suspension that has not started yet is left empty: [from, from).
    const until = open.untilDate && open.untilDate <= today ? open.untilDate : today < open.fromDate ? open.fromDate : today
    await tx.update(suspensions).set({ resumedAt: now, untilDate: until }).where(eq(suspensions.id, open.id))
    data = { suspensionId: open.id, suspensionIds: [open.id], from: open.fromDate, until: today }
  }
  const updated = await update(tx, caseRow, { status })
  const event = await addEvent(tx, actor, now, caseRow.id, {
    type: 'resumed',
    explanation: body.explanation,
    courtNote: body.courtNote ?? null,
    data,
  })
  await record(tx, actor, caseRow, withdrawn ? 'suspension_withdrawn' : 'resumed')
  await issueReport(tx, actor, now, { kind: 'resumption', caseId: caseRow.id, caseEventId: event.id })
  return { case: updated, event }
}

/**
 * → ended, with an ending reason; from intake a refusal reason is accepted too (refusal after
 * intake). No visit takes place after the effective date.
 */
export async function endCase(tx: Tx, actor: Actor, now: Date, caseRow: CaseRow, body: EndBody) {
  const status = nextCaseStatus(caseRow, 'end')
  const created = localDate(caseRow.createdAt, await caseTimeZone(tx, caseRow))
  if (body.effectiveDate < created) throw invalidField('/effectiveDate', `must not be before the case was opened (${created})`)
  const reasonCategory = await requireReason(tx, caseRow.centreId, endingCategories(caseRow.status), body.reasonCode)
  if (body.reasonCode === 'referred_elsewhere' && !body.referredTo) {
    throw invalidField('/referredTo', 'is required with the reason referred_elsewhere: name the kind of service the family is referred on to')
  }
  if (body.reasonCode !== 'referred_elsewhere' && body.referredTo) throw invalidField('/referredTo', 'only applies to the reason referred_elsewhere')
  const refusedAfterIntake = caseRow.status === 'intake'
  const updated = await update(tx, caseRow, { status, endedAt: now, endEffectiveDate: body.effectiveDate })
  const cancelledVisitIds = await cancelFutureVisits(tx, actor, now, caseRow.id)
  const event = await addEvent(tx, actor, now, caseRow.id, {
    type: 'ended',
    reasonCategory,
    reasonCode: body.reasonCode,
    explanation: body.explanation,
    courtNote: body.courtNote ?? null,
    data: {
      effectiveDate: body.effectiveDate,
      refusedAfterIntake,
      previousStatus: caseRow.status,
      cancelledVisitIds,
      ...(body.referredTo ? { referredTo: body.referredTo } : {}),
    },
  })
  await record(tx, actor, caseRow, 'ended')
  await issueReport(tx, actor, now, { kind: 'ending', caseId: caseRow.id, caseEventId: event.id })
  return { case: updated, event }
}
