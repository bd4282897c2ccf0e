import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { availabilityPageJson, findAvailability } from './availability-service.js'
import { AvailabilityPage, AvailabilityQuery, MAX_WINDOW_DAYS } from './schemas.js'

/** HTTP for the availability search. */
export const availabilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/availability',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'findAvailability',
        summary: 'Find free slots at a site (room, counsellors, start) that pass every booking rule',
        tags: ['Scheduling'],
        description:
          `Starts on a local-clock grid (\`stepMinutes\`, default 15) in [from, to), at most ${MAX_WINDOW_DAYS} days. ` +
          "A slot is a start with a room that still has a free place (capacity) and the counsellors free for the whole staggered span: inside the site's opening hours, not on a closure or a Belgian public holiday (unless the centre opted out), " +
          "inside the counsellor's working hours and not during an absence, and overlapping no reservation of the room place or the counsellor. " +
          "With `caseId` the slot also respects the case: its people's other visits, its suspensions, its planned end and its agreement (kinds, validUntil, maxVisits); a case that may not be booked at all answers 409 with `missing[]`, like a booking. " +
          "Without `caseId`, the span assumes both sides come (staggered with the centre's gaps). Starts already past are not listed. Booking a listed slot can still fail if someone books it first.",
        querystring: AvailabilityQuery,
        response: { 200: AvailabilityPage, ...problemResponses(404, 409) },
      },
    },
    // The page is written by availabilityPageJson: the same JSON as the schema's serializer, faster.
    // Only once there is a page: a problem keeps its own serializer.
    async (request, reply) => {
      const page = await findAvailability(app.db, request.actor, app.clock.now(), request.query)
      return reply.type('application/json; charset=utf-8').serializer(availabilityPageJson).send(page)
    },
  )
}
