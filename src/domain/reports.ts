import canonicalize from 'canonicalize'
import { createHash } from 'node:crypto'
import type { Letterhead } from './centre-settings.js'
import { CAUTION } from './report-wording.js'
import {
  CANCELLED_BY,
  type CancelledBy,
  type ObservationKind,
  type PartyRole,
  type ReasonCategory,
  type ReportKind,
  type ReportLanguage,
} from './vocabulary.js'

/**
 * A report to the referrer, built from facts. The facts a report is made of are court-safe by their
 * type: nothing internal is among them (no explanation of a decision, no observation that is not
 * reportable, nothing of a visit a concern rests on, no child's words, no times, rooms, counsellors or contact details), so the
 * content cannot carry what the caller did not hand over. Building is pure; the module gathers the facts.
 */

/** A coded reason as the report states it: the label in the report's language. */
export interface ReportReason {
  category: ReasonCategory
  code: string
  label: string
}

/** What came of the visits in the report's period (conversations and entries in error left out). */
export interface VisitCounts {
  /** Every visit planned in the period, whatever came of it. */
  planned: number
  /** Held (fulfilled). */
  held: number
  /** Booked and not yet concluded (still to come, or awaiting its outcome). */
  booked: number
  cancelled: { total: number; late: number; by: Record<CancelledBy, number> }
  /** Visits someone did not come to; per party role, the visits that role missed. */
  noShow: { visits: number; byParty: { role: PartyRole; visits: number }[] }
  interrupted: number
}

export interface ReportObservation {
  kind: ObservationKind
  date: string
  text: string
}

export interface ReportDecision {
  /** The day of the decision (YYYY-MM-DD). */
  date: string
  reason: ReportReason | null
  courtNote: string | null
  from?: string
  until?: string | null
  effectiveDate?: string
  plannedEndDate?: string
  previousPlannedEndDate?: string
  missingItems?: string[]
  refusedAfterIntake?: boolean
  /** resumption: the suspension from `from` was withdrawn before it began. */
  withdrawn?: boolean
  /** resumption: what happened, in the report's language, when the centre did not resume a running suspension itself. */
  statement?: string
}

/** The person who issued a report, as their token names them: a court wants to know who wrote it. */
export interface ReportAuthor {
  name: string
  function: string | null
}

/** The centre that issues a report, with the letterhead it heads its reports with. */
export interface ReportIssuer {
  centreId: string
  centreName: string
  address: string | null
  phone: string | null
  email: string | null
  /** The issuing token's role (admin, staff; system for one the service issued itself). */
  role: string
  /** null when the issuing token names no person. */
  author: ReportAuthor | null
}

/** The stored, hashed content of a report: what the referrer receives. */
export interface ReportContent {
  id: string
  kind: ReportKind
  language: ReportLanguage
  referralId: string
  caseId: string | null
  /** The case's number in the centre (YYYY-NNNN); null for a report on a referral. */
  dossierNumber: string | null
  referrer: { courtId: string | null; courtName: string | null; courtReference: string | null }
  issuer: ReportIssuer
  period: { from: string; to: string }
  decision: ReportDecision | null
  visits: VisitCounts | null
  /** null when the centre reports attendance only. */
  observations: ReportObservation[] | null
  caution: string
  supersedes: string | null
  correctionNote: string | null
  issuedAt: string
}

/** A reason with its labels in every language, as the reason catalogue gives it. */
export interface LabelledReason {
  category: ReasonCategory
  code: string
  label: Record<ReportLanguage, string>
}

/** An observation as gathered: the text only of reportable ones, and whether its visit has an observation a concern rests on. */
export interface ObservationFact {
  id: string
  amends: string | null
  kind: ObservationKind
  date: string
  reportable: boolean
  /** An observation of this observation's visit is linked to a concern (open or closed). */
  concernVisit: boolean
  text: string | null
}

export interface ReportFacts {
  id: string
  kind: ReportKind
  language: ReportLanguage
  referralId: string
  caseId: string | null
  dossierNumber: string | null
  court: { id: string; name: string } | null
  courtReference: string | null
  centre: { id: string; name: string; letterhead: Letterhead }
  issuerRole: string
  author: ReportAuthor | null
  issuedAt: Date
  period: { from: string; to: string }
  decision: (Omit<ReportDecision, 'reason'> & { reason: LabelledReason | null }) | null
  visits: VisitCounts | null
  /** null: the centre's policy is attendance only. */
  observations: ObservationFact[] | null
  supersedes: string | null
  correctionNote: string | null
}

/** Every cancelling side at zero: a report names each, so a zero is a stated fact rather than a missing line. */
export const noCancellations = (): Record<CancelledBy, number> => Object.fromEntries(CANCELLED_BY.map((by) => [by, 0])) as Record<CancelledBy, number>

/**
 * The observations a referrer may read: the current version of each (one no later row amends),
 * marked reportable, not a child's words, and of a visit no concern rests on (a concern's visit is
 * not reported on in words at all; an amendment stays on its visit, so its chain is covered too).
 */
export function reportableObservations(facts: ObservationFact[]): ReportObservation[] {
  const amended = new Set(facts.flatMap((f) => (f.amends ? [f.amends] : [])))
  return facts
    .filter((f) => !amended.has(f.id) && f.reportable && f.kind !== 'child_statement' && !f.concernVisit && f.text !== null)
    .sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1))
    .map((f) => ({ kind: f.kind, date: f.date, text: f.text! }))
}

/** The report's content from its facts, in its language. */
export function buildReportContent(facts: ReportFacts): ReportContent {
  const { language } = facts
  const decision = facts.decision && {
    ...facts.decision,
    reason: facts.decision.reason && {
      category: facts.decision.reason.category,
      code: facts.decision.reason.code,
      label: facts.decision.reason.label[language],
    },
  }
  return {
    id: facts.id,
    kind: facts.kind,
    language,
    referralId: facts.referralId,
    caseId: facts.caseId,
    dossierNumber: facts.dossierNumber,
    referrer: { courtId: facts.court?.id ?? null, courtName: facts.court?.name ?? null, courtReference: facts.courtReference },
    issuer: {
      centreId: facts.centre.id,
      centreName: facts.centre.name,
      address: facts.centre.letterhead.address,
      phone: facts.centre.letterhead.phone,
      email: facts.centre.letterhead.email,
      role: facts.issuerRole,
      author: facts.author,
    },
    period: facts.period,
    decision,
    visits: facts.visits,
    observations: facts.observations && reportableObservations(facts.observations),
    caution: CAUTION[language],
    supersedes: facts.supersedes,
    correctionNote: facts.correctionNote,
    issuedAt: facts.issuedAt.toISOString(),
  }
}

/** SHA-256 (hex) of the content in RFC 8785 canonical JSON: the same content gives the same hash wherever it is computed. */
export function contentSha256(content: unknown): string {
  const canonical = canonicalize(content)
  if (canonical === undefined) throw new Error('A report content must be JSON')
  return createHash('sha256').update(canonical, 'utf8').digest('hex')
}
