import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  index,
  unique,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { v7 as uuidv7 } from 'uuid'
import type {
  CaseStatus,
  DocumentKind,
  Language,
  ResourceKind,
  LegalFramework,
  PartyRole,
  Gender,
  PartySide,
  ReasonCategory,
  ReferralSource,
  ReferralStatus,
  Role,
  SignatureMethod,
  VisitKind,
  VisitStatus,
  CancelledBy,
  VisitOutcome,
  NoticeGiven,
  ObservationKind,
  ConcernStatus,
  ConsultationPartner,
  ConversationPurpose,
  MessageKind,
  MessageSender,
  ConcernStep,
  ConcernRecipient,
  DeliveryStatus,
  WebhookEvent,
  ReportKind,
  ReportLanguage,
} from '../domain/vocabulary.js'
import type { CentreSettings } from '../domain/centre-settings.js'
import type { ReportContent } from '../domain/reports.js'

// Ids are UUIDv7: time-ordered, so keyset pagination on the id alone lists in creation order.
const id = () =>
  uuid()
    .primaryKey()
    .$defaultFn(() => uuidv7())
const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow()
const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date())

export type WeeklyHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', { from: string; to: string }[]>>
export interface Closure {
  from: string
  to: string
  reason?: string
}
export type { CentreSettings }
export interface InterpreterNeed {
  needed: boolean
  language?: string
}
export interface Interpreter {
  name: string
  language: string
}
export interface VisitLocation {
  description: string
  address?: string
}
export interface ContactBan {
  partyId: string
  details: string
}

export const centres = pgTable('centres', {
  id: id(),
  name: text().notNull(),
  settings: jsonb().$type<CentreSettings>().notNull(),
  active: boolean().notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

export const sites = pgTable(
  'sites',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    name: text().notNull(),
    address: text(),
    timeZone: text().notNull(),
    judicialDistrict: text().notNull(),
    openingHours: jsonb().$type<WeeklyHours>().notNull(),
    closures: jsonb().$type<Closure[]>().notNull().default([]),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.centreId)],
)

export const rooms = pgTable(
  'rooms',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    siteId: uuid()
      .notNull()
      .references(() => sites.id),
    name: text().notNull(),
    capacity: integer().notNull().default(1),
    features: jsonb().$type<string[]>().notNull().default([]),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.centreId), index().on(t.siteId), check('rooms_capacity_positive', sql`${t.capacity} >= 1`)],
)

export const counsellors = pgTable(
  'counsellors',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    name: text().notNull(),
    email: text(),
    languages: jsonb().$type<string[]>().notNull().default([]),
    workingHours: jsonb().$type<WeeklyHours>().notNull(),
    // The week as text, made when it is written: an availability search groups the centre's counsellors
    // by their week, and turning each jsonb into text on every search was half of its facts' cost.
    workingHoursText: text()
      .generatedAlwaysAs(sql`working_hours::text`)
      .notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.centreId)],
)

export const counsellorAbsences = pgTable(
  'counsellor_absences',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    counsellorId: uuid()
      .notNull()
      .references(() => counsellors.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    reason: text(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.counsellorId), check('counsellor_absences_ordered', sql`${t.endsAt} > ${t.startsAt}`)],
)

/**
 * The key of a counsellor's calendar feed. A calendar app cannot send a bearer header, so the key
 * travels in the feed's URL: it is a secret of its own (never an API token), one per counsellor,
 * stored only as its SHA-256. A new key overwrites the hash, so the old one stops working at once.
 */
export const calendarKeys = pgTable(
  'calendar_keys',
  {
    counsellorId: uuid()
      .primaryKey()
      .references(() => counsellors.id),
    keyHash: text().notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  // The feed finds its key by the hash alone, so a wrong key costs the same whether the counsellor exists or not.
  (t) => [index().on(t.keyHash)],
)

export const courts = pgTable(
  'courts',
  {
    id: id(),
    name: text().notNull(),
    judicialDistrict: text().notNull(),
    /** The language of the proceedings: every report to this court is written in it, whatever the parties speak. */
    language: text().$type<ReportLanguage>().notNull().default('nl'),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('courts_language_known', sql`${t.language} in ('nl', 'fr', 'en')`)],
)

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    role: text().$type<Role>().notNull(),
    centreId: uuid().references(() => centres.id),
    courtId: uuid().references(() => courts.id),
    // A counsellor token acts as one counsellor: writes only on visits they supervise.
    counsellorId: uuid().references(() => counsellors.id),
    label: text(),
    /** For a token a person uses: their name and function, shown as the author of what they issue (a report). */
    name: text(),
    function: text(),
    // The centre whose admin issued it; null when the operator (CLI or operator token) did.
    issuedByCentreId: uuid().references(() => centres.id),
    secretHash: text().notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex().on(t.secretHash),
    check('api_tokens_one_scope', sql`(${t.centreId} is null) or (${t.courtId} is null)`),
    check('api_tokens_role_known', sql`${t.role} in ('operator', 'admin', 'staff', 'counsellor', 'clerk', 'integration')`),
    check('api_tokens_operator_unscoped', sql`${t.role} <> 'operator' or (${t.centreId} is null and ${t.courtId} is null and ${t.counsellorId} is null)`),
    // A court token reads that court's referrals in every centre: no centre may issue one.
    check('api_tokens_court_scope_by_operator', sql`${t.courtId} is null or ${t.issuedByCentreId} is null or ${t.revokedAt} is not null`),
  ],
)

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorTokenId: uuid(),
    actorRole: text().notNull(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: uuid(),
    centreId: uuid(),
    courtId: uuid(),
    requestId: text(),
    /** Why, where an act needs a recorded reason (an access request released in full). */
    reason: text(),
    /** Which fields a change touched (a party's corrected data): their names, never their values. */
    fields: text().array(),
  },
  // The largest table a centre keeps (every act, and reads of sensitive records), read three ways: an
  // entity's history (a party's export, GET /v1/audit?entityId=) by its id alone, as an id names one
  // entity whatever its type; and a centre's list, newest first, of every type or of one.
  (t) => [index().on(t.entityId), index().on(t.centreId, t.id), index().on(t.centreId, t.entityType, t.id)],
)

// ── Referrals, cases, documents, agreements ─────────────────────────────────────────

/** The coded reasons of docs/domain.md; centre_id null = the shared catalogue, else a centre's own code. */
export const reasonCodes = pgTable(
  'reason_codes',
  {
    id: id(),
    category: text().$type<ReasonCategory>().notNull(),
    code: text().notNull(),
    centreId: uuid().references(() => centres.id),
    labelNl: text().notNull(),
    labelFr: text().notNull(),
    labelEn: text().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [unique('reason_codes_unique').on(t.category, t.code, t.centreId).nullsNotDistinct()],
)

export interface RequestedModalities {
  kind?: VisitKind
  frequency?: string
  durationMinutes?: number
  notes?: string
}

export const referrals = pgTable(
  'referrals',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    source: text().$type<ReferralSource>().notNull(),
    legalFramework: text().$type<LegalFramework>().notNull(),
    courtId: uuid().references(() => courts.id),
    courtReference: text(),
    decisionDate: text(), // 'YYYY-MM-DD'
    hearingDate: text(),
    requested: jsonb().$type<RequestedModalities>().notNull().default({}),
    reason: text().notNull(),
    status: text().$type<ReferralStatus>().notNull().default('submitted'),
    statusReasonCode: text(),
    statusExplanation: text(),
    /** The factual wording of a refusal or return for the referrer; the explanation stays internal. */
    statusCourtNote: text(),
    /** For a return: what the referrer must complete. */
    missingItems: jsonb().$type<string[]>(),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    submittedByTokenId: uuid(),
    waitlistedAt: timestamp({ withTimezone: true }),
    decidedAt: timestamp({ withTimezone: true }),
    caseId: uuid(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.centreId, t.status),
    index().on(t.courtId),
    // The hearing worklist (GET /v1/cases?hearingWithin=) starts from the hearings in its window.
    index().on(t.hearingDate),
    // Statistics read a period's referrals, received or decided in it, not every referral ever.
    index('referrals_submitted_at_index').on(t.submittedAt),
    index('referrals_decided_at_index').on(t.decidedAt),
  ],
)

export interface PartyContact {
  phone?: string
  email?: string
  address?: string
}

export const cases = pgTable(
  'cases',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id),
    courtId: uuid().references(() => courts.id),
    siteId: uuid().references(() => sites.id),
    /**
     * The number people use for the case: the year and a count per centre and year (2026-0042); ids stay
     * ids. A trigger numbers every new case from dossier_counters (migrations/0021), whoever inserts it,
     * so the column has no default of its own: NOT NULL is checked after the trigger has run.
     */
    dossierNumber: text()
      .notNull()
      .default(sql`null`),
    status: text().$type<CaseStatus>().notNull().default('intake'),
    feeExempt: boolean().notNull(),
    /** Why the fee is what it is, when an admin set it; null while it is the acceptance's default. */
    feeReason: text(),
    /** What a voluntary case pays per visit, in euro cents; null when exempt or not set. */
    contributionPerVisitCents: integer(),
    leadCounsellorId: uuid()
      .notNull()
      .references(() => counsellors.id),
    activatedAt: timestamp({ withTimezone: true }),
    plannedEndDate: text(), // 'YYYY-MM-DD', set on activation
    endedAt: timestamp({ withTimezone: true }),
    /** The last day the case ran ('YYYY-MM-DD'); set with endedAt, never one without the other. */
    endEffectiveDate: text(),
    /** When the retention job pseudonymised the case's people and removed its free texts; null until then. */
    pseudonymisedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex().on(t.referralId),
    uniqueIndex().on(t.centreId, t.dossierNumber),
    index().on(t.centreId, t.status),
    // The running cases in id order (the lists page by id): the worklists of running cases read these,
    // not every case the centre ever had.
    index('cases_running')
      .on(t.centreId, t.id)
      .where(sql`${t.status} in ('active', 'suspended')`),
    index().on(t.courtId),
    // Statistics read the cases of a period: activated in it, or running in it (not ended, or ended on
    // or after its first day; a btree also finds the nulls), never every case of the centre's history.
    index('cases_activated_at_index').on(t.activatedAt),
    index('cases_end_effective_date_index').on(t.endEffectiveDate),
    // A case's end is its effective date: an ended case has one, so statistics need no fallback.
    check('cases_ended_on_a_day', sql`(${t.endedAt} is null) = (${t.endEffectiveDate} is null)`),
    // A mandatory legal framework pays nothing: an exempt case has no contribution, whoever writes it.
    check('cases_fee', sql`${t.contributionPerVisitCents} is null or (not ${t.feeExempt} and ${t.contributionPerVisitCents} >= 0)`),
  ],
)

/**
 * The last dossier number given per centre and year. Taking the next one is an upsert on this row,
 * so two acceptances racing in any number of processes wait for each other and never share a number.
 */
export const dossierCounters = pgTable(
  'dossier_counters',
  {
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    year: integer().notNull(),
    last: integer().notNull(),
  },
  (t) => [uniqueIndex().on(t.centreId, t.year)],
)

/** A person in a referral; on acceptance the same rows belong to the case. */
export const parties = pgTable(
  'parties',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id),
    caseId: uuid().references(() => cases.id),
    role: text().$type<PartyRole>().notNull(),
    givenName: text(),
    familyName: text().notNull(),
    birthDate: text(), // 'YYYY-MM-DD'
    language: text().notNull(),
    contact: jsonb().$type<PartyContact>().notNull().default({}),
    confidentialAddress: boolean().notNull().default(false),
    /** Whether the party needs an interpreter at intakes, conversations and visits, and for which language. */
    interpreter: jsonb().$type<InterpreterNeed>(),
    /** When the party was added to a running case (a grandparent, a new partner); null for the referral's parties. */
    joinedAt: timestamp({ withTimezone: true }),
    /** For the registration figures; `unknown` until recorded (at the referral, at intake or by a correction). */
    gender: text().$type<Gender>().notNull().default('unknown'),
    /** The postcode of where the party lives, for the figures by municipality; kept by retention like the birth year. */
    postcode: text(),
    /** The national register (or BIS) number, eleven digits, where recorded. Never shown to a court; retention removes it. */
    nationalNumber: text(),
    /**
     * The pseudonymous key that counts a person once across cases (src/domain/person-key.ts): set
     * whenever the party is created or its identity changes; null when the record does not identify
     * a person (no given name or birth date, and no national number). Retention removes it.
     */
    personKey: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.referralId),
    index().on(t.caseId),
    index().on(t.personKey),
    check('parties_gender_known', sql`${t.gender} in ('female', 'male', 'x', 'unknown')`),
    check('parties_postcode_belgian', sql`${t.postcode} ~ '^[1-9][0-9]{3}$'`),
    check('parties_national_number_digits', sql`${t.nationalNumber} ~ '^[0-9]{11}$'`),
  ],
)

/**
 * Secrets of this installation, made at their first use (never by a migration: a new data directory
 * starts from a migrated template, which every installation of a build shares). `person_key` keys
 * the parties' pseudonymous person keys; backups carry it, so a restore keeps the keys it made.
 */
export const installationSecrets = pgTable('installation_secrets', {
  name: text().primaryKey(),
  value: text().notNull(),
  createdAt: createdAt(),
})

export const caseEvents = pgTable(
  'case_events',
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    type: text().notNull(), // created, intake_recorded, activated, extended, suspended, resumed, ended, ...
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorTokenId: uuid(),
    actorRole: text().notNull(),
    reasonCategory: text().$type<ReasonCategory>(),
    reasonCode: text(),
    /** Internal: never shown to a referrer. */
    explanation: text(),
    /** The factual wording for the referrer, the only text of the transition a court reads. */
    courtNote: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index().on(t.caseId),
    // A suspension is decided, begins and ends once: the suspension job, run by every process at
    // once, cannot record its beginning or its resumption twice (manual resumes name it too).
    uniqueIndex('case_events_once_per_suspension')
      .on(t.type, sql`(${t.data} ->> 'suspensionId')`)
      .where(sql`${t.type} in ('suspended', 'suspension_began', 'resumed') and ${t.data} ? 'suspensionId'`),
  ],
)

/**
 * What keeps a case's people safe at the centre: pairs of parties who must never meet (their
 * arrival and departure gaps are at least the centre's minimumGapMinutes at every booking) and
 * contact bans. Internal: no court output, report, feed or day sheet carries its texts.
 */
export const safetyProfiles = pgTable('safety_profiles', {
  caseId: uuid()
    .primaryKey()
    .references(() => cases.id),
  mustNotMeet: jsonb().$type<[string, string][]>().notNull().default([]),
  contactBans: jsonb().$type<ContactBan[]>().notNull().default([]),
  notes: text(),
  updatedAt: updatedAt(),
})

/** A suspension period: visits inside it are cancelled and none are booked there. */
export const suspensions = pgTable(
  'suspensions',
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    fromDate: text().notNull(), // 'YYYY-MM-DD' inclusive
    untilDate: text(), // 'YYYY-MM-DD' exclusive; null = until resumed
    reasonCode: text().notNull(),
    explanation: text().notNull(),
    courtNote: text(),
    resumedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.caseId),
    // One open suspension per case (a case is not suspended again while one is planned or in force);
    // the suspension job finds the due ones through this index.
    uniqueIndex('suspensions_one_open_per_case')
      .on(t.caseId)
      .where(sql`${t.resumedAt} is null`),
  ],
)

export const intakes = pgTable(
  'intakes',
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    partyId: uuid()
      .notNull()
      .references(() => parties.id),
    heldAt: timestamp({ withTimezone: true }).notNull(),
    counsellorId: uuid()
      .notNull()
      .references(() => counsellors.id),
    summary: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.caseId),
    // The statistics read a period's intakes by when they were held.
    index().on(t.heldAt),
  ],
)

/** Versioned texts parties sign; a version is immutable once created. */
export const documents = pgTable(
  'documents',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    kind: text().$type<DocumentKind>().notNull(),
    language: text().$type<Language>().notNull(),
    version: integer().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    effectiveFrom: timestamp({ withTimezone: true }).notNull(),
    contentSha256: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.centreId, t.kind, t.language, t.version)],
)

export const signatures = pgTable(
  'signatures',
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    partyId: uuid()
      .notNull()
      .references(() => parties.id),
    documentId: uuid()
      .notNull()
      .references(() => documents.id),
    method: text().$type<SignatureMethod>().notNull(),
    signedAt: timestamp({ withTimezone: true }).notNull(),
    recordedByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.caseId)],
)

export interface AuthorisedVisitor {
  name: string
  relation: string
}

/** The case's modalities (overeenkomst); each PUT creates a new version that the parties sign. */
export const agreements = pgTable(
  'agreements',
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    version: integer().notNull(),
    kinds: jsonb().$type<VisitKind[]>().notNull(),
    frequency: text(),
    rrule: text(),
    durationMinutes: integer(),
    validUntil: text(), // 'YYYY-MM-DD' inclusive
    maxVisits: integer(),
    conditions: jsonb().$type<string[]>().notNull().default([]),
    authorisedVisitors: jsonb().$type<AuthorisedVisitor[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.caseId, t.version)],
)

export const agreementSignatures = pgTable(
  'agreement_signatures',
  {
    id: id(),
    agreementId: uuid()
      .notNull()
      .references(() => agreements.id),
    partyId: uuid()
      .notNull()
      .references(() => parties.id),
    signedAt: timestamp({ withTimezone: true }).notNull(),
    recordedByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.agreementId, t.partyId)],
)

/**
 * A referral moved by the operator from one centre to another (e.g. a centre outside the court's
 * district): the referral keeps its id and court, so the court follows it as before; this is its history.
 */
export const referralTransfers = pgTable(
  'referral_transfers',
  {
    id: id(),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id),
    fromCentreId: uuid()
      .notNull()
      .references(() => centres.id),
    toCentreId: uuid()
      .notNull()
      .references(() => centres.id),
    at: timestamp({ withTimezone: true }).notNull(),
    byTokenId: uuid(),
    /** Internal: why the operator moved it. */
    explanation: text(),
  },
  (t) => [index().on(t.referralId)],
)

/** Replays of POST requests sent with an Idempotency-Key, per token. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tokenId: uuid().notNull(),
    key: text().notNull(),
    route: text().notNull(),
    requestSha256: text().notNull(),
    status: integer().notNull(),
    response: jsonb().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.tokenId, t.key)],
)

// ── Scheduling ──────────────────────────────────────────────────────────────────────

export interface StaggerSettings {
  firstToArrive: PartySide
  arrivalGapMinutes: number
  departureGapMinutes: number
}
export interface Arrival {
  partyId: string
  arriveAt: string
  leaveAt: string
}

/** A recurrence rule in a case's wall-clock time that booked visits. */
export const series = pgTable(
  'series',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    kind: text().$type<VisitKind>().notNull(),
    roomId: uuid().references(() => rooms.id),
    counsellorIds: uuid().array().notNull(),
    start: text().notNull(), // local wall clock 'YYYY-MM-DDTHH:mm'
    timeZone: text().notNull(),
    durationMinutes: integer().notNull(),
    rrule: text(),
    exdates: jsonb().$type<string[]>().notNull().default([]),
    stagger: jsonb().$type<StaggerSettings>().notNull(),
    /** Set by DELETE /series/{id}?from=: visits from then on were cancelled. */
    endedFrom: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.caseId)],
)

export const visits = pgTable(
  'visits',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    seriesId: uuid().references(() => series.id),
    siteId: uuid().references(() => sites.id),
    roomId: uuid().references(() => rooms.id),
    counsellorIds: uuid().array().notNull(),
    /** Parties taking part (all of the case's for visits; the invited ones for a conversation). */
    partyIds: uuid().array().notNull(),
    kind: text().$type<VisitKind>().notNull(),
    /** The site's zone: instants are shown in it. */
    timeZone: text().notNull(),
    /** The contact itself. */
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    /** The staggered span the room, counsellors and people are reserved for. */
    spanStart: timestamp({ withTimezone: true }).notNull(),
    spanEnd: timestamp({ withTimezone: true }).notNull(),
    arrivals: jsonb().$type<Arrival[]>().notNull().default([]),
    /** A conversation's purpose (intake, evaluation, mediation, …); null for the other kinds. */
    purpose: text().$type<ConversationPurpose>(),
    /** Where an outside visit takes place; null for the kinds held at the centre. */
    location: jsonb().$type<VisitLocation>(),
    /** The interpreter at this visit or conversation, when one comes. */
    interpreter: jsonb().$type<Interpreter>(),
    status: text().$type<VisitStatus>().notNull().default('booked'),
    cancelledBy: text().$type<CancelledBy>(),
    /** The adult who called the visit off, when the centre knows who (never a child). */
    cancelledByPartyId: uuid().references(() => parties.id),
    /** Cancelled within the centre's notice period before the start. */
    cancelledLate: boolean(),
    cancelReasonCode: text(),
    cancelExplanation: text(),
    cancelledAt: timestamp({ withTimezone: true }),
    /** POST /visits/{id}/entered-in-error: why the visit never was one (internal), and when it was marked. */
    enteredInErrorReason: text(),
    enteredInErrorAt: timestamp({ withTimezone: true }),
    /** Optimistic concurrency for PATCH (ETag / If-Match). */
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.centreId, t.startsAt),
    // A site's calendar (GET /v1/visits?siteId=), the commonest read.
    index().on(t.siteId, t.startsAt),
    index().on(t.caseId, t.startsAt),
    index().on(t.roomId, t.startsAt),
    index().on(t.seriesId),
    // The counsellors' worklist (GET /v1/visits?needsOutcome=true): visits begun and still booked or
    // arrived, by start as the list is ordered, so the scan stops at now however many years lie behind.
    index('visits_awaiting_outcome')
      .on(t.centreId, t.startsAt)
      .where(sql`${t.status} in ('booked', 'arrived')`),
    check('visits_ordered', sql`${t.endsAt} > ${t.startsAt} and ${t.spanStart} <= ${t.startsAt} and ${t.spanEnd} >= ${t.endsAt}`),
    // Every conversation says what it is for (the statistics and the evaluation worklist count by it).
    check('visits_conversation_purpose', sql`(${t.kind} = 'conversation') = (${t.purpose} is not null)`),
    // Acts are attributed to adults: the child is never the side that called a visit off.
    check('visits_cancelled_by_adult', sql`${t.cancelledBy} is null or ${t.cancelledBy} in ('visiting_party', 'residing_party', 'centre', 'referrer')`),
  ],
)

/** A half-open span of time, `[from, to)`: PostgreSQL's tstzrange, which the exclusion constraint compares. */
export interface Span {
  from: Date
  to: Date
}
const tstzrange = customType<{ data: Span; driverData: string }>({
  dataType: () => 'tstzrange',
  toDriver: (span) => `[${span.from.toISOString()},${span.to.toISOString()})`,
  fromDriver(value) {
    const [from, to] = value
      .slice(1, -1)
      .split(',')
      .map((bound) => new Date(bound.replace(/^"|"$/g, '')))
    return { from: from!, to: to! }
  },
})

/**
 * Rooms, counsellors and the case's people are resources; a visit reserves each of them for its
 * whole staggered span. A room of capacity N has places 1..N. Double booking is made impossible by
 * PostgreSQL, not by this service: the exclusion constraint
 *   EXCLUDE USING gist (resource_id WITH =, place WITH =, during WITH &&) WHERE (active)
 * lives in migrations/0004_reservations.sql (drizzle cannot declare exclusion constraints), so
 * overlapping active reservations fail whatever number of API processes race.
 */
export const reservations = pgTable(
  'reservations',
  {
    id: uuid().primaryKey().defaultRandom(),
    resourceKind: text().$type<ResourceKind>().notNull(),
    resourceId: uuid().notNull(),
    place: integer().notNull().default(1),
    during: tstzrange().notNull(),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    /** A freed reservation (visit cancelled, moved, no-show) stays as history but no longer blocks. */
    active: boolean().notNull().default(true),
  },
  (t) => [
    index('reservations_visit_idx').on(t.visitId),
    check('reservations_resource_kind_check', sql`${t.resourceKind} in ('room', 'counsellor', 'party')`),
    check('reservations_place_check', sql`${t.place} >= 1`),
    check('reservations_during_check', sql`not isempty(${t.during})`),
    // No span longer than a day: availability finds a window's reservations by their start, from a day
    // before it, through the covering index reservations_by_start (migrations/0020, an expression index
    // with INCLUDE that drizzle cannot declare).
    check('reservations_span_within_a_day', sql`coalesce(upper(${t.during}) - lower(${t.during}) <= interval '1 day', false)`),
  ],
)

/**
 * A party's attendance at one visit: checked in once (a second check-in of the same party is refused,
 * and the unique index makes it so under a race too), checked out at most once.
 */
export const visitAttendances = pgTable(
  'visit_attendances',
  {
    id: id(),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    partyId: uuid()
      .notNull()
      .references(() => parties.id),
    checkedInAt: timestamp({ withTimezone: true }).notNull(),
    checkedOutAt: timestamp({ withTimezone: true }),
    /** For a child: who brought them, a party of the case or an authorised visitor of the agreement (by name). */
    broughtByPartyId: uuid().references(() => parties.id),
    broughtByVisitor: text(),
    /** For a child: who picked them up at check-out, likewise. */
    pickedUpByPartyId: uuid().references(() => parties.id),
    pickedUpByVisitor: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex().on(t.visitId, t.partyId),
    check('visit_attendances_brought_by_one', sql`${t.broughtByPartyId} is null or ${t.broughtByVisitor} is null`),
    check('visit_attendances_picked_up_by_one', sql`${t.pickedUpByPartyId} is null or ${t.pickedUpByVisitor} is null`),
    check('visit_attendances_ordered', sql`${t.checkedOutAt} is null or ${t.checkedOutAt} >= ${t.checkedInAt}`),
  ],
)

/**
 * A correction of an attendance (PATCH /visits/{id}/attendances/{attendanceId}): what it was before
 * and what it became, with the reason. The attendance row holds the current values; these rows keep
 * every earlier one. Append-only, and a recorded time of an attendance changes only together with a
 * correction of the same transaction: both by triggers (migrations, visit_day_corrections).
 */
export const visitAttendanceCorrections = pgTable(
  'visit_attendance_corrections',
  {
    id: id(),
    attendanceId: uuid()
      .notNull()
      .references(() => visitAttendances.id),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    /** The attendance before and after, as the API shows it: checkedInAt, checkedOutAt, broughtBy, pickedUpBy. */
    previous: jsonb().$type<AttendanceFacts>().notNull(),
    corrected: jsonb().$type<AttendanceFacts>().notNull(),
    reason: text().notNull(),
    recordedByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.visitId), index().on(t.attendanceId)],
)

/** An attendance's facts as a correction records them (instants as RFC 3339 UTC). */
export interface AttendanceFacts {
  checkedInAt: string
  checkedOutAt: string | null
  broughtBy: { partyId: string } | { authorisedVisitor: string } | null
  pickedUpBy: { partyId: string } | { authorisedVisitor: string } | null
}

/**
 * What happened to a visit, recorded once and never changed: a correction is a new row that
 * supersedes the one before, and both are kept. PostgreSQL keeps it so: a trigger
 * (migrations/0010_visit_day_invariants.sql) refuses UPDATE, one visit has one first outcome, and
 * an outcome is superseded at most once, so the history is a single chain.
 */
export const visitOutcomes = pgTable(
  'visit_outcomes',
  {
    id: id(),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    outcome: text().$type<VisitOutcome>().notNull(),
    /** fulfilled: when the contact really began and ended. */
    actualStart: timestamp({ withTimezone: true }),
    actualEnd: timestamp({ withTimezone: true }),
    /** noshow: the parties that did not come. */
    absentPartyIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** interrupted: the reason (category suspension or cancellation), the internal explanation and when. */
    reasonCode: text(),
    explanation: text(),
    interruptedAt: timestamp({ withTimezone: true }),
    /** noshow: whether the absent let the centre know (none, late, in_time). */
    noticeGiven: text().$type<NoticeGiven>(),
    supersedes: uuid().references((): AnyPgColumn => visitOutcomes.id),
    recordedByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.visitId),
    uniqueIndex('visit_outcomes_one_first')
      .on(t.visitId)
      .where(sql`${t.supersedes} is null`),
    uniqueIndex('visit_outcomes_superseded_once').on(t.supersedes),
    check('visit_outcomes_kind', sql`${t.outcome} in ('fulfilled', 'noshow', 'interrupted')`),
    check(
      'visit_outcomes_fields',
      sql`(${t.outcome} <> 'fulfilled' or (${t.actualStart} is not null and ${t.actualEnd} > ${t.actualStart}))
      and (${t.outcome} <> 'noshow' or cardinality(${t.absentPartyIds}) > 0)
      and (${t.outcome} <> 'interrupted' or (${t.reasonCode} is not null and ${t.interruptedAt} is not null))`,
    ),
    // Notice is a no-show's fact: whether the absent let the centre know, and in time.
    check('visit_outcomes_notice_given', sql`${t.noticeGiven} is null or (${t.outcome} = 'noshow' and ${t.noticeGiven} in ('none', 'late', 'in_time'))`),
  ],
)

/**
 * What a counsellor wrote about a visit. Append-only (a trigger refuses UPDATE): an amendment is a
 * new row that references the one it corrects. `reportable` is the only door to a referrer; the
 * child-protection record never goes through it.
 */
export const visitObservations = pgTable(
  'visit_observations',
  {
    id: id(),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    kind: text().$type<ObservationKind>().notNull(),
    text: text().notNull(),
    reportable: boolean().notNull().default(false),
    amends: uuid().references((): AnyPgColumn => visitObservations.id),
    recordedByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.visitId),
    index().on(t.caseId),
    // Retention deletes a case's observations: each delete looks for amendments referencing the row.
    index().on(t.amends),
    check('visit_observations_kind', sql`${t.kind} in ('observation', 'incident', 'child_statement')`),
    // A child's words never go to court (protocol: the child's interest; a disclosure belongs in a concern).
    check('visit_observations_child_statement_internal', sql`${t.kind} <> 'child_statement' or not ${t.reportable}`),
  ],
)

/**
 * A concern about a child's safety, followed along the kindreflex: signalled, discussed in the team,
 * the Vertrouwenscentrum Kindermishandeling consulted, and where needed reported (VK, OCJ, the
 * prosecutor under art. 458bis Sw., the police). Internal to the centre: no report, feed, webhook,
 * calendar, day sheet or default export reads these tables.
 */
export const concerns = pgTable(
  'concerns',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    summary: text().notNull(),
    childPartyIds: uuid().array().notNull(),
    observedAt: timestamp({ withTimezone: true }).notNull(),
    status: text().$type<ConcernStatus>().notNull().default('open'),
    outcome: text(),
    closeNote: text(),
    closedAt: timestamp({ withTimezone: true }),
    closedByTokenId: uuid(),
    createdByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.caseId),
    check('concerns_status_known', sql`${t.status} in ('open', 'closed')`),
    check('concerns_closed_has_outcome', sql`${t.status} = 'open' or (${t.outcome} is not null and ${t.closedAt} is not null)`),
  ],
)

/**
 * A consultation with another service about a case (a lawyer, youth care, a school…), or a referral
 * of the family on to one. Internal to the centre, like concerns: no report, feed or court route reads it.
 */
export const consultations = pgTable(
  'consultations',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    withKind: text().$type<ConsultationPartner>().notNull(),
    withName: text().notNull(),
    purpose: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    note: text(),
    recordedByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.caseId)],
)

/** A step taken on a concern; the author is the token that recorded it. */
export const concernSteps = pgTable(
  'concern_steps',
  {
    id: id(),
    concernId: uuid()
      .notNull()
      .references(() => concerns.id),
    step: text().$type<ConcernStep>().notNull(),
    reportedTo: text().$type<ConcernRecipient>(),
    at: timestamp({ withTimezone: true }).notNull(),
    note: text(),
    authorTokenId: uuid(),
    /** A step carried over from an observation's old child-protection record: who the record named. */
    authorName: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.concernId),
    check('concern_steps_step_known', sql`${t.step} in ('discussed_in_team', 'vk_consulted', 'reported')`),
    check(
      'concern_steps_reported_to',
      sql`(${t.step} = 'reported') = (${t.reportedTo} is not null) and (${t.reportedTo} is null or ${t.reportedTo} in ('vk', 'ocj', 'prosecutor', 'police'))`,
    ),
  ],
)

/** The observations a concern rests on. A visit with any of them is never reported on in words. */
export const concernObservations = pgTable(
  'concern_observations',
  {
    concernId: uuid()
      .notNull()
      .references(() => concerns.id),
    observationId: uuid()
      .notNull()
      .references(() => visitObservations.id),
  },
  (t) => [uniqueIndex().on(t.concernId, t.observationId), index().on(t.observationId)],
)

// ── Webhooks: an outbox written in the event's own transaction, delivered by a worker ─────────

/** A centre's subscription: where to POST which events, signed with its own secret (Standard Webhooks). */
export const webhooks = pgTable(
  'webhooks',
  {
    id: id(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    url: text().notNull(),
    events: text().array().$type<WebhookEvent[]>().notNull(),
    description: text(),
    /** `whsec_<base64>`: the receiver verifies signatures with it; shown once, when created. */
    secret: text().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    deactivatedAt: timestamp({ withTimezone: true }),
    /** The first failed attempt since the last delivered one; null while the receiver takes its deliveries. */
    failingSince: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.centreId)],
)

/**
 * One event for one webhook (the outbox). Written in the same transaction as the event, so an
 * event is never lost nor sent for a change that rolled back. `nextAttemptAt` is also the lease: a
 * worker claims a delivery by moving it forward, so two processes never make the same attempt.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    /** The `webhook-id` header: the same on every retry, so a receiver can drop duplicates. */
    id: id(),
    webhookId: uuid()
      .notNull()
      .references(() => webhooks.id),
    eventType: text().$type<WebhookEvent>().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // The worker's queue, per webhook: its pending deliveries in the order of their next attempt (a lane's batch).
    index('webhook_deliveries_queue')
      .on(t.webhookId, t.nextAttemptAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    index().on(t.webhookId),
    check('webhook_deliveries_status', sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
)

/** Every attempt of a delivery, for the admin's delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    /** The receiver's HTTP status, or null when no answer came (refused, timeout, private address). */
    responseStatus: integer(),
    error: text(),
    durationMs: integer().notNull(),
  },
  (t) => [index().on(t.deliveryId)],
)
// ── Reports to the referrer ───────────────────────────────────────────────────────────────────

/**
 * A report sent to the referrer: its content is frozen when issued (a trigger in
 * migrations/0017_reports_append_only.sql refuses UPDATE) and hashed; a correction is a new report
 * that supersedes it. Its place in the feed is in report_feed.
 */
export const reports = pgTable(
  'reports',
  {
    id: uuid().primaryKey(),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    /** The referring court, when there is one: its clerks and integrations read the report. */
    courtId: uuid().references(() => courts.id),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id),
    caseId: uuid().references(() => cases.id),
    kind: text().$type<ReportKind>().notNull(),
    language: text().$type<ReportLanguage>().notNull(),
    /** The case event the report tells of (activation, suspension, resumption, ending); a correction rebuilds from it. */
    caseEventId: uuid().references(() => caseEvents.id),
    supersedes: uuid().references((): AnyPgColumn => reports.id),
    content: jsonb().$type<ReportContent>().notNull(),
    /** SHA-256 (hex) of the content canonicalised by RFC 8785. */
    sha256: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    issuedByTokenId: uuid(),
  },
  (t) => [
    index().on(t.caseId),
    index().on(t.referralId),
    index().on(t.centreId),
    index().on(t.courtId),
    uniqueIndex('reports_superseded_once').on(t.supersedes),
    // One report per decision (case event); a correction names the one it supersedes and is the other.
    uniqueIndex('reports_once_per_case_event')
      .on(t.caseEventId)
      .where(sql`${t.supersedes} is null`),
    check(
      'reports_kind',
      sql`${t.kind} in ('referral_refused', 'referral_returned', 'case_started', 'suspension', 'resumption', 'extension', 'ending', 'progress')`,
    ),
    check('reports_language', sql`${t.language} in ('nl', 'fr', 'en')`),
    check('reports_case_kinds', sql`${t.kind} in ('referral_refused', 'referral_returned') or ${t.caseId} is not null`),
  ],
)

// ── The court channel: messages and attachments after the referral ─────────────────────────────

/**
 * What a referring court and the centre say to each other about a referral after it was submitted:
 * a new decision, a new hearing date, a request for a report, or the centre's factual answer. The
 * recipient's side marks it read (readAt).
 */
export const courtMessages = pgTable(
  'court_messages',
  {
    id: id(),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    courtId: uuid().references(() => courts.id),
    /** Who wrote it: the referring court, or the centre (its factual `information`). */
    sender: text().$type<MessageSender>().notNull(),
    kind: text().$type<MessageKind>().notNull(),
    text: text().notNull(),
    /** hearing_date: the new hearing date, and the one it replaces. */
    hearingDate: text(),
    previousHearingDate: text(),
    /** report_request: by when the court asks for the report. */
    dueDate: text(),
    attachmentIds: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    sentByTokenId: uuid(),
    sentByRole: text().notNull(),
    readAt: timestamp({ withTimezone: true }),
    readByTokenId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.referralId),
    // The report worklist (GET /v1/cases?reportDue=true) starts from the courts' requests for a report.
    index('court_messages_report_requests')
      .on(t.referralId, t.createdAt)
      .where(sql`${t.kind} = 'report_request'`),
    // The centre's worklist: the courts' messages not yet read.
    index('court_messages_unread')
      .on(t.centreId, t.createdAt)
      .where(sql`${t.readAt} is null`),
    // The centre writes information only; a court writes everything else.
    check('court_messages_sender', sql`(${t.sender} = 'centre') = (${t.kind} = 'information')`),
    check(
      'court_messages_fields',
      sql`(${t.kind} <> 'hearing_date' or ${t.hearingDate} is not null) and (${t.kind} <> 'report_request' or ${t.dueDate} is not null)`,
    ),
  ],
)

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  // pg hands back a Buffer, PGlite a Uint8Array: the service sees a Buffer either way.
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
})

/**
 * A document a court sends with a referral (the judgment): PDF only, stored in PostgreSQL with its
 * SHA-256, so both backends keep it and a backup carries it.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    referralId: uuid()
      .notNull()
      .references(() => referrals.id),
    centreId: uuid()
      .notNull()
      .references(() => centres.id),
    courtId: uuid().references(() => courts.id),
    filename: text().notNull(),
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    sha256: text().notNull(),
    content: bytea().notNull(),
    uploadedByTokenId: uuid(),
    uploadedByRole: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.referralId), check('attachments_size', sql`${t.sizeBytes} = octet_length(${t.content})`)],
)

/**
 * The report feed's order: each report's position, given in commit order. A deferred trigger
 * (migrations/0022_feed_positions.sql) takes the next position from feed_counter as the issuing
 * transaction's last step before commit; the counter row stays locked until that commit, so the next
 * issuer waits for it. A reader who sees position n therefore already sees every position below n:
 * no later commit can land behind its cursor. The order belongs to this database's rows alone, so a
 * dump restored elsewhere, or another database's long transaction, changes nothing for a reader.
 */
export const reportFeed = pgTable('report_feed', {
  position: bigint({ mode: 'number' }).primaryKey(),
  reportId: uuid()
    .notNull()
    .unique()
    .references(() => reports.id, { onDelete: 'cascade' }),
})

/** The last feed position given (one row). */
export const feedCounter = pgTable(
  'feed_counter',
  {
    id: integer().primaryKey(),
    last: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [check('feed_counter_one_row', sql`${t.id} = 1`)],
)
