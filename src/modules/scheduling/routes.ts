import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'
import { bookUnopposedFirst } from './booking.js'

/** HTTP for booking series and visits, reading a series and ending one: schema, roles, a call into the service, the reply. */

export const schedulingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cases/:id/series',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'createSeries',
        summary: 'Book a recurring series of visits for a case',
        tags: ['Scheduling'],
        description:
          "Expands the rule in the site's wall-clock time (DST-correct), applies every booking rule and reserves room, counsellors and the case's people for each staggered span. `onConflict: reject` books nothing if any occurrence conflicts (409 with `conflicts[]`); `skip` books the free ones and lists the others. An occurrence starting before now is one (`in_the_past`). The booking gate answers 409 with `missing[]`.",
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.SeriesCreate,
        response: { 200: S.SeriesDryRun, 201: S.SeriesBooked, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      bookUnopposedFirst((unopposed) =>
        respondOnce(app, request, reply, async (tx) => ({
          status: request.body.dryRun ? 200 : 201,
          body: await service.createSeries(tx, request.actor, app.clock.now(), request.params.id, request.body, unopposed),
        })),
      ),
  )

  app.post(
    '/cases/:id/visits',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'createVisit',
        summary: 'Book a single visit for a case',
        tags: ['Scheduling'],
        description:
          'The same rules as a series. A conflict is a 409 whose `conflicts[]` names the resource kind, the resource and the conflicting visit; the booking gate answers 409 with `missing[]`. ' +
          'A start before now is a conflict (`in_the_past`), unless an admin records a visit that already happened (`recordedAfterTheFact: true`, audited; 403 for anyone else).',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.VisitCreate,
        response: { 201: S.Visit, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      bookUnopposedFirst((unopposed) =>
        respondOnce(
          app,
          request,
          reply,
          async (tx) => ({
            status: 201,
            body: (await service.bookVisit(tx, request.actor, app.clock.now(), request.params.id, request.body, unopposed)).visit,
          }),
          { headersOf: (visit: { version: number }) => ({ etag: `"${visit.version}"` }) },
        ),
      ),
  )

  app.get(
    '/series/:id',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'getSeries',
        summary: 'Read a series and its visits',
        tags: ['Scheduling'],
        params: IdParams,
        response: { 200: S.Series, ...problemResponses(404) },
      },
    },
    async (request) => service.getSeries(app.db, request.actor, request.params.id),
  )

  app.delete(
    '/series/:id',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'endSeries',
        summary: 'End a series: cancel its booked visits from a date on',
        tags: ['Scheduling'],
        description:
          "Cancels the series' booked visits starting at or after `from` (a local date — from the start of that day in the series' zone —, a local wall time, or an RFC 3339 instant; default now), " +
          'with `cancelledBy: centre`, the cancellation `reasonCode` (default `other`) and `explanation`, and frees their reservations; the series records `endedFrom`. ' +
          'Visits already held, cancelled or otherwise no longer booked are left alone; repeating the request cancels nothing more. ' +
          'To change "this and following" occurrences, end the series from this occurrence and book a new series (POST /v1/cases/{id}/series) with the new modalities.',
        params: IdParams,
        querystring: S.SeriesEndQuery,
        response: { 200: S.SeriesEnded, ...problemResponses(404, 409) },
      },
    },
    async (request) => app.db.transaction((tx) => service.endSeries(tx, request.actor, app.clock.now(), request.params.id, request.query)),
  )
}
