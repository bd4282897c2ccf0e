import { Type } from '@sinclair/typebox'
import { CASE_STATUSES, PARTY_ROLES } from '../../domain/vocabulary.js'
import { CASE_ACTIONS } from '../../domain/case-lifecycle.js'
import { LanguageSchema, LocalDate, Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'
import { Agreement } from '../documents/schemas.js'
import { NullableReason } from '../reason-codes/schemas.js'
export const CaseStatusSchema = StringEnum(CASE_STATUSES, { examples: ['active'] })
const NullableDate = Nullable(Type.String({ format: 'date', examples: ['2026-09-30'] }))
const NullableTimestamp = Nullable(Timestamp)
const Explanation = (example: string) => Type.String({ minLength: 1, maxLength: 4000, description: 'Free text, factual', examples: [example] })
const ReasonCodeField = (example: string) => Type.String({ minLength: 1, maxLength: 60, examples: [example] })

// ── Parties ──────────────────────────────────────────────────────────────────────────────────

export const PartyRoleSchema = StringEnum(PARTY_ROLES, { examples: ['visiting_parent'] })

const partyIdentity = {
  id: Uuid,
  role: PartyRoleSchema,
  givenName: Nullable(Type.String({ examples: ['Lena'] })),
  familyName: Type.String({ examples: ['Peeters'], description: 'Family name, or the organisation’s name (foster family, institution)' }),
  birthDate: NullableDate,
  language: LanguageSchema,
}

/** A party as the referrer sees it: who, not where or how to reach them. */
export const ReferrerParty = Type.Object(partyIdentity)

export const Contact = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 40, examples: ['+32 470 12 34 56'] })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 200, examples: ['ouder@example.be'] })),
  address: Type.Optional(Type.String({ maxLength: 300, examples: ['Kerkstraat 1, 2000 Antwerpen'] })),
}, { additionalProperties: false })

export const Party = Type.Object({
  ...partyIdentity,
  contact: Contact,
  confidentialAddress: Type.Boolean({ description: 'The address must never be disclosed to the other parties', examples: [false] }),
})

// ── Case outcome: what a referrer is told ────────────────────────────────────────────────────

export const Suspension = Type.Object({
  id: Uuid,
  from: Type.String({ format: 'date', examples: ['2026-04-01'] }),
  until: Nullable(Type.String({ format: 'date', description: 'Exclusive; null until resumed', examples: ['2026-05-01'] })),
  resumedAt: NullableTimestamp,
  reason: NullableReason,
  explanation: Type.String({ examples: ['Escalation in the waiting room on 28 March.'] }),
})

export const Ending = Type.Object({
  at: Timestamp,
  effectiveDate: NullableDate,
  refusedAfterIntake: Type.Boolean({ description: 'Ended from intake: the service refused the family after the intake', examples: [false] }),
  reason: NullableReason,
  explanation: Nullable(Type.String({ examples: ['Both parents agreed on handovers without the centre.'] })),
})

const caseDates = {
  status: CaseStatusSchema,
  createdAt: Timestamp,
  activatedAt: NullableTimestamp,
  plannedEndDate: NullableDate,
  endEffectiveDate: NullableDate,
  endedAt: NullableTimestamp,
}

/** The resulting case as shown with its referral. */
export const CaseOutcome = Type.Object({
  id: Uuid,
  ...caseDates,
  suspensions: Type.Array(Suspension),
  ending: Nullable(Ending),
})

/** What a court is told of a suspension and an ending: dates and the coded reason, never the centre's explanation. */
export const ReferrerSuspension = Type.Omit(Suspension, ['explanation'])
export const ReferrerEnding = Type.Omit(Ending, ['explanation'])
export const ReferrerCaseOutcome = Type.Object({
  id: Uuid,
  ...caseDates,
  suspensions: Type.Array(ReferrerSuspension),
  ending: Nullable(ReferrerEnding),
})

// ── Cases ────────────────────────────────────────────────────────────────────────────────────

const referrerCaseFields = {
  id: Uuid,
  referralId: Uuid,
  courtId: Nullable(Uuid),
  courtReference: Nullable(Type.String({ examples: ['24/1234/A'] })),
  ...caseDates,
}

export const ReferrerCaseSummary = Type.Object(referrerCaseFields)
export const CaseSummary = Type.Object({
  ...referrerCaseFields,
  centreId: Uuid,
  siteId: Nullable(Uuid),
  feeExempt: Type.Boolean({ description: 'Court-ordered cases pay no contribution', examples: [true] }),
  leadCounsellorId: Uuid,
  updatedAt: Timestamp,
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
  heldAt: Timestamp,
  counsellorId: Uuid,
  summary: Nullable(Type.String({ examples: ['Father explained the house rules back in his own words.'] })),
  createdAt: Timestamp,
})

export const ReferrerCase = Type.Object({
  ...referrerCaseFields,
  suspensions: Type.Array(ReferrerSuspension),
  ending: Nullable(ReferrerEnding),
})

export const Case = Type.Object({
  ...CaseSummary.properties,
  parties: Type.Array(Party),
  intakes: Type.Array(Intake),
  agreement: Nullable(Agreement),
  suspensions: Type.Array(Suspension),
  ending: Nullable(Ending),
  readiness: Readiness,
  allowedActions: Type.Array(StringEnum(CASE_ACTIONS), { examples: [['extend', 'suspend', 'end', 'record']], description: '`record`: intakes, signatures and agreements may be recorded' }),
})

export const CaseQuery = Type.Object({
  status: Type.Optional(CaseStatusSchema),
  counsellorId: Type.Optional(Type.String({ format: 'uuid', description: 'Lead counsellor', examples: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'] })),
  siteId: Type.Optional(Uuid),
})

// ── Events ───────────────────────────────────────────────────────────────────────────────────

export const REFERRER_EVENT_TYPES = ['created', 'activated', 'extended', 'suspended', 'resumed', 'ended'] as const

const eventFields = {
  id: Uuid,
  caseId: Uuid,
  type: Type.String({ description: 'created, intake_recorded, document_signed, agreement_updated, agreement_signed, activated, extended, suspended, resumed, ended', examples: ['suspended'] }),
  at: Timestamp,
  actorRole: Type.String({ examples: ['staff'] }),
  reason: NullableReason,
}

export const CaseEvent = Type.Object({
  ...eventFields,
  explanation: Nullable(Type.String({ examples: ['Escalation in the waiting room on 28 March.'] })),
  actorTokenId: Nullable(Uuid),
  data: Type.Object({}, { additionalProperties: true, description: 'Ids and dates of the change', examples: [{ suspensionId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', from: '2026-04-01', until: '2026-05-01' }] }),
})

/** Transitions only, with their dates and coded reasons; never intake or signature records, nor the explanation. */
export const ReferrerCaseEvent = Type.Object({
  ...eventFields,
  data: Type.Object({
    from: Type.Optional(LocalDate),
    until: Type.Optional(Nullable(LocalDate)),
    effectiveDate: Type.Optional(LocalDate),
    plannedEndDate: Type.Optional(LocalDate),
    previousPlannedEndDate: Type.Optional(LocalDate),
    refusedAfterIntake: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
})

// ── Bodies ───────────────────────────────────────────────────────────────────────────────────

const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'

export const IntakeCreate = Type.Object({
  partyId: Uuid,
  heldAt: Type.String({ format: 'date-time', examples: ['2026-02-24T10:00:00+01:00'] }),
  counsellorId: Uuid,
  summary: Type.Optional(Type.String({ maxLength: 10_000, description: 'Internal; never shown to referrers', examples: ['Father explained the house rules back in his own words.'] })),
}, { additionalProperties: false, examples: [{ partyId: ID_EXAMPLE, heldAt: '2026-02-24T10:00:00+01:00', counsellorId: ID_EXAMPLE, summary: 'Father explained the house rules back in his own words.' }] })

export const ActivateBody = Type.Object({}, { additionalProperties: false, examples: [{}] })

export const ExtendBody = Type.Object({
  plannedEndDate: LocalDate,
  explanation: Explanation('Contact is restoring; the court hearing is on 15 September.'),
  reasonCode: Type.Optional(ReasonCodeField('awaiting_court_decision')),
}, { additionalProperties: false, examples: [{ plannedEndDate: '2026-12-31', reasonCode: 'awaiting_court_decision', explanation: 'Contact is restoring; the court hearing is on 15 September.' }] })

export const SuspendBody = Type.Object({
  reasonCode: ReasonCodeField('house_rules_violation'),
  explanation: Explanation('Escalation in the waiting room on 28 March.'),
  from: LocalDate,
  until: Type.Optional(LocalDate),
}, { additionalProperties: false, examples: [{ reasonCode: 'house_rules_violation', explanation: 'Escalation in the waiting room on 28 March.', from: '2026-04-01', until: '2026-05-01' }] })

export const ResumeBody = Type.Object({
  explanation: Explanation('Evaluation talk held with both parents on 25 April.'),
}, { additionalProperties: false, examples: [{ explanation: 'Evaluation talk held with both parents on 25 April.' }] })

export const EndBody = Type.Object({
  reasonCode: ReasonCodeField('goal_reached'),
  explanation: Explanation('Both parents now arrange handovers without the centre.'),
  effectiveDate: LocalDate,
}, { additionalProperties: false, examples: [{ reasonCode: 'goal_reached', explanation: 'Both parents now arrange handovers without the centre.', effectiveDate: '2026-06-30' }] })

