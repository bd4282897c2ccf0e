import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { cases, parties, referrals, type ReasonCategory, type ReferralStatus } from '../../db/schema.js'
import { allowedReferralActions } from '../../domain/referral-lifecycle.js'
import { caseOutcomes, partyView } from '../cases/views.js'
import { referrerPartyView } from '../referrer-view/view.js'
import { reasonResolver } from '../reason-codes/queries.js'

export type ReferralRow = typeof referrals.$inferSelect

const DAY_MS = 86_400_000

/** The category of the reason a referral's status carries. */
const statusReasonCategory = (status: ReferralStatus): ReasonCategory | null =>
  status === 'refused' ? 'refusal' : status === 'returned' ? 'return' : null

/**
 * Places on the waiting list, per centre in submission order (ids are UUIDv7, so id order is
 * submission order). Counted over the centre's whole list, also for a clerk who sees only their
 * court's referrals: the place is a number, it reveals no other family.
 */
async function waitingPositions(db: Queryable, rows: ReferralRow[]) {
  const waiting = rows.filter((r) => r.status === 'waitlisted')
  if (waiting.length === 0) return new Map<string, number>()
  const ranked = db.select({
    id: referrals.id,
    position: sql<number>`(row_number() over (partition by ${referrals.centreId} order by ${referrals.id}))::int`.as('position'),
  }).from(referrals)
    .where(and(eq(referrals.status, 'waitlisted'), inArray(referrals.centreId, [...new Set(waiting.map((r) => r.centreId))])))
    .as('ranked')
  const positions = await db.select().from(ranked).where(inArray(ranked.id, waiting.map((r) => r.id)))
  return new Map(positions.map((p) => [p.id, Number(p.position)]))
}

/** Referrals as their reader may see them: full for the centre, the referrer's view for clerks. */
export async function renderReferrals(db: Queryable, rows: ReferralRow[], referrerView: boolean, now = new Date()) {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const partyRows = await db.select().from(parties).where(inArray(parties.referralId, ids)).orderBy(asc(parties.id))
  const positions = await waitingPositions(db, rows)
  const caseIds = rows.flatMap((r) => (r.caseId ? [r.caseId] : []))
  const caseRows = caseIds.length ? await db.select().from(cases).where(inArray(cases.id, caseIds)) : []
  const outcomes = await caseOutcomes(db, caseRows)
  const resolvers = new Map<string, Awaited<ReturnType<typeof reasonResolver>>>()
  for (const centreId of new Set(rows.map((r) => r.centreId))) {
    const refs = rows.filter((r) => r.centreId === centreId).map((r) => ({ category: statusReasonCategory(r.status), code: r.statusReasonCode }))
    resolvers.set(centreId, await reasonResolver(db, centreId, refs))
  }
  return rows.map((r) => {
    const position = positions.get(r.id)
    const own = partyRows.filter((p) => p.referralId === r.id)
    const view = {
      id: r.id, centreId: r.centreId, source: r.source, legalFramework: r.legalFramework, courtId: r.courtId,
      courtReference: r.courtReference, decisionDate: r.decisionDate, hearingDate: r.hearingDate, requested: r.requested,
      reason: r.reason, status: r.status,
      statusReason: resolvers.get(r.centreId)!({ category: statusReasonCategory(r.status), code: r.statusReasonCode }),
      statusExplanation: r.statusExplanation, missingItems: r.missingItems,
      submittedAt: r.submittedAt, waitlistedAt: r.waitlistedAt, decidedAt: r.decidedAt,
      waitingList: position === undefined ? null : { position, daysWaiting: Math.max(0, Math.floor((now.getTime() - r.submittedAt.getTime()) / DAY_MS)) },
      caseId: r.caseId,
      case: (r.caseId && outcomes.get(r.caseId)) || null,
    }
    if (referrerView) return { ...view, parties: own.map(referrerPartyView) }
    return { ...view, parties: own.map(partyView), allowedActions: allowedReferralActions(r.status), createdAt: r.createdAt, updatedAt: r.updatedAt }
  })
}
