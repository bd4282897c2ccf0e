import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import { ReferrerVisit } from '../referrer-view/schemas.js'
import { sendView } from '../referrer-view/view.js'
import { VisitDetail } from '../visits/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for booking series and visits and for reading them: schema, roles, a call into the service, the reply. */

const ReferrerVisitRef = Type.Ref(ReferrerVisit)
const VisitViews = { full: VisitDetail, referrer: ReferrerVisitRef }
const VisitPageViews = { full: Page(S.Visit), referrer: Page(ReferrerVisitRef) }
const REFERRER_VIEW_NOTE =
  'Centre tokens (integration included) get the full visit; clerk and court-scoped integration tokens get the referrer view (`ReferrerVisit`): the date, kind and outcome, never times, rooms, counsellors or conversations. A counsellor reads only the visits it supervises.'

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
          "Expands the rule in the site's wall-clock time (DST-correct), applies every booking rule and reserves room, counsellors and the case's people for each staggered span. `onConflict: reject` books nothing if any occurrence conflicts (409 with `conflicts[]`); `skip` books the free ones and lists the others. The booking gate answers 409 with `missing[]`.",
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.SeriesCreate,
        response: { 200: S.SeriesResult, 201: S.SeriesResult, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: request.body.dryRun ? 200 : 201,
        body: await service.createSeries(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
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
          'The same rules as a series. A conflict is a 409 whose `conflicts[]` names the resource kind, the resource and the conflicting visit; the booking gate answers 409 with `missing[]`.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.VisitCreate,
        response: { 201: S.Visit, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(
        app,
        request,
        reply,
        async (tx) => ({ status: 201, body: (await service.bookVisit(tx, request.actor, app.clock.now(), request.params.id, request.body)).visit }),
        { headersOf: (visit: { version: number }) => ({ etag: `"${visit.version}"` }) },
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

  app.get(
    '/visits/:id',
    {
      config: { roles: ['admin', 'staff', 'counsellor', 'clerk', 'integration'] },
      schema: {
        operationId: 'getVisit',
        summary: 'Read a visit (its ETag is the version for If-Match)',
        tags: ['Scheduling'],
        description: `${REFERRER_VIEW_NOTE} The full visit also lists who checked in and out (\`attendances\`), its current \`outcome\` and every outcome recorded (\`outcomeHistory\`, corrections included).`,
        params: IdParams,
        response: { 200: Type.Union([VisitDetail, ReferrerVisitRef]), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const found = await service.getVisit(app.db, request.actor, request.params.id)
      if (found.referrer) return sendView(reply, true, VisitViews, found.view)
      return sendView(reply.header('etag', `"${found.version}"`), false, VisitViews, found.view)
    },
  )

  app.get(
    '/visits',
    {
      config: { roles: ['admin', 'staff', 'counsellor', 'clerk', 'integration'] },
      schema: {
        operationId: 'listVisits',
        summary: 'List visits by start time (filters: from, to, site, room, counsellor, case, status, needsOutcome)',
        tags: ['Scheduling'],
        description: `${REFERRER_VIEW_NOTE} A court token filters by whole days (from, to), case and status only. \`needsOutcome=true\` is the counsellors' worklist: the visits in scope that have ended and are still booked or arrived.`,
        querystring: S.VisitListQuery,
        response: { 200: Type.Union([VisitPageViews.full, VisitPageViews.referrer]), ...problemResponses() },
      },
    },
    async (request, reply) => {
      const { referrer, page } = await service.listVisits(app.db, request.actor, app.clock.now(), request.query)
      return sendView(reply, referrer, VisitPageViews, page)
    },
  )
}
