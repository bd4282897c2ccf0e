import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { ReferrerVisit } from '../referrer-view/index.js'
import { sendView } from '../referrer-view/index.js'
import * as S from '../scheduling/index.js'
import { VisitDetail, VisitDetailView, VisitPage } from './schemas.js'
import * as service from './reading.js'

/** HTTP for reading visits: one visit (with its ETag) and the list, each in the full or the referrer view. */

const VisitViews = { full: VisitDetail, referrer: ReferrerVisit }
const VisitPageViews = { full: Page(S.Visit), referrer: Page(ReferrerVisit) }
const REFERRER_VIEW_NOTE =
  'Centre tokens (integration included) get the full visit; clerk and court-scoped integration tokens get the referrer view (`ReferrerVisit`): the date, kind and outcome, never times, rooms, counsellors or conversations. A counsellor reads only the visits it supervises.'

export const visitReadRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
        response: { 200: VisitDetailView, ...problemResponses(404) },
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
        response: { 200: VisitPage, ...problemResponses() },
      },
    },
    async (request, reply) => {
      const { referrer, page } = await service.listVisits(app.db, request.actor, app.clock.now(), request.query)
      return sendView(reply, referrer, VisitPageViews, page)
    },
  )
}
