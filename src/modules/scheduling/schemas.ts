import { Type } from '@sinclair/typebox'
import { PartySideSchema, Timestamp, Uuid, VisitKindSchema, VisitStatusSchema } from '../../http/schemas.js'
export const LocalDateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$', description: 'Wall-clock time in the site\'s zone, no offset', examples: ['2026-03-07T10:00'] })
/** A local wall-clock time, or an instant with an offset. */
export const LocalOrInstant = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?$', description: 'Local wall-clock time in the site\'s zone, or an RFC 3339 instant', examples: ['2026-03-07T10:00'] })

export const StaggerSchema = Type.Object({
  firstToArrive: Type.Optional(PartySideSchema),
  arrivalGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
  departureGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
}, { additionalProperties: false, description: 'Defaults from the centre\'s settings' })

const bookingFields = {
  kind: VisitKindSchema,
  roomId: Type.Optional(Uuid),
  counsellorIds: Type.Array(Uuid, { minItems: 1, maxItems: 4 }),
  partyIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20, description: 'Conversation only: the parties invited (default every adult)' })),
  durationMinutes: Type.Integer({ minimum: 5, maximum: 720, examples: [90] }),
  stagger: Type.Optional(StaggerSchema),
}

export const SeriesCreate = Type.Object({
  ...bookingFields,
  start: LocalDateTime,
  rrule: Type.Optional(Type.String({ minLength: 1, maxLength: 500, examples: ['FREQ=WEEKLY;BYDAY=SA'] })),
  exdates: Type.Optional(Type.Array(LocalDateTime, { maxItems: 500 })),
  rdates: Type.Optional(Type.Array(LocalDateTime, { maxItems: 500 })),
  onConflict: Type.Union([Type.Literal('reject'), Type.Literal('skip')], { default: 'reject', examples: ['skip'] }),
  dryRun: Type.Boolean({ default: false, examples: [false] }),
}, {
  additionalProperties: false,
  examples: [{
    kind: 'supervised_visit', roomId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', counsellorIds: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13'],
    start: '2026-03-07T10:00', durationMinutes: 90, rrule: 'FREQ=WEEKLY;BYDAY=SA',
    stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 }, onConflict: 'reject', dryRun: false,
  }],
})

export const VisitCreate = Type.Object({ ...bookingFields, start: LocalOrInstant }, { additionalProperties: false })

const Arrival = Type.Object({ partyId: Uuid, arriveAt: Timestamp, leaveAt: Timestamp })

export const Visit = Type.Object({
  id: Type.Union([Uuid, Type.Null()], { description: 'null in a dry run' }),
  caseId: Uuid,
  seriesId: Type.Union([Uuid, Type.Null()]),
  kind: VisitKindSchema,
  siteId: Type.Union([Uuid, Type.Null()]),
  roomId: Type.Union([Uuid, Type.Null()]),
  counsellorIds: Type.Array(Uuid),
  partyIds: Type.Array(Uuid),
  start: Timestamp,
  end: Timestamp,
  status: VisitStatusSchema,
  arrivals: Type.Array(Arrival),
  cancelledBy: Type.Union([Type.String(), Type.Null()]),
  cancelReasonCode: Type.Union([Type.String(), Type.Null()]),
  cancelExplanation: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer({ examples: [1] }),
})

export const Reason = Type.Object({
  code: Type.String({ examples: ['room_busy'] }),
  detail: Type.String({ examples: ['the room is booked then'] }),
  resourceId: Type.Optional(Uuid),
  visitId: Type.Optional(Uuid),
})

export const SeriesResult = Type.Object({
  seriesId: Type.Union([Uuid, Type.Null()], { description: 'null in a dry run' }),
  dryRun: Type.Boolean(),
  visits: Type.Array(Visit),
  skipped: Type.Array(Type.Object({ start: Timestamp, reasons: Type.Array(Reason) })),
  warnings: Type.Array(Type.Object({ code: Type.String({ examples: ['dst_gap_shifted'] }), local: Type.Optional(Type.String()), message: Type.String() })),
})

export const Series = Type.Object({
  id: Uuid, caseId: Uuid, kind: VisitKindSchema, roomId: Type.Union([Uuid, Type.Null()]), counsellorIds: Type.Array(Uuid),
  start: LocalDateTime, timeZone: Type.String({ examples: ['Europe/Brussels'] }), durationMinutes: Type.Integer(),
  rrule: Type.Union([Type.String(), Type.Null()]), exdates: Type.Array(Type.String()),
  stagger: Type.Object({ firstToArrive: Type.String(), arrivalGapMinutes: Type.Integer(), departureGapMinutes: Type.Integer() }),
  endedFrom: Type.Union([Timestamp, Type.Null()]), createdAt: Timestamp,
  visits: Type.Array(Visit),
})

export const VisitFilters = Type.Object({
  from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
  siteId: Type.Optional(Uuid), roomId: Type.Optional(Uuid), counsellorId: Type.Optional(Uuid), caseId: Type.Optional(Uuid),
  status: Type.Optional(VisitStatusSchema),
})

export type SeriesBody = import('@sinclair/typebox').Static<typeof SeriesCreate>
export type VisitBody = import('@sinclair/typebox').Static<typeof VisitCreate>
export type BookingBody = SeriesBody | VisitBody
