import { Type, type Static } from '@sinclair/typebox'
import { CANCELLED_BY, NOTICE_GIVEN, VISIT_OUTCOMES, type NoticeGiven, type VisitOutcome } from '../../domain/vocabulary.js'
import { named } from '../../http/components.js'
import { Page } from '../../http/pagination.js'
import { EitherView, Instant, NonEmpty, Nullable, StringEnum, Uuid, VisitStatusSchema } from '../../http/schemas.js'
import { ReferrerVisit } from '../referrer-view/index.js'
import { LocalOrInstant, Visit } from '../scheduling/index.js'

/** The schemas of a visit's day: cancelling it, checking parties in and out, and recording its outcome. */

const VISIT_ID = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f20'
const PARTY_ID = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f21'
const OTHER_PARTY_ID = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f22'
const OUTCOME_ID = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f23'

const ReasonCode = (description: string, example: string) => Type.String({ minLength: 1, maxLength: 64, description, examples: [example] })
const At = (description: string) => ({ ...LocalOrInstant, description: `${description} A local wall time in the site's zone or an RFC 3339 instant.` })

// ── Cancellation ────────────────────────────────────────────────────────────────────────────────

export const CancelBody = Type.Object(
  {
    cancelledBy: StringEnum(CANCELLED_BY, {
      description:
        'Who called the visit off: a side of the case, the centre or the referrer. Never the child: when the child does not want to come, the adult who was to bring them cancels, with reason `child_refuses`',
      examples: ['residing_party'],
    }),
    cancelledByPartyId: Type.Optional({
      ...Uuid,
      description:
        'The adult of that side who called it off (an adult party of the case; a child is refused). With reason `child_refuses` it names the adult who was to bring the child, and may be left out when that side has one adult at the visit',
    }),
    reasonCode: ReasonCode('A cancellation reason code (see GET /v1/reason-codes?category=cancellation)', 'illness'),
    explanation: NonEmpty(2000, ['The mother called at 09:00: the child has a fever.']),
  },
  {
    additionalProperties: false,
    examples: [{ cancelledBy: 'residing_party', reasonCode: 'illness', explanation: 'The mother called at 09:00: the child has a fever.' }],
  },
)
export type CancelBody = Static<typeof CancelBody>

export const CancelledVisit = Type.Object(
  {
    ...Visit.properties,
    late: Type.Boolean({ description: "Cancelled less than the centre's notice (cancellationNoticeHours) before the start", examples: [true] }),
    reasonCode: Type.String({ examples: ['illness'] }),
  },
  { description: 'The visit as it is after the cancellation, with `late` and the reason code' },
)

// ── Attendance ──────────────────────────────────────────────────────────────────────────────────

/** Who hands a child over at the door: an adult party of the case, or an authorised visitor of the agreement by name. */
const HandoverByParty = Type.Object({ partyId: { ...Uuid, description: 'An adult party of the case' } }, { additionalProperties: false })
const HandoverByVisitor = Type.Object(
  { authorisedVisitor: { ...NonEmpty(200, ['Maria Janssens']), description: "A name among the current agreement's authorisedVisitors" } },
  { additionalProperties: false },
)
const BroughtBy = Type.Union([HandoverByParty, HandoverByVisitor], {
  description: 'Who brought a child: an adult party of the case, or an authorised visitor of the agreement by name',
})

const PickedUpBy = Type.Union(BroughtBy.anyOf, {
  description: 'Who picked a child up: an adult party of the case, or an authorised visitor of the agreement by name',
})

export const CheckInBody = Type.Object(
  {
    partyId: { ...Uuid, description: 'The party of the visit who arrives' },
    at: Type.Optional(At('When the party arrived (default now; required after the visit’s day); on the visit’s day, not in the future.')),
    broughtBy: Type.Optional({ ...BroughtBy, description: `${BroughtBy.description}. Required for a child, not given for an adult.` }),
  },
  { additionalProperties: false, examples: [{ partyId: PARTY_ID, at: '2026-03-07T13:58', broughtBy: { partyId: OTHER_PARTY_ID } }] },
)
export type CheckInBody = Static<typeof CheckInBody>

export const CheckOutBody = Type.Object(
  {
    partyId: { ...Uuid, description: 'The party who leaves (checked in before)' },
    at: Type.Optional(At('When the party left (default now; required after the visit’s day); not before the check-in, not in the future.')),
    pickedUpBy: Type.Optional({
      ...PickedUpBy,
      description: `${PickedUpBy.description}. For a child only; anyone else is refused (409) and recorded as an incident.`,
    }),
  },
  { additionalProperties: false, examples: [{ partyId: PARTY_ID, at: '2026-03-07T15:31', pickedUpBy: { partyId: OTHER_PARTY_ID } }] },
)
export type CheckOutBody = Static<typeof CheckOutBody>

export const Attendance = Type.Object({
  id: Uuid,
  visitId: Uuid,
  partyId: Uuid,
  checkedInAt: Instant,
  checkedOutAt: Nullable(Instant),
  broughtBy: Nullable(BroughtBy),
  pickedUpBy: Nullable(PickedUpBy),
})

// ── Corrections of attendances ──────────────────────────────────────────────────────────────────

export const AttendanceCorrectionBody = Type.Object(
  {
    checkedInAt: Type.Optional(At('The corrected check-in, on the visit’s day, not in the future.')),
    checkedOutAt: Type.Optional(At('The corrected (or forgotten) check-out, not before the check-in, not in the future.')),
    broughtBy: Type.Optional({ ...BroughtBy, description: `${BroughtBy.description}. For a child only.` }),
    pickedUpBy: Type.Optional({ ...PickedUpBy, description: `${PickedUpBy.description}. For a child only, with a check-out.` }),
    correctionReason: NonEmpty(2000, ['The father arrived at 14:05; the desk recorded him when he signed in at 14:20.']),
  },
  {
    additionalProperties: false,
    description: 'The fields to correct (at least one) and why; what is left out stays as it is.',
    examples: [{ checkedInAt: '2026-03-07T14:05', correctionReason: 'The father arrived at 14:05; the desk recorded him when he signed in at 14:20.' }],
  },
)
export type AttendanceCorrectionBody = Static<typeof AttendanceCorrectionBody>

const AttendanceFacts = Type.Object(
  { checkedInAt: Instant, checkedOutAt: Nullable(Instant), broughtBy: Nullable(BroughtBy), pickedUpBy: Nullable(PickedUpBy) },
  { description: 'An attendance as it was recorded at one time' },
)

const CORRECTION_EXAMPLE = {
  id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f26',
  attendanceId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f24',
  previous: { checkedInAt: '2026-03-07T13:20:00Z', checkedOutAt: '2026-03-07T14:31:00Z', broughtBy: null, pickedUpBy: null },
  corrected: { checkedInAt: '2026-03-07T13:05:00Z', checkedOutAt: '2026-03-07T14:31:00Z', broughtBy: null, pickedUpBy: null },
  correctionReason: 'The father arrived at 14:05; the desk recorded him when he signed in at 14:20.',
  correctedAt: '2026-03-09T08:12:00Z',
  recordedByTokenId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f25',
}

export const AttendanceCorrection = Type.Object(
  {
    id: Uuid,
    attendanceId: Uuid,
    previous: { ...AttendanceFacts, description: 'The attendance before this correction (the first correction keeps the original)' },
    corrected: { ...AttendanceFacts, description: 'The attendance after it' },
    correctionReason: Type.String(),
    correctedAt: Instant,
    recordedByTokenId: Nullable(Uuid),
  },
  {
    examples: [CORRECTION_EXAMPLE],
  },
)

export const CorrectedAttendance = Type.Object(
  {
    ...Attendance.properties,
    corrections: Type.Array(AttendanceCorrection, { description: 'Every correction of this attendance, oldest first' }),
  },
  {
    examples: [
      {
        id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f24',
        visitId: VISIT_ID,
        partyId: PARTY_ID,
        checkedInAt: '2026-03-07T13:05:00Z',
        checkedOutAt: '2026-03-07T14:31:00Z',
        broughtBy: null,
        pickedUpBy: null,
        corrections: [CORRECTION_EXAMPLE],
      },
    ],
  },
)

// ── Entered in error ────────────────────────────────────────────────────────────────────────────

export const EnteredInErrorBody = Type.Object(
  { reason: NonEmpty(2000, ['Booked for the wrong family: the visit belongs to another case.']) },
  { additionalProperties: false, examples: [{ reason: 'Booked for the wrong family: the visit belongs to another case.' }] },
)
export type EnteredInErrorBody = Static<typeof EnteredInErrorBody>

const EnteredInError = Nullable(
  Type.Object(
    { reason: Type.String({ description: 'Internal: why the visit never was one' }), at: Instant },
    { description: 'Set when the visit was marked entered in error (status `entered-in-error`); null otherwise' },
  ),
)

export const EnteredInErrorVisit = Type.Object(
  { ...Visit.properties, enteredInError: EnteredInError },
  { description: 'The visit as it is after being marked entered in error' },
)

export const AttendanceResult = Type.Object(
  {
    ...Attendance.properties,
    visitStatus: { ...VisitStatusSchema, description: 'The visit’s status after this check-in or check-out', examples: ['arrived'] },
  },
  {
    examples: [
      {
        id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f24',
        visitId: VISIT_ID,
        partyId: PARTY_ID,
        checkedInAt: '2026-03-07T12:58:00Z',
        checkedOutAt: null,
        broughtBy: { partyId: OTHER_PARTY_ID },
        pickedUpBy: null,
        visitStatus: 'arrived',
      },
    ],
  },
)

// ── Outcome ─────────────────────────────────────────────────────────────────────────────────────

/** Which fields each outcome takes (besides `outcome` and `supersedes`), and which of them it requires. */
export const OUTCOME_FIELDS: Record<VisitOutcome, readonly string[]> = {
  fulfilled: ['actualStart', 'actualEnd', 'absentPartyIds'],
  noshow: ['absentPartyIds', 'noticeGiven'],
  interrupted: ['reasonCode', 'explanation', 'at'],
}
const OUTCOME_REQUIRED: Record<VisitOutcome, readonly string[]> = {
  fulfilled: ['actualStart', 'actualEnd'],
  noshow: ['absentPartyIds'],
  interrupted: ['reasonCode', 'explanation', 'at'],
}

export type OutcomeBody = { supersedes?: string } & (
  | { outcome: 'fulfilled'; actualStart: string; actualEnd: string; absentPartyIds?: string[] }
  | { outcome: 'noshow'; absentPartyIds: string[]; noticeGiven?: NoticeGiven }
  | { outcome: 'interrupted'; reasonCode: string; explanation: string; at: string }
)

/**
 * One object whose `outcome` says which fields are required (if/then), rather than a oneOf of three
 * objects: a client that leaves out a field then reads exactly that field's error, not every
 * branch's. A field of another outcome is refused by the service, naming it.
 */
const outcomeProperties: Record<string, unknown> = {
  outcome: { ...StringEnum(VISIT_OUTCOMES), examples: ['fulfilled'] },
  actualStart: At('fulfilled: when the contact really began.'),
  actualEnd: At('fulfilled: when it really ended (after actualStart, not in the future).'),
  absentPartyIds: Type.Array(
    {
      ...Uuid,
      description:
        'An adult party of the visit that did not come; a child who was not brought is the absence of the adult who was to bring them (a child is refused)',
    },
    {
      minItems: 1,
      maxItems: 20,
      uniqueItems: true,
      description: 'noshow: the parties that did not come (required); fulfilled: a party that did not come to a contact that took place (partly attended)',
    },
  ),
  noticeGiven: StringEnum(NOTICE_GIVEN, {
    description: "noshow: whether the absent let the centre know — not at all, too late (within the centre's cancellation notice) or in time",
    examples: ['late'],
  }),
  reasonCode: ReasonCode('interrupted: a cancellation or suspension reason code (GET /v1/reason-codes)', 'child_refuses'),
  explanation: NonEmpty(2000, ['The child cried and asked to go home after twenty minutes.']),
  at: At('interrupted: when the contact was stopped (not before the visit’s span, not in the future).'),
  supersedes: { ...Uuid, description: 'The id of the current outcome this one corrects; both are kept' },
}
const pick = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, outcomeProperties[f]]))

export const OutcomeBody = Type.Unsafe<OutcomeBody>({
  type: 'object',
  description:
    '`fulfilled` takes actualStart and actualEnd, and absentPartyIds when a party did not come (partly attended); `noshow` takes absentPartyIds and optionally noticeGiven; `interrupted` takes reasonCode, explanation and at. `supersedes` (optional) names the current outcome this one corrects.',
  properties: outcomeProperties,
  required: ['outcome'],
  additionalProperties: false,
  allOf: (Object.entries(OUTCOME_FIELDS) as [VisitOutcome, readonly string[]][]).map(([outcome, fields]) => ({
    if: { properties: { outcome: { const: outcome } }, required: ['outcome'] },
    then: { properties: pick(['outcome', ...fields, 'supersedes']), required: [...OUTCOME_REQUIRED[outcome]] },
  })),
  examples: [
    { outcome: 'fulfilled', actualStart: '2026-03-07T14:02', actualEnd: '2026-03-07T15:30' },
    { outcome: 'noshow', absentPartyIds: [PARTY_ID], noticeGiven: 'late' },
    { outcome: 'fulfilled', actualStart: '2026-03-07T14:02', actualEnd: '2026-03-07T15:30', absentPartyIds: [OTHER_PARTY_ID] },
    { outcome: 'interrupted', reasonCode: 'child_refuses', explanation: 'The child asked to go home.', at: '2026-03-07T14:25' },
    { outcome: 'fulfilled', actualStart: '2026-03-07T14:02', actualEnd: '2026-03-07T15:30', supersedes: OUTCOME_ID },
  ],
})

export const Outcome = Type.Object(
  {
    id: Uuid,
    visitId: Uuid,
    outcome: StringEnum(VISIT_OUTCOMES, { examples: ['fulfilled'] }),
    actualStart: Nullable(Instant),
    actualEnd: Nullable(Instant),
    absentPartyIds: Type.Array(Uuid, { description: 'noshow: who did not come; fulfilled: who did not come to a contact that took place (partly attended)' }),
    noticeGiven: Nullable(StringEnum(NOTICE_GIVEN, { description: 'noshow: whether the absent gave notice (none, late, in_time); null when not recorded' })),
    reasonCode: Nullable(Type.String({ examples: ['child_refuses'] })),
    explanation: Nullable(Type.String()),
    at: Nullable({ ...Instant, description: 'interrupted: when the contact was stopped' }),
    supersedes: Nullable({ ...Uuid, description: 'The outcome this one corrects' }),
    recordedAt: Instant,
    recordedByTokenId: Nullable(Uuid),
  },
  {
    examples: [
      {
        id: OUTCOME_ID,
        visitId: VISIT_ID,
        outcome: 'fulfilled',
        actualStart: '2026-03-07T13:02:00Z',
        actualEnd: '2026-03-07T14:30:00Z',
        absentPartyIds: [],
        noticeGiven: null,
        reasonCode: null,
        explanation: null,
        at: null,
        supersedes: null,
        recordedAt: '2026-03-07T14:40:00Z',
        recordedByTokenId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f25',
      },
    ],
  },
)

/** A visit as GET /v1/visits/{id} shows it to the centre: with who came and went, and its outcome and corrections. */
export const VisitDetail = Type.Object({
  ...Visit.properties,
  attendances: Type.Array(Attendance, { description: 'Who checked in and out, as corrected' }),
  attendanceCorrections: Type.Array(AttendanceCorrection, {
    description: 'Every correction of an attendance, oldest first, each with the attendance before and after it: the original is the first one’s `previous`',
  }),
  enteredInError: EnteredInError,
  outcome: Nullable({ ...Outcome, description: 'The current outcome (the latest correction), null until one is recorded' }),
  outcomeHistory: Type.Array(Outcome, { description: 'Every outcome recorded, oldest first; each correction supersedes the one before' }),
})

/** A visit as the caller may see it: the centre's full visit or the court's referrer view, told apart by `view`. */
export const VisitView = EitherView(Visit, ReferrerVisit, { full: 'Visit', referrer: 'ReferrerVisit' })
export const VisitDetailView = EitherView(VisitDetail, ReferrerVisit, { full: 'VisitDetail', referrer: 'ReferrerVisit' })
export const VisitPage = Page(VisitView)

export const components = named({
  HandoverByParty,
  HandoverByVisitor,
  VisitDetail,
  VisitView,
  VisitDetailView,
  VisitPage,
  CancelVisitRequest: CancelBody,
  CancelledVisit,
  CheckInRequest: CheckInBody,
  CheckOutRequest: CheckOutBody,
  Attendance,
  AttendanceResult,
  AttendanceCorrectionRequest: AttendanceCorrectionBody,
  AttendanceCorrection,
  CorrectedAttendance,
  EnteredInErrorRequest: EnteredInErrorBody,
  EnteredInErrorVisit,
  OutcomeRequest: OutcomeBody,
  Outcome,
})
