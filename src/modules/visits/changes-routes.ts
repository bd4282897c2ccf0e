import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem, problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from '../scheduling/index.js'
import * as service from './changes.js'

/** HTTP for changing a booked visit: moving it or changing its room, counsellors or duration (with If-Match). */

/** Entity tags of an If-Match header: '*' or the versions listed (`"3"`, `W/"3"`, lists). */
function ifMatchVersions(header: string): '*' | string[] {
  if (header.trim() === '*') return '*'
  return header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter(Boolean)
}

const preconditionRequired = () =>
  new Problem(
    428,
    'precondition-required',
    'Precondition Required',
    'A visit can only be changed with If-Match: send the ETag from GET /v1/visits/{id}, so that a change made in the meantime is not overwritten.',
  )

const preconditionFailed = (stale: service.StaleVersion) =>
  new Problem(
    412,
    'precondition-failed',
    'Precondition Failed',
    `The visit was changed since you read it (If-Match ${stale.expected.map((v) => `"${v}"`).join(', ')}; it is now at "${stale.currentVersion}"). Read it again and reapply your change.`,
    { currentVersion: stale.currentVersion },
    { etag: `"${stale.currentVersion}"` },
  )

export const visitChangeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.patch(
    '/visits/:id',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'updateVisit',
        summary: 'Move a visit or change its room, counsellors or duration (If-Match required)',
        tags: ['Scheduling'],
        description:
          'Send `If-Match` with the ETag of GET /v1/visits/{id}: without it the answer is 428, with a stale one 412. Only a `booked` visit can change (else 409 naming its status). ' +
          "The visit's reservations are freed and the new slot is judged by every rule a new booking obeys (the booking gate, opening hours, closures, holidays, working hours, absences, room capacity, overlaps, planned end, suspensions, agreement); " +
          "a conflict is a 409 with `conflicts[]` and nothing changes. `start` is a local wall time in the site's zone or an RFC 3339 instant. The answer carries the new ETag.",
        params: IdParams,
        body: S.VisitPatch,
        headers: S.IfMatchHeaders,
        response: { 200: S.Visit, ...problemResponses(404, 409, 412, 413, 415, 428) },
      },
    },
    async (request, reply) => {
      const header = request.headers['if-match']
      if (!header) throw preconditionRequired()
      const ifMatch = ifMatchVersions(header)
      if (ifMatch !== '*' && ifMatch.length === 0) throw preconditionRequired()
      try {
        const { version, visit } = await app.db.transaction((tx) =>
          service.changeVisit(tx, request.actor, app.clock.now(), request.params.id, ifMatch, request.body),
        )
        return reply.header('etag', `"${version}"`).send(visit)
      } catch (error) {
        if (error instanceof service.StaleVersion) throw preconditionFailed(error)
        throw error
      }
    },
  )
}
