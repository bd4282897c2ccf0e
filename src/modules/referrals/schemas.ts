import { Type, type Static } from '@sinclair/typebox'
import { REFERRAL_ACTIONS } from '../../domain/referral-lifecycle.js'
import { LEGAL_FRAMEWORKS, REFERRAL_SOURCES, REFERRAL_STATUSES } from '../../domain/vocabulary.js'
import { named } from '../../http/components.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { CourtNote, EitherView, ViewTag, Explanation, Instant, LocalDate, NonEmpty, Nullable, StringEnum, Uuid, VisitKindSchema } from '../../http/schemas.js'
import { Case, CaseOutcome, Party, PartyCreate, ReferrerCaseOutcome, ReferrerParty } from '../cases/index.js'
import { NullableReason } from '../reason-codes/index.js'

/** Referrals on the wire: what a referrer submits, the decisions' bodies, and the two views of a referral. */

export const ReferralStatusSchema = StringEnum(REFERRAL_STATUSES, { examples: ['waitlisted'] })
const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'

/** What the referrer asks for. Advisory only: the service decides the modalities. */
export const Requested = Type.Object(
  {
    kind: Type.Optional(VisitKindSchema),
    frequency: Type.Optional(Type.String({ maxLength: 200, examples: ['every two weeks'] })),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 480, examples: [120] })),
    notes: Type.Optional(Type.String({ maxLength: 4000, examples: ['The child has not seen her father for two years.'] })),
  },
  { additionalProperties: false },
)

const referralExample = {
  centreId: ID_EXAMPLE,
  source: 'court',
  legalFramework: 'court_ordered',
  courtId: ID_EXAMPLE,
  courtReference: '24/1234/A',
  decisionDate: '2026-02-10',
  hearingDate: '2026-09-15',
  requested: { kind: 'supervised_visit', frequency: 'every two weeks', durationMinutes: 120 },
  reason: 'Contact broken for two years after the separation.',
  parties: [
    { role: 'child', givenName: 'Lena', familyName: 'Peeters', birthDate: '2019-05-02', language: 'nl' },
    {
      role: 'visiting_parent',
      givenName: 'Tom',
      familyName: 'Peeters',
      birthDate: '1987-01-20',
      language: 'nl',
      contact: { phone: '+32 470 12 34 56' },
      confidentialAddress: false,
    },
    { role: 'residing_parent', givenName: 'Sofie', familyName: 'Janssens', birthDate: '1989-07-14', language: 'nl', confidentialAddress: true },
  ],
}

export const ReferralCreate = Type.Object(
  {
    centreId: { ...Uuid, description: 'The centre asked to take the family on' },
    source: StringEnum(REFERRAL_SOURCES, { description: 'Who refers; a clerk’s referral is always `court`', examples: ['court'] }),
    legalFramework: StringEnum(LEGAL_FRAMEWORKS, { examples: ['court_ordered'] }),
    courtId: Type.Optional({ ...Uuid, description: 'Forced to the clerk’s own court for clerk tokens' }),
    courtReference: Type.Optional(NonEmpty(60, ['24/1234/A'])),
    decisionDate: Type.Optional(LocalDate),
    hearingDate: Type.Optional(LocalDate),
    requested: Type.Optional(Requested),
    reason: NonEmpty(4000, ['Contact broken for two years after the separation.']),
    parties: Type.Array(PartyCreate, { maxItems: 30, description: 'At least one child and one visiting party' }),
  },
  {
    additionalProperties: false,
    description: 'Court-ordered referrals need courtReference (roll number) and decisionDate.',
    examples: [referralExample],
  },
)
export type ReferralCreate = Static<typeof ReferralCreate>

export const WaitingList = Type.Object({
  position: Type.Integer({ minimum: 1, description: 'Place on the centre’s waiting list, in submission order', examples: [3] }),
  daysWaiting: Type.Integer({ minimum: 0, description: 'Whole days since submission', examples: [41] }),
})

/** What both views of a referral hold: the request, its status and coded reason. */
const requestFields = {
  id: Uuid,
  centreId: Uuid,
  source: StringEnum(REFERRAL_SOURCES, { examples: ['court'] }),
  legalFramework: StringEnum(LEGAL_FRAMEWORKS, { examples: ['court_ordered'] }),
  courtId: Nullable(Uuid),
  courtReference: Nullable(Type.String({ examples: ['24/1234/A'] })),
  decisionDate: Nullable(Type.String({ format: 'date', examples: ['2026-02-10'] })),
  hearingDate: Nullable(Type.String({ format: 'date', examples: ['2026-09-15'] })),
  requested: Requested,
  reason: Type.String({ description: 'The reason for the referral', examples: ['Contact broken for two years after the separation.'] }),
  status: ReferralStatusSchema,
  statusReason: NullableReason,
  courtNote: Nullable(
    Type.String({
      description: 'The factual wording of the refusal or return for the referrer, when the centre gave one',
      examples: ['The centre has no place for this family before September 2026.'],
    }),
  ),
}
/** …and its progress: what is missing, the dates, the place on the waiting list, the case. */
const progressFields = {
  missingItems: Nullable(Type.Array(Type.String(), { description: 'For a return: what the referrer must complete', examples: [['decision of 10 February']] })),
  submittedAt: Instant,
  waitlistedAt: Nullable(Instant),
  decidedAt: Nullable(Instant),
  waitingList: Nullable(WaitingList),
  caseId: Nullable(Uuid),
}

/** The referral as a court sees it: no contact details or addresses, no internal explanation. */
export const ReferrerReferral = Type.Object({
  view: ViewTag('referrer'),
  ...requestFields,
  ...progressFields,
  case: Nullable(ReferrerCaseOutcome),
  parties: Type.Array(ReferrerParty),
})
export type ReferrerReferral = Static<typeof ReferrerReferral>

export const Referral = Type.Object({
  view: ViewTag('full'),
  ...requestFields,
  statusExplanation: Nullable(
    Type.String({
      description: 'The centre’s explanation of the status; internal, never shown to a referrer',
      examples: ['No place before September; please refer to CAW Gent.'],
    }),
  ),
  ...progressFields,
  case: Nullable(CaseOutcome),
  parties: Type.Array(Party),
  allowedActions: Type.Array(StringEnum(REFERRAL_ACTIONS), { examples: [['accept', 'refuse', 'return', 'withdraw']] }),
  districtMismatch: Type.Boolean({
    description:
      "A warning: the court's judicial district is served by none of the centre's active sites. Return it with reason wrong_district, or ask the operator to move it to another centre.",
    examples: [false],
  }),
  transfers: Type.Array(
    Type.Object({
      fromCentreId: Uuid,
      toCentreId: Uuid,
      at: Instant,
      explanation: Nullable(Type.String({ description: "The operator's reason; internal", examples: ['The court is in the district of Gent.'] })),
    }),
    { description: 'Moves of the referral between centres by the operator, oldest first' },
  ),
  createdAt: Instant,
  updatedAt: Instant,
})
export type Referral = Static<typeof Referral>

export const ReferralQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional({ ...ReferralStatusSchema, description: '`waitlisted` gives the waiting list, with position and days waiting' }),
})
export type ReferralQuery = Static<typeof ReferralQuery>

// ── Transitions ──────────────────────────────────────────────────────────────────────────────

export const WaitlistBody = Type.Object(
  {
    explanation: Type.Optional(Explanation('Complete; no place before September.')),
  },
  { additionalProperties: false, examples: [{ explanation: 'Complete; no place before September.' }] },
)
export type WaitlistBody = Static<typeof WaitlistBody>

export const AcceptBody = Type.Object(
  {
    leadCounsellorId: Uuid,
    siteId: Type.Optional(Uuid),
  },
  { additionalProperties: false, examples: [{ leadCounsellorId: ID_EXAMPLE, siteId: ID_EXAMPLE }] },
)
export type AcceptBody = Static<typeof AcceptBody>

export const RefuseBody = Type.Object(
  {
    reasonCode: Type.String({ minLength: 1, maxLength: 60, examples: ['no_capacity'] }),
    explanation: Explanation('No place before September; please refer to CAW Gent.'),
    courtNote: Type.Optional(CourtNote('The centre has no place for this family before September 2026.')),
  },
  { additionalProperties: false, examples: [{ reasonCode: 'no_capacity', explanation: 'No place before September; please refer to CAW Gent.' }] },
)
export type RefuseBody = Static<typeof RefuseBody>

export const ReturnBody = Type.Object(
  {
    reasonCode: Type.String({ minLength: 1, maxLength: 60, examples: ['incomplete_referral'] }),
    explanation: Explanation('The court decision is not attached.'),
    courtNote: Type.Optional(CourtNote('Please send the decision of 10 February 2026.')),
    missingItems: Type.Optional(
      Type.Array(NonEmpty(500), {
        maxItems: 30,
        description: 'What the referrer must complete; required for incomplete_referral',
        examples: [['decision of 10 February']],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ reasonCode: 'incomplete_referral', explanation: 'The court decision is not attached.', missingItems: ['decision of 10 February'] }],
  },
)
export type ReturnBody = Static<typeof ReturnBody>

export const WithdrawBody = Type.Object(
  {
    explanation: Type.Optional(Explanation('The parents reached an agreement at the hearing.')),
  },
  { additionalProperties: false, examples: [{ explanation: 'The parents reached an agreement at the hearing.' }] },
)
export type WithdrawBody = Static<typeof WithdrawBody>

export const TransferBody = Type.Object(
  {
    centreId: Uuid,
    explanation: Type.Optional(Explanation('The court is in the district of Gent; CAW Oost-Vlaanderen takes it.')),
  },
  {
    additionalProperties: false,
    examples: [{ centreId: ID_EXAMPLE, explanation: 'The court is in the district of Gent; CAW Oost-Vlaanderen takes it.' }],
  },
)
export type TransferBody = Static<typeof TransferBody>

/** What the operator is told of a move: where the referral went, nothing of the family. */
export const Transferred = Type.Object({
  id: Uuid,
  status: ReferralStatusSchema,
  centreId: Uuid,
  previousCentreId: Uuid,
  transferredAt: Instant,
})

export const Accepted = Type.Object(
  {
    caseId: Uuid,
    referral: Referral,
    case: Case,
  },
  { description: 'The case was created in status intake' },
)

/** A referral as the caller may see it (the referrer view for court tokens), told apart by `view`. */
export const ReferralView = EitherView(Referral, ReferrerReferral, { full: 'Referral', referrer: 'ReferrerReferral' })
export const ReferralPage = Page(ReferralView)

export const components = named({
  Referral,
  ReferrerReferral,
  ReferralView,
  ReferralPage,
  RequestedModalities: Requested,
  ReferralRequest: ReferralCreate,
  WaitlistReferralRequest: WaitlistBody,
  AcceptReferralRequest: AcceptBody,
  RefuseReferralRequest: RefuseBody,
  ReturnReferralRequest: ReturnBody,
  WithdrawReferralRequest: WithdrawBody,
  TransferReferralRequest: TransferBody,
  ReferralTransferred: Transferred,
  ReferralAccepted: Accepted,
})
