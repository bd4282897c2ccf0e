import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PageQuery } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './observation-schemas.js'
import * as service from './observation-service.js'

/**
 * HTTP for what counsellors write about a visit. Centre roles only: no court route shows an
 * observation, and there is no route to change or remove one (a correction is an amendment).
 */

const ROLES = ['admin', 'staff', 'counsellor'] as const
const SCOPE_NOTE = 'A counsellor only for the visits it supervises; admin and staff for every visit of their centre. Clerks and integrations: 403.'

export const observationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/visits/:id/observations',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'createObservation',
        summary: 'Record an observation, an incident or a statement of the child about a visit',
        tags: ['Observations'],
        description: `Append-only: to correct an observation, record a new one with \`amends\` naming it (an observation of the same visit); both are kept. \`childProtection\` (the Vertrouwenscentrum Kindermishandeling consulted, or reported to) opens a concern resting on the observation, on any kind. A \`child_statement\` is never \`reportable\` (400). Any visit may have observations — a cancelled one too (an incident at the door) — except one entered in error (409). Internal: \`reportable\` marks what may later appear in a report to the referrer; nothing else does. ${SCOPE_NOTE}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.ObservationCreate,
        response: { 201: S.Observation, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.recordObservation(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.get(
    '/visits/:id/observations',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'listObservations',
        summary: 'Read every observation of a visit, oldest first, with its amendments',
        tags: ['Observations'],
        description: `Each observation names the one it corrects (\`amends\`) and those that correct it (\`amendedBy\`), so a reader follows the chain to the current account. ${SCOPE_NOTE}`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: S.ObservationPage, ...problemResponses(404) },
      },
    },
    async (request) => service.listObservations(app.db, request.actor, request.params.id, request.query),
  )
}
