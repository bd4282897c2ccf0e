import { DateTime } from 'luxon'
/** How cases, their outcomes and their history are shown, and the one way a case event is added. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { rawRows, uuidArray, type Queryable } from '../../db/client.js'
import { caseEvents, intakes, parties, referrals, suspensions } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import type { ReasonCategory } from '../../domain/vocabulary.js'
import { allowedCaseActions } from '../../domain/case-lifecycle.js'
import { reasonResolver, type ReasonRef } from '../reason-codes/index.js'
import { referrerEvent, referrerOutcome } from '../referrer-view/index.js'
import { visitSignals } from '../../domain/visit-signals.js'
import { centreSettings } from '../admin/index.js'
import { concludedVisits, visitCounts } from './visit-tally.js'
import { nextEvaluation } from '../../domain/trajectory.js'
import { currentAgreement, loadReadiness, safetyProfileOf, type CaseRow } from './queries.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'

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

/** Status, dates, suspensions and ending of cases: what both the centre and the referrer see. */
export async function caseOutcomes(db: Queryable, rows: CaseRow[]) {
  const ids = rows.map((r) => r.id)
  if (ids.length === 0) return new Map<string, ReturnType<typeof outcome>>()
  const suspensionRows = await db.select().from(suspensions).where(inArray(suspensions.caseId, ids)).orderBy(asc(suspensions.id))
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
        ...suspensionRows.map((s) => ({ caseId: s.caseId, category: 'suspension' as const, code: s.reasonCode })),
        ...endings.map((e) => ({ caseId: e.caseId, category: e.reasonCategory, code: e.reasonCode })),
      ],
      (r) => centreOfCase.get(r.caseId)!,
      (r) => r,
    ),
  )
  function outcome(row: CaseRow) {
    const ended = endings.find((e) => e.caseId === row.id)
    return {
      id: row.id,
      status: row.status,
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      plannedEndDate: row.plannedEndDate,
      endEffectiveDate: row.endEffectiveDate,
      endedAt: row.endedAt,
      suspensions: suspensionRows
        .filter((s) => s.caseId === row.id)
        .map((s) => ({
          id: s.id,
          from: s.fromDate,
          until: s.untilDate,
          resumedAt: s.resumedAt,
          reason: resolve(row.centreId, { category: 'suspension', code: s.reasonCode }),
          explanation: s.explanation,
          courtNote: s.courtNote,
        })),
      ending: endingOf(ended, ended ? resolve(row.centreId, { category: ended.reasonCategory, code: ended.reasonCode }) : null) ?? null,
    }
  }
  return new Map(rows.map((r) => [r.id, outcome(r)]))
}

type CourtReferences = Map<string, string | null>

/** Each case's referral's roll number (courtReference), by referral id. */
async function courtReferences(db: Queryable, rows: CaseRow[]): Promise<CourtReferences> {
  const referralIds = rows.map((r) => r.referralId)
  const references = referralIds.length
    ? await db.select({ id: referrals.id, courtReference: referrals.courtReference }).from(referrals).where(inArray(referrals.id, referralIds))
    : []
  return new Map(references.map((r) => [r.id, r.courtReference]))
}

const referrerSummary = (row: CaseRow, references: CourtReferences) => ({
  view: 'referrer' as const,
  id: row.id,
  referralId: row.referralId,
  dossierNumber: row.dossierNumber,
  courtId: row.courtId,
  courtReference: references.get(row.referralId) ?? null,
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

/** List items: the case's own fields and its referral's roll number (for the centre, its next evaluation). */
export async function caseSummaries(db: Queryable, rows: CaseRow[], referrerView: boolean) {
  const references = await courtReferences(db, rows)
  if (referrerView) return rows.map((row) => referrerSummary(row, references))
  const evaluations = await evaluationsDue(db, rows)
  return rows.map((row) => fullSummary(row, references, evaluations))
}

/** One case as its referrer sees it: status, dates, suspensions and ending. */
async function renderReferrerCase(db: Queryable, row: CaseRow) {
  const outcome = (await caseOutcomes(db, [row])).get(row.id)!
  return referrerOutcome({ ...referrerSummary(row, await courtReferences(db, [row])), suspensions: outcome.suspensions, ending: outcome.ending })
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
  const outcome = (await caseOutcomes(db, [row])).get(row.id)!
  const summary = fullSummary(row, await courtReferences(db, [row]), await evaluationsDue(db, [row]))
  const partyRows = await db.select().from(parties).where(eq(parties.caseId, row.id)).orderBy(asc(parties.id))
  const intakeRows = await db.select().from(intakes).where(eq(intakes.caseId, row.id)).orderBy(asc(intakes.id))
  const agreement = await currentAgreement(db, row.id)
  return {
    ...summary,
    suspensions: outcome.suspensions,
    ending: outcome.ending,
    parties: partyRows.map(partyView),
    safety: await safetyProfileOf(db, row),
    intakes: intakeRows,
    agreement: agreement && agreementView(agreement),
    readiness: await loadReadiness(db, row, { at: now, agreement }),
    allowedActions: allowedCaseActions(row.status),
    ...(await visitSummary(
      db,
      row,
      partyRows.map((p) => p.id),
      now,
    )),
  }
}

/** One case in full (centre roles) or as its referrer sees it. */
export async function renderCase(db: Queryable, row: CaseRow, referrerView: boolean, now?: Date) {
  return referrerView ? renderReferrerCase(db, row) : renderFullCase(db, row, now)
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

const REFERRER_DATA_KEYS = ['from', 'until', 'effectiveDate', 'plannedEndDate', 'previousPlannedEndDate', 'refusedAfterIntake'] as const

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
