import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/**
 * HTTP for concerns about a child's safety (the kindreflex). Centre roles only: admin and staff of
 * the centre, and counsellors of the case. Clerks and integrations (a centre's too) get 403.
 */

const ROLES = ['admin', 'staff', 'counsellor'] as const
const NOTE =
  'A concern follows the kindreflex: the signal, discussed in the team, the Vertrouwenscentrum Kindermishandeling (VK) consulted, and where needed reported (to the VK, the OCJ, the prosecutor under art. 458bis Sw., or the police). ' +
  'Internal to the centre: no report, feed, webhook, calendar, day sheet or default export carries it, and while one is open a progress report needs a coordinator’s confirmation. ' +
  'Admin and staff for every case of their centre; a counsellor for the cases it leads or supervises a visit of (others: 404). Clerks and integrations: 403.'

export const concernRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cases/:id/concerns',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'createConcern',
        summary: 'Signal a concern about a child of the case',
        tags: ['Concerns'],
        description: `The children must be children of the case, the observations observations of the case (400 otherwise); \`observedAt\` not in the future. Send an Idempotency-Key to make retries safe. ${NOTE}`,
        headers: IdempotencyHeaders,
        params: IdParams,
        body: S.ConcernCreate,
        response: { 201: S.Concern, ...problemResponses(404, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.createConcern(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.get(
    '/cases/:id/concerns',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'listConcerns',
        summary: 'List the concerns of a case, newest first',
        tags: ['Concerns'],
        description: NOTE,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(S.Concern), ...problemResponses(404) },
      },
    },
    async (request) => service.listConcerns(app.db, request.actor, request.params.id, request.query),
  )

  app.get(
    '/concerns/:id',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'getConcern',
        summary: 'Read a concern with its steps and the observations it rests on',
        tags: ['Concerns'],
        description: NOTE,
        params: IdParams,
        response: { 200: S.Concern, ...problemResponses(404) },
      },
    },
    async (request) => service.getConcern(app.db, request.actor, request.params.id),
  )

  app.post(
    '/concerns/:id/steps',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'addConcernStep',
        summary: 'Record a step of the kindreflex on an open concern',
        tags: ['Concerns'],
        description: `\`discussed_in_team\`, \`vk_consulted\` (the Vertrouwenscentrum Kindermishandeling) or \`reported\` with \`reportedTo\` (required there, and only there). The author is the token. A closed concern takes no more steps (409). ${NOTE}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.ConcernStepCreate,
        response: { 201: S.Concern, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.addStep(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/concerns/:id/close',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'closeConcern',
        summary: 'Close a concern with its outcome',
        tags: ['Concerns'],
        description: `A concern is closed once (409 after). ${NOTE}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.ConcernClose,
        response: { 200: S.Concern, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.closeConcern(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )
}
