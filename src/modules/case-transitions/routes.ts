import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from '@sinclair/typebox'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import * as S from '../cases/index.js'
import * as service from './service.js'

/** HTTP for a case's state changes (activate, extend, suspend, resume, end): each answers the case as it is after. */

const WRITE_ROLES = ['admin', 'staff'] as const

/** Route options of a state change: each answers the case as it is after the change. */
const transition = <B extends TSchema>(path: string, summary: string, description: string, body: B) => ({
  config: { roles: WRITE_ROLES },
  schema: {
    operationId: `${path}Case`,
    summary,
    description,
    tags: ['Cases'],
    params: IdParams,
    headers: IdempotencyHeaders,
    body,
    response: { 200: S.Case, ...problemResponses(404, 409, 413, 415) },
  },
})

export const caseTransitionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // ── Transitions: each locks the case row, changes it and renders it in one transaction ─────

  app.post(
    '/cases/:id/activate',
    {
      ...transition(
        'activate',
        'Activate the case (intake → active)',
        'Needs every adult party’s intake, their signatures of the documents in force and of the current agreement; otherwise 409 with `missing[]`. Sets plannedEndDate to today plus the centre’s planned duration (default 6 months).',
        S.ActivateBody,
      ),
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({ status: 200, body: await service.activate(tx, request.actor, app.clock.now(), request.params.id) })),
  )

  app.post(
    '/cases/:id/extend',
    transition('extend', 'Extend the planned end', 'A later plannedEndDate with an explanation, optionally a coded extension reason.', S.ExtendBody),
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.extend(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/cases/:id/suspend',
    transition(
      'suspend',
      'Suspend the case (active → suspended)',
      'With a suspension reason and explanation, from a date and optionally until a date (exclusive, after today). Visits in the period are cancelled when the decision is made, and none are booked there; visits before `from` stay booked. The dates drive the status, in the site’s time zone: a suspension from a later day leaves the case `active`, with `suspension.scheduled`, until `from`; from `from` it is `suspended`; at `until` the service makes it `active` again, with a `resumed` event and a `resumption` report. 409 while a suspension is already planned or in force.',
      S.SuspendBody,
    ),
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.suspend(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/cases/:id/resume',
    transition(
      'resume',
      'Resume a suspended case (suspended → active), or withdraw a scheduled suspension',
      'The open suspension ends today. Before its `from` (the case still active) the scheduled suspension is withdrawn; the visits it cancelled stay cancelled, since their slots may have been booked again. The event (`data.withdrawn`) and the resumption report say which it was.',
      S.ResumeBody,
    ),
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.resume(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/cases/:id/end',
    transition(
      'end',
      'End the case',
      'With an ending reason (from intake also a refusal reason: refusal after intake), an explanation and the effective date.',
      S.EndBody,
    ),
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.end(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )
}
