import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { series, visits, type StaggerSettings } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, notFound } from '../../domain/errors.js'
import { endOfLocalDate, expandRecurrence, RecurrenceError, type RecurrenceInput } from '../../domain/recurrence.js'
import type { PartySide } from '../../domain/vocabulary.js'
import { formatInstant } from '../../domain/zones.js'
import { inCentre } from '../../http/scope.js'
import { parseTime } from '../../http/times.js'
import { audit } from '../audit/service.js'
import { inCaseScope, lockCase } from '../cases/access.js'
import { requireReason } from '../reason-codes/queries.js'
import { isCourtToken, referrerCursor, referrerVisitFilters, renderReferrerVisits } from '../referrer-view/view.js'
import { cancelBookedVisits } from '../visits/cancellation.js'
import { attendancesOf, outcomeHistory } from '../visits/queries.js'
import { visitDayView } from '../visits/views.js'
import { v7 as uuidv7 } from 'uuid'
import { bookOccurrences, prepareBooking, rebookVisit, type BookedVisit, type BookingContext, type BookingRequest, type PlannedVisit } from './booking.js'
import { visitCursor, visitScope, visitViewColumns, type ViewedVisit, type VisitRow } from './queries.js'
import type { RecurrencePreviewRequest, SeriesCreate, SeriesEndQuery, VisitCreate, VisitListQuery, VisitPatch } from './schemas.js'
import { absencesFrom } from './times.js'

/** Scheduling: booking series and single visits, reading them, moving a visit and ending a series. */

type DryRunContext = {
  caseId: string
  seriesId: string | null
  kind: VisitRow['kind']
  siteId: string | null
  roomId: string | null
  counsellorIds: string[]
  partyIds: string[]
  timeZone: string
}

/** A visit as the API shows it: instants with the site's offset. A dry run's visit has no row yet, only its context. */
export function visitView(row: ViewedVisit | (PlannedVisit & { id: null }), context?: DryRunContext) {
  if (row.id === null) {
    const c = context!
    return {
      id: null,
      caseId: c.caseId,
      seriesId: c.seriesId,
      kind: c.kind,
      siteId: c.siteId,
      roomId: c.roomId,
      counsellorIds: c.counsellorIds,
      partyIds: c.partyIds,
      start: formatInstant(row.start, c.timeZone),
      end: formatInstant(row.end, c.timeZone),
      status: 'booked' as const,
      arrivals: row.arrivals.map((a) => ({
        partyId: a.partyId,
        arriveAt: formatInstant(a.arriveAt, c.timeZone),
        leaveAt: formatInstant(a.leaveAt, c.timeZone),
      })),
      cancelledBy: null,
      cancelledByPartyId: null,
      cancelledLate: null,
      cancelReasonCode: null,
      cancelExplanation: null,
      version: 0,
    }
  }
  const zone = row.timeZone
  return {
    id: row.id,
    caseId: row.caseId,
    seriesId: row.seriesId,
    kind: row.kind,
    siteId: row.siteId,
    roomId: row.roomId,
    counsellorIds: row.counsellorIds,
    partyIds: row.partyIds,
    start: formatInstant(row.startsAt, zone),
    end: formatInstant(row.endsAt, zone),
    status: row.status,
    arrivals: row.arrivals.map((a) => ({
      partyId: a.partyId,
      arriveAt: formatInstant(new Date(a.arriveAt), zone),
      leaveAt: formatInstant(new Date(a.leaveAt), zone),
    })),
    cancelledBy: row.cancelledBy,
    cancelledByPartyId: row.cancelledByPartyId,
    cancelledLate: row.cancelledLate,
    cancelReasonCode: row.cancelReasonCode,
    cancelExplanation: row.cancelExplanation,
    version: row.version,
  }
}

const bookingRequest = (body: SeriesCreate | VisitCreate): BookingRequest => ({
  kind: body.kind,
  roomId: body.roomId,
  counsellorIds: body.counsellorIds,
  partyIds: body.partyIds,
  durationMinutes: body.durationMinutes,
  stagger: body.stagger,
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
  return { occurrences: occurrences.map((o) => ({ start: o.start })), warnings }
}

// ── Booking ─────────────────────────────────────────────────────────────────────────────────────

/** Books (or, in a dry run, judges) every occurrence of a series of the case. */
export async function createSeries(tx: Tx, actor: Actor, _now: Date, caseId: string, input: SeriesCreate) {
  // Read in UTC first only to bound the absences to load; the site's zone is known after.
  const roughStart = parseTime(input.start, 'UTC', { in: 'body', pointer: '/start' })
  const ctx = await prepareBooking(tx, actor, caseId, bookingRequest(input), absencesFrom(roughStart))
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
  const seriesId = newSeries?.id ?? null
  const { booked, skipped } = await bookOccurrences(
    tx,
    actor,
    ctx,
    expansion.occurrences.map((o) => o.instant),
    { onConflict: input.onConflict, dryRun: input.dryRun, series: newSeries },
  )
  const context = {
    caseId,
    seriesId,
    kind: input.kind,
    siteId: ctx.siteId,
    roomId: ctx.room?.id ?? null,
    counsellorIds: input.counsellorIds,
    partyIds: ctx.people.map((p) => p.partyId),
    timeZone: ctx.timeZone,
  }
  return {
    seriesId,
    dryRun: input.dryRun,
    visits: booked.map((v) => visitView(v, context)),
    skipped: skipped.map((s) => ({ start: formatInstant(s.start, ctx.timeZone), reasons: s.reasons })),
    warnings: expansion.warnings,
  }
}

/** Books one visit of the case; any conflict is a 409 and nothing is booked. */
export async function bookVisit(tx: Tx, actor: Actor, _now: Date, caseId: string, input: VisitCreate) {
  const roughStart = parseTime(input.start, 'UTC', { in: 'body', pointer: '/start' })
  const ctx = await prepareBooking(tx, actor, caseId, bookingRequest(input), absencesFrom(roughStart))
  const start = parseTime(input.start, ctx.timeZone, { in: 'body', pointer: '/start' })
  const { booked } = await bookOccurrences(tx, actor, ctx, [start], { onConflict: 'reject', dryRun: false, series: null })
  const row = booked[0] as BookedVisit
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
  const endedFrom = row.endedFrom ? formatInstant(row.endedFrom, row.timeZone) : null
  return { ...row, endedFrom, createdAt: formatInstant(row.createdAt, row.timeZone), visits: rows.map((v) => visitView(v)) }
}

/**
 * A visit in the actor's scope: for a centre in full with its version, who checked in and out, and
 * its outcome with every correction; for a court in the referrer view.
 */
export async function getVisit(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(visits)
    .where(and(eq(visits.id, id), visitScope(actor)))
  if (!row) throw notFound('visit', id)
  if (isCourtToken(actor)) return { referrer: true as const, view: (await renderReferrerVisits(db, [row]))[0]! }
  const day = visitDayView(await attendancesOf(db, id), await outcomeHistory(db, id), row.timeZone)
  return { referrer: false as const, version: row.version, view: { ...visitView(row), ...day } }
}

/**
 * A page of the visits in the actor's scope, by start time; a court filters by whole days, case and
 * status only. `needsOutcome` is the counsellors' worklist: visits ended by `now` still booked or arrived.
 */
export async function listVisits(db: Queryable, actor: Actor, now: Date, q: VisitListQuery) {
  if (isCourtToken(actor)) {
    if (q.needsOutcome) throw invalidInput('query', '/needsOutcome', 'is not in the referrer view: a court token cannot filter by it')
    const rows = await db
      .select()
      .from(visits)
      .where(and(visitScope(actor), ...referrerVisitFilters(q)))
      .orderBy(asc(visits.startsAt), asc(visits.id))
      .limit(q.limit + 1)
    const items = rows.slice(0, q.limit)
    const nextCursor = rows.length > q.limit ? referrerCursor.encode(items[items.length - 1]!) : null
    return { referrer: true as const, page: { items: await renderReferrerVisits(db, items), nextCursor } }
  }
  const rows = await db
    .select(visitViewColumns)
    .from(visits)
    .where(
      and(
        visitScope(actor),
        q.cursor ? visitCursor.decode(q.cursor) : undefined,
        q.from ? gte(visits.startsAt, new Date(q.from)) : undefined,
        q.to ? lt(visits.startsAt, new Date(q.to)) : undefined,
        q.siteId ? eq(visits.siteId, q.siteId) : undefined,
        q.roomId ? eq(visits.roomId, q.roomId) : undefined,
        q.counsellorId ? sql`${q.counsellorId}::uuid = any(${visits.counsellorIds})` : undefined,
        q.caseId ? eq(visits.caseId, q.caseId) : undefined,
        q.status ? eq(visits.status, q.status) : undefined,
        q.needsOutcome ? and(inArray(visits.status, ['booked', 'arrived']), lte(visits.endsAt, now)) : undefined,
      ),
    )
    .orderBy(asc(visits.startsAt), asc(visits.id))
    .limit(q.limit + 1)
  const items = rows.slice(0, q.limit)
  const nextCursor = rows.length > q.limit ? visitCursor.encode(items[items.length - 1]!) : null
  return { referrer: false as const, page: { items: items.map((v) => visitView(v)), nextCursor } }
}

// ── Changes ─────────────────────────────────────────────────────────────────────────────────────

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
export function staggerOfVisit(visit: VisitRow, people: BookingContext['people']): StaggerSettings | undefined {
  const sideOf = new Map(people.map((p) => [p.partyId, p.side]))
  const bySide = (side: PartySide) => visit.arrivals.find((a) => sideOf.get(a.partyId) === side)
  const visiting = bySide('visiting')
  const residing = bySide('residing')
  if (!visiting || !residing) return undefined
  const minutes = (a: string | Date, b: string | Date) => Math.round((new Date(a).getTime() - new Date(b).getTime()) / 60_000)
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
    durationMinutes: input.durationMinutes ?? Math.round((current.endsAt.getTime() - current.startsAt.getTime()) / 60_000),
  }
  // A local start is read in the zone of the site the visit will be at; a rough instant first, for the absences to load.
  const roughStart = input.start ? parseTime(input.start, current.timeZone, { in: 'body', pointer: '/start' }) : current.startsAt
  const ctx = await prepareBooking(tx, actor, current.caseId, request, absencesFrom(roughStart))
  const start = input.start ? parseTime(input.start, ctx.timeZone, { in: 'body', pointer: '/start' }) : current.startsAt

  // Under the case lock, lock the visit and check again: a concurrent change must not be overwritten.
  const [locked] = await tx.select().from(visits).where(eq(visits.id, id)).for('update')
  checkChangeable(locked!, ifMatch)
  ctx.stagger = { ...ctx.stagger, ...staggerOfVisit(locked!, ctx.people), ...input.stagger }

  const row = await rebookVisit(tx, now, ctx, locked!, start)
  await audit(tx, actor, { action: 'visit.updated', entityType: 'visit', entityId: row.id })
  return { version: row.version, visit: visitView(row) }
}

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
  return { seriesId: id, endedFrom: formatInstant(endedFrom, row.timeZone), cancelled: ids }
}
