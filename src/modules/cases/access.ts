import { and, eq, type SQL } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { cases, parties, referrals } from '../../db/schema.js'
import { caseTransition, type CaseAction } from '../../domain/case-lifecycle.js'
import type { Transition } from '../../domain/referral-lifecycle.js'
import type { Actor } from '../../http/auth.js'
import { invalidInput, conflict, notFound } from '../../http/problem.js'
import { inCentre, inCourt } from '../../http/scope.js'

/** A token is scoped to one centre or to one court (never both). */
export const referralScope = (actor: Actor): SQL =>
  actor.centreId ? inCentre(referrals.centreId, actor) : inCourt(referrals.courtId, actor)
export const caseScope = (actor: Actor): SQL =>
  actor.centreId ? inCentre(cases.centreId, actor) : inCourt(cases.courtId, actor)

export async function findCase(db: Queryable, actor: Actor, id: string) {
  const [row] = await db.select().from(cases).where(and(eq(cases.id, id), caseScope(actor)))
  if (!row) throw notFound('case', id)
  return row
}

/**
 * Every change to a case starts here: the row is locked (SELECT … FOR UPDATE) for the rest of the
 * transaction, so state changes, bookings and suspensions of one case never interleave.
 */
export async function lockCase(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx.select().from(cases).where(and(eq(cases.id, id), caseScope(actor))).for('update')
  if (!row) throw notFound('case', id)
  return row
}

export type CaseRow = typeof cases.$inferSelect

/** Locks the case to record an intake, a signature or an agreement: allowed until the case has ended. */
export async function lockCaseForRecording(tx: Tx, actor: Actor, id: string) {
  const row = await lockCase(tx, actor, id)
  nextCaseStatus(row, 'record')
  return row
}

/** A refused transition as a 409 naming the current status and the actions that are allowed. */
export function invalidTransition<S extends string, A extends string>(result: Extract<Transition<S, A>, { ok: false }>) {
  return conflict('invalid-transition', result.message, { currentStatus: result.current, allowedActions: result.allowed })
}

/** The next status for an action on a case, or a 409. */
export function nextCaseStatus(row: CaseRow, action: CaseAction) {
  const result = caseTransition(row.status, action)
  if (!result.ok) throw invalidTransition(result)
  return result.next
}

/**
 * A party of this case who is an adult: intakes, signatures and agreements concern adults only.
 * A party of another case is as unknown as a missing one (404); a child is a 400 on the field.
 */
export async function requireAdultParty(db: Queryable, caseRow: CaseRow, partyId: string, pointer = '/partyId') {
  const [party] = await db.select().from(parties).where(and(eq(parties.id, partyId), eq(parties.caseId, caseRow.id)))
  if (!party) throw notFound('party of this case', partyId)
  if (party.role === 'child') {
    const detail = 'is a child; intakes, signatures and agreements are for the adult parties'
    throw invalidInput('body', pointer, detail)
  }
  return party
}
