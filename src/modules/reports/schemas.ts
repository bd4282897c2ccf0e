import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { CANCELLED_BY, OBSERVATION_KINDS, PARTY_ROLES, REPORT_KINDS, REPORT_LANGUAGES, type CancelledBy } from '../../domain/vocabulary.js'
import { LocalDate, Nullable, StringEnum, Uuid } from '../../http/schemas.js'
import { ReasonCategorySchema } from '../reason-codes/index.js'

/**
 * A report to the referrer as every reader gets it. Its content is court-safe by construction
 * (src/domain/reports.ts), so clerks, integrations and the centre read the same document; every
 * field is in the referrer view's list (REFERRER_VIEW_FIELDS).
 */

const ReportLanguageSchema = StringEnum(REPORT_LANGUAGES, { examples: ['nl'], description: 'The language the report is written in' })
const Count = Type.Integer({ minimum: 0, examples: [3] })
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', examples: ['9f2c1e0b7d5a4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3'] })

const ReportReason = Type.Object(
  {
    category: ReasonCategorySchema,
    code: Type.String({ examples: ['illness'] }),
    label: Type.String({ description: "The reason's label in the report's language", examples: ['Ziekte'] }),
  },
  { additionalProperties: false },
)

const Decision = Type.Object(
  {
    date: { ...LocalDate, description: 'The day of the decision' },
    reason: Nullable(ReportReason),
    courtNote: Nullable(
      Type.String({ description: "The centre's note for the referrer (never its internal explanation)", examples: ['Contacts are suspended.'] }),
    ),
    from: Type.Optional({ ...LocalDate, description: 'suspension, resumption: the (planned) first day without contact' }),
    until: Type.Optional(Nullable({ ...LocalDate, description: 'suspension: the first day contact may take place again; null until resumed' })),
    effectiveDate: Type.Optional({ ...LocalDate, description: 'ending: the day the supervision ends' }),
    plannedEndDate: Type.Optional({ ...LocalDate, description: 'case started, extension: the planned end' }),
    previousPlannedEndDate: Type.Optional({ ...LocalDate, description: 'extension: the planned end before it' }),
    missingItems: Type.Optional(Type.Array(Type.String(), { description: 'referral_returned: what the referral lacks', examples: [['the court decision']] })),
    refusedAfterIntake: Type.Optional(Type.Boolean({ description: 'ending: the family was refused after the intake', examples: [false] })),
    withdrawn: Type.Optional(
      Type.Boolean({
        description: 'resumption: the suspension from `from` was withdrawn before it began (its cancelled visits stay cancelled)',
        examples: [true],
      }),
    ),
    statement: Type.Optional(
      Type.String({
        description: "resumption: in the report's language, a planned suspension withdrawn or one that ran out at its `until`",
        examples: ['De geplande opschorting vanaf 23 december 2026 tot 6 januari 2027 werd ingetrokken; ze is niet ingegaan.'],
      }),
    ),
  },
  { additionalProperties: false },
)

const CancelledBySchema = Type.Object(Object.fromEntries(CANCELLED_BY.map((by) => [by, Count])) as Record<CancelledBy, typeof Count>, {
  additionalProperties: false,
  description: 'Cancelled visits per side that called them off',
})

const VisitCounts = Type.Object(
  {
    planned: { ...Count, description: 'Visits planned in the period, whatever came of them' },
    held: { ...Count, description: 'Held (fulfilled)' },
    booked: { ...Count, description: 'Not yet concluded: still to come, or awaiting their outcome' },
    cancelled: Type.Object(
      { total: Count, late: { ...Count, description: 'Cancelled within the centre’s notice period' }, by: CancelledBySchema },
      { additionalProperties: false },
    ),
    noShow: Type.Object(
      {
        visits: { ...Count, description: 'Visits someone did not come to' },
        byParty: Type.Array(Type.Object({ role: StringEnum(PARTY_ROLES, { examples: ['visiting_parent'] }), visits: Count }, { additionalProperties: false }), {
          description: 'Per party role, the visits that role did not come to',
        }),
      },
      { additionalProperties: false },
    ),
    interrupted: Count,
  },
  { additionalProperties: false, description: 'Visits in the period (conversations are not counted)' },
)

const Observation = Type.Object(
  {
    kind: StringEnum(OBSERVATION_KINDS, { examples: ['observation'] }),
    date: LocalDate,
    text: Type.String({ examples: ['The child and the father played a board game.'] }),
  },
  { additionalProperties: false },
)

export const Report = Type.Object(
  {
    id: Uuid,
    kind: StringEnum(REPORT_KINDS, {
      examples: ['suspension'],
      description:
        'referral_refused, referral_returned (of a referral); case_started, suspension, resumption, extension, ending (of a case); progress (on demand)',
    }),
    language: ReportLanguageSchema,
    referralId: Uuid,
    caseId: Nullable({ ...Uuid, description: 'null for a report on a referral' }),
    dossierNumber: Nullable(
      Type.String({ description: "The case's number in the centre (year-sequence); null for a report on a referral", examples: ['2026-0042'] }),
    ),
    referrer: Type.Object(
      {
        courtId: Nullable(Uuid),
        courtName: Nullable(Type.String({ examples: ['Familierechtbank Antwerpen'] })),
        courtReference: Nullable(Type.String({ description: 'The roll number', examples: ['24/1234/A'] })),
      },
      { additionalProperties: false },
    ),
    issuer: Type.Object(
      {
        centreId: Uuid,
        centreName: Type.String({ examples: ['CAW Antwerpen – Bezoekruimte'] }),
        address: Nullable(Type.String({ description: "The centre's letterhead", examples: ['Lange Gasthuisstraat 1, 2000 Antwerpen'] })),
        phone: Nullable(Type.String({ examples: ['+32 3 123 45 67'] })),
        email: Nullable(Type.String({ examples: ['bezoekruimte@caw.example'] })),
        role: Type.String({ description: 'The role of whoever issued it (system: the service itself)', examples: ['staff'] }),
        author: Nullable(
          Type.Object(
            {
              name: Type.String({ examples: ['An Peeters'] }),
              function: Nullable(Type.String({ examples: ['coördinator bezoekruimte'] })),
            },
            { additionalProperties: false, description: 'The person who issued it, as their token names them; null when it names no one' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    period: Type.Object({ from: LocalDate, to: LocalDate }, { additionalProperties: false, description: 'Whole days, both inclusive' }),
    decision: Nullable(Decision),
    visits: Nullable(VisitCounts),
    observations: Nullable(
      Type.Array(Observation, {
        description: 'The observations marked reportable, only when the centre reports factual observations; null when it reports attendance only',
      }),
    ),
    caution: Type.String({ description: 'The fixed note on what a report is and is not', examples: ['Dit verslag geeft enkel feiten weer …'] }),
    supersedes: Nullable({ ...Uuid, description: 'The report this one corrects' }),
    supersededBy: Nullable({ ...Uuid, description: 'The report that corrects this one (not part of the hashed content)' }),
    correctionNote: Nullable(Type.String({ examples: ['The visit of 4 March was recorded as a no-show by mistake.'] })),
    issuedAt: Type.String({ format: 'date-time', examples: ['2026-03-07T09:12:00.000Z'] }),
    sha256: { ...Sha256, description: 'SHA-256 of the content (every field but sha256 and supersededBy) in RFC 8785 canonical JSON' },
  },
  { additionalProperties: false, title: 'A report to the referrer' },
)
export type Report = Static<typeof Report>

export const ReportCreate = Type.Object(
  {
    kind: StringEnum(['progress'] as const, { examples: ['progress'], description: 'On demand a centre issues a progress report' }),
    language: Type.Optional({
      ...ReportLanguageSchema,
      description: "Accepted only when it is the language the report is written in anyway: the court's (or, without a court, the centre's)",
    }),
    from: Type.Optional({ ...LocalDate, description: 'First day of the period; default the case’s start' }),
    to: Type.Optional({ ...LocalDate, description: 'Last day of the period; default today' }),
    confirmOpenConcern: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'While the case has an open concern, a coordinator (admin) confirms with `true` that this report may go to the court; the confirmation is audited. Staff cannot confirm (409 `concern_open`)',
        examples: [true],
      }),
    ),
  },
  { additionalProperties: false, examples: [{ kind: 'progress', language: 'nl', from: '2026-03-01', to: '2026-05-31' }] },
)
export type ReportCreate = Static<typeof ReportCreate>

export const CorrectionCreate = Type.Object(
  {
    correctionNote: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'What the correction is about, in words the referrer reads',
      examples: ['The visit of 4 March was recorded as a no-show by mistake.'],
    }),
    language: Type.Optional({
      ...ReportLanguageSchema,
      description: "Accepted only when it is the language the report is written in anyway: the court's (or, without a court, the centre's)",
    }),
    confirmOpenConcern: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Correcting a progress report while the case has an open concern: a coordinator (admin) confirms with `true` (audited); otherwise 409 `concern_open`',
        examples: [true],
      }),
    ),
  },
  { additionalProperties: false },
)
export type CorrectionCreate = Static<typeof CorrectionCreate>

export const FeedQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200)' }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page; leave out to start at the first report' })),
  // The feed's first parameter, kept for the readers that follow it that way.
  after: Type.Optional(Type.String({ maxLength: 200, deprecated: true, description: 'Deprecated: the same as `cursor` (send one of the two); use `cursor`' })),
})
export type FeedQuery = Static<typeof FeedQuery>

export const FeedPage = Type.Object({
  items: Type.Array(Report),
  nextCursor: Type.String({
    description: 'Always present: pass as ?cursor= to continue. On an empty page it is the cursor sent (or the start), so a reader polls with it again',
    examples: ['NzUyfDAxOTNhNWIyLTdjMWUtN2QzYS05ZjEwLTJiNGM2ZDhlMGYxMg'],
  }),
})

export const Verification = Type.Object(
  {
    id: Uuid,
    sha256: { ...Sha256, description: 'The hash stored with the report (and given with it)' },
    valid: Type.Boolean({ description: 'Whether the stored content still hashes to it', examples: [true] }),
  },
  { additionalProperties: false },
)

export const components = named({
  Report,
  ReportFeedPage: FeedPage,
  ReportRequest: ReportCreate,
  CorrectionRequest: CorrectionCreate,
  ReportVerification: Verification,
})
