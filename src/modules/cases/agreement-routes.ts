import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import * as records from './records.js'
import * as S from './schemas.js'

/**
 * HTTP for what parties sign on a case: versions of the centre's documents, and the case's
 * agreement. Tagged with the documents; registered after them, so the API document keeps its order.
 */

const WRITE_ROLES = ['admin', 'staff'] as const

export const agreementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cases/:id/signatures',
    {
      config: { roles: WRITE_ROLES },
      schema: {
        operationId: 'createSignature',
        summary: 'Record that an adult party signed a document version',
        tags: ['Documents'],
        description: 'One signature per party and version; a newer version in force needs a new signature.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.SignatureCreate,
        response: { 201: S.Signature, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await records.recordSignature(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.put(
    '/cases/:id/agreement',
    {
      config: { roles: WRITE_ROLES },
      schema: {
        operationId: 'putAgreement',
        summary: 'Draw up a new version of the case’s agreement (overeenkomst)',
        tags: ['Documents'],
        description: 'Each PUT creates the next version (201 for the first, 200 after); every adult party signs the current version before contact.',
        params: IdParams,
        body: S.AgreementPut,
        response: { 200: S.Agreement, 201: S.Agreement, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const agreement = await app.db.transaction((tx) => records.putAgreement(tx, request.actor, app.clock.now(), request.params.id, request.body))
      return reply.code(agreement.version === 1 ? 201 : 200).send(agreement)
    },
  )

  app.post(
    '/cases/:id/agreement/signatures',
    {
      config: { roles: WRITE_ROLES },
      schema: {
        operationId: 'signAgreement',
        summary: 'Record that an adult party signed the current agreement',
        tags: ['Documents'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.AgreementSignatureCreate,
        response: { 201: S.AgreementSigned, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await records.signAgreement(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )
}
