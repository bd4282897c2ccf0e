import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { CASE_STATUSES, CONSULTATION_PARTNERS, GENDERS, PARTY_ROLES, POSTCODE_PATTERN, SIGNATURE_METHODS } from '../../domain/vocabulary.js'
import { CASE_ACTIONS } from '../../domain/case-lifecycle.js'
import { named } from '../../http/components.js'
import { Page, PageQuery } from '../../http/pagination.js'
import {
  CourtNote,
  EitherView,
  DocumentKindSchema,
  Explanation,
  Instant,
  LanguageTag,
  LocalDate,
  NonEmpty,
  Nullable,
  StringEnum,
  Uuid,
  ViewTag,
  VisitKindSchema,
} from '../../http/schemas.js'
import { NullableReason } from '../reason-codes/index.js'

/** A case as the centre and its referrer see it, its history, and what clients send to change it. */

export const CaseStatusSchema = StringEnum(CASE_STATUSES, { examples: ['active'] })
const NullableDate = Nullable(Type.String({ format: 'date', examples: ['2026-09-30'] }))
const NullableInstant = Nullable(Instant)
const NullableCourtNote = Nullable(
  Type.String({
    description: 'The factual wording for the referrer, when the centre gave one',
    examples: ['Contacts are suspended from 1 April until 1 May 2026.'],
  }),
)
const ReasonCodeField = (example: string) => Type.String({ minLength: 1, maxLength: 60, examples: [example] })

// ── Parties ──────────────────────────────────────────────────────────────────────────────────

export const PartyRoleSchema = StringEnum(PARTY_ROLES, { examples: ['visiting_parent'] })

const partyIdentity = {
  id: Uuid,
  role: PartyRoleSchema,
  givenName: Nullable(Type.String({ examples: ['Lena'] })),
  familyName: Type.String({ examples: ['Peeters'], description: 'Family name, or the organisation’s name (foster family, institution)' }),
  birthDate: NullableDate,
  language: LanguageTag,
}

/** A party as the referrer sees it: who, not where or how to reach them. */
export const ReferrerParty = Type.Object(partyIdentity)

export const Contact = Type.Object(
  {
    phone: Type.Optional(Type.String({ maxLength: 40, examples: ['+32 470 12 34 56'] })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200, examples: ['ouder@example.be'] })),
    address: Type.Optional(Type.String({ maxLength: 300, examples: ['Kerkstraat 1, 2000 Antwerpen'] })),
  },
  { additionalProperties: false },
)

export const InterpreterNeed = Type.Object(
  {
    needed: Type.Boolean({ examples: [true] }),
    language: Type.Optional({ ...LanguageTag, description: 'The language the interpreter translates from and to' }),
  },
  { additionalProperties: false, description: 'Whether the party needs an interpreter, and for which language', examples: [{ needed: true, language: 'ar' }] },
)

export const GenderSchema = StringEnum(GENDERS, {
  description: 'For the registration figures; `x` as on a Belgian identity document; `unknown` until recorded',
  examples: ['female'],
})
const Postcode = Type.String({
  pattern: POSTCODE_PATTERN,
  description: 'Belgian postcode of where the party lives (four digits), for the figures by municipality',
  examples: ['2000'],
})
const NationalNumber = Type.String({
  pattern: '^[0-9]{2}[.]?[0-9]{2}[.]?[0-9]{2}[-]?[0-9]{3}[.]?[0-9]{2}$',
  description:
    'Belgian national register (or BIS) number, bare or as written (`85.07.30-033.28`); its check digits are checked. Counts the person once across cases; never shown to a court.',
  examples: ['85073003328'],
})

export const Party = Type.Object({
  ...partyIdentity,
  gender: GenderSchema,
  postcode: Nullable(Postcode),
  nationalNumber: Nullable({ ...NationalNumber, description: 'Eleven digits, where recorded; never shown to a court' }),
  contact: Contact,
  confidentialAddress: Type.Boolean({ description: 'The address must never be disclosed to the other parties', examples: [false] }),
  interpreter: Nullable(InterpreterNeed),
  joinedAt: Nullable({
    ...Instant,
    description:
      'When the party was added to the running case; null for the referral’s parties. An added adult attends visits once their intake, signatures and agreement signature are recorded.',
  }),
})

/** A person as a referral names them, or as staff add them to a running case. */
export const PartyCreate = Type.Object(
  {
    role: PartyRoleSchema,
    givenName: Type.Optional(NonEmpty(100, ['Lena'])),
    familyName: NonEmpty(200, ['Peeters']),
    birthDate: Type.Optional({ ...LocalDate, description: 'Required when role is child' }),
    language: LanguageTag,
    contact: Type.Optional(Contact),
    confidentialAddress: Type.Optional(Type.Boolean({ default: false, examples: [false] })),
    interpreter: Type.Optional(InterpreterNeed),
    gender: Type.Optional({ ...GenderSchema, default: 'unknown' }),
    postcode: Type.Optional(Postcode),
    nationalNumber: Type.Optional(NationalNumber),
  },
  { additionalProperties: false },
)
export type PartyCreate = Static<typeof PartyCreate>

const NullableText = (maxLength: number, example: string) => Nullable(Type.String({ minLength: 1, maxLength, examples: [example] }))

/** A correction of a party's data: only the fields sent change; null clears a contact detail or the interpreter. */
export const PartyChange = Type.Object(
  {
    givenName: Type.Optional(NullableText(100, 'Lena')),
    familyName: Type.Optional(NonEmpty(200, ['Peeters'])),
    birthDate: Type.Optional(LocalDate),
    language: Type.Optional(LanguageTag),
    contact: Type.Optional(
      Type.Object(
        {
          phone: Type.Optional(NullableText(40, '+32 470 12 34 56')),
          email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200, examples: ['ouder@example.be'] }))),
          address: Type.Optional(NullableText(300, 'Kerkstraat 1, 2000 Antwerpen')),
        },
        { additionalProperties: false, description: 'Only the details sent change; null removes one' },
      ),
    ),
    confidentialAddress: Type.Optional(Type.Boolean({ examples: [true] })),
    interpreter: Type.Optional(Nullable(InterpreterNeed)),
    gender: Type.Optional(GenderSchema),
    postcode: Type.Optional(Nullable(Postcode)),
    nationalNumber: Type.Optional(Nullable(NationalNumber)),
    reason: Type.Optional(NonEmpty(500, ['Name misspelled in the referral.'])),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'A change of a name or birth date needs a `reason` (kept in the audit trail); the other fields may give one.',
    examples: [
      { contact: { phone: '+32 470 98 76 54', address: 'Nieuwstraat 5, 2000 Antwerpen' }, language: 'ar', interpreter: { needed: true, language: 'ar' } },
    ],
  },
)
export type PartyChange = Static<typeof PartyChange>

// ── Safety profile: internal, never court-facing ─────────────────────────────────────────────

const PartyPair = Type.Array(Uuid, { minItems: 2, maxItems: 2, description: 'Two parties of the case who must never meet at the centre' })
export const SafetyProfileBody = Type.Object(
  {
    mustNotMeet: Type.Array(PartyPair, { maxItems: 20 }),
    contactBans: Type.Array(
      Type.Object(
        { partyId: Uuid, details: NonEmpty(2000, ['No contact with the residing parent, by court order of 10 February 2026.']) },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 4000, examples: ['The father waits in the car park until the mother has left.'] }))),
  },
  {
    additionalProperties: false,
    examples: [
      {
        mustNotMeet: [['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13']],
        contactBans: [],
        notes: 'The father waits in the car park until the mother has left.',
      },
    ],
  },
)
export type SafetyProfileBody = Static<typeof SafetyProfileBody>
export const SafetyProfile = Type.Object({
  ...SafetyProfileBody.properties,
  notes: Nullable(Type.String({ examples: ['The father waits in the car park until the mother has left.'] })),
  minimumGapMinutes: Type.Integer({
    description: "The centre's minimum between the arrivals (and the departures) of a pair that must not meet",
    examples: [15],
  }),
  updatedAt: Nullable(Instant),
})

// ── Case outcome: what a referrer is told ────────────────────────────────────────────────────

export const Suspension = Type.Object({
  id: Uuid,
  from: Type.String({ format: 'date', examples: ['2026-04-01'] }),
  until: Nullable(Type.String({ format: 'date', description: 'Exclusive; null until resumed', examples: ['2026-05-01'] })),
  resumedAt: NullableInstant,
  reason: NullableReason,
  explanation: Type.String({ examples: ['Escalation in the waiting room on 28 March.'] }),
  courtNote: NullableCourtNote,
})

/** A case's open suspension, split by its dates: the case is active while it is scheduled, suspended while it is current. */
const openSuspensionOf = <T extends TSchema>(item: T) =>
  Type.Object(
    // A union rather than Nullable: the suspension stays a $ref to its component.
    { scheduled: Type.Union([item, Type.Null()]), current: Type.Union([item, Type.Null()]) },
    {
      description:
        'The open suspension by its dates, both null when there is none. `scheduled`: decided, not begun (its `from` is after the case’s local today); the case stays active until then, and `resume` withdraws it. `current`: in force; the case is suspended until its `until` (exclusive) or until resumed.',
    },
  )
export const OpenSuspension = openSuspensionOf(Suspension)

export const Ending = Type.Object({
  at: Instant,
  effectiveDate: NullableDate,
  refusedAfterIntake: Type.Boolean({ description: 'Ended from intake: the service refused the family after the intake', examples: [false] }),
  reason: NullableReason,
  explanation: Nullable(Type.String({ examples: ['Both parents agreed on handovers without the centre.'] })),
  courtNote: NullableCourtNote,
})

const caseDates = {
  status: CaseStatusSchema,
  createdAt: Instant,
  activatedAt: NullableInstant,
  plannedEndDate: NullableDate,
  endEffectiveDate: NullableDate,
  endedAt: NullableInstant,
}

/** The resulting case as shown with its referral. */
export const CaseOutcome = Type.Object({
  id: Uuid,
  ...caseDates,
  suspensions: Type.Array(Suspension),
  suspension: OpenSuspension,
  ending: Nullable(Ending),
})

// ── Signatures and the agreement ─────────────────────────────────────────────────────────────

/** A party's signature of one document version. */
export const Signature = Type.Object({
  id: Uuid,
  caseId: Uuid,
  partyId: Uuid,
  documentId: Uuid,
  kind: DocumentKindSchema,
  version: Type.Integer({ examples: [1] }),
  method: StringEnum(SIGNATURE_METHODS, { examples: ['paper'] }),
  signedAt: Instant,
  recordedByTokenId: Type.Union([Uuid, Type.Null()]),
  createdAt: Instant,
})

const AuthorisedVisitor = Type.Object(
  {
    name: NonEmpty(200, ['Maria Janssens']),
    relation: NonEmpty(100, ['grandmother']),
  },
  { additionalProperties: false },
)

const agreementFields = {
  kinds: Type.Array(VisitKindSchema, {
    minItems: 1,
    maxItems: 4,
    uniqueItems: true,
    description: 'Visit kinds the agreement covers',
    examples: [['supervised_visit']],
  }),
  frequency: Type.Optional(Type.String({ maxLength: 200, examples: ['every two weeks'] })),
  rrule: Type.Optional(
    Type.String({ maxLength: 500, description: 'Suggested RRULE (RFC 5545) for the series; advisory', examples: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA'] }),
  ),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 480, examples: [90] })),
  validUntil: Type.Optional(LocalDate),
  maxVisits: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'e.g. a block of 3 visits followed by an evaluation', examples: [3] })),
  conditions: Type.Optional(Type.Array(NonEmpty(500), { maxItems: 50, examples: [['No mobile phones during the visit']] })),
  authorisedVisitors: Type.Optional(Type.Array(AuthorisedVisitor, { maxItems: 20, description: 'People besides the parties who may attend' })),
}

export const AgreementSignatureView = Type.Object({
  partyId: Uuid,
  signedAt: Instant,
  recordedByTokenId: Type.Union([Uuid, Type.Null()]),
})

/** The case's agreement (overeenkomst) in one version, with the parties who signed it. */
export const Agreement = Type.Object({
  id: Uuid,
  caseId: Uuid,
  version: Type.Integer({ minimum: 1, examples: [1] }),
  kinds: agreementFields.kinds,
  frequency: Nullable(Type.String({ examples: ['every two weeks'] })),
  rrule: Nullable(Type.String({ examples: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA'] })),
  durationMinutes: Nullable(Type.Integer({ examples: [90] })),
  validUntil: Nullable(Type.String({ format: 'date', examples: ['2026-06-30'] })),
  maxVisits: Nullable(Type.Integer({ examples: [3] })),
  conditions: Type.Array(Type.String()),
  authorisedVisitors: Type.Array(Type.Object({ name: Type.String(), relation: Type.String() })),
  signatures: Type.Array(AgreementSignatureView),
  createdAt: Instant,
})

export const AgreementSigned = Type.Object({
  agreementId: Uuid,
  version: Type.Integer({ examples: [1] }),
  partyId: Uuid,
  signedAt: Instant,
  recordedByTokenId: Type.Union([Uuid, Type.Null()]),
})

/** What a court is told of a suspension and an ending: dates and the coded reason, never the centre's explanation. */
export const ReferrerSuspension = Type.Omit(Suspension, ['explanation'])
export const ReferrerEnding = Type.Omit(Ending, ['explanation'])
export const ReferrerOpenSuspension = openSuspensionOf(ReferrerSuspension)
export const ReferrerCaseOutcome = Type.Object({
  id: Uuid,
  ...caseDates,
  suspensions: Type.Array(ReferrerSuspension),
  suspension: ReferrerOpenSuspension,
  ending: Nullable(ReferrerEnding),
})

// ── Cases ────────────────────────────────────────────────────────────────────────────────────

const referrerCaseFields = {
  id: Uuid,
  referralId: Uuid,
  dossierNumber: Type.String({
    description: "The case's number in its centre, year and sequence (assigned when the case is created); printed on its reports",
    examples: ['2026-0042'],
  }),
  courtId: Nullable(Uuid),
  courtReference: Nullable(Type.String({ examples: ['24/1234/A'] })),
  ...caseDates,
}

export const ReferrerCaseSummary = Type.Object({ view: ViewTag('referrer'), ...referrerCaseFields })
export const CaseSummary = Type.Object({
  view: ViewTag('full'),
  ...referrerCaseFields,
  centreId: Uuid,
  siteId: Nullable(Uuid),
  feeExempt: Type.Boolean({ description: 'Court-ordered cases pay no contribution', examples: [true] }),
  feeReason: Nullable(Type.String({ description: 'Why the fee is what it is, when an admin set it', examples: ['Voluntary; income below the threshold.'] })),
  contributionPerVisitCents: Nullable(Type.Integer({ description: 'What a voluntary case pays per visit, in euro cents', examples: [500] })),
  leadCounsellorId: Uuid,
  evaluationDue: Nullable(
    Type.String({
      format: 'date',
      description:
        "The next evaluation conversation: evaluationIntervalMonths after the last one held (a conversation with purpose `evaluation` whose outcome is fulfilled) or after activation; the day of the last visit of the agreement's block when that comes first (the block is used up); at the latest the planned end. A day before today is overdue. Null unless the case is running",
      examples: ['2026-06-01'],
    }),
  ),
  hearingDate: Nullable(Type.String({ format: 'date', description: "The referral's hearing date, as the court last gave it", examples: ['2026-09-15'] })),
  reportDue: Nullable(
    Type.String({
      format: 'date',
      description:
        "The due date of the court's open request for a report (a report_request message with no progress report issued since); null when none is open",
      examples: ['2026-09-01'],
    }),
  ),
  updatedAt: Instant,
})

export const MissingRequirementSchema = Type.Object({
  partyId: Uuid,
  requirement: StringEnum(['intake', 'house_rules', 'information', 'agreement'] as const, { examples: ['house_rules'] }),
  documentId: Type.Optional(Uuid),
  version: Type.Optional(Type.Integer({ examples: [2], description: 'The version to sign (document or agreement); absent when there is none to sign yet' })),
})

export const Readiness = Type.Object({
  ready: Type.Boolean({ examples: [false] }),
  missing: Type.Array(MissingRequirementSchema),
})

export const Intake = Type.Object({
  id: Uuid,
  caseId: Uuid,
  partyId: Uuid,
  heldAt: Instant,
  counsellorId: Uuid,
  summary: Nullable(Type.String({ examples: ['Father explained the house rules back in his own words.'] })),
  createdAt: Instant,
})

export const ReferrerCase = Type.Object({
  view: ViewTag('referrer'),
  ...referrerCaseFields,
  suspensions: Type.Array(ReferrerSuspension),
  suspension: ReferrerOpenSuspension,
  ending: Nullable(ReferrerEnding),
})

const count = (description: string) => Type.Integer({ minimum: 0, description, examples: [1] })

/** How the case's visits went (each visit counted by its current status). */
export const VisitCounts = Type.Object({
  planned: count('Booked or arrived and not yet ended'),
  needsOutcome: count('Ended, still booked or arrived: an outcome is to be recorded'),
  fulfilled: count('Held'),
  interrupted: count('Stopped before the end'),
  noshow: Type.Object({
    total: count('Missed by at least one party'),
    byParty: Type.Array(Type.Object({ partyId: Uuid, count: count('No-shows listing this party as absent') }), {
      description: 'Parties listed absent, with how often',
    }),
  }),
  cancelled: Type.Object({
    total: count('Cancelled, for any reason'),
    late: count("Cancelled later than the centre's notice before the start"),
    byVisitingParty: count('Cancelled by the visiting party'),
    byResidingParty: count('Cancelled by the residing party'),
    childRefuses: count('Cancelled because the child did not want to come (reason child_refuses; counted under the adult who cancelled too)'),
    byCentre: count('Cancelled by the centre (suspensions and endings included)'),
    byReferrer: count('Cancelled by the referrer'),
  }),
})

/** A pattern staff should look at; a flag, never a decision. */
export const CaseSignal = Type.Union(
  [
    Type.Object(
      { code: Type.Literal('consecutive_absences'), partyId: Uuid, count: count('Visits in a row') },
      { description: "The party was absent at its last `count` visits in a row (at least the centre's consecutiveAbsencesSignal)" },
    ),
    Type.Object(
      { code: Type.Literal('child_refusals'), count: count('Refusals in all') },
      {
        description:
          "The child refused `count` visits (at least the centre's childRefusalsSignal): cancelled by the child or for child_refuses, or interrupted for child_refuses",
      },
    ),
  ],
  { examples: [{ code: 'consecutive_absences', partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', count: 2 }] },
)

export const Case = Type.Object({
  ...CaseSummary.properties,
  parties: Type.Array(Party),
  safety: SafetyProfile,
  intakes: Type.Array(Intake),
  agreement: Nullable(Agreement),
  suspensions: Type.Array(Suspension),
  suspension: OpenSuspension,
  ending: Nullable(Ending),
  readiness: Readiness,
  allowedActions: Type.Array(StringEnum(CASE_ACTIONS), {
    examples: [['extend', 'suspend', 'end', 'record']],
    description: '`record`: intakes, signatures and agreements may be recorded',
  }),
  visitCounts: VisitCounts,
  signals: Type.Array(CaseSignal, { description: 'Flags for staff; the decision stays with them' }),
})

export const CaseQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(CaseStatusSchema),
  counsellorId: Type.Optional(Type.String({ format: 'uuid', description: 'Lead counsellor', examples: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'] })),
  siteId: Type.Optional(Uuid),
  endingWithin: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,3}d$',
      description: 'Running cases (active or suspended) whose planned end falls within this many days from today, e.g. `30d`',
      examples: ['30d'],
    }),
  ),
  reportDue: Type.Optional(
    Type.Boolean({
      description: 'true: the cases whose referring court asked for a report that has not been issued yet (the report worklist)',
      examples: [true],
    }),
  ),
  hearingWithin: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,3}d$',
      description: 'Cases with a hearing within this many days from today and no progress report since the referral or the previous hearing date, e.g. `14d`',
      examples: ['14d'],
    }),
  ),
  evaluationDueWithin: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,3}d$',
      description:
        'The evaluation worklist: running cases whose evaluationDue is overdue or falls within this many days from today (`0d`: due today or overdue)',
      examples: ['14d'],
    }),
  ),
})
export type CaseQuery = Static<typeof CaseQuery>

// ── Events ───────────────────────────────────────────────────────────────────────────────────

export const REFERRER_EVENT_TYPES = ['created', 'activated', 'extended', 'suspended', 'resumed', 'ended'] as const

const eventFields = {
  id: Uuid,
  caseId: Uuid,
  type: Type.String({
    description:
      'created, intake_recorded, document_signed, agreement_updated, agreement_signed, activated, extended, suspended, suspension_began, resumed, ended',
    examples: ['suspended'],
  }),
  at: Instant,
  actorRole: Type.String({ examples: ['staff'] }),
  reason: NullableReason,
  courtNote: NullableCourtNote,
}

export const CaseEvent = Type.Object({
  view: ViewTag('full'),
  ...eventFields,
  explanation: Nullable(Type.String({ examples: ['Escalation in the waiting room on 28 March.'] })),
  actorTokenId: Nullable(Uuid),
  data: Type.Object(
    {},
    {
      additionalProperties: true,
      description: 'Ids and dates of the change',
      examples: [{ suspensionId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', from: '2026-04-01', until: '2026-05-01' }],
    },
  ),
})

/** Transitions only, with their dates and coded reasons; never intake or signature records, nor the explanation. */
export const ReferrerCaseEvent = Type.Object({
  view: ViewTag('referrer'),
  ...eventFields,
  data: Type.Object(
    {
      from: Type.Optional(LocalDate),
      until: Type.Optional(Nullable(LocalDate)),
      effectiveDate: Type.Optional(LocalDate),
      plannedEndDate: Type.Optional(LocalDate),
      previousPlannedEndDate: Type.Optional(LocalDate),
      refusedAfterIntake: Type.Optional(Type.Boolean()),
      withdrawn: Type.Optional(Type.Boolean({ description: 'resumed: the suspension from `from` was withdrawn before it began' })),
      ranOut: Type.Optional(Type.Boolean({ description: 'resumed: the suspension ran out at its `until` (the service resumed the case)' })),
    },
    { additionalProperties: false },
  ),
})

// ── Bodies ───────────────────────────────────────────────────────────────────────────────────

const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'

export const IntakeCreate = Type.Object(
  {
    partyId: Uuid,
    heldAt: Type.String({ format: 'date-time', examples: ['2026-02-24T09:00:00Z'] }),
    counsellorId: Uuid,
    gender: Type.Optional({ ...GenderSchema, description: "The party's gender, recorded at the intake (for the registration figures)" }),
    summary: Type.Optional(
      Type.String({
        maxLength: 10_000,
        description: 'Internal; never shown to referrers',
        examples: ['Father explained the house rules back in his own words.'],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        partyId: ID_EXAMPLE,
        heldAt: '2026-02-24T09:00:00Z',
        counsellorId: ID_EXAMPLE,
        summary: 'Father explained the house rules back in his own words.',
      },
    ],
  },
)
export type IntakeCreate = Static<typeof IntakeCreate>

export const ActivateBody = Type.Object({}, { additionalProperties: false, examples: [{}] })

export const ExtendBody = Type.Object(
  {
    plannedEndDate: LocalDate,
    explanation: Explanation('Contact is restoring; the court hearing is on 15 September.'),
    courtNote: Type.Optional(CourtNote('The planned end is extended to 31 December 2026.')),
    reasonCode: Type.Optional(ReasonCodeField('awaiting_court_decision')),
    exceptionalReason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          "Needed (from an admin) to extend past the centre's longest trajectory or number of extensions; recorded with the extension. Internal, never shown to a referrer.",
        examples: ['The hearing was postponed to March; stopping now would break the restored contact.'],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { plannedEndDate: '2026-12-31', reasonCode: 'awaiting_court_decision', explanation: 'Contact is restoring; the court hearing is on 15 September.' },
    ],
  },
)
export type ExtendBody = Static<typeof ExtendBody>

export const SuspendBody = Type.Object(
  {
    reasonCode: ReasonCodeField('house_rules_violation'),
    explanation: Explanation('Escalation in the waiting room on 28 March.'),
    courtNote: Type.Optional(CourtNote('Contacts are suspended from 1 April until 1 May 2026.')),
    from: LocalDate,
    until: Type.Optional(LocalDate),
  },
  {
    additionalProperties: false,
    examples: [{ reasonCode: 'house_rules_violation', explanation: 'Escalation in the waiting room on 28 March.', from: '2026-04-01', until: '2026-05-01' }],
  },
)
export type SuspendBody = Static<typeof SuspendBody>

export const ResumeBody = Type.Object(
  {
    explanation: Explanation('Evaluation talk held with both parents on 25 April.'),
    courtNote: Type.Optional(CourtNote('Contacts resume from 26 April 2026.')),
  },
  { additionalProperties: false, examples: [{ explanation: 'Evaluation talk held with both parents on 25 April.' }] },
)
export type ResumeBody = Static<typeof ResumeBody>

export const FeeBody = Type.Object(
  {
    exempt: Type.Boolean({ description: 'No contribution (always so in a mandatory legal framework)', examples: [false] }),
    reason: NonEmpty(500, ['Voluntary; income below the threshold.']),
    contributionPerVisitCents: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100_000, description: 'Only when not exempt: the contribution per visit, in euro cents', examples: [500] }),
    ),
  },
  { additionalProperties: false, examples: [{ exempt: false, reason: 'Voluntary; income below the threshold.', contributionPerVisitCents: 500 }] },
)
export type FeeBody = Static<typeof FeeBody>

export const EndBody = Type.Object(
  {
    reasonCode: ReasonCodeField('goal_reached'),
    explanation: Explanation('Both parents now arrange handovers without the centre.'),
    courtNote: Type.Optional(CourtNote('The supervised contacts end on 30 June 2026.')),
    effectiveDate: LocalDate,
    referredTo: Type.Optional(
      StringEnum(CONSULTATION_PARTNERS, {
        description: 'With the reason `referred_elsewhere` (and only then): the kind of service the family is referred on to. Internal.',
        examples: ['mental_health'],
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ reasonCode: 'goal_reached', explanation: 'Both parents now arrange handovers without the centre.', effectiveDate: '2026-06-30' }],
  },
)
export type EndBody = Static<typeof EndBody>

export const SignatureCreate = Type.Object(
  {
    partyId: Uuid,
    documentId: Uuid,
    method: StringEnum(SIGNATURE_METHODS, { examples: ['paper'] }),
    signedAt: Type.String({ format: 'date-time', examples: ['2026-03-02T13:30:00Z'] }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12',
        documentId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13',
        method: 'paper',
        signedAt: '2026-03-02T13:30:00Z',
      },
    ],
  },
)
export type SignatureCreate = Static<typeof SignatureCreate>

export const AgreementPut = Type.Object(agreementFields, {
  additionalProperties: false,
  examples: [
    {
      kinds: ['supervised_visit'],
      frequency: 'every two weeks',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA',
      durationMinutes: 90,
      validUntil: '2026-06-30',
      maxVisits: 3,
      conditions: ['No mobile phones during the visit'],
      authorisedVisitors: [{ name: 'Maria Janssens', relation: 'grandmother' }],
    },
  ],
})
export type AgreementPut = Static<typeof AgreementPut>

export const AgreementSignatureCreate = Type.Object(
  {
    partyId: Uuid,
    signedAt: Type.String({ format: 'date-time', examples: ['2026-03-02T13:30:00Z'] }),
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The version the party signed; refused (409) if it is no longer the current one', examples: [1] }),
    ),
  },
  { additionalProperties: false, examples: [{ partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', signedAt: '2026-03-02T13:30:00Z', version: 1 }] },
)
export type AgreementSignatureCreate = Static<typeof AgreementSignatureCreate>

/** The answers whose shape depends on the caller's role, told apart by `view`. */
export const CaseView = EitherView(Case, ReferrerCase, { full: 'Case', referrer: 'ReferrerCase' })
export const CaseSummaryView = EitherView(CaseSummary, ReferrerCaseSummary, { full: 'CaseSummary', referrer: 'ReferrerCaseSummary' })
export const CaseEventView = EitherView(CaseEvent, ReferrerCaseEvent, { full: 'CaseEvent', referrer: 'ReferrerCaseEvent' })
export const CasePage = Page(CaseSummaryView)
export const CaseEventPage = Page(CaseEventView)

export const components = named({
  Case,
  ReferrerCase,
  CaseView,
  CaseSummary,
  ReferrerCaseSummary,
  CaseSummaryView,
  CasePage,
  CaseEvent,
  ReferrerCaseEvent,
  CaseEventView,
  CaseEventPage,
  Suspension,
  ReferrerSuspension,
  OpenSuspension,
  ReferrerOpenSuspension,
  Party,
  ReferrerParty,
  Contact,
  InterpreterNeed,
  PartyRequest: PartyCreate,
  PartyChange,
  SafetyProfile,
  SafetyProfileRequest: SafetyProfileBody,
  Readiness,
  MissingRequirement: MissingRequirementSchema,
  Intake,
  CaseVisitCounts: VisitCounts,
  CaseSignal,
  Signature,
  Agreement,
  AgreementSigned,
  IntakeRequest: IntakeCreate,
  ActivateCaseRequest: ActivateBody,
  ExtendCaseRequest: ExtendBody,
  SuspendCaseRequest: SuspendBody,
  ResumeCaseRequest: ResumeBody,
  EndCaseRequest: EndBody,
  CaseFeeRequest: FeeBody,
  SignatureRequest: SignatureCreate,
  AgreementRequest: AgreementPut,
  AgreementSignatureRequest: AgreementSignatureCreate,
})
