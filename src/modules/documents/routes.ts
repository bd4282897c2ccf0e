import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import * as S from './schemas.js'
import * as service from './service.js'

/**
 * HTTP for a centre's document versions. Signatures of a version and the agreement are recorded on
 * a case, so their routes live in the cases module.
 */
export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/documents',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'publishDocument',
        summary: 'Publish a new version of the house rules or the information document',
        tags: ['Documents'],
        description:
          'Versions are immutable and numbered per centre, kind and language. Once a new version is in force (effectiveFrom), parties must sign it before new bookings.',
        headers: IdempotencyHeaders,
        body: S.DocumentCreate,
        response: { 201: S.Document, ...problemResponses(413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({ status: 201, body: await service.publishVersion(tx, request.actor, app.clock.now(), request.body) })),
  )

  app.get(
    '/documents',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'listDocuments',
        summary: 'List document versions (?inForce=true: the version in force now of each kind and language)',
        tags: ['Documents'],
        querystring: S.DocumentQuery,
        response: { 200: Page(S.Document), ...problemResponses() },
      },
    },
    async (request) => service.listDocuments(app.db, request.actor, app.clock.now(), request.query),
  )
}
