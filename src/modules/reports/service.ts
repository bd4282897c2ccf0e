import { and, eq, inArray } from 'drizzle-orm'
import { v7 as uuidv7 } from 'uuid'
import type { Queryable, Tx } from '../../db/client.js'
import { DEFAULT_TIME_ZONE, localDate } from '../../domain/time.js'
import { apiTokens, caseEvents, cases, centres, courts, referrals, reports } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { withDefaults } from '../../domain/centre-settings.js'
import { conflict, invalidInput, unprocessable } from '../../domain/errors.js'
import { buildReportContent, contentSha256, type ReportFacts } from '../../domain/reports.js'
import { resumptionStatement } from '../../domain/report-wording.js'
import type { ReasonCategory, ReportKind, ReportLanguage } from '../../domain/vocabulary.js'
import { audit } from '../../db/audit.js'
import { enqueueEvent } from '../webhooks/index.js'
import { caseTimeZone, findCase } from '../cases/index.js'
import { hasOpenConcern } from '../concerns/index.js'
import { reasonResolver } from '../reason-codes/index.js'
import { feedPage, findReport, observationFacts, supersededBy, visitCounts, type Period, type ReportRow } from './queries.js'
import type { CorrectionCreate, FeedQuery, Report, ReportCreate } from './schemas.js'

/**
 * Reports to the referrer: issued in the same transaction as the decision they tell of (a referral
 * refused or returned; a case started, suspended, resumed or ended), on demand (progress), or as a
 * correction of an earlier one, which never changes.
 */

/** Referrals are judged on Belgian days, where the courts are (as in the referral service). */

const LANGUAGE_NAMES: Record<ReportLanguage, string> = { nl: 'Dutch', fr: 'French', en: 'English' }

/** The case event each case report tells of. */
const EVENT_OF: Partial<Record<ReportKind, string>> = {
  case_started: 'activated',
  suspension: 'suspended',
  resumption: 'resumed',
  extension: 'extended',
  ending: 'ended',
}

type Subject = { referralId: string } | { caseId: string; caseEventId?: string | null }

export type IssueRequest = Subject & {
  kind: ReportKind
  /** Only ever the language the report is written in anyway (see reportLanguageOf): a client may still send it. */
  language?: ReportLanguage
  /** The period, when not the default (case start or referral submission up to the event). */
  period?: Partial<Period>
  supersedes?: string
  correctionNote?: string
}

/** A field of an event's data, when it is a string (the data column is free-form jsonb). */
const text = (data: Record<string, unknown>, key: string) => (typeof data[key] === 'string' ? data[key] : undefined)

/**
 * What a resumption report states of the suspension it ends (from the event's data): its dates, and
 * in words whether it was withdrawn before it began or ran out at its `until`. A resumption recorded
 * before these were kept states only its date, as it did.
 */
function resumptionFacts(language: ReportLanguage, d: Record<string, unknown>) {
  const from = text(d, 'from')
  if (!from) return {}
  const until = text(d, 'until') ?? null
  if (d.withdrawn === true) return { from, until, withdrawn: true, statement: resumptionStatement(language, 'withdrawn', from, until) }
  if (d.ranOut === true) return { from, until, statement: resumptionStatement(language, 'ran_out', from, until) }
  return { from, until }
}

/**
 * The facts of a report, read column by column: no explanation, no contact detail, no time of day
 * is ever selected, so none can end up in the content.
 */
async function gatherFacts(tx: Tx, actor: Actor, now: Date, request: IssueRequest): Promise<ReportFacts & { caseEventId: string | null }> {
  const caseRow = 'caseId' in request ? (await tx.select().from(cases).where(eq(cases.id, request.caseId)))[0] : undefined
  const referralId = caseRow?.referralId ?? ('referralId' in request ? request.referralId : undefined)
  const [referral] = await tx
    .select({
      id: referrals.id,
      centreId: referrals.centreId,
      courtId: referrals.courtId,
      courtReference: referrals.courtReference,
      submittedAt: referrals.submittedAt,
      decidedAt: referrals.decidedAt,
      statusReasonCode: referrals.statusReasonCode,
      statusCourtNote: referrals.statusCourtNote,
      missingItems: referrals.missingItems,
    })
    .from(referrals)
    .where(eq(referrals.id, referralId ?? ''))
  if (!referral || ('caseId' in request && !caseRow)) throw new Error(`A report of ${request.kind} names no referral or case`)
  const [centre] = await tx.select({ id: centres.id, name: centres.name, settings: centres.settings }).from(centres).where(eq(centres.id, referral.centreId))
  const [court] = referral.courtId
    ? await tx.select({ id: courts.id, name: courts.name, language: courts.language }).from(courts).where(eq(courts.id, referral.courtId))
    : []
  const settings = withDefaults(centre!.settings)
  // The language of the proceedings, whatever the parties speak; without a court, the centre's own.
  const language = court?.language ?? settings.language
  if (request.language && request.language !== language)
    throw unprocessable(
      'report-language',
      court
        ? `Reports to ${court.name} are written in the court's language, ${LANGUAGE_NAMES[language]} (${language}), not ${request.language}; leave out language or send ${language}.`
        : `A report on a referral without a court is written in the centre's language, ${LANGUAGE_NAMES[language]} (${language}), not ${request.language}; leave out language or send ${language}.`,
      { language },
    )
  const [token] = actor.tokenId
    ? await tx.select({ name: apiTokens.name, function: apiTokens.function }).from(apiTokens).where(eq(apiTokens.id, actor.tokenId))
    : []
  const zone = caseRow ? await caseTimeZone(tx, caseRow) : DEFAULT_TIME_ZONE
  const resolve = async (category: ReasonCategory, code: string | null) =>
    (await reasonResolver(tx, referral.centreId, [{ category, code }]))({ category, code })

  let decision: ReportFacts['decision'] = null
  let caseEventId: string | null = null
  if (request.kind === 'referral_refused' || request.kind === 'referral_returned') {
    decision = {
      date: localDate(referral.decidedAt ?? now, DEFAULT_TIME_ZONE),
      reason: await resolve(request.kind === 'referral_refused' ? 'refusal' : 'return', referral.statusReasonCode),
      courtNote: referral.statusCourtNote,
      ...(request.kind === 'referral_returned' ? { missingItems: referral.missingItems ?? [] } : {}),
    }
  } else if ('caseId' in request && request.caseEventId) {
    const [event] = await tx
      .select({
        id: caseEvents.id,
        type: caseEvents.type,
        at: caseEvents.at,
        category: caseEvents.reasonCategory,
        code: caseEvents.reasonCode,
        courtNote: caseEvents.courtNote,
        data: caseEvents.data,
      })
      .from(caseEvents)
      .where(and(eq(caseEvents.id, request.caseEventId), eq(caseEvents.caseId, request.caseId)))
    if (!event || event.type !== EVENT_OF[request.kind]) throw new Error(`A report of ${request.kind} names a case event of another kind`)
    caseEventId = event.id
    const eventDate = localDate(event.at, zone)
    const reason = event.category && event.code ? await resolve(event.category, event.code) : null
    const d = event.data
    decision = {
      date: eventDate,
      reason,
      courtNote: event.courtNote,
      ...(request.kind === 'case_started' && text(d, 'plannedEndDate') ? { plannedEndDate: text(d, 'plannedEndDate')! } : {}),
      ...(request.kind === 'extension' ? { previousPlannedEndDate: text(d, 'previousPlannedEndDate')!, plannedEndDate: text(d, 'plannedEndDate')! } : {}),
      ...(request.kind === 'suspension' ? { from: text(d, 'from') ?? eventDate, until: text(d, 'until') ?? null } : {}),
      ...(request.kind === 'ending' ? { effectiveDate: text(d, 'effectiveDate') ?? eventDate, refusedAfterIntake: d.refusedAfterIntake === true } : {}),
      ...(request.kind === 'resumption' ? resumptionFacts(language, d) : {}),
    }
  }

  const start = caseRow ? localDate(caseRow.activatedAt ?? caseRow.createdAt, zone) : localDate(referral.submittedAt, DEFAULT_TIME_ZONE)
  // Up to the day of issue: the decision's day when issued with it (a correction keeps its original's period).
  const period = { from: request.period?.from ?? start, to: request.period?.to ?? localDate(now, zone) }
  const factual = settings.reportContent === 'factual_observations'
  return {
    id: uuidv7(),
    kind: request.kind,
    language,
    referralId: referral.id,
    caseId: caseRow?.id ?? null,
    dossierNumber: caseRow?.dossierNumber ?? null,
    court: court ? { id: court.id, name: court.name } : null,
    courtReference: referral.courtReference,
    centre: { id: centre!.id, name: centre!.name, letterhead: settings.letterhead },
    issuerRole: actor.role,
    author: token?.name ? { name: token.name, function: token.function } : null,
    issuedAt: now,
    period,
    decision,
    visits: caseRow ? await visitCounts(tx, caseRow.id, period) : null,
    observations: caseRow && factual ? await observationFacts(tx, caseRow.id, period) : null,
    supersedes: request.supersedes ?? null,
    correctionNote: request.correctionNote ?? null,
    caseEventId,
  }
}

/**
 * Issues a report in the caller's transaction: it is committed with the decision it tells of, or
 * not at all. The caller has checked the actor's scope on the referral or case.
 */
export async function issueReport(tx: Tx, actor: Actor, now: Date, request: IssueRequest): Promise<ReportRow> {
  const { caseEventId, ...facts } = await gatherFacts(tx, actor, now, request)
  const content = buildReportContent(facts)
  const [row] = await tx
    .insert(reports)
    .values({
      id: content.id,
      centreId: content.issuer.centreId,
      courtId: content.referrer.courtId,
      referralId: content.referralId,
      caseId: content.caseId,
      kind: content.kind,
      language: content.language,
      caseEventId,
      supersedes: content.supersedes,
      content,
      sha256: contentSha256(content),
      issuedAt: now,
      issuedByTokenId: actor.tokenId,
    })
    .returning()
  await audit(tx, actor, { action: 'report.issued', entityType: 'report', entityId: row!.id, centreId: row!.centreId, courtId: row!.courtId })
  // The centre's webhooks hear of it in this same transaction; the body names the report, the
  // receiver fetches it with its own token (so a webhook carries nothing a token could not read).
  await enqueueEvent(tx, now, row!.centreId, 'report.issued', {
    reportId: row!.id,
    kind: row!.kind,
    referralId: row!.referralId,
    caseId: row!.caseId,
    courtId: row!.courtId,
    supersedes: row!.supersedes,
    sha256: row!.sha256,
  })
  return row!
}

/** A report as every reader gets it: its content, its hash, and the report that corrects it, if any. */
const reportView = (row: ReportRow, correctedBy: string | null): Report => ({ ...row.content, sha256: row.sha256, supersededBy: correctedBy })

/** A progress report on demand, e.g. before a hearing: the visits from the case's start (or `from`) to today (or `to`). */
export async function requestProgressReport(tx: Tx, actor: Actor, now: Date, caseId: string, body: ReportCreate) {
  const caseRow = await findCase(tx, actor, caseId)
  const today = localDate(now, await caseTimeZone(tx, caseRow))
  const to = body.to ?? today
  if (body.from && body.from > to) throw invalidInput('body', body.to ? '/to' : '/from', `the period must not end (${to}) before it starts (${body.from})`)
  const openConcern = await hasOpenConcern(tx, caseRow.id)
  if (openConcern) requireConcernConfirmation(actor, body.confirmOpenConcern === true)
  const row = await issueReport(tx, actor, now, { kind: body.kind, caseId: caseRow.id, language: body.language, period: { from: body.from, to } })
  if (openConcern) {
    await audit(tx, actor, { action: 'report.issued_with_open_concern', entityType: 'report', entityId: row.id, centreId: row.centreId, courtId: row.courtId })
  }
  return reportView(row, null)
}

/**
 * While a concern about a child of the case is open, what goes to the court is the coordinator's
 * call: an admin confirms it (`confirmOpenConcern`), staff cannot. The problem names no concern.
 */
function requireConcernConfirmation(actor: Actor, confirmed: boolean) {
  if (actor.role === 'admin' && confirmed) return
  const detail =
    actor.role === 'admin'
      ? 'The case has an open concern: a progress report goes to the court only when a coordinator confirms it. Send `confirmOpenConcern: true` to issue it.'
      : 'The case has an open concern: a progress report goes to the court only when a coordinator (admin) confirms it with `confirmOpenConcern: true`; only a coordinator may confirm.'
  throw conflict('concern_open', detail)
}

/**
 * A correction: a new report on the same decision and period, built from the facts as they are
 * now, that names the one it supersedes. The original stays as it was; it is corrected once (a
 * correction of a correction corrects the newer one).
 */
export async function correctReport(tx: Tx, actor: Actor, now: Date, id: string, body: CorrectionCreate) {
  const original = await findReport(tx, actor, id)
  const newer = await supersededBy(tx, original.id)
  if (newer)
    throw conflict('report-superseded', `Report ${original.id} has already been corrected by report ${newer}; correct that one.`, { supersededBy: newer })
  const subject: Subject = original.caseId ? { caseId: original.caseId, caseEventId: original.caseEventId } : { referralId: original.referralId }
  // A corrected progress report goes to the court like a new one: while a concern is open, the coordinator confirms it.
  const openConcern = original.kind === 'progress' && original.caseId !== null && (await hasOpenConcern(tx, original.caseId))
  if (openConcern) requireConcernConfirmation(actor, body.confirmOpenConcern === true)
  const row = await issueReport(tx, actor, now, {
    ...subject,
    kind: original.kind,
    // Written in the court's language as it is now, like any report issued today.
    language: body.language,
    period: original.content.period,
    supersedes: original.id,
    correctionNote: body.correctionNote,
  })
  if (openConcern) {
    await audit(tx, actor, { action: 'report.issued_with_open_concern', entityType: 'report', entityId: row.id, centreId: row.centreId, courtId: row.courtId })
  }
  return reportView(row, null)
}

export async function getReport(db: Queryable, actor: Actor, id: string) {
  const row = await findReport(db, actor, id)
  return reportView(row, await supersededBy(db, row.id))
}

/** Recomputes the hash of the stored content: a report whose content was changed after it was issued no longer verifies. */
export async function verifyReport(db: Queryable, actor: Actor, id: string) {
  const row = await findReport(db, actor, id)
  return { id: row.id, sha256: row.sha256, valid: contentSha256(row.content) === row.sha256 }
}

/** A page of the feed (see feedPage), each report with the one that corrects it. */
export async function listReports(db: Queryable, actor: Actor, query: FeedQuery) {
  if (query.cursor !== undefined && query.after !== undefined && query.cursor !== query.after) {
    throw invalidInput('query', '/after', 'is the deprecated name of cursor; send only cursor')
  }
  const parameter = query.cursor === undefined && query.after !== undefined ? 'after' : 'cursor'
  const { rows, nextCursor } = await feedPage(db, actor, query.cursor ?? query.after, query.limit, parameter)
  const ids = rows.map((r) => r.id)
  const corrections = ids.length
    ? await db.select({ id: reports.id, supersedes: reports.supersedes }).from(reports).where(inArray(reports.supersedes, ids))
    : []
  const correctedBy = new Map(corrections.map((c) => [c.supersedes, c.id]))
  return { items: rows.map((row) => reportView(row, correctedBy.get(row.id) ?? null)), nextCursor }
}
