import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import * as S from './schemas.js'
import { listAuditEvents } from './service.js'

/** HTTP for the audit trail: a centre's admin reads its centre's changes. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listAuditEvents',
        summary: 'Audit trail of your centre’s changes, newest first',
        tags: ['Audit'],
        querystring: S.AuditQuery,
        response: { 200: Page(S.AuditEvent), ...problemResponses() },
      },
    },
    async (request) => listAuditEvents(app.db, request.actor, request.query),
  )
}
