import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { courts, referrals, referralTransfers, sites } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { notFound } from '../../domain/errors.js'
import { referralTransition, type ReferralAction } from '../../domain/referral-lifecycle.js'
import { invalidTransition, referralScope } from '../cases/index.js'

/** Reading referrals within the actor's scope: one to show, one to change, and the waiting list. */

export type ReferralRow = typeof referrals.$inferSelect

/** A referral in the actor's scope; one outside it is as unknown as a missing one. */
export async function findReferral(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, id), referralScope(actor)))
  if (!row) throw notFound('referral', id)
  return row
}

/**
 * Every decision on a referral starts here: the row is locked (SELECT … FOR UPDATE) for the rest of
 * the transaction, so two decisions on one referral never both pass the status check.
 */
export async function lockReferral(tx: Tx, actor: Actor, id: string, action: ReferralAction) {
  const [row] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, id), referralScope(actor)))
    .for('update')
  if (!row) throw notFound('referral', id)
  const result = referralTransition(row.status, action)
  if (!result.ok) throw invalidTransition(result)
  return { row, next: result.next }
}

/**
 * Places on the waiting list, per centre in submission order (ids are UUIDv7, so id order is
 * submission order). Counted over the centre's whole list, also for a clerk who sees only their
 * court's referrals: the place is a number, it reveals no other family.
 */
export async function waitingPositions(db: Queryable, rows: ReferralRow[]) {
  const waiting = rows.filter((r) => r.status === 'waitlisted')
  if (waiting.length === 0) return new Map<string, number>()
  const ranked = db
    .select({
      id: referrals.id,
      position: sql<number>`(row_number() over (partition by ${referrals.centreId} order by ${referrals.id}))::int`.as('position'),
    })
    .from(referrals)
    .where(and(eq(referrals.status, 'waitlisted'), inArray(referrals.centreId, [...new Set(waiting.map((r) => r.centreId))])))
    .as('ranked')
  const positions = await db
    .select()
    .from(ranked)
    .where(
      inArray(
        ranked.id,
        waiting.map((r) => r.id),
      ),
    )
  return new Map(positions.map((p) => [p.id, Number(p.position)]))
}

/**
 * The referrals whose court sits in a judicial district that none of the receiving centre's active
 * sites serves: a warning for the staff, who may return it (reason wrong_district) or ask the
 * operator to move it. Districts are compared as written, ignoring case and surrounding spaces.
 */
export async function districtMismatches(db: Queryable, rows: ReferralRow[]): Promise<Set<string>> {
  const ids = rows.filter((r) => r.courtId).map((r) => r.id)
  if (ids.length === 0) return new Set()
  const found = await db
    .select({ id: referrals.id })
    .from(referrals)
    .innerJoin(courts, eq(courts.id, referrals.courtId))
    .where(
      and(
        inArray(referrals.id, ids),
        sql`not exists (select 1 from ${sites} where ${sites.centreId} = ${referrals.centreId} and ${sites.active}
              and lower(trim(${sites.judicialDistrict})) = lower(trim(${courts.judicialDistrict})))`,
      ),
    )
  return new Set(found.map((r) => r.id))
}

/** Each referral's moves between centres, oldest first. */
export async function transfersOf(db: Queryable, ids: string[]) {
  const rows = ids.length ? await db.select().from(referralTransfers).where(inArray(referralTransfers.referralId, ids)).orderBy(asc(referralTransfers.at)) : []
  const byReferral = new Map<string, { fromCentreId: string; toCentreId: string; at: Date; explanation: string | null }[]>()
  for (const t of rows) {
    byReferral.set(t.referralId, [
      ...(byReferral.get(t.referralId) ?? []),
      { fromCentreId: t.fromCentreId, toCentreId: t.toCentreId, at: t.at, explanation: t.explanation },
    ])
  }
  return byReferral
}
