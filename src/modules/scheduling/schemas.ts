import { Type, type Static } from '@sinclair/typebox'
import { DEFAULT_MAX_OCCURRENCES, RECURRENCE_WARNING_CODES } from '../../domain/recurrence.js'
import { CONVERSATION_PURPOSES, VISIT_KINDS } from '../../domain/vocabulary.js'
import { named } from '../../http/components.js'
import { PageQuery } from '../../http/pagination.js'
import {
  Instant,
  LanguageTag,
  NonEmpty,
  Nullable,
  PartySideSchema,
  StringEnum,
  Timestamp,
  Uuid,
  ViewTag,
  VisitKindSchema,
  VisitStatusSchema,
} from '../../http/schemas.js'

/** The schemas of scheduling: what clients send to book, move, end and search, and what they get back. */

export const LocalDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$',
  description: "Wall-clock date and time in the site's zone, without an offset ('YYYY-MM-DDTHH:mm'): not an instant",
  examples: ['2026-03-07T10:00'],
})
/** A local wall-clock time, or an instant with an offset. */
export const LocalOrInstant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?$',
  description: "Local wall-clock time in the site's zone, or an RFC 3339 instant",
  examples: ['2026-03-07T10:00'],
})

const DATE_OR_INSTANT = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?$'

export const StaggerSchema = Type.Object(
  {
    firstToArrive: Type.Optional(PartySideSchema),
    arrivalGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
    departureGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
  },
  { additionalProperties: false, description: "Defaults from the centre's settings" },
)

// ── Booking ─────────────────────────────────────────────────────────────────────────────────────

export const ConversationPurpose = StringEnum(CONVERSATION_PURPOSES, {
  description: 'What a conversation is for. Mediation and evaluation bring the invited together (no staggering) unless the safety profile keeps a pair apart.',
  examples: ['evaluation'],
})
export const VisitLocation = Type.Object(
  {
    description: NonEmpty(300, ['Speeltuin Park Spoor Noord, by the main entrance']),
    address: Type.Optional(NonEmpty(300, ['Damplein, 2060 Antwerpen'])),
  },
  { additionalProperties: false, description: 'Where an outside visit takes place' },
)
export const Interpreter = Type.Object(
  { name: NonEmpty(200, ['Samira El Amrani']), language: LanguageTag },
  { additionalProperties: false, description: 'The interpreter who comes to this visit or conversation' },
)

const bookingFields = {
  kind: VisitKindSchema,
  roomId: Type.Optional(Uuid),
  counsellorIds: Type.Array(Uuid, { minItems: 1, maxItems: 4 }),
  partyIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20, description: 'Conversation only: the parties invited (default every adult)' })),
  durationMinutes: Type.Integer({ minimum: 5, maximum: 720, examples: [90] }),
  stagger: Type.Optional(StaggerSchema),
  purpose: Type.Optional({ ...ConversationPurpose, description: `Required for a conversation (and only there). ${ConversationPurpose.description}` }),
  location: Type.Optional({ ...VisitLocation, description: 'Required for an outside visit (and only there): where it takes place' }),
  interpreter: Type.Optional(Interpreter),
}

export const SeriesCreate = Type.Object(
  {
    ...bookingFields,
    start: LocalDateTime,
    rrule: Type.Optional(Type.String({ minLength: 1, maxLength: 500, examples: ['FREQ=WEEKLY;BYDAY=SA'] })),
    exdates: Type.Optional(Type.Array(LocalDateTime, { maxItems: 500 })),
    rdates: Type.Optional(Type.Array(LocalDateTime, { maxItems: 500 })),
    onConflict: Type.Union([Type.Literal('reject'), Type.Literal('skip')], { default: 'reject', examples: ['skip'] }),
    dryRun: Type.Boolean({ default: false, examples: [false] }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        kind: 'supervised_visit',
        roomId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12',
        counsellorIds: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13'],
        start: '2026-03-07T10:00',
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;BYDAY=SA',
        stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 },
        onConflict: 'reject',
        dryRun: false,
      },
    ],
  },
)
export type SeriesCreate = Static<typeof SeriesCreate>

export const VisitCreate = Type.Object(
  {
    ...bookingFields,
    start: LocalOrInstant,
    recordedAfterTheFact: Type.Optional(
      Type.Boolean({
        description:
          'Admins only (403 otherwise): records a visit that already happened, so a start before now is not refused with `in_the_past`. Audited. The visit is then checked in and out with explicit times (`at`) and given an outcome.',
        examples: [true],
      }),
    ),
  },
  { additionalProperties: false },
)
export type VisitCreate = Static<typeof VisitCreate>

const Arrival = Type.Object({ partyId: Uuid, arriveAt: Instant, leaveAt: Instant })

const visitFields = {
  caseId: Uuid,
  kind: VisitKindSchema,
  siteId: Type.Union([Uuid, Type.Null()]),
  roomId: Type.Union([Uuid, Type.Null()]),
  counsellorIds: Type.Array(Uuid),
  partyIds: Type.Array(Uuid),
  start: Instant,
  end: Instant,
  arrivals: Type.Array(Arrival),
  purpose: Nullable(ConversationPurpose),
  location: Nullable(VisitLocation),
  interpreter: Nullable(Interpreter),
}

/** A booked visit (full view). */
export const Visit = Type.Object({
  view: ViewTag('full'),
  id: Uuid,
  seriesId: Type.Union([Uuid, Type.Null()]),
  ...visitFields,
  status: VisitStatusSchema,
  cancelledBy: Type.Union([Type.String(), Type.Null()]),
  cancelledByPartyId: Type.Union([Uuid, Type.Null()], { description: 'The adult who called the visit off, when known (never a child)' }),
  cancelledLate: Type.Union([Type.Boolean(), Type.Null()], {
    description: "Cancelled later than the centre's notice before the start; null when not cancelled by a party or the centre on request",
  }),
  cancelReasonCode: Type.Union([Type.String(), Type.Null()]),
  cancelExplanation: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer({ examples: [1] }),
})

/** A visit a dry run would book: not booked, so it has no id, status or version. */
export const PlannedVisit = Type.Object(visitFields)

export const Reason = Type.Object({
  code: Type.String({ examples: ['room_busy'] }),
  detail: Type.String({ examples: ['the room is booked then'] }),
  resourceId: Type.Optional(Uuid),
  visitId: Type.Optional(Uuid),
})

const SkippedOccurrence = Type.Object({ start: Instant, reasons: Type.Array(Reason) })
const RecurrenceWarning = Type.Object({
  code: StringEnum(RECURRENCE_WARNING_CODES, { examples: ['dst_gap_shifted'] }),
  local: Type.Optional(Type.String({ description: 'The local wall-clock time concerned', examples: ['2026-03-29T02:30'] })),
  message: Type.String({
    examples: ['2026-03-29T02:30 does not exist in Europe/Brussels (the clocks move forward); moved to 2026-03-29T03:30:00+02:00'],
  }),
})

/** 201: the series and the visits booked. */
export const SeriesBooked = Type.Object({
  dryRun: Type.Literal(false),
  seriesId: Uuid,
  visits: Type.Array(Visit),
  skipped: Type.Array(SkippedOccurrence),
  warnings: Type.Array(RecurrenceWarning),
})

/** 200: a dry run; nothing was booked, the visits are those a booking would make now. */
export const SeriesDryRun = Type.Object({
  dryRun: Type.Literal(true),
  seriesId: Type.Null({ description: 'A dry run makes no series' }),
  visits: Type.Array(PlannedVisit),
  skipped: Type.Array(SkippedOccurrence),
  warnings: Type.Array(RecurrenceWarning),
})

export const Series = Type.Object({
  id: Uuid,
  caseId: Uuid,
  kind: VisitKindSchema,
  roomId: Type.Union([Uuid, Type.Null()]),
  counsellorIds: Type.Array(Uuid),
  start: LocalDateTime,
  timeZone: Type.String({ examples: ['Europe/Brussels'] }),
  durationMinutes: Type.Integer(),
  rrule: Type.Union([Type.String(), Type.Null()]),
  exdates: Type.Array(Type.String()),
  stagger: Type.Object({ firstToArrive: Type.String(), arrivalGapMinutes: Type.Integer(), departureGapMinutes: Type.Integer() }),
  endedFrom: Type.Union([Instant, Type.Null()]),
  createdAt: Instant,
  visits: Type.Array(Visit),
})

export const VisitFilters = Type.Object({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  siteId: Type.Optional(Uuid),
  roomId: Type.Optional(Uuid),
  counsellorId: Type.Optional(Uuid),
  caseId: Type.Optional(Uuid),
  status: Type.Optional(VisitStatusSchema),
  needsOutcome: Type.Optional(
    Type.Boolean({
      description: 'true: only visits that have ended (by now) and are still booked or arrived, i.e. still need an outcome (the counsellors’ worklist)',
      examples: [true],
    }),
  ),
})
export const VisitListQuery = Type.Object({ ...PageQuery.properties, ...VisitFilters.properties })
export type VisitListQuery = Static<typeof VisitListQuery>

// ── Changes ─────────────────────────────────────────────────────────────────────────────────────

export const VisitPatch = Type.Object(
  {
    start: Type.Optional(LocalOrInstant),
    roomId: Type.Optional(Uuid),
    counsellorIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 4 })),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 720, examples: [90] })),
    stagger: Type.Optional(StaggerSchema),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'What changes; anything left out stays as it is. The staggering stays as booked unless `stagger` is given.',
    examples: [{ start: '2026-03-14T14:00', roomId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12' }],
  },
)
export type VisitPatch = Static<typeof VisitPatch>

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag from GET /v1/visits/{id}, e.g. "1"', examples: ['"1"'] })),
})

/** A local date (start of that day in the series' zone), a local wall time, or an RFC 3339 instant. */
const SeriesDateOrInstant = Type.String({
  pattern: DATE_OR_INSTANT,
  description: "A local date `YYYY-MM-DD` (from the start of that day in the series' zone), a local wall time, or an RFC 3339 instant",
  examples: ['2026-05-01'],
})

export const SeriesEndQuery = Type.Object({
  from: Type.Optional(SeriesDateOrInstant),
  reasonCode: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'other',
      description: 'A cancellation reason code (see GET /v1/reason-codes?category=cancellation)',
      examples: ['counsellor_unavailable'],
    }),
  ),
  explanation: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, examples: ['The counsellor leaves the centre; a new series follows.'] })),
})
export type SeriesEndQuery = Static<typeof SeriesEndQuery>

export const SeriesEnded = Type.Object({
  seriesId: Uuid,
  endedFrom: Instant,
  cancelled: Type.Array(Uuid, { description: 'The visits cancelled by this request' }),
})

// ── Availability ────────────────────────────────────────────────────────────────────────────────

/** The longest window one request may search: a month view of a booking form. */
export const MAX_WINDOW_DAYS = 31

const SiteDateOrInstant = Type.String({
  pattern: DATE_OR_INSTANT,
  description: "A local date `YYYY-MM-DD` (the start of that day in the site's zone), a local wall time, or an RFC 3339 instant",
})

export const AvailabilityQuery = Type.Object(
  {
    siteId: Uuid,
    from: { ...SiteDateOrInstant, description: `First possible start (inclusive). ${SiteDateOrInstant.description}`, examples: ['2027-03-01'] },
    to: {
      ...SiteDateOrInstant,
      description: `Starts before this (exclusive); at most ${MAX_WINDOW_DAYS} days after from. ${SiteDateOrInstant.description}`,
      examples: ['2027-04-01'],
    },
    durationMinutes: Type.Integer({ minimum: 5, maximum: 720, description: 'Length of the contact itself (the staggering comes around it)', examples: [90] }),
    kind: StringEnum(VISIT_KINDS, {
      default: 'supervised_visit',
      description: 'An outside visit uses no room: only counsellors are searched',
      examples: ['supervised_visit'],
    }),
    roomId: Type.Optional({ ...Uuid, description: 'Only this room (default: every active room of the site)' }),
    counsellorId: Type.Optional({ ...Uuid, description: 'Only this counsellor (default: every active counsellor of the centre)' }),
    caseId: Type.Optional({
      ...Uuid,
      description:
        "Judge the slots for this case too: its people's other visits, suspensions, planned end, agreement and the booking gate (409 with `missing[]`)",
    }),
    stepMinutes: Type.Union(
      [5, 10, 15, 20, 30, 60].map((n) => Type.Literal(n)),
      { default: 15, description: 'Starts lie on this grid of the local clock', examples: [15] },
    ),
    firstToArrive: Type.Optional({ ...PartySideSchema, description: "Staggering; default the centre's setting" }),
    arrivalGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
    departureGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
    limit: { ...PageQuery.properties.limit, description: 'Slots per page (1–200)' },
    cursor: PageQuery.properties.cursor,
  },
  { additionalProperties: false },
)
export type AvailabilityQuery = Static<typeof AvailabilityQuery>

const Slot = Type.Object({
  start: Instant,
  end: Instant,
  spanStart: { ...Instant, description: 'The first arrival: room, counsellor and people are reserved from here' },
  spanEnd: { ...Instant, description: 'The last departure' },
  roomId: Type.Union([Uuid, Type.Null()], { description: 'null for an outside visit' }),
  counsellorIds: Type.Array(Uuid, { description: 'The counsellors free for the whole span (book one or more of them)' }),
  arrivals: Type.Optional(Type.Array(Arrival, { description: 'With caseId: when each party would come and go' })),
})

export const AvailabilityPage = Type.Object(
  {
    items: Type.Array(Slot),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= (with the same query) for the next page; null on the last page' }),
    timeZone: Type.String({ examples: ['Europe/Brussels'] }),
    stepMinutes: Type.Integer({ examples: [15] }),
  },
  {
    examples: [
      {
        items: [
          {
            start: '2027-03-06T09:00:00Z',
            end: '2027-03-06T10:30:00Z',
            spanStart: '2027-03-06T08:45:00Z',
            spanEnd: '2027-03-06T10:45:00Z',
            roomId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12',
            counsellorIds: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13'],
          },
        ],
        nextCursor: 'MjAyNy0wMy0wNlQwOTowMDowMC4wMDBafDAxOTNhNWIy',
        timeZone: 'Europe/Brussels',
        stepMinutes: 15,
      },
    ],
  },
)

// ── Recurrence preview ──────────────────────────────────────────────────────────────────────────

const PreviewDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$',
  description: "Local wall-clock date and time 'YYYY-MM-DDTHH:mm' (seconds optional), without an offset",
  examples: ['2026-03-07T10:00'],
})

export const RecurrencePreviewRequest = Type.Object(
  {
    start: PreviewDateTime,
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the wall-clock times', examples: ['Europe/Brussels'] }),
    rrule: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'RFC 5545 RRULE without DTSTART: FREQ DAILY, WEEKLY, MONTHLY or YEARLY; leave out for a single occurrence',
        examples: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6'],
      }),
    ),
    exdates: Type.Optional(
      Type.Array(PreviewDateTime, { maxItems: 500, description: 'Local wall-clock times to leave out', examples: [['2026-04-04T10:00']] }),
    ),
    rdates: Type.Optional(Type.Array(PreviewDateTime, { maxItems: 500, description: 'Extra local wall-clock times to add', examples: [['2026-04-08T14:00']] })),
    maxOccurrences: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: DEFAULT_MAX_OCCURRENCES,
        description: `At most this many occurrences are returned (default ${DEFAULT_MAX_OCCURRENCES})`,
        examples: [52],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        start: '2026-03-07T10:00',
        timeZone: 'Europe/Brussels',
        rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6',
        exdates: ['2026-04-04T10:00'],
      },
    ],
  },
)
export type RecurrencePreviewRequest = Static<typeof RecurrencePreviewRequest>

export const RecurrencePreview = Type.Object(
  {
    occurrences: Type.Array(
      Type.Object({
        start: { ...Instant, examples: ['2026-03-07T09:00:00Z'] },
        localStart: { ...PreviewDateTime, description: "The occurrence's wall-clock time in the zone (after any DST adjustment), without an offset" },
      }),
    ),
    warnings: Type.Array(RecurrenceWarning),
  },
  {
    examples: [
      {
        occurrences: [
          { start: '2026-03-07T09:00:00Z', localStart: '2026-03-07T10:00' },
          { start: '2026-03-21T09:00:00Z', localStart: '2026-03-21T10:00' },
          { start: '2026-04-18T08:00:00Z', localStart: '2026-04-18T10:00' },
        ],
        warnings: [],
      },
    ],
  },
)

export const components = named({
  Visit,
  PlannedVisit,
  Arrival,
  ConflictReason: Reason,
  SkippedOccurrence,
  RecurrenceWarning,
  SeriesBooked,
  SeriesDryRun,
  Series,
  SeriesEnded,
  Stagger: StaggerSchema,
  ConversationPurpose,
  VisitLocation,
  Interpreter,
  SeriesRequest: SeriesCreate,
  VisitRequest: VisitCreate,
  VisitChange: VisitPatch,
  AvailableSlot: Slot,
  AvailabilityPage,
  RecurrencePreviewRequest,
  RecurrencePreview,
})
