import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for API tokens: issue, list, revoke. Who may issue which token is the service's rule. */
export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/tokens',
    {
      config: { roles: ['admin', 'operator'] },
      schema: {
        operationId: 'issueToken',
        summary: 'Issue an API token (the secret is returned once)',
        tags: ['Tokens'],
        description:
          'An admin issues admin, staff, counsellor and integration tokens for its own centre; counsellor tokens need counsellorId (one of your counsellors). ' +
          'Court-scoped tokens (clerk, or integration with a courtId) read that court’s referrals in every centre: only the operator issues them. An operator token is never issued here (only by the CLI).',
        body: S.TokenCreate,
        response: { 201: S.TokenCreated, ...problemResponses(404, 413, 415) },
      },
    },
    async (request, reply) => {
      const created = await app.db.transaction((tx) => service.issueToken(tx, request.actor, app.clock.now(), request.body))
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/tokens',
    {
      config: { roles: ['admin', 'operator'] },
      schema: {
        operationId: 'listTokens',
        summary: 'List the tokens your centre issued (the operator: the court-scoped tokens); never their secrets',
        tags: ['Tokens'],
        querystring: S.TokenQuery,
        response: { 200: Page(S.Token), ...problemResponses() },
      },
    },
    async (request) => service.listTokens(app.db, request.actor, request.query),
  )

  app.delete(
    '/tokens/:id',
    {
      config: { roles: ['admin', 'operator'] },
      schema: {
        operationId: 'revokeToken',
        summary: 'Revoke a token (it stops working at once)',
        tags: ['Tokens'],
        params: IdParams,
        response: { 200: S.Token, ...problemResponses(404) },
      },
    },
    async (request) => app.db.transaction((tx) => service.revokeToken(tx, request.actor, app.clock.now(), request.params.id)),
  )
}
