import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page, PageQuery } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import { sendView } from '../referrer-view/index.js'
import { recordIntake } from './records.js'
import * as S from './schemas.js'
import { putSafetyProfile } from './safety.js'
import * as service from './service.js'

/** HTTP for cases: reading them (in full, or in the referrer's view) and intakes; the state changes are in case-transitions. */

const READ_ROLES = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
const WRITE_ROLES = ['admin', 'staff'] as const

const CaseViews = { full: S.Case, referrer: S.ReferrerCase }
const CasePageViews = { full: Page(S.CaseSummary), referrer: Page(S.ReferrerCaseSummary) }
const EventPageViews = { full: Page(S.CaseEvent), referrer: Page(S.ReferrerCaseEvent) }
const REFERRER_VIEW_NOTE =
  'Centre roles get the full record; clerk and integration tokens get the referrer’s view (statuses, dates and reasons only). A counsellor reads only the cases it leads or supervises a visit of.'

export const caseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cases',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'listCases',
        summary: 'List cases (filter by status, lead counsellor, site)',
        tags: ['Cases'],
        description: REFERRER_VIEW_NOTE,
        querystring: S.CaseQuery,
        response: { 200: S.CasePage, ...problemResponses() },
      },
    },
    async (request, reply) => {
      const { referrerView, page } = await service.listCases(app.db, request.actor, app.clock.now(), request.query)
      return sendView(reply, referrerView, CasePageViews, page)
    },
  )

  app.get(
    '/cases/:id',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'getCase',
        summary: 'Read a case: parties, status, dates, planned end, agreement, readiness',
        tags: ['Cases'],
        description: REFERRER_VIEW_NOTE,
        params: IdParams,
        response: { 200: S.CaseView, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { referrerView, view } = await service.getCase(app.db, request.actor, app.clock.now(), request.params.id)
      return sendView(reply, referrerView, CaseViews, view)
    },
  )

  app.get(
    '/cases/:id/readiness',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'getCaseReadiness',
        summary: 'What is missing before contact: intakes, signatures of the documents in force, the signed agreement',
        tags: ['Cases'],
        params: IdParams,
        response: { 200: S.Readiness, ...problemResponses(404) },
      },
    },
    async (request) => service.getReadiness(app.db, request.actor, app.clock.now(), request.params.id),
  )

  app.get(
    '/cases/:id/events',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'listCaseEvents',
        summary: 'The case’s history: every transition with actor, time, reason and explanation',
        tags: ['Cases'],
        description: `Oldest first. ${REFERRER_VIEW_NOTE} Referrers see the transitions (created, activated, extended, suspended, resumed, ended).`,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: S.CaseEventPage, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { referrerView, page } = await service.listCaseEvents(app.db, request.actor, request.params.id, request.query)
      return sendView(reply, referrerView, EventPageViews, page)
    },
  )

  app.post(
    '/cases/:id/intakes',
    {
      config: { roles: WRITE_ROLES },
      schema: {
        operationId: 'createIntake',
        summary: 'Record an intake held with one party (an adult, or the child’s own conversation)',
        tags: ['Cases'],
        description:
          'Each adult party has their own intake before activation. A child may have their own conversation too: recorded the same way, never required for activation, and the child signs nothing. The summary is internal and never shown to referrers.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.IntakeCreate,
        response: { 201: S.Intake, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await recordIntake(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.put(
    '/cases/:id/fee',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'putCaseFee',
        summary: 'Set the case’s fee: exempt, or a contribution per visit, with a reason',
        tags: ['Cases'],
        description:
          'Admin only, with a reason the audit trail keeps (`case.fee_changed`). A court-ordered case stays exempt (409 otherwise: no fee in a mandatory legal framework); a voluntary one may be exempted or pay a contribution per visit. An exempt case pays no contribution (400 with one). Internal: never part of the referrer view.',
        params: IdParams,
        body: S.FeeBody,
        response: { 200: S.Case, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request) => app.db.transaction((tx) => service.setFee(tx, request.actor, app.clock.now(), request.params.id, request.body)),
  )

  app.put(
    '/cases/:id/safety',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'putCaseSafety',
        summary: 'Set the case’s safety profile: who must not meet, contact bans, notes',
        tags: ['Cases'],
        description:
          'Replaces the profile whole. Two parties who must not meet never arrive or leave together: at every booking their arrivals, and their departures, lie at least the centre’s `minimumGapMinutes` apart (a booking with less is a 409 `must_not_meet`; one that gives no gaps gets at least the minimum, and a mediation or evaluation conversation is then staggered). The day sheet shows a flag, never the texts. Internal: no court output carries any of it. Audited (`case.safety_changed`).',
        params: IdParams,
        body: S.SafetyProfileBody,
        response: { 200: S.SafetyProfile, ...problemResponses(404, 413, 415) },
      },
    },
    async (request) => app.db.transaction((tx) => putSafetyProfile(tx, request.actor, app.clock.now(), request.params.id, request.body)),
  )
}
