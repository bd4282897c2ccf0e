import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ROLES } from '../../domain/vocabulary.js'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for the reason-code catalogue: schema, roles, a call into the service, the reply. */
export const reasonCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/reason-codes',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'listReasonCodes',
        summary: 'List the coded reasons you can use or will see (shared catalogue and your centre’s own)',
        tags: ['Reason codes'],
        description:
          'Categories: refusal and return (of a referral), suspension, ending and extension (of a case), cancellation (of a visit). Every reason is given with a free-text explanation.',
        querystring: S.ReasonCodeQuery,
        response: { 200: Page(S.ReasonCode), ...problemResponses() },
      },
    },
    async (request) => service.listReasonCodes(app.db, request.actor, request.query),
  )

  app.post(
    '/reason-codes',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'createReasonCode',
        summary: 'Add a reason code of your centre’s own',
        tags: ['Reason codes'],
        description: 'The code must not exist yet in its category, neither in the shared catalogue nor among your own.',
        headers: IdempotencyHeaders,
        body: S.ReasonCodeCreate,
        response: { 201: S.ReasonCode, ...problemResponses(409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({ status: 201, body: await service.createReasonCode(tx, request.actor, app.clock.now(), request.body) })),
  )
}
