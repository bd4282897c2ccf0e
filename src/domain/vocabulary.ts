/**
 * The domain's enumerations, defined once. The database schema, the HTTP schemas and the OpenAPI
 * document all derive from these lists; add a value here and every layer knows it.
 */

/** Who a token speaks for (see the trust model in docs/domain.md). */
export const ROLES = ['operator', 'admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
export type Role = (typeof ROLES)[number]

/** Languages a centre's documents are written in (a party speaks any language: a BCP 47 tag). */
export const LANGUAGES = ['nl', 'fr', 'en', 'de'] as const
export type Language = (typeof LANGUAGES)[number]

/**
 * A party's language as a BCP 47 tag (`nl`, `ar`, `tr`, `nl-BE`, `zh-Hant`): language, then optional
 * script, region and variant subtags. Checked by shape; the primary subtag picks the documents.
 */
export const LANGUAGE_TAG_PATTERN = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'

/** The language a tag names, for matching a document (`nl-BE` reads the `nl` version). */
export const primaryLanguage = (tag: string): string => tag.split('-')[0]!.toLowerCase()

export const REFERRAL_SOURCES = ['court', 'justice_house', 'lawyer', 'youth_services', 'self', 'other'] as const
export type ReferralSource = (typeof REFERRAL_SOURCES)[number]

/** A court order makes a case fee-exempt; a voluntary one may pay a contribution. */
export const LEGAL_FRAMEWORKS = ['court_ordered', 'voluntary'] as const
export type LegalFramework = (typeof LEGAL_FRAMEWORKS)[number]

export const REFERRAL_STATUSES = ['submitted', 'waitlisted', 'accepted', 'refused', 'returned', 'withdrawn'] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

export const CASE_STATUSES = ['intake', 'active', 'suspended', 'ended'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

export const PARTY_ROLES = [
  'child',
  'visiting_parent',
  'visiting_grandparent',
  'visiting_sibling',
  'visiting_third_party',
  'residing_parent',
  'residing_other',
] as const
export type PartyRole = (typeof PARTY_ROLES)[number]
/** A party's gender as the registration asks for it; `x` as on a Belgian identity document, `unknown` when not recorded. */
export const GENDERS = ['female', 'male', 'x', 'unknown'] as const
export type Gender = (typeof GENDERS)[number]
/** A Belgian postcode: four digits, the first not 0 (it names a municipality or a part of one). */
export const POSTCODE_PATTERN = '^[1-9][0-9]{3}$'
/** The roles of those who come to see the child (the side with the right to contact). */
export const VISITING_ROLES = ['visiting_parent', 'visiting_grandparent', 'visiting_sibling', 'visiting_third_party'] as const satisfies readonly PartyRole[]

export const DOCUMENT_KINDS = ['house_rules', 'information'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

export const SIGNATURE_METHODS = ['paper', 'in_person', 'e_id'] as const
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number]

export const REASON_CATEGORIES = ['refusal', 'return', 'suspension', 'ending', 'cancellation', 'extension'] as const
export type ReasonCategory = (typeof REASON_CATEGORIES)[number]

export const VISIT_KINDS = ['supervised_visit', 'supervised_handover', 'outside_visit', 'conversation'] as const
export type VisitKind = (typeof VISIT_KINDS)[number]

/** What a conversation is for. Mediation and evaluation may bring the parties together; the others are with each separately. */
export const CONVERSATION_PURPOSES = ['intake', 'evaluation', 'mediation', 'pre_visit', 'post_visit', 'child_conversation', 'other'] as const
export type ConversationPurpose = (typeof CONVERSATION_PURPOSES)[number]
/** The purposes whose conversation brings both sides together, unless the case's safety profile keeps a pair apart. */
export const JOINT_PURPOSES = ['evaluation', 'mediation'] as const satisfies readonly ConversationPurpose[]

/** Aligned with HL7 FHIR Appointment statuses. */
export const VISIT_STATUSES = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'interrupted', 'entered-in-error'] as const
export type VisitStatus = (typeof VISIT_STATUSES)[number]

/**
 * Who called a visit off: one of the parties' sides, the centre or the referrer. Never the child: when
 * a child does not want to come, the adult who was to bring them cancels, with reason `child_refuses`.
 */
export const CANCELLED_BY = ['visiting_party', 'residing_party', 'centre', 'referrer'] as const
export type CancelledBy = (typeof CANCELLED_BY)[number]

/** What happened to a visit that took place or should have: the final statuses a counsellor records. */
export const VISIT_OUTCOMES = ['fulfilled', 'noshow', 'interrupted'] as const satisfies readonly VisitStatus[]
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number]

/** A no-show: whether the absent let the centre know, and in time (the centre's cancellation notice). */
export const NOTICE_GIVEN = ['none', 'late', 'in_time'] as const
export type NoticeGiven = (typeof NOTICE_GIVEN)[number]

/** What a counsellor writes about a visit; only those marked reportable may ever reach a referrer. */
export const OBSERVATION_KINDS = ['observation', 'incident', 'child_statement'] as const
export type ObservationKind = (typeof OBSERVATION_KINDS)[number]

/**
 * What an observation's `childProtection` shorthand records: the Vertrouwenscentrum Kindermishandeling
 * (VK) consulted, or a report made to it. Either opens a concern linked to the observation.
 */
export const CHILD_PROTECTION_ACTIONS = ['consulted', 'reported'] as const
export type ChildProtectionAction = (typeof CHILD_PROTECTION_ACTIONS)[number]

/** A concern is open until the coordinator closes it with an outcome. */
export const CONCERN_STATUSES = ['open', 'closed'] as const
export type ConcernStatus = (typeof CONCERN_STATUSES)[number]

/**
 * The kindreflex after the signal: discussed in the team, the Vertrouwenscentrum Kindermishandeling
 * (VK) consulted, and where needed reported. (1712 is the public helpline, not the professionals' route.)
 */
export const CONCERN_STEPS = ['discussed_in_team', 'vk_consulted', 'reported'] as const
export type ConcernStep = (typeof CONCERN_STEPS)[number]

/** Where a concern is reported: the VK, the OCJ (Ondersteuningscentrum Jeugdzorg), the prosecutor (art. 458bis Sw.), the police. */
export const CONCERN_RECIPIENTS = ['vk', 'ocj', 'prosecutor', 'police'] as const
export type ConcernRecipient = (typeof CONCERN_RECIPIENTS)[number]

/** Which side of a case arrives first (and leaves last) around a staggered contact. */
export const PARTY_SIDES = ['visiting', 'residing'] as const
export type PartySide = (typeof PARTY_SIDES)[number]

/** What a reservation holds: a room place, a counsellor or a person of the case. */
export type ResourceKind = 'room' | 'counsellor' | 'party'

/** What a centre's webhooks can subscribe to. */
export const WEBHOOK_EVENTS = ['report.issued', 'message.received'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** A webhook delivery waits for its next attempt, was acknowledged, or was given up on. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]
/**
 * The reports a centre sends the referrer: one issued with each decision the court is told of, and
 * `progress` on demand (e.g. before a hearing).
 */
export const REPORT_KINDS = ['referral_refused', 'referral_returned', 'case_started', 'suspension', 'resumption', 'extension', 'ending', 'progress'] as const
export type ReportKind = (typeof REPORT_KINDS)[number]

/** The languages a report is written in: those the reason catalogue has labels in. */
export const REPORT_LANGUAGES = ['nl', 'fr', 'en'] as const satisfies readonly Language[]
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number]

/**
 * What a centre puts in its reports: attendance only (the default), or also the factual observations
 * a counsellor marked reportable (never a child-protection record).
 */
export const REPORT_CONTENTS = ['attendance_only', 'factual_observations'] as const
export type ReportContentPolicy = (typeof REPORT_CONTENTS)[number]

/**
 * Who a centre consults or refers a family on to (the sector protocol's task to consult with, or refer
 * to, specialised services where needed).
 */
export const CONSULTATION_PARTNERS = [
  'court',
  'justice_house',
  'lawyer',
  'youth_care',
  'mental_health',
  'family_support',
  'school',
  'police',
  'other_service',
] as const
export type ConsultationPartner = (typeof CONSULTATION_PARTNERS)[number]

/**
 * What a referring court tells the centre after the referral (a new decision, a new hearing date, a
 * request for a report, anything else), and the centre's factual answer (`information`).
 */
export const COURT_MESSAGE_KINDS = ['new_decision', 'hearing_date', 'report_request', 'other'] as const
export const MESSAGE_KINDS = [...COURT_MESSAGE_KINDS, 'information'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]
export type MessageSender = 'court' | 'centre'
