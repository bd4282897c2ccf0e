import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemAnswer } from '../../http/errors.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { Type } from '@sinclair/typebox'
import { IdParams, Uuid } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for the day of a visit: cancelling it, checking parties in and out, recording its outcome. */

const ROLES = ['admin', 'staff', 'counsellor'] as const
const SCOPE = 'A counsellor acts only on the visits it supervises (any other answers 404).'
const AFTER_THE_DAY =
  "After the visit's day staff and admins may still record it, with `at` (required then) on that day; a counsellor only on the day, and nobody before it."
const AttendanceParams = Type.Object({ id: Uuid, attendanceId: Uuid })

export const visitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/visits/:id/cancel',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'cancelVisit',
        summary: 'Cancel a booked visit, saying who called it off and why',
        tags: ['Visits'],
        description:
          "Only a `booked` visit whose start is today or later (the site's local date) can be cancelled; otherwise 409 naming its status (a visit that took place, or should have, gets an outcome instead). " +
          '`reasonCode` is a cancellation reason (GET /v1/reason-codes?category=cancellation). The visit is flagged `late` when cancelled later than its start minus the centre’s `cancellationNoticeHours` (default 24). ' +
          `Its room, counsellors and people are freed in the same transaction, so the slot can be booked again at once. ${SCOPE}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.CancelBody,
        response: { 200: S.CancelledVisit, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.cancelVisit(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/visits/:id/check-in',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'checkInVisit',
        summary: 'Record that a party arrived at the visit',
        tags: ['Visits'],
        description:
          "On the visit's day (the site's local date), before or after the planned arrival, while the visit is `booked` or `arrived`; the first check-in makes it `arrived`. `at` defaults to now. " +
          `${AFTER_THE_DAY} ` +
          'A child needs `broughtBy`: an adult party of the case, or a name among the current agreement’s `authorisedVisitors`. ' +
          'A second check-in of the same party is a 409. Someone who is not a party of the visit, or a child brought by anyone else, is refused with a 409 ' +
          `and the attempt is kept as an internal incident on the visit (\`incidentId\` in the problem). ${SCOPE}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.CheckInBody,
        response: { 201: S.AttendanceResult, ...problemResponses(404, 409, 413, 415) },
      },
    },
    // A refused check-in commits its incident and answers the refusal: kept and replayed like a success.
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => {
        const result = await service.checkIn(tx, request.actor, app.clock.now(), request.params.id, request.body)
        return result.ok ? { status: 201, body: result.attendance } : problemAnswer(result.refusal)
      }),
  )

  app.post(
    '/visits/:id/check-out',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'checkOutVisit',
        summary: 'Record that a party left the visit',
        tags: ['Visits'],
        description:
          `On the visit's day, after the party's check-in (409 without one, or when it already checked out); \`at\` defaults to now and is not before the check-in. ${AFTER_THE_DAY} ` +
          'A child may be given `pickedUpBy`: an adult party of the case or a name among the current agreement’s `authorisedVisitors`; anyone else is refused with a 409 and the attempt is kept as an internal incident (`incidentId` in the problem). ' +
          SCOPE,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.CheckOutBody,
        response: { 200: S.AttendanceResult, ...problemResponses(404, 409, 413, 415) },
      },
    },
    // Like a check-in, a refused check-out commits its incident and answers the refusal.
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => {
        const result = await service.checkOut(tx, request.actor, app.clock.now(), request.params.id, request.body)
        return result.ok ? { status: 200, body: result.attendance } : problemAnswer(result.refusal)
      }),
  )

  app.patch(
    '/visits/:id/attendances/:attendanceId',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'correctAttendance',
        summary: 'Correct a check-in or check-out, keeping the original',
        tags: ['Visits'],
        description:
          'At any time, the same day or later: the corrected `checkedInAt` (on the visit’s day) and `checkedOutAt`, who brought (`broughtBy`) or picked up (`pickedUpBy`) a child, with a required `correctionReason`. ' +
          'The attendance takes the corrected values; the correction keeps the values before and after it, and GET /v1/visits/{id} lists every correction (`attendanceCorrections`), so the original stays readable. ' +
          `Refused (409) at a cancelled visit or one entered in error; 400 when nothing would change. Audited. ${SCOPE}`,
        params: AttendanceParams,
        body: S.AttendanceCorrectionBody,
        response: { 200: S.CorrectedAttendance, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request) =>
      app.db.transaction((tx) => service.correctAttendance(tx, request.actor, app.clock.now(), request.params.id, request.params.attendanceId, request.body)),
  )

  app.post(
    '/visits/:id/entered-in-error',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'markVisitEnteredInError',
        summary: 'Mark a visit entered in error: it never was one',
        tags: ['Visits'],
        description:
          'Any visit, whatever its status, with an internal `reason`; 409 when it is entered in error already. The visit takes the status `entered-in-error` and leaves every count (statistics, the case’s visit counts, reports), the worklist, the day sheet, calendars and the referrer view; its room, counsellors and people are freed at once. Audited.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.EnteredInErrorBody,
        response: { 200: S.EnteredInErrorVisit, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 200,
        body: await service.markEnteredInError(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/visits/:id/outcome',
    {
      config: { roles: ROLES },
      schema: {
        operationId: 'recordVisitOutcome',
        summary: 'Record what happened to a visit (fulfilled, no-show, interrupted), or correct it',
        tags: ['Visits'],
        description:
          'Refused (409 naming the status) for a cancelled visit and for one that has not started yet. `fulfilled` and `interrupted` need someone checked in (the visit is `arrived`); `noshow` may follow `booked` or `arrived`, and lists the absent parties of the visit. ' +
          'An outcome is never changed: when one is recorded, a second one is a 409 unless it names the current outcome in `supersedes`, and then both are kept (GET /v1/visits/{id} shows `outcome` and `outcomeHistory`). ' +
          `The visit takes the outcome as its status; a no-show or an interruption frees its room, counsellors and people (the reservations stay as history). ${SCOPE}`,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.OutcomeBody,
        response: { 201: S.Outcome, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.recordOutcome(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )
}
