import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TSchema } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorObject } from 'ajv'
import type { FieldError } from '../../domain/errors.js'
import type { Role } from '../../domain/vocabulary.js'
import { fieldErrors } from '../../http/errors.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { seesReferrerView, sendView } from '../referrer-view/index.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for referrals: submission, the lists, the decisions and acceptance (which opens the case). */

const ReferralViews = { full: S.Referral, referrer: S.ReferrerReferral }
const ReferralPageViews = { full: Page(S.Referral), referrer: Page(S.ReferrerReferral) }
const READ_ROLES = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
const CENTRE_WRITE_ROLES = ['admin', 'staff'] as const
const REFERRER_VIEW_NOTE =
  'Centre roles get the full referral; clerk and integration tokens get the referrer’s view: no contact details or addresses, and no explanation (the coded reason and its label only). A counsellor reads only the referrals of the cases it works on.'

/** The schema's findings on a body the route checks together with its own rules; a finding elsewhere stands alone. */
function schemaDefects(error: FastifyRequest['validationError']): FieldError[] {
  if (!error) return []
  if (error.validationContext !== 'body') throw error
  return fieldErrors(error.validation as ErrorObject[], 'body')
}

/** The route options of a decision on a referral: POST /referrals/{id}/{action}. */
const decision = <B extends TSchema>(action: string, roles: readonly Role[], summary: string, description: string, body: B) => ({
  config: { roles },
  schema: {
    operationId: `${action}Referral`,
    summary,
    description,
    tags: ['Referrals'],
    params: IdParams,
    headers: IdempotencyHeaders,
    body,
    response: { 200: roles.includes('clerk') ? S.ReferralView : S.Referral, ...problemResponses(404, 409, 413, 415) },
  },
})

/** Sends a referral in the view the caller may see (the referrer view for court tokens). */
const decided = (request: FastifyRequest) => (reply: FastifyReply, view: unknown, status: number) =>
  sendView(reply, seesReferrerView(request.actor), ReferralViews, view, status)

export const referralRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/referrals',
    {
      config: { roles: ['admin', 'staff', 'clerk'] },
      // The schema's findings and the referral's own checks are reported together, in one 400.
      attachValidation: true,
      schema: {
        operationId: 'submitReferral',
        summary: 'Submit a referral',
        tags: ['Referrals'],
        description:
          'By a clerk (for their own court; source court) or by centre staff (any source, for their own centre). ' +
          'Requested modalities are advisory. Every defect is listed in one 400 problem. Send an Idempotency-Key to make retries safe. ' +
          REFERRER_VIEW_NOTE,
        headers: IdempotencyHeaders,
        body: S.ReferralCreate,
        response: { 201: S.ReferralView, ...problemResponses(413, 415, 422) },
      },
    },
    async (request, reply) => {
      const now = app.clock.now()
      service.checkSubmission(request.actor, now, request.body, schemaDefects(request.validationError))
      return respondOnce(app, request, reply, async (tx) => ({ status: 201, body: await service.submitReferral(tx, request.actor, now, request.body) }), {
        send: decided(request),
      })
    },
  )

  app.get(
    '/referrals',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'listReferrals',
        summary: 'List referrals; ?status=waitlisted is the waiting list',
        tags: ['Referrals'],
        description: `In submission order. Waitlisted referrals carry their place on the centre’s waiting list and the days waiting. ${REFERRER_VIEW_NOTE}`,
        querystring: S.ReferralQuery,
        response: { 200: S.ReferralPage, ...problemResponses() },
      },
    },
    async (request, reply) => {
      const page = await service.listReferrals(app.db, request.actor, app.clock.now(), request.query)
      return sendView(reply, seesReferrerView(request.actor), ReferralPageViews, page)
    },
  )

  app.get(
    '/referrals/:id',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'getReferral',
        summary: 'Read a referral, its decision and the resulting case’s status',
        tags: ['Referrals'],
        description: REFERRER_VIEW_NOTE,
        params: IdParams,
        response: { 200: S.ReferralView, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const referral = await service.getReferral(app.db, request.actor, app.clock.now(), request.params.id)
      return sendView(reply, seesReferrerView(request.actor), ReferralViews, referral)
    },
  )

  // ── Decisions ────────────────────────────────────────────────────────────────────────────

  app.post(
    '/referrals/:id/waitlist',
    {
      ...decision(
        'waitlist',
        CENTRE_WRITE_ROLES,
        'Put the referral on the centre’s waiting list',
        'From submitted; the family keeps its place in submission order.',
        S.WaitlistBody,
      ),
    },
    async (request, reply) =>
      respondOnce(
        app,
        request,
        reply,
        async (tx) => ({ status: 200, body: await service.waitlistReferral(tx, request.actor, app.clock.now(), request.params.id, request.body) }),
        { send: decided(request) },
      ),
  )

  app.post(
    '/referrals/:id/refuse',
    decision(
      'refuse',
      CENTRE_WRITE_ROLES,
      'Refuse the referral (with a refusal reason)',
      'The referrer sees the reason code and its label; the explanation is the centre’s own and is never shown to a referrer.',
      S.RefuseBody,
    ),
    async (request, reply) =>
      respondOnce(
        app,
        request,
        reply,
        async (tx) => ({ status: 200, body: await service.refuseReferral(tx, request.actor, app.clock.now(), request.params.id, request.body) }),
        { send: decided(request) },
      ),
  )

  app.post(
    '/referrals/:id/return',
    decision(
      'return',
      CENTRE_WRITE_ROLES,
      'Return the referral to the referrer (with a return reason and what is missing)',
      'The referrer completes it and submits again.',
      S.ReturnBody,
    ),
    async (request, reply) =>
      respondOnce(
        app,
        request,
        reply,
        async (tx) => ({ status: 200, body: await service.returnReferral(tx, request.actor, app.clock.now(), request.params.id, request.body) }),
        { send: decided(request) },
      ),
  )

  app.post(
    '/referrals/:id/withdraw',
    {
      ...decision(
        'withdraw',
        ['admin', 'staff', 'clerk'],
        'Withdraw the referral (the referring court’s clerk, or the centre)',
        'Before a decision; a case that has started is ended instead.',
        S.WithdrawBody,
      ),
    },
    async (request, reply) =>
      respondOnce(
        app,
        request,
        reply,
        async (tx) => ({ status: 200, body: await service.withdrawReferral(tx, request.actor, app.clock.now(), request.params.id, request.body) }),
        { send: decided(request) },
      ),
  )

  app.post(
    '/referrals/:id/transfer',
    {
      config: { roles: ['operator'] },
      schema: {
        operationId: 'transferReferral',
        summary: 'Move an undecided referral to another centre (the operator)',
        tags: ['Referrals'],
        description:
          'For a referral that is submitted or waitlisted, e.g. when its court’s judicial district is served by another centre. The referral keeps its id and court, so the court ' +
          'follows it as before; the receiving centre gets it as a new submission and the sending centre no longer sees it. The move is kept in the referral’s history. ' +
          'The operator is told where it went, never the family’s data.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.TransferBody,
        response: { 200: S.Transferred, ...problemResponses(404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.transferReferral(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/referrals/:id/accept',
    {
      config: { roles: CENTRE_WRITE_ROLES },
      schema: {
        operationId: 'acceptReferral',
        summary: 'Accept the referral: opens the case in intake',
        tags: ['Referrals'],
        description: 'Creates the case (status intake) with the referral’s parties and a lead counsellor; court-ordered cases are fee-exempt.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.AcceptBody,
        response: { 201: S.Accepted, ...problemResponses(404, 409, 413, 415, 422) },
      },
    },
    // The case's schemas type its times as strings where its view holds Dates, so this reply is not
    // checked against S.Accepted at compile time; the serializer still sends only what it lists.
    async (request, reply) =>
      respondOnce(
        app,
        request,
        reply,
        async (tx) => ({ status: 201, body: await service.acceptReferral(tx, request.actor, app.clock.now(), request.params.id, request.body) }),
        { send: (reply, body, status) => sendView(reply, false, { full: S.Accepted, referrer: S.Accepted }, body, status) },
      ),
  )
}
