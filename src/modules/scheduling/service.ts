import { and, asc, eq } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { series, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput, notAllowed, notFound } from '../../domain/errors.js'
import { endOfLocalDate, expandRecurrence, type RecurrenceInput } from '../../domain/recurrence.js'
import { RecurrenceError } from '../../domain/recurrence-rule.js'
import { inCentre } from '../../db/scope.js'
import { parseTime } from '../../http/times.js'
import { audit } from '../../db/audit.js'
import { inCaseScope, lockCase } from '../cases/index.js'
import { requireReason } from '../reason-codes/index.js'
import { v7 as uuidv7 } from 'uuid'
import { bookOccurrences, prepareBooking, type BookedVisit, type BookingRequest, type PlannedVisit } from './booking.js'
import { cancelBookedVisits } from './cancellation.js'
import { visitScope, type ViewedVisit, type VisitRow } from './queries.js'
import type { RecurrencePreviewRequest, SeriesCreate, SeriesEndQuery, VisitCreate } from './schemas.js'
import { absencesFrom } from './times.js'

/** Scheduling: booking series and single visits, reading a series and ending one. */

type DryRunContext = {
  caseId: string
  kind: VisitRow['kind']
  siteId: string | null
  roomId: string | null
  counsellorIds: string[]
  partyIds: string[]
  purpose: VisitRow['purpose']
  location: VisitRow['location']
  interpreter: VisitRow['interpreter']
}

/** A visit as the API shows it. */
export function visitView(row: ViewedVisit) {
  return {
    view: 'full' as const,
    id: row.id,
    caseId: row.caseId,
    seriesId: row.seriesId,
    kind: row.kind,
    siteId: row.siteId,
    roomId: row.roomId,
    counsellorIds: row.counsellorIds,
    partyIds: row.partyIds,
    start: row.startsAt,
    end: row.endsAt,
    status: row.status,
    arrivals: row.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: new Date(a.arriveAt), leaveAt: new Date(a.leaveAt) })),
    purpose: row.purpose,
    location: row.location,
    interpreter: row.interpreter,
    cancelledBy: row.cancelledBy,
    cancelledByPartyId: row.cancelledByPartyId,
    cancelledLate: row.cancelledLate,
    cancelReasonCode: row.cancelReasonCode,
    cancelExplanation: row.cancelExplanation,
    version: row.version,
  }
}

/** A visit a dry run would book: it has no row, so no id or version yet, only its context. */
function plannedVisitView(row: PlannedVisit, c: DryRunContext) {
  return {
    caseId: c.caseId,
    kind: c.kind,
    siteId: c.siteId,
    roomId: c.roomId,
    counsellorIds: c.counsellorIds,
    partyIds: c.partyIds,
    start: row.start,
    end: row.end,
    arrivals: row.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: a.arriveAt, leaveAt: a.leaveAt })),
    purpose: c.purpose,
    location: c.location,
    interpreter: c.interpreter,
  }
}

const bookingRequest = (body: SeriesCreate | VisitCreate): BookingRequest => ({
  kind: body.kind,
  roomId: body.roomId,
  counsellorIds: body.counsellorIds,
  partyIds: body.partyIds,
  durationMinutes: body.durationMinutes,
  stagger: body.stagger,
  purpose: body.purpose,
  location: body.location,
  interpreter: body.interpreter,
})

/** Expands a recurrence; a rule that cannot run is a 400 on the field it names. */
function expand(input: RecurrenceInput) {
  try {
    return expandRecurrence(input)
  } catch (error) {
    if (error instanceof RecurrenceError) throw invalidInput('body', `/${error.field}`, error.message)
    throw error
  }
}

/** The occurrences of a rule in local time; books nothing. */
export function previewRecurrence(input: RecurrencePreviewRequest) {
  const { occurrences, warnings } = expand(input)
  return { occurrences: occurrences.map((o) => ({ start: o.instant, localStart: o.local })), warnings }
}

// ── Booking ─────────────────────────────────────────────────────────────────────────────────────

/** Books (or, in a dry run, judges) every occurrence of a series of the case; `unopposed`: see bookUnopposedFirst. */
export async function createSeries(tx: Tx, actor: Actor, now: Date, caseId: string, input: SeriesCreate, unopposed: boolean) {
  // Read in UTC first only to bound the absences to load; the site's zone is known after.
  const roughStart = parseTime(input.start, 'UTC', { in: 'body', pointer: '/start' })
  const ctx = await prepareBooking(tx, actor, now, caseId, bookingRequest(input), absencesFrom(roughStart))
  const expansion = expand({
    start: input.start,
    timeZone: ctx.timeZone,
    rrule: input.rrule,
    exdates: input.exdates,
    rdates: input.rdates,
    notAfter: ctx.caseRow.plannedEndDate ? endOfLocalDate(ctx.caseRow.plannedEndDate, ctx.timeZone) : undefined,
  })
  // Written with the visits, in one statement, by bookOccurrences.
  const newSeries = input.dryRun
    ? null
    : {
        id: uuidv7(),
        centreId: ctx.caseRow.centreId,
        caseId,
        kind: input.kind,
        roomId: ctx.room?.id ?? null,
        counsellorIds: input.counsellorIds,
        start: input.start,
        timeZone: ctx.timeZone,
        durationMinutes: input.durationMinutes,
        rrule: input.rrule ?? null,
        exdates: input.exdates ?? [],
        stagger: ctx.stagger,
      }
  const { booked, planned, skipped } = await bookOccurrences(
    tx,
    actor,
    ctx,
    expansion.occurrences.map((o) => o.instant),
    { onConflict: input.onConflict, dryRun: input.dryRun, series: newSeries, unopposed },
  )
  const common = {
    skipped: skipped.map((s) => ({ start: s.start, reasons: s.reasons })),
    warnings: expansion.warnings,
  }
  if (!newSeries) {
    const context = {
      caseId,
      kind: input.kind,
      siteId: ctx.siteId,
      roomId: ctx.room?.id ?? null,
      counsellorIds: input.counsellorIds,
      partyIds: ctx.people.map((p) => p.partyId),
      purpose: input.purpose ?? null,
      location: input.location ?? null,
      interpreter: input.interpreter ?? null,
    }
    return { dryRun: true as const, seriesId: null, visits: planned.map((v) => plannedVisitView(v, context)), ...common }
  }
  return { dryRun: false as const, seriesId: newSeries.id, visits: booked.map((v) => visitView(v)), ...common }
}

/** Books one visit of the case; any conflict is a 409 and nothing is booked. `unopposed`: see bookUnopposedFirst. */
export async function bookVisit(tx: Tx, actor: Actor, now: Date, caseId: string, input: VisitCreate, unopposed: boolean) {
  const afterTheFact = input.recordedAfterTheFact === true
  // Recording what already happened rewrites the past of a case: an admin's act, never the desk's.
  if (afterTheFact && actor.role !== 'admin') throw notAllowed('Only an admin may record a visit after the fact (recordedAfterTheFact).')
  const roughStart = parseTime(input.start, 'UTC', { in: 'body', pointer: '/start' })
  const ctx = await prepareBooking(tx, actor, now, caseId, { ...bookingRequest(input), recordedAfterTheFact: afterTheFact }, absencesFrom(roughStart))
  const start = parseTime(input.start, ctx.timeZone, { in: 'body', pointer: '/start' })
  if (afterTheFact && start > now)
    throw invalidInput('body', '/recordedAfterTheFact', 'applies to a visit that already started; book a future visit without it')
  const { booked } = await bookOccurrences(tx, actor, ctx, [start], { onConflict: 'reject', dryRun: false, series: null, unopposed })
  const row = booked[0] as BookedVisit
  if (afterTheFact) await audit(tx, actor, { action: 'visit.recorded_after_the_fact', entityType: 'visit', entityId: row.id })
  return { version: row.version, visit: visitView(row) }
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────────────

/** A series of a case in the actor's scope, with those of its visits the actor may see (a counsellor: those it supervises). */
export async function getSeries(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(series)
    .where(and(eq(series.id, id), inCentre(series.centreId, actor), inCaseScope(series.caseId, actor)))
  if (!row) throw notFound('series', id)
  const rows = await db
    .select()
    .from(visits)
    .where(and(eq(visits.seriesId, id), visitScope(actor)))
    .orderBy(asc(visits.startsAt))
  // Instants with the series' own offset, like its visits.
  return { ...row, visits: rows.map((v) => visitView(v)) }
}

// ── Ending a series ─────────────────────────────────────────────────────────────────────────────────────

/** Ends a series: cancels its booked visits from `from` on (default now) and records where it ended. */
export async function endSeries(tx: Tx, actor: Actor, now: Date, id: string, q: SeriesEndQuery) {
  const reasonCode = q.reasonCode ?? 'other'
  const [row] = await tx
    .select()
    .from(series)
    .where(and(eq(series.id, id), inCentre(series.centreId, actor)))
  if (!row) throw notFound('series', id)
  // The case row lock orders this with bookings, suspensions and endings of the same case.
  await lockCase(tx, actor, row.caseId)
  await requireReason(tx, row.centreId, ['cancellation'], reasonCode, { in: 'query', pointer: '/reasonCode' })
  const from = q.from ? parseTime(q.from, row.timeZone, { in: 'query', pointer: '/from', dates: true }) : now
  const ids = await cancelBookedVisits(tx, actor, now, { seriesId: id }, { from }, { reasonCode, explanation: q.explanation ?? null })
  const endedFrom = row.endedFrom && row.endedFrom < from ? row.endedFrom : from
  await tx.update(series).set({ endedFrom }).where(eq(series.id, id))
  await audit(tx, actor, { action: 'series.ended', entityType: 'series', entityId: id })
  return { seriesId: id, endedFrom, cancelled: ids }
}
