import { DateTime } from 'luxon'
/** How cases, their outcomes and their history are shown, and the one way a case event is added. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { rawRows, uuidArray, type Queryable } from '../../db/client.js'
import { caseEvents, intakes, parties, referrals, sites, suspensions } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import type { ReasonCategory } from '../../domain/vocabulary.js'
import { allowedActionsOn, effectiveCaseStatus, suspensionState } from '../../domain/suspension-dates.js'
import { reasonResolver, type ReasonRef } from '../reason-codes/index.js'
import { referrerEvent, referrerOutcome } from '../referrer-view/index.js'
import { visitSignals } from '../../domain/visit-signals.js'
import { centreSettings } from '../admin/index.js'
import { concludedVisits, visitCounts } from './visit-tally.js'
import { nextEvaluation } from '../../domain/trajectory.js'
import { currentAgreement, loadReadiness, qualified, reportDueOf, safetyProfileOf, type CaseRow } from './queries.js'
import { DEFAULT_TIME_ZONE, localDate } from '../../domain/time.js'

type EventRow = typeof caseEvents.$inferSelect
type Resolve = Awaited<ReturnType<typeof reasonResolver>>

export const partyView = (p: typeof parties.$inferSelect) => ({
  id: p.id,
  role: p.role,
  givenName: p.givenName,
  familyName: p.familyName,
  birthDate: p.birthDate,
  language: p.language,
  contact: p.contact,
  confidentialAddress: p.confidentialAddress,
  interpreter: p.interpreter,
  joinedAt: p.joinedAt,
  gender: p.gender,
  postcode: p.postcode,
  nationalNumber: p.nationalNumber,
})
/** Reasons shown with records of several centres: labels come from each record's centre. */
async function resolversFor(db: Queryable, refsByCentre: Map<string, ReasonRef[]>) {
  const resolvers = new Map<string, Resolve>()
  for (const [centreId, refs] of refsByCentre) resolvers.set(centreId, await reasonResolver(db, centreId, refs))
  return (centreId: string, ref: ReasonRef) => resolvers.get(centreId)?.(ref) ?? null
}

function groupRefs<T>(items: T[], centreOf: (item: T) => string, refOf: (item: T) => ReasonRef) {
  const byCentre = new Map<string, ReasonRef[]>()
  for (const item of items) {
    const list = byCentre.get(centreOf(item)) ?? []
    list.push(refOf(item))
    byCentre.set(centreOf(item), list)
  }
  return byCentre
}

const endingOf = (event: EventRow | undefined, reason: ReturnType<Resolve>) =>
  event && {
    at: event.at,
    effectiveDate: (event.data.effectiveDate as string | undefined) ?? null,
    refusedAfterIntake: event.data.refusedAfterIntake === true,
    reason,
    explanation: event.explanation,
    courtNote: event.courtNote,
  }

type SuspensionRow = typeof suspensions.$inferSelect

/**
 * What a case's status is judged on at `now`: its suspensions and its local day (its site's zone).
 * The status shown is the one these dates give (src/domain/suspension-dates.ts), even before the
 * suspension job has stored it.
 */
async function suspensionDates(db: Queryable, rows: CaseRow[], now: Date) {
  const ids = rows.map((r) => r.id)
  const suspensionRows = ids.length ? await db.select().from(suspensions).where(inArray(suspensions.caseId, ids)).orderBy(asc(suspensions.id)) : []
  const siteIds = [...new Set(rows.flatMap((r) => (r.siteId ? [r.siteId] : [])))]
  const zones = new Map(
    siteIds.length
      ? (await db.select({ id: sites.id, timeZone: sites.timeZone }).from(sites).where(inArray(sites.id, siteIds))).map((z) => [z.id, z.timeZone])
      : [],
  )
  return new Map(
    rows.map((row) => {
      const own = suspensionRows.filter((s) => s.caseId === row.id)
      const today = localDate(now, (row.siteId && zones.get(row.siteId)) || DEFAULT_TIME_ZONE)
      // Only a running case has an open suspension to show (one left open by an ending is history).
      const running = row.status === 'active' || row.status === 'suspended'
      const open = running ? suspensionState(own, today) : { scheduled: null, current: null }
      return [row.id, { suspensions: own, status: effectiveCaseStatus(row.status, own, today), ...open }] as const
    }),
  )
}

/** The cases with the status their suspensions' dates give at `now`, for lists and filters. */
export async function withEffectiveStatus(db: Queryable, rows: CaseRow[], now: Date): Promise<CaseRow[]> {
  const dates = await suspensionDates(db, rows, now)
  return rows.map((row) => ({ ...row, status: dates.get(row.id)!.status }))
}

/**
 * Status, dates, suspensions and ending of cases at `now`: what both the centre and the referrer
 * see. `suspension` is the open suspension, scheduled (before its `from`) or current.
 */
export async function caseOutcomes(db: Queryable, rows: CaseRow[], now: Date) {
  const ids = rows.map((r) => r.id)
  if (ids.length === 0) return new Map<string, ReturnType<typeof outcome>>()
  const dates = await suspensionDates(db, rows, now)
  const endings = await db
    .select()
    .from(caseEvents)
    .where(and(inArray(caseEvents.caseId, ids), eq(caseEvents.type, 'ended')))
    .orderBy(asc(caseEvents.id))
  const centreOfCase = new Map(rows.map((r) => [r.id, r.centreId]))
  const resolve = await resolversFor(
    db,
    groupRefs(
      [
        ...[...dates.values()].flatMap((d) => d.suspensions).map((s) => ({ caseId: s.caseId, category: 'suspension' as const, code: s.reasonCode })),
        ...endings.map((e) => ({ caseId: e.caseId, category: e.reasonCategory, code: e.reasonCode })),
      ],
      (r) => centreOfCase.get(r.caseId)!,
      (r) => r,
    ),
  )
  const suspensionView = (row: CaseRow, s: SuspensionRow) => ({
    id: s.id,
    from: s.fromDate,
    until: s.untilDate,
    resumedAt: s.resumedAt,
    reason: resolve(row.centreId, { category: 'suspension', code: s.reasonCode }),
    explanation: s.explanation,
    courtNote: s.courtNote,
  })
  function outcome(row: CaseRow) {
    const ended = endings.find((e) => e.caseId === row.id)
    const d = dates.get(row.id)!
    return {
      id: row.id,
      status: d.status,
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      plannedEndDate: row.plannedEndDate,
      endEffectiveDate: row.endEffectiveDate,
      endedAt: row.endedAt,
      suspensions: d.suspensions.map((s) => suspensionView(row, s)),
      suspension: {
        scheduled: d.scheduled && suspensionView(row, d.scheduled),
        current: d.current && suspensionView(row, d.current),
      },
      ending: endingOf(ended, ended ? resolve(row.centreId, { category: ended.reasonCategory, code: ended.reasonCode }) : null) ?? null,
    }
  }
  return new Map(rows.map((r) => [r.id, outcome(r)]))
}

type CourtReferences = Map<string, { courtReference: string | null; hearingDate: string | null; reportDue: string | null }>

/** Each case's referral's roll number (courtReference), hearing date and open report request, by referral id. */
async function courtReferences(db: Queryable, rows: CaseRow[]): Promise<CourtReferences> {
  const referralIds = rows.map((r) => r.referralId)
  const references = referralIds.length
    ? await db
        .select({
          id: referrals.id,
          courtReference: referrals.courtReference,
          hearingDate: referrals.hearingDate,
          reportDue: reportDueOf(qualified('referrals', 'id')),
        })
        .from(referrals)
        .where(inArray(referrals.id, referralIds))
    : []
  return new Map(references.map(({ id, ...r }) => [id, r]))
}

const referrerSummary = (row: CaseRow, references: CourtReferences) => ({
  view: 'referrer' as const,
  id: row.id,
  referralId: row.referralId,
  dossierNumber: row.dossierNumber,
  courtId: row.courtId,
  courtReference: references.get(row.referralId)?.courtReference ?? null,
  status: row.status,
  createdAt: row.createdAt,
  activatedAt: row.activatedAt,
  plannedEndDate: row.plannedEndDate,
  endEffectiveDate: row.endEffectiveDate,
  endedAt: row.endedAt,
})

const fullSummary = (row: CaseRow, references: CourtReferences, evaluations: Map<string, string | null>) => ({
  ...referrerSummary(row, references),
  view: 'full' as const,
  centreId: row.centreId,
  siteId: row.siteId,
  feeExempt: row.feeExempt,
  feeReason: row.feeReason,
  contributionPerVisitCents: row.contributionPerVisitCents,
  leadCounsellorId: row.leadCounsellorId,
  evaluationDue: evaluations.get(row.id) ?? null,
  hearingDate: references.get(row.referralId)?.hearingDate ?? null,
  reportDue: references.get(row.referralId)?.reportDue ?? null,
  updatedAt: row.updatedAt,
})

/** Centres and their courts are Belgian: a case's days (activation, today) are counted there. */

/**
 * Each running case's next evaluation conversation, by case id (the centre's interval): read with
 * the day of its last held evaluation conversation and of the last visit of a used-up block.
 */
export async function evaluationsDue(db: Queryable, rows: CaseRow[]) {
  const running = rows.filter((r) => r.status === 'active' || r.status === 'suspended')
  const settings = new Map<string, Awaited<ReturnType<typeof centreSettings>>>()
  for (const centreId of new Set(running.map((r) => r.centreId))) settings.set(centreId, await centreSettings(db, centreId))
  const facts = new Map(
    (
      await evaluationFacts(
        db,
        running.map((r) => r.id),
      )
    ).map((f) => [f.caseId, f]),
  )
  return new Map(
    rows.map((row) => [
      row.id,
      settings.has(row.centreId)
        ? nextEvaluation(
            {
              status: row.status,
              activatedOn: row.activatedAt && DateTime.fromJSDate(row.activatedAt, { zone: DEFAULT_TIME_ZONE }).toISODate(),
              plannedEndDate: row.plannedEndDate,
              lastEvaluationOn: facts.get(row.id)?.lastEvaluationOn,
              blockUsedUpOn: facts.get(row.id)?.blockUsedUpOn,
            },
            settings.get(row.centreId)!.evaluationIntervalMonths,
          )
        : null,
    ]),
  )
}

/**
 * Per case, the day (in Belgium) of its last held evaluation conversation and, when the current
 * agreement limits its visits, the day of the visit that uses the block up (its maxVisits-th,
 * counted as bookings count them).
 */
async function evaluationFacts(db: Queryable, caseIds: string[]) {
  if (caseIds.length === 0) return []
  const day = (instant: SQL) => sql`(${instant} at time zone ${DEFAULT_TIME_ZONE})::date::text`
  return rawRows<{ caseId: string; lastEvaluationOn: string | null; blockUsedUpOn: string | null }>(
    db,
    sql`select c.id as "caseId",
        (select ${day(sql`max(v.starts_at)`)} from visits v where v.case_id = c.id and v.kind = 'conversation' and v.purpose = 'evaluation'
          and v.status = 'fulfilled') as "lastEvaluationOn",
        (select ${day(sql`x.starts_at`)}
          from (select a.created_at, a.max_visits from agreements a where a.case_id = c.id order by a.version desc limit 1) a,
            lateral (select v.starts_at, row_number() over (order by v.starts_at) as n from visits v
              where v.case_id = c.id and v.kind <> 'conversation' and v.status not in ('cancelled', 'entered-in-error') and v.created_at >= a.created_at) x
          where x.n = a.max_visits) as "blockUsedUpOn"
      from unnest(${uuidArray(caseIds)}) as c(id)`,
  )
}

/** List items: the case's own fields, with the status its dates give at `now`, and its referral's roll number (for the centre, its next evaluation). */
export async function caseSummaries(db: Queryable, rows: CaseRow[], referrerView: boolean, now: Date) {
  rows = await withEffectiveStatus(db, rows, now)
  const references = await courtReferences(db, rows)
  if (referrerView) return rows.map((row) => referrerSummary(row, references))
  const evaluations = await evaluationsDue(db, rows)
  return rows.map((row) => fullSummary(row, references, evaluations))
}

/** One case as its referrer sees it at `now`: status, dates, suspensions and ending. */
async function renderReferrerCase(db: Queryable, row: CaseRow, now: Date) {
  const outcome = (await caseOutcomes(db, [row], now)).get(row.id)!
  return referrerOutcome({
    ...referrerSummary({ ...row, status: outcome.status }, await courtReferences(db, [row])),
    suspensions: outcome.suspensions,
    suspension: outcome.suspension,
    ending: outcome.ending,
  })
}

/**
 * How the case's visits went, counted in SQL, and the signals staff should look at (flags only: the
 * decision stays with them). Visits still to come and those awaiting an outcome are judged at `now`.
 */
async function visitSummary(db: Queryable, row: CaseRow, partyIds: string[], now: Date) {
  const counts = await visitCounts(db, row.id, now)
  const signals = visitSignals(await concludedVisits(db, row.id), partyIds, await centreSettings(db, row.centreId))
  return {
    visitCounts: {
      planned: counts.planned,
      needsOutcome: counts.needs_outcome,
      fulfilled: counts.fulfilled,
      interrupted: counts.interrupted,
      noshow: { total: counts.noshow, byParty: counts.absences },
      cancelled: {
        total: counts.cancelled,
        late: counts.cancelled_late,
        byVisitingParty: counts.by_visiting_party,
        byResidingParty: counts.by_residing_party,
        childRefuses: counts.child_refuses,
        byCentre: counts.by_centre,
        byReferrer: counts.by_referrer,
      },
    },
    signals,
  }
}

/** One case in full, for centre roles; readiness, planned visits and those awaiting an outcome are judged at `now`. */
export async function renderFullCase(db: Queryable, row: CaseRow, now = new Date()) {
  const outcome = (await caseOutcomes(db, [row], now)).get(row.id)!
  row = { ...row, status: outcome.status }
  const summary = fullSummary(row, await courtReferences(db, [row]), await evaluationsDue(db, [row]))
  const partyRows = await db.select().from(parties).where(eq(parties.caseId, row.id)).orderBy(asc(parties.id))
  const intakeRows = await db.select().from(intakes).where(eq(intakes.caseId, row.id)).orderBy(asc(intakes.id))
  const agreement = await currentAgreement(db, row.id)
  return {
    ...summary,
    suspensions: outcome.suspensions,
    suspension: outcome.suspension,
    ending: outcome.ending,
    parties: partyRows.map(partyView),
    safety: await safetyProfileOf(db, row),
    intakes: intakeRows,
    agreement: agreement && agreementView(agreement),
    readiness: await loadReadiness(db, row, { at: now, agreement }),
    allowedActions: allowedActionsOn(row.status, outcome.suspension.scheduled !== null),
    ...(await visitSummary(
      db,
      row,
      partyRows.map((p) => p.id),
      now,
    )),
  }
}

/** One case in full (centre roles) or as its referrer sees it. */
export async function renderCase(db: Queryable, row: CaseRow, referrerView: boolean, now = new Date()) {
  return referrerView ? renderReferrerCase(db, row, now) : renderFullCase(db, row, now)
}

export function agreementView(agreement: NonNullable<Awaited<ReturnType<typeof currentAgreement>>>) {
  return {
    id: agreement.id,
    caseId: agreement.caseId,
    version: agreement.version,
    kinds: agreement.kinds,
    frequency: agreement.frequency,
    rrule: agreement.rrule,
    durationMinutes: agreement.durationMinutes,
    validUntil: agreement.validUntil,
    maxVisits: agreement.maxVisits,
    conditions: agreement.conditions,
    authorisedVisitors: agreement.authorisedVisitors,
    createdAt: agreement.createdAt,
    signatures: agreement.signatures.map((s) => ({ partyId: s.partyId, signedAt: s.signedAt, recordedByTokenId: s.recordedByTokenId })),
  }
}

const REFERRER_DATA_KEYS = ['from', 'until', 'effectiveDate', 'plannedEndDate', 'previousPlannedEndDate', 'refusedAfterIntake', 'withdrawn', 'ranOut'] as const

/** Events with their reasons' labels; for a referrer only transitions, with only their dates and coded reasons. */
export async function renderEvents(db: Queryable, centreId: string, rows: EventRow[], referrerView: boolean) {
  const resolve = await reasonResolver(
    db,
    centreId,
    rows.map((e) => ({ category: e.reasonCategory, code: e.reasonCode })),
  )
  return rows.map((e) => {
    const common = {
      id: e.id,
      caseId: e.caseId,
      type: e.type,
      at: e.at,
      actorRole: e.actorRole,
      reason: resolve({ category: e.reasonCategory, code: e.reasonCode }),
      explanation: e.explanation,
      courtNote: e.courtNote,
    }
    if (!referrerView) return { ...common, view: 'full' as const, actorTokenId: e.actorTokenId, data: e.data }
    const data = Object.fromEntries(REFERRER_DATA_KEYS.filter((k) => k in e.data).map((k) => [k, e.data[k]]))
    return { ...referrerEvent(common), view: 'referrer' as const, data }
  })
}

/** Adds a case event (the case's own history; the audit trail is separate), dated `now`: the service's clock, not the database's. */
export async function addEvent(
  db: Queryable,
  actor: Actor,
  now: Date,
  caseId: string,
  event: {
    type: string
    reasonCategory?: ReasonCategory | null
    reasonCode?: string | null
    explanation?: string | null
    courtNote?: string | null
    data?: Record<string, unknown>
  },
) {
  const [row] = await db
    .insert(caseEvents)
    .values({
      caseId,
      at: now,
      type: event.type,
      actorTokenId: actor.tokenId,
      actorRole: actor.role,
      reasonCategory: event.reasonCategory ?? null,
      reasonCode: event.reasonCode ?? null,
      explanation: event.explanation ?? null,
      courtNote: event.courtNote ?? null,
      data: event.data ?? {},
    })
    .returning()
  return row!
}
