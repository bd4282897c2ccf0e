import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { and, asc, eq, gt, gte, lt, or, sql, type SQL } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { series, visits } from '../../db/schema.js'
import { formatInstant } from '../../domain/zones.js'
import { expandRecurrence, RecurrenceError } from '../../domain/recurrence.js'
import { audit } from '../../http/audit.js'
import type { Actor } from '../../http/auth.js'
import { invalidCursor, Page, PageQuery } from '../../http/pagination.js'
import { badRequest, notFound, problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { inCentre } from '../../http/scope.js'
import { ReferrerVisit } from '../referrer-view/schemas.js'
import { isCourtToken, referrerCursor, referrerVisitFilters, referrerVisitScope, renderReferrerVisits, sendView, type VisitQuery } from '../referrer-view/view.js'
import { bookOccurrences, prepareBooking, type BookingRequest, type PlannedVisit, type VisitRow } from './booking.js'
import { availabilityRoutes } from './availability-routes.js'
import * as S from './schemas.js'
import { parseTime } from '../../http/times.js'
import { absencesFrom } from './times.js'


/** A visit as the API shows it: instants with the site's offset. */
export function visitView(row: VisitRow | (PlannedVisit & { id: null }), context?: { caseId: string; seriesId: string | null; kind: string; siteId: string | null; roomId: string | null; counsellorIds: string[]; partyIds: string[]; timeZone: string }) {
  if (row.id === null) {
    const c = context!
    return {
      id: null, caseId: c.caseId, seriesId: c.seriesId, kind: c.kind, siteId: c.siteId, roomId: c.roomId, counsellorIds: c.counsellorIds, partyIds: c.partyIds,
      start: formatInstant(row.start, c.timeZone), end: formatInstant(row.end, c.timeZone), status: 'booked',
      arrivals: row.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: formatInstant(a.arriveAt, c.timeZone), leaveAt: formatInstant(a.leaveAt, c.timeZone) })),
      cancelledBy: null, cancelReasonCode: null, cancelExplanation: null, version: 0,
    }
  }
  const zone = row.timeZone
  return {
    id: row.id, caseId: row.caseId, seriesId: row.seriesId, kind: row.kind, siteId: row.siteId, roomId: row.roomId,
    counsellorIds: row.counsellorIds, partyIds: row.partyIds,
    start: formatInstant(row.startsAt, zone), end: formatInstant(row.endsAt, zone), status: row.status,
    arrivals: row.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: formatInstant(new Date(a.arriveAt), zone), leaveAt: formatInstant(new Date(a.leaveAt), zone) })),
    cancelledBy: row.cancelledBy, cancelReasonCode: row.cancelReasonCode, cancelExplanation: row.cancelExplanation, version: row.version,
  }
}

/** Visits the actor may see: their centre's, or (a court token) those of their court's cases in the referrer view. */
export function visitScope(actor: Actor): SQL {
  if (actor.centreId) return inCentre(visits.centreId, actor)
  return referrerVisitScope(actor)
}

const ReferrerVisitRef = Type.Ref(ReferrerVisit)
const VisitViews = { full: S.Visit, referrer: ReferrerVisitRef }
const VisitPageViews = { full: Page(S.Visit), referrer: Page(ReferrerVisitRef) }
const REFERRER_VIEW_NOTE = 'Centre tokens (integration included) get the full visit; clerk and court-scoped integration tokens get the referrer view (`ReferrerVisit`): the date, kind and outcome, never times, rooms, counsellors or conversations.'

const bookingRequest = (body: S.BookingBody): BookingRequest => ({
  kind: body.kind, roomId: body.roomId, counsellorIds: body.counsellorIds, partyIds: body.partyIds,
  durationMinutes: body.durationMinutes, stagger: body.stagger,
})

const recurrenceProblem = (error: RecurrenceError) =>
  badRequest(`The recurrence is invalid: ${error.message}`, { errors: [{ in: 'body', pointer: `/${error.field}`, detail: error.message }] })


/** Keyset cursor for visits, which are listed by start time. */
const visitCursor = {
  encode: (row: VisitRow) => Buffer.from(`${row.startsAt.toISOString()}|${row.id}`).toString('base64url'),
  decode(cursor: string): SQL {
    const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
    if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw invalidCursor()
    return or(gt(visits.startsAt, new Date(at)), and(eq(visits.startsAt, new Date(at)), gt(visits.id, id)))!
  },
}

export async function schedulingRoutes(app: FastifyInstance) {
  // Registered here (a child plugin inherits the /v1 prefix) so that app.ts lists one scheduling module.
  await app.register(availabilityRoutes)

  app.post('/cases/:id/series', {
    config: { roles: ['admin', 'staff'] },
    schema: {
      operationId: 'createSeries',
      summary: 'Book a recurring series of visits for a case', tags: ['Scheduling'],
      description: 'Expands the rule in the site\'s wall-clock time (DST-correct), applies every booking rule and reserves room, counsellors and the case\'s people for each staggered span. `onConflict: reject` books nothing if any occurrence conflicts (409 with `conflicts[]`); `skip` books the free ones and lists the others. The booking gate answers 409 with `missing[]`.',
      params: IdParams, body: S.SeriesCreate,
      response: { 200: S.SeriesResult, 201: S.SeriesResult, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = request.body as S.SeriesBody
    const result = await app.db.transaction(async (tx) => {
      // Read in UTC first only to bound the absences to load; the site's zone is known after.
      const roughStart = parseTime(body.start, 'UTC', { in: 'body', pointer: '/start' })
      const ctx = await prepareBooking(tx, request.actor, id, bookingRequest(body), absencesFrom(roughStart))
      let expansion
      try {
        expansion = expandRecurrence({
          start: body.start, timeZone: ctx.timeZone, rrule: body.rrule, exdates: body.exdates, rdates: body.rdates,
          notAfter: ctx.caseRow.plannedEndDate ? DateTime.fromISO(ctx.caseRow.plannedEndDate, { zone: ctx.timeZone }).endOf('day').toJSDate() : undefined,
        })
      } catch (error) {
        if (error instanceof RecurrenceError) throw recurrenceProblem(error)
        throw error
      }
      let seriesId: string | null = null
      if (!body.dryRun) {
        const [row] = await tx.insert(series).values({
          centreId: ctx.caseRow.centreId, caseId: id, kind: body.kind, roomId: ctx.room?.id ?? null, counsellorIds: body.counsellorIds,
          start: body.start, timeZone: ctx.timeZone, durationMinutes: body.durationMinutes, rrule: body.rrule ?? null,
          exdates: body.exdates ?? [], stagger: ctx.stagger,
        }).returning()
        seriesId = row!.id
        await audit(tx, request, { action: 'series.created', entityType: 'series', entityId: seriesId })
      }
      const { booked, skipped } = await bookOccurrences(tx, request, ctx, expansion.occurrences.map((o) => o.instant), { onConflict: body.onConflict, dryRun: body.dryRun, seriesId })
      const context = { caseId: id, seriesId, kind: body.kind, siteId: ctx.siteId, roomId: ctx.room?.id ?? null, counsellorIds: body.counsellorIds, partyIds: ctx.people.map((p) => p.partyId), timeZone: ctx.timeZone }
      return {
        seriesId, dryRun: body.dryRun,
        visits: booked.map((v) => visitView(v, context)),
        skipped: skipped.map((s) => ({ start: formatInstant(s.start, ctx.timeZone), reasons: s.reasons })),
        warnings: expansion.warnings,
      }
    })
    return reply.code(body.dryRun ? 200 : 201).send(result)
  })

  app.post('/cases/:id/visits', {
    config: { roles: ['admin', 'staff'] },
    schema: {
      operationId: 'createVisit',
      summary: 'Book a single visit for a case', tags: ['Scheduling'],
      description: 'The same rules as a series. A conflict is a 409 whose `conflicts[]` names the resource kind, the resource and the conflicting visit; the booking gate answers 409 with `missing[]`.',
      params: IdParams, body: S.VisitCreate, response: { 201: S.Visit, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = request.body as S.VisitBody
    const visit = await app.db.transaction(async (tx) => {
      const roughStart = parseTime(body.start, 'UTC', { in: 'body', pointer: '/start' })
      const ctx = await prepareBooking(tx, request.actor, id, bookingRequest(body), absencesFrom(roughStart))
      const start = parseTime(body.start, ctx.timeZone, { in: 'body', pointer: '/start' })
      const { booked } = await bookOccurrences(tx, request, ctx, [start], { onConflict: 'reject', dryRun: false, seriesId: null })
      return booked[0] as VisitRow
    })
    return reply.code(201).header('etag', `"${visit.version}"`).send(visitView(visit))
  })

  app.get('/series/:id', {
    config: { roles: ['admin', 'staff', 'counsellor'] },
    schema: { operationId: 'getSeries', summary: 'Read a series and its visits', tags: ['Scheduling'], params: IdParams, response: { 200: S.Series, ...problemResponses(404) } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const [row] = await app.db.select().from(series).where(and(eq(series.id, id), inCentre(series.centreId, request.actor)))
    if (!row) throw notFound('series', id)
    const rows = await app.db.select().from(visits).where(eq(visits.seriesId, id)).orderBy(asc(visits.startsAt))
    // Instants with the series' own offset, like its visits.
    const endedFrom = row.endedFrom ? formatInstant(row.endedFrom, row.timeZone) : null
    return { ...row, endedFrom, createdAt: formatInstant(row.createdAt, row.timeZone), visits: rows.map((v) => visitView(v)) }
  })

  app.get('/visits/:id', {
    config: { roles: ['admin', 'staff', 'counsellor', 'clerk', 'integration'] },
    schema: {
      operationId: 'getVisit',
      summary: 'Read a visit (its ETag is the version for If-Match)', tags: ['Scheduling'], description: REFERRER_VIEW_NOTE,
      params: IdParams, response: { 200: Type.Union([S.Visit, ReferrerVisitRef]), ...problemResponses(404) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const [row] = await app.db.select().from(visits).where(and(eq(visits.id, id), visitScope(request.actor)))
    if (!row) throw notFound('visit', id)
    if (isCourtToken(request.actor)) return sendView(reply, true, VisitViews, (await renderReferrerVisits(app.db, [row]))[0])
    return sendView(reply.header('etag', `"${row.version}"`), false, VisitViews, visitView(row))
  })

  app.get('/visits', {
    config: { roles: ['admin', 'staff', 'counsellor', 'clerk', 'integration'] },
    schema: {
      operationId: 'listVisits',
      summary: 'List visits by start time (filters: from, to, site, room, counsellor, case, status)', tags: ['Scheduling'],
      description: `${REFERRER_VIEW_NOTE} A court token filters by whole days (from, to), case and status only.`,
      querystring: Type.Object({ ...PageQuery.properties, ...S.VisitFilters.properties }),
      response: { 200: Type.Union([VisitPageViews.full, VisitPageViews.referrer]), ...problemResponses() },
    },
  }, async (request, reply) => {
    const q = request.query as PageQuery & VisitQuery
    if (isCourtToken(request.actor)) {
      const rows = await app.db.select().from(visits).where(and(visitScope(request.actor), ...referrerVisitFilters(q)))
        .orderBy(asc(visits.startsAt), asc(visits.id)).limit(q.limit + 1)
      const items = rows.slice(0, q.limit)
      const nextCursor = rows.length > q.limit ? referrerCursor.encode(items[items.length - 1]!) : null
      return sendView(reply, true, VisitPageViews, { items: await renderReferrerVisits(app.db, items), nextCursor })
    }
    const rows = await app.db.select().from(visits).where(and(
      visitScope(request.actor),
      q.cursor ? visitCursor.decode(q.cursor) : undefined,
      q.from ? gte(visits.startsAt, new Date(q.from)) : undefined,
      q.to ? lt(visits.startsAt, new Date(q.to)) : undefined,
      q.siteId ? eq(visits.siteId, q.siteId) : undefined,
      q.roomId ? eq(visits.roomId, q.roomId) : undefined,
      q.counsellorId ? sql`${q.counsellorId}::uuid = any(${visits.counsellorIds})` : undefined,
      q.caseId ? eq(visits.caseId, q.caseId) : undefined,
      q.status ? eq(visits.status, q.status as VisitRow['status']) : undefined,
    )).orderBy(asc(visits.startsAt), asc(visits.id)).limit(q.limit + 1)
    const items = rows.slice(0, q.limit)
    return sendView(reply, false, VisitPageViews, { items: items.map((v) => visitView(v)), nextCursor: rows.length > q.limit ? visitCursor.encode(items[items.length - 1]!) : null })
  })
}
