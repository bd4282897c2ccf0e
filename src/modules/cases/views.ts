import type { Actor } from '../../domain/actor.js'
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { caseEvents, intakes, parties, referrals, suspensions } from '../../db/schema.js'
import { type ReasonCategory } from '../../domain/vocabulary.js'
import { allowedCaseActions } from '../../domain/case-lifecycle.js'
import { reasonResolver, type ReasonRef } from '../reason-codes/queries.js'
import { referrerEvent, referrerOutcome } from '../referrer-view/view.js'
import { REFERRER_EVENT_TYPES } from './schemas.js'
import { currentAgreement, loadReadiness } from './readiness.js'
import type { CaseRow } from './access.js'

type EventRow = typeof caseEvents.$inferSelect
type Resolve = Awaited<ReturnType<typeof reasonResolver>>

export const partyView = (p: typeof parties.$inferSelect) => ({
  id: p.id, role: p.role, givenName: p.givenName, familyName: p.familyName, birthDate: p.birthDate, language: p.language,
  contact: p.contact, confidentialAddress: p.confidentialAddress,
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

const endingOf = (event: EventRow | undefined, reason: ReturnType<Resolve>) => event && ({
  at: event.at,
  effectiveDate: (event.data.effectiveDate as string | undefined) ?? null,
  refusedAfterIntake: event.data.refusedAfterIntake === true,
  reason,
  explanation: event.explanation,
})

/** Status, dates, suspensions and ending of cases: what both the centre and the referrer see. */
export async function caseOutcomes(db: Queryable, rows: CaseRow[]) {
  const ids = rows.map((r) => r.id)
  if (ids.length === 0) return new Map<string, ReturnType<typeof outcome>>()
  const suspensionRows = await db.select().from(suspensions).where(inArray(suspensions.caseId, ids)).orderBy(asc(suspensions.id))
  const endings = await db.select().from(caseEvents).where(and(inArray(caseEvents.caseId, ids), eq(caseEvents.type, 'ended'))).orderBy(asc(caseEvents.id))
  const centreOfCase = new Map(rows.map((r) => [r.id, r.centreId]))
  const resolve = await resolversFor(db, groupRefs(
    [...suspensionRows.map((s) => ({ caseId: s.caseId, category: 'suspension' as const, code: s.reasonCode })),
      ...endings.map((e) => ({ caseId: e.caseId, category: e.reasonCategory, code: e.reasonCode }))],
    (r) => centreOfCase.get(r.caseId)!, (r) => r,
  ))
  function outcome(row: CaseRow) {
    const ended = endings.find((e) => e.caseId === row.id)
    return {
      id: row.id, status: row.status, createdAt: row.createdAt, activatedAt: row.activatedAt, plannedEndDate: row.plannedEndDate,
      endEffectiveDate: row.endEffectiveDate, endedAt: row.endedAt,
      suspensions: suspensionRows.filter((s) => s.caseId === row.id).map((s) => ({
        id: s.id, from: s.fromDate, until: s.untilDate, resumedAt: s.resumedAt,
        reason: resolve(row.centreId, { category: 'suspension', code: s.reasonCode }), explanation: s.explanation,
      })),
      ending: endingOf(ended, ended ? resolve(row.centreId, { category: ended.reasonCategory, code: ended.reasonCode }) : null) ?? null,
    }
  }
  return new Map(rows.map((r) => [r.id, outcome(r)]))
}

/** List items: the case's own fields and its referral's roll number. */
export async function caseSummaries(db: Queryable, rows: CaseRow[], referrerView: boolean) {
  const referralIds = rows.map((r) => r.referralId)
  const references = referralIds.length
    ? await db.select({ id: referrals.id, courtReference: referrals.courtReference }).from(referrals).where(inArray(referrals.id, referralIds))
    : []
  return rows.map((row) => {
    const courtReference = references.find((r) => r.id === row.referralId)?.courtReference ?? null
    const common = {
      id: row.id, referralId: row.referralId, courtId: row.courtId, courtReference, status: row.status, createdAt: row.createdAt,
      activatedAt: row.activatedAt, plannedEndDate: row.plannedEndDate, endEffectiveDate: row.endEffectiveDate, endedAt: row.endedAt,
    }
    if (referrerView) return common
    return { ...common, centreId: row.centreId, siteId: row.siteId, feeExempt: row.feeExempt, leadCounsellorId: row.leadCounsellorId, updatedAt: row.updatedAt }
  })
}

/** One case in full (centre roles) or as its referrer sees it. */
export async function renderCase(db: Queryable, row: CaseRow, referrerView: boolean) {
  const [summary] = await caseSummaries(db, [row], referrerView)
  const outcome = (await caseOutcomes(db, [row])).get(row.id)!
  const reported = { ...summary!, suspensions: outcome.suspensions, ending: outcome.ending }
  if (referrerView) return referrerOutcome(reported)
  const partyRows = await db.select().from(parties).where(eq(parties.caseId, row.id)).orderBy(asc(parties.id))
  const intakeRows = await db.select().from(intakes).where(eq(intakes.caseId, row.id)).orderBy(asc(intakes.id))
  const agreement = await currentAgreement(db, row.id)
  return {
    ...reported,
    parties: partyRows.map(partyView),
    intakes: intakeRows,
    agreement: agreement && agreementView(agreement),
    readiness: await loadReadiness(db, row, { agreement }),
    allowedActions: allowedCaseActions(row.status),
  }
}

export function agreementView(agreement: NonNullable<Awaited<ReturnType<typeof currentAgreement>>>) {
  return {
    id: agreement.id, caseId: agreement.caseId, version: agreement.version, kinds: agreement.kinds,
    frequency: agreement.frequency, rrule: agreement.rrule, durationMinutes: agreement.durationMinutes,
    validUntil: agreement.validUntil, maxVisits: agreement.maxVisits, conditions: agreement.conditions,
    authorisedVisitors: agreement.authorisedVisitors, createdAt: agreement.createdAt,
    signatures: agreement.signatures.map((s) => ({ partyId: s.partyId, signedAt: s.signedAt, recordedByTokenId: s.recordedByTokenId })),
  }
}

const REFERRER_DATA_KEYS = ['from', 'until', 'effectiveDate', 'plannedEndDate', 'previousPlannedEndDate', 'refusedAfterIntake'] as const

export const isReferrerEvent = (type: string) => (REFERRER_EVENT_TYPES as readonly string[]).includes(type)

/** Events with their reasons' labels; for a referrer only transitions, with only their dates and coded reasons. */
export async function renderEvents(db: Queryable, centreId: string, rows: EventRow[], referrerView: boolean) {
  const resolve = await reasonResolver(db, centreId, rows.map((e) => ({ category: e.reasonCategory, code: e.reasonCode })))
  return rows.map((e) => {
    const common = {
      id: e.id, caseId: e.caseId, type: e.type, at: e.at, actorRole: e.actorRole,
      reason: resolve({ category: e.reasonCategory, code: e.reasonCode }), explanation: e.explanation,
    }
    if (!referrerView) return { ...common, actorTokenId: e.actorTokenId, data: e.data }
    const data = Object.fromEntries(REFERRER_DATA_KEYS.filter((k) => k in e.data).map((k) => [k, e.data[k]]))
    return { ...referrerEvent(common), data }
  })
}

/** Adds a case event (the case's own history; the audit trail is separate). */
export async function addEvent(db: Queryable, actor: Actor, caseId: string, event: {
  type: string; reasonCategory?: ReasonCategory | null; reasonCode?: string | null; explanation?: string | null; data?: Record<string, unknown>
}) {
  const [row] = await db.insert(caseEvents).values({
    caseId, type: event.type, actorTokenId: actor.tokenId, actorRole: actor.role,
    reasonCategory: event.reasonCategory ?? null, reasonCode: event.reasonCode ?? null,
    explanation: event.explanation ?? null, data: event.data ?? {},
  }).returning()
  return row!
}

