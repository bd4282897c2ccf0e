import type { FastifyInstance } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { and, eq } from 'drizzle-orm'
import { series, visits, type StaggerSettings } from '../../db/schema.js'
import type { PartySide } from '../../domain/vocabulary.js'
import { audit } from '../audit/service.js'
import { Problem, problemResponses } from '../../http/problem.js'
import { conflict, notFound } from '../../domain/errors.js'
import { IdParams, Timestamp, Uuid } from '../../http/schemas.js'
import { inCentre } from '../../http/scope.js'
import { formatInstant } from '../../domain/zones.js'
import { lockCase } from '../cases/access.js'
import { requireReason } from '../reason-codes/queries.js'
import { prepareBooking, rebookVisit, type BookingContext, type BookingRequest, type VisitRow } from './booking.js'
import { visitView } from './routes.js'
import { cancelBookedVisits } from '../visits/cancellation.js'
import { parseTime } from '../../http/times.js'
import { absencesFrom } from './times.js'
import { LocalOrInstant, StaggerSchema, Visit } from './schemas.js'

// ── Schemas ─────────────────────────────────────────────────────────────────────────────────────

export const VisitPatch = Type.Object({
  start: Type.Optional(LocalOrInstant),
  roomId: Type.Optional(Uuid),
  counsellorIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 4 })),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 720, examples: [90] })),
  stagger: Type.Optional(StaggerSchema),
}, {
  additionalProperties: false, minProperties: 1,
  description: 'What changes; anything left out stays as it is. The staggering stays as booked unless `stagger` is given.',
  examples: [{ start: '2026-03-14T14:00', roomId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12' }],
})
type VisitPatchBody = Static<typeof VisitPatch>

/** A local date (start of that day in the series' zone), a local wall time, or an RFC 3339 instant. */
const DateOrInstant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
  description: 'A local date `YYYY-MM-DD` (from the start of that day in the series\' zone), a local wall time, or an RFC 3339 instant',
  examples: ['2026-05-01'],
})

export const SeriesEndQuery = Type.Object({
  from: Type.Optional(DateOrInstant),
  reasonCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'other', description: 'A cancellation reason code (see GET /v1/reason-codes?category=cancellation)', examples: ['counsellor_unavailable'] })),
  explanation: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, examples: ['The counsellor leaves the centre; a new series follows.'] })),
})
type SeriesEndQuery = Static<typeof SeriesEndQuery>

export const SeriesEnded = Type.Object({
  seriesId: Uuid,
  endedFrom: Timestamp,
  cancelled: Type.Array(Uuid, { description: 'The visits cancelled by this request' }),
})

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────

/** Entity tags of an If-Match header: '*' or the versions listed (`"3"`, `W/"3"`, lists). */
function ifMatchVersions(header: string): '*' | string[] {
  if (header.trim() === '*') return '*'
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')).filter(Boolean)
}

const preconditionRequired = () => new Problem(428, 'precondition-required', 'Precondition Required',
  'A visit can only be changed with If-Match: send the ETag from GET /v1/visits/{id}, so that a change made in the meantime is not overwritten.')

/** The If-Match and status preconditions of a change, checked before and again under the row lock. */
function checkChangeable(row: VisitRow, ifMatch: '*' | string[]) {
  if (ifMatch !== '*' && !ifMatch.includes(String(row.version))) {
    throw new Problem(412, 'precondition-failed', 'Precondition Failed',
      `The visit was changed since you read it (If-Match ${ifMatch.map((v) => `"${v}"`).join(', ')}; it is now at "${row.version}"). Read it again and reapply your change.`,
      { currentVersion: row.version }, { etag: `"${row.version}"` })
  }
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
  const [firstSide, first, second] = Date.parse(visiting.arriveAt) <= Date.parse(residing.arriveAt)
    ? ['visiting' as const, visiting, residing]
    : ['residing' as const, residing, visiting]
  if (visit.kind === 'supervised_handover') {
    // The first side drops off during [start, end]; the other picks up `arrivalGap` after the end.
    return { firstToArrive: firstSide, arrivalGapMinutes: minutes(second.arriveAt, visit.endsAt), departureGapMinutes: minutes(second.leaveAt, second.arriveAt) }
  }
  return { firstToArrive: firstSide, arrivalGapMinutes: minutes(visit.startsAt, first.arriveAt), departureGapMinutes: minutes(first.leaveAt, visit.endsAt) }
}

// ── Routes ──────────────────────────────────────────────────────────────────────────────────────

export async function visitChangeRoutes(app: FastifyInstance) {
  app.patch('/visits/:id', {
    config: { roles: ['admin', 'staff'] },
    schema: {
      operationId: 'updateVisit',
      summary: 'Move a visit or change its room, counsellors or duration (If-Match required)', tags: ['Scheduling'],
      description: 'Send `If-Match` with the ETag of GET /v1/visits/{id}: without it the answer is 428, with a stale one 412. Only a `booked` visit can change (else 409 naming its status). ' +
        'The visit\'s reservations are freed and the new slot is judged by every rule a new booking obeys (the booking gate, opening hours, closures, holidays, working hours, absences, room capacity, overlaps, planned end, suspensions, agreement); ' +
        'a conflict is a 409 with `conflicts[]` and nothing changes. `start` is a local wall time in the site\'s zone or an RFC 3339 instant. The answer carries the new ETag.',
      params: IdParams, body: VisitPatch,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag from GET /v1/visits/{id}, e.g. "1"', examples: ['"1"'] })) }),
      response: { 200: Visit, ...problemResponses(404, 409, 412, 413, 415, 428) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = request.body as VisitPatchBody
    const header = request.headers['if-match']
    if (!header) throw preconditionRequired()
    const ifMatch = ifMatchVersions(header)
    if (ifMatch !== '*' && ifMatch.length === 0) throw preconditionRequired()

    const updated = await app.db.transaction(async (tx) => {
      const [current] = await tx.select().from(visits).where(and(eq(visits.id, id), inCentre(visits.centreId, request.actor)))
      if (!current) throw notFound('visit', id)
      checkChangeable(current, ifMatch)

      const bookingRequest: BookingRequest = {
        kind: current.kind,
        roomId: body.roomId ?? current.roomId ?? undefined,
        counsellorIds: body.counsellorIds ?? current.counsellorIds,
        partyIds: current.kind === 'conversation' ? current.partyIds : undefined,
        durationMinutes: body.durationMinutes ?? Math.round((current.endsAt.getTime() - current.startsAt.getTime()) / 60_000),
      }
      // A local start is read in the zone of the site the visit will be at; a rough instant first, for the absences to load.
      const roughStart = body.start ? parseTime(body.start, current.timeZone, { in: 'body', pointer: '/start' }) : current.startsAt
      const ctx = await prepareBooking(tx, request.actor, current.caseId, bookingRequest, absencesFrom(roughStart))
      const start = body.start ? parseTime(body.start, ctx.timeZone, { in: 'body', pointer: '/start' }) : current.startsAt

      // Under the case lock, lock the visit and check again: a concurrent change must not be overwritten.
      const [locked] = await tx.select().from(visits).where(eq(visits.id, id)).for('update')
      checkChangeable(locked!, ifMatch)
      ctx.stagger = { ...ctx.stagger, ...staggerOfVisit(locked!, ctx.people), ...body.stagger }

      const row = await rebookVisit(tx, ctx, locked!, start)
      await audit(tx, request.actor, { action: 'visit.updated', entityType: 'visit', entityId: row.id })
      return row
    })
    return reply.header('etag', `"${updated.version}"`).send(visitView(updated))
  })

  app.delete('/series/:id', {
    config: { roles: ['admin', 'staff'] },
    schema: {
      operationId: 'endSeries',
      summary: 'End a series: cancel its booked visits from a date on', tags: ['Scheduling'],
      description: 'Cancels the series\' booked visits starting at or after `from` (a local date — from the start of that day in the series\' zone —, a local wall time, or an RFC 3339 instant; default now), ' +
        'with `cancelledBy: centre`, the cancellation `reasonCode` (default `other`) and `explanation`, and frees their reservations; the series records `endedFrom`. ' +
        'Visits already held, cancelled or otherwise no longer booked are left alone; repeating the request cancels nothing more. ' +
        'To change "this and following" occurrences, end the series from this occurrence and book a new series (POST /v1/cases/{id}/series) with the new modalities.',
      params: IdParams, querystring: SeriesEndQuery,
      response: { 200: SeriesEnded, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const q = request.query as SeriesEndQuery
    const reasonCode = q.reasonCode ?? 'other'
    return app.db.transaction(async (tx) => {
      const [row] = await tx.select().from(series).where(and(eq(series.id, id), inCentre(series.centreId, request.actor)))
      if (!row) throw notFound('series', id)
      // The case row lock orders this with bookings, suspensions and endings of the same case.
      await lockCase(tx, request.actor, row.caseId)
      await requireReason(tx, row.centreId, ['cancellation'], reasonCode, { in: 'query', pointer: '/reasonCode' })
      const from = q.from ? parseTime(q.from, row.timeZone, { in: 'query', pointer: '/from', dates: true }) : new Date()
      const ids = await cancelBookedVisits(tx, request.actor, { seriesId: id }, { from }, { reasonCode, explanation: q.explanation ?? null })
      const endedFrom = row.endedFrom && row.endedFrom < from ? row.endedFrom : from
      await tx.update(series).set({ endedFrom }).where(eq(series.id, id))
      await audit(tx, request.actor, { action: 'series.ended', entityType: 'series', entityId: id })
      return { seriesId: id, endedFrom: formatInstant(endedFrom, row.timeZone), cancelled: ids }
    })
  })
}
