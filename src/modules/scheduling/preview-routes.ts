import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { RecurrencePreview, RecurrencePreviewRequest } from './schemas.js'
import { previewRecurrence } from './service.js'

/** HTTP for previewing a recurrence rule before booking a series. */
export const recurrencePreviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/recurrence/preview',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'previewRecurrence',
        summary: 'Preview the occurrences of a recurrence rule in local time (books nothing)',
        tags: ['Scheduling'],
        description:
          'The rule runs in wall-clock time in `timeZone`: a weekly 10:00 visit stays at 10:00 local across DST. ' +
          'A time in a spring DST gap moves forward and an ambiguous autumn time takes the first instant, each with a warning.',
        body: RecurrencePreviewRequest,
        response: { 200: RecurrencePreview, ...problemResponses(413, 415) },
      },
    },
    async (request) => previewRecurrence(request.body),
  )
}
