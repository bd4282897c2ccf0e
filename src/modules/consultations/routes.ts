import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for a case's consultations with other services. Centre roles only; clerks and integrations get 403. */

const ROLES = ['admin', 'staff', 'counsellor'] as const
const NOTE =
  'Internal to the centre: no report, feed, webhook or court route carries a consultation. ' +
  'Admin and staff for every case of their centre; a counsellor for the cases it leads or supervises a visit of (others: 404).'

export const consultationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cases/:id/consultations',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'recordConsultation',
        summary: 'Record a consultation with, or a referral on to, another service',
        tags: ['Cases'],
        description: `\`at\` not in the future. Send an Idempotency-Key to make retries safe. ${NOTE}`,
        headers: IdempotencyHeaders,
        params: IdParams,
        body: S.ConsultationCreate,
        response: { 201: S.Consultation, ...problemResponses(404, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.recordConsultation(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.get(
    '/cases/:id/consultations',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'listConsultations',
        summary: 'List the consultations of a case, newest first',
        tags: ['Cases'],
        description: NOTE,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(S.Consultation), ...problemResponses(404) },
      },
    },
    async (request) => service.listConsultations(app.db, request.actor, request.params.id, request.query),
  )
}
