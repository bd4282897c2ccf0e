import { asc, inArray } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { cases, parties } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { type ReasonCategory, type ReferralStatus } from '../../domain/vocabulary.js'
import { allowedReferralActions } from '../../domain/referral-lifecycle.js'
import { caseOutcomes, partyView } from '../cases/index.js'
import { referrerOutcome, referrerPartyView, seesReferrerView } from '../referrer-view/index.js'
import { reasonResolver } from '../reason-codes/index.js'
import { districtMismatches, transfersOf, waitingPositions, type ReferralRow } from './queries.js'
import { DAY_MS } from '../../domain/time.js'

/** Referrals as their reader may see them: in full for the centre, the referrer view for a court. */

/** The category of the reason a referral's status carries. */
const statusReasonCategory = (status: ReferralStatus): ReasonCategory | null => (status === 'refused' ? 'refusal' : status === 'returned' ? 'return' : null)

/** Referrals in full, with their parties, waiting-list places (days counted to `now`) and cases' outcomes. */
export async function renderReferrals(db: Queryable, rows: ReferralRow[], now: Date) {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const partyRows = await db.select().from(parties).where(inArray(parties.referralId, ids)).orderBy(asc(parties.id))
  const positions = await waitingPositions(db, rows)
  const mismatched = await districtMismatches(db, rows)
  const transfers = await transfersOf(db, ids)
  const caseIds = rows.flatMap((r) => (r.caseId ? [r.caseId] : []))
  const caseRows = caseIds.length ? await db.select().from(cases).where(inArray(cases.id, caseIds)) : []
  const outcomes = await caseOutcomes(db, caseRows, now)
  const resolvers = new Map<string, Awaited<ReturnType<typeof reasonResolver>>>()
  for (const centreId of new Set(rows.map((r) => r.centreId))) {
    const refs = rows.filter((r) => r.centreId === centreId).map((r) => ({ category: statusReasonCategory(r.status), code: r.statusReasonCode }))
    resolvers.set(centreId, await reasonResolver(db, centreId, refs))
  }
  return rows.map((r) => {
    const position = positions.get(r.id)
    return {
      view: 'full' as const,
      id: r.id,
      centreId: r.centreId,
      source: r.source,
      legalFramework: r.legalFramework,
      courtId: r.courtId,
      courtReference: r.courtReference,
      decisionDate: r.decisionDate,
      hearingDate: r.hearingDate,
      requested: r.requested,
      reason: r.reason,
      status: r.status,
      statusReason: resolvers.get(r.centreId)!({ category: statusReasonCategory(r.status), code: r.statusReasonCode }),
      statusExplanation: r.statusExplanation,
      courtNote: r.statusCourtNote,
      missingItems: r.missingItems,
      submittedAt: r.submittedAt,
      waitlistedAt: r.waitlistedAt,
      decidedAt: r.decidedAt,
      waitingList: position === undefined ? null : { position, daysWaiting: Math.max(0, Math.floor((now.getTime() - r.submittedAt.getTime()) / DAY_MS)) },
      caseId: r.caseId,
      case: (r.caseId && outcomes.get(r.caseId)) || null,
      parties: partyRows.filter((p) => p.referralId === r.id).map(partyView),
      allowedActions: allowedReferralActions(r.status),
      districtMismatch: mismatched.has(r.id),
      transfers: transfers.get(r.id) ?? [],
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }
  })
}

export type ReferralView = Awaited<ReturnType<typeof renderReferrals>>[number]

/**
 * A referral in the referrer view: the parties' identity without contact details, the case's
 * outcome without the centre's explanations, and no explanation of the status either.
 */
function referrerReferral(view: ReferralView) {
  const {
    statusExplanation: _internal,
    allowedActions: _actions,
    districtMismatch: _warning,
    transfers: _moves,
    createdAt: _created,
    updatedAt: _updated,
    ...shown
  } = view
  return { ...shown, view: 'referrer' as const, parties: view.parties.map(referrerPartyView), case: view.case && referrerOutcome(view.case) }
}

/** Referrals as this actor may see them. */
export async function referralsFor(db: Queryable, actor: Actor, rows: ReferralRow[], now: Date) {
  const views = await renderReferrals(db, rows, now)
  return seesReferrerView(actor) ? views.map(referrerReferral) : views
}
