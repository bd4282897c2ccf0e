import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { DEFAULT_MAX_OCCURRENCES, expandRecurrence, RecurrenceError } from '../../domain/recurrence.js'
import { badRequest, problemResponses } from '../../http/problem.js'

const LocalDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$',
  description: "Local wall-clock date and time 'YYYY-MM-DDTHH:mm' (seconds optional), without an offset",
  examples: ['2026-03-07T10:00'],
})

export const RecurrencePreviewRequest = Type.Object({
  start: LocalDateTime,
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the wall-clock times', examples: ['Europe/Brussels'] }),
  rrule: Type.Optional(Type.String({
    minLength: 1, maxLength: 500,
    description: 'RFC 5545 RRULE without DTSTART: FREQ DAILY, WEEKLY, MONTHLY or YEARLY; leave out for a single occurrence',
    examples: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6'],
  })),
  exdates: Type.Optional(Type.Array(LocalDateTime, { maxItems: 500, description: 'Local wall-clock times to leave out', examples: [['2026-04-04T10:00']] })),
  rdates: Type.Optional(Type.Array(LocalDateTime, { maxItems: 500, description: 'Extra local wall-clock times to add', examples: [['2026-04-08T14:00']] })),
  maxOccurrences: Type.Optional(Type.Integer({
    minimum: 1, maximum: DEFAULT_MAX_OCCURRENCES,
    description: `At most this many occurrences are returned (default ${DEFAULT_MAX_OCCURRENCES})`, examples: [52],
  })),
}, {
  additionalProperties: false,
  examples: [{
    start: '2026-03-07T10:00', timeZone: 'Europe/Brussels',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6', exdates: ['2026-04-04T10:00'],
  }],
})

export const RecurrencePreview = Type.Object({
  occurrences: Type.Array(Type.Object({
    start: Type.String({ format: 'date-time', description: 'RFC 3339 with the zone’s offset', examples: ['2026-03-07T10:00:00+01:00'] }),
  })),
  warnings: Type.Array(Type.Object({
    code: Type.Union([
      Type.Literal('dst_gap_shifted'), Type.Literal('dst_ambiguous_first_instant'), Type.Literal('capped'),
      Type.Literal('bounded_by_planned_end'), Type.Literal('exdate_unmatched'),
    ], { examples: ['dst_gap_shifted'] }),
    local: Type.Optional(Type.String({ description: 'The local wall-clock time concerned', examples: ['2026-03-29T02:30'] })),
    message: Type.String({ examples: ['2026-03-29T02:30 does not exist in Europe/Brussels (the clocks move forward); moved to 2026-03-29T03:30:00+02:00'] }),
  })),
}, {
  examples: [{
    occurrences: [{ start: '2026-03-07T10:00:00+01:00' }, { start: '2026-03-21T10:00:00+01:00' }, { start: '2026-04-18T10:00:00+02:00' }],
    warnings: [],
  }],
})

type PreviewBody = { start: string; timeZone: string; rrule?: string; exdates?: string[]; rdates?: string[]; maxOccurrences?: number }

export async function recurrencePreviewRoutes(app: FastifyInstance) {
  app.post('/recurrence/preview', {
    config: { roles: ['admin', 'staff', 'counsellor'] },
    schema: {
      operationId: 'previewRecurrence',
      summary: 'Preview the occurrences of a recurrence rule in local time (books nothing)', tags: ['Scheduling'],
      description: 'The rule runs in wall-clock time in `timeZone`: a weekly 10:00 visit stays at 10:00 local across DST. ' +
        'A time in a spring DST gap moves forward and an ambiguous autumn time takes the first instant, each with a warning.',
      body: RecurrencePreviewRequest, response: { 200: RecurrencePreview, ...problemResponses(413, 415) },
    },
  }, async (request) => {
    const body = request.body as PreviewBody
    try {
      const { occurrences, warnings } = expandRecurrence(body)
      return { occurrences: occurrences.map((o) => ({ start: o.start })), warnings }
    } catch (error) {
      if (!(error instanceof RecurrenceError)) throw error
      throw badRequest(error.message, { errors: [{ in: 'body', pointer: `/${error.field}`, detail: error.message }] })
    }
  })
}
