import { and, asc, eq } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Queryable, Tx } from '../../db/client.js'
import { cases, centres, counsellors, courts, parties, referrals, referralTransfers, sites } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidFields, invalidInput, notFound, unprocessable, type FieldError } from '../../domain/errors.js'
import { isTransferable, TRANSFERABLE_REFERRAL_STATUSES, type ReferralAction } from '../../domain/referral-lifecycle.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { inCentre } from '../../db/scope.js'
import { audit } from '../../db/audit.js'
import { referralScope } from '../cases/index.js'
import { addEvent, renderCase } from '../cases/index.js'
import { seesReferrerView } from '../referrer-view/index.js'
import { requireReason } from '../reason-codes/index.js'
import { issueReport } from '../reports/index.js'
import { findReferral, lockReferral, type ReferralRow } from './queries.js'
import type { AcceptBody, RefuseBody, ReferralCreate, ReferralQuery, ReturnBody, TransferBody, WaitlistBody, WithdrawBody } from './schemas.js'
import { referralDefects } from './validation.js'
import { referralsFor, renderReferrals } from './views.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'
import { personKeySecret } from '../../db/person-key.js'
import { nationalNumberDigits, personKey } from '../../domain/person-key.js'

/**
 * Referrals: a referrer submits one, the centre waitlists, accepts (which opens the case), refuses
 * or returns it, and the referrer or the centre may withdraw it before a decision.
 */

/** Dates in a referral (decision, birth) are judged against today in Belgium, where the courts are. */

/** A body field naming a record that does not exist or may not be used: 422 on that field. */
const unusable = (code: string, pointer: string, detail: string) =>
  unprocessable(code, `${pointer.slice(1)} ${detail}.`, { errors: [{ in: 'body', pointer, detail }] })

const recordAudit = (tx: Tx, actor: Actor, row: ReferralRow, action: string) =>
  audit(tx, actor, { action: `referral.${action}`, entityType: 'referral', entityId: row.id, centreId: row.centreId, courtId: row.courtId })

async function referralFor(db: Queryable, actor: Actor, row: ReferralRow, now: Date) {
  return (await referralsFor(db, actor, [row], now))[0]!
}

/**
 * Every defect of a submitted body in one 400: what the schema found (`schemaDefects`) and the
 * checks a schema cannot express. The body is not trusted here: the schema may have failed.
 */
export function checkSubmission(actor: Actor, now: Date, body: unknown, schemaDefects: FieldError[]) {
  const today = DateTime.fromJSDate(now, { zone: DEFAULT_TIME_ZONE }).toISODate()!
  const defects = [...schemaDefects, ...referralDefects(body, { today, byClerk: actor.role === 'clerk' })]
  if (defects.length > 0) throw invalidFields(defects)
}

/** A clerk refers for their own court (source court); centre staff register referrals for their own centre. */
export async function submitReferral(tx: Tx, actor: Actor, now: Date, input: ReferralCreate) {
  const byClerk = actor.role === 'clerk'
  if (actor.centreId && input.centreId !== actor.centreId)
    throw unusable('centre-not-yours', '/centreId', 'must be your own centre: centre staff register referrals for their own centre')
  const [centre] = await tx.select({ id: centres.id, active: centres.active }).from(centres).where(eq(centres.id, input.centreId))
  if (!centre || !centre.active) throw unusable('unknown-centre', '/centreId', `names no centre that takes referrals (${input.centreId}); check the id`)
  let courtId = input.courtId ?? null
  if (byClerk) {
    if (courtId && courtId !== actor.courtId)
      throw unusable('court-not-yours', '/courtId', 'must be your own court (or left out): a clerk refers for their own court')
    courtId = actor.courtId
  } else if (courtId) {
    const [court] = await tx.select({ id: courts.id }).from(courts).where(eq(courts.id, courtId))
    if (!court) throw unusable('unknown-court', '/courtId', `names no known court (${courtId})`)
  }
  const [row] = await tx
    .insert(referrals)
    .values({
      centreId: input.centreId,
      source: byClerk ? 'court' : input.source,
      legalFramework: input.legalFramework,
      courtId,
      courtReference: input.courtReference ?? null,
      decisionDate: input.decisionDate ?? null,
      hearingDate: input.hearingDate ?? null,
      requested: input.requested ?? {},
      reason: input.reason,
      submittedAt: now,
      submittedByTokenId: actor.tokenId,
    })
    .returning()
  const secret = await personKeySecret(tx)
  await tx.insert(parties).values(
    input.parties.map((p) => ({
      centreId: input.centreId,
      referralId: row!.id,
      role: p.role,
      givenName: p.givenName ?? null,
      familyName: p.familyName,
      birthDate: p.birthDate ?? null,
      language: p.language,
      contact: p.contact ?? {},
      confidentialAddress: p.confidentialAddress ?? false,
      interpreter: p.interpreter ?? null,
      gender: p.gender ?? 'unknown',
      postcode: p.postcode ?? null,
      ...identity(secret, p),
    })),
  )
  await recordAudit(tx, actor, row!, 'submitted')
  return referralFor(tx, actor, row!, now)
}

/** A named person's national number (digits only) and pseudonymous person key. */
function identity(secret: string, p: ReferralCreate['parties'][number]) {
  const nationalNumber = p.nationalNumber ? nationalNumberDigits(p.nationalNumber) : null
  return {
    nationalNumber,
    personKey: personKey(secret, { givenName: p.givenName ?? null, familyName: p.familyName, birthDate: p.birthDate ?? null, nationalNumber }),
  }
}

/** The referrals in the actor's scope, in submission order; `status: waitlisted` is the waiting list. */
export async function listReferrals(db: Queryable, actor: Actor, now: Date, query: ReferralQuery) {
  const rows = await db
    .select()
    .from(referrals)
    .where(and(referralScope(actor), query.status ? eq(referrals.status, query.status) : undefined, afterCursor(referrals.id, query.cursor)))
    .orderBy(asc(referrals.id))
    .limit(query.limit + 1)
  const page = toPage(rows, query.limit)
  return { items: await referralsFor(db, actor, page.items, now), nextCursor: page.nextCursor }
}

export async function getReferral(db: Queryable, actor: Actor, now: Date, id: string) {
  const row = await findReferral(db, actor, id)
  const view = await referralFor(db, actor, row, now)
  // The full view holds the parties' contact details and the internal notes; the referrer's view neither.
  if (!seesReferrerView(actor)) await audit(db, actor, { action: 'referral.read', entityType: 'referral', entityId: row.id, centreId: row.centreId })
  return view
}

/** A decision that changes the referral's status (and the given fields), audited, shown as the actor may see it. */
async function decide(
  tx: Tx,
  actor: Actor,
  now: Date,
  id: string,
  action: ReferralAction,
  values: (row: ReferralRow) => Promise<Partial<typeof referrals.$inferInsert>>,
) {
  const { row, next } = await lockReferral(tx, actor, id, action)
  const [updated] = await tx
    .update(referrals)
    .set({ status: next, ...(await values(row)) })
    .where(eq(referrals.id, row.id))
    .returning()
  await recordAudit(tx, actor, updated!, next)
  return referralFor(tx, actor, updated!, now)
}

/** On the waiting list: the family keeps its place in submission order. */
export const waitlistReferral = (tx: Tx, actor: Actor, now: Date, id: string, input: WaitlistBody) =>
  decide(tx, actor, now, id, 'waitlist', async () => ({ waitlistedAt: now, statusExplanation: input.explanation ?? null }))

/** Refused with a coded reason; the referrer's report is issued in the same transaction. */
export async function refuseReferral(tx: Tx, actor: Actor, now: Date, id: string, input: RefuseBody) {
  const referral = await decide(tx, actor, now, id, 'refuse', async (row) => {
    await requireReason(tx, row.centreId, ['refusal'], input.reasonCode)
    return { statusReasonCode: input.reasonCode, statusExplanation: input.explanation, statusCourtNote: input.courtNote ?? null, decidedAt: now }
  })
  await issueReport(tx, actor, now, { kind: 'referral_refused', referralId: referral.id })
  return referral
}

/** Back to the referrer, who completes it; an incomplete referral says what is missing. The referrer's report goes with it. */
export async function returnReferral(tx: Tx, actor: Actor, now: Date, id: string, input: ReturnBody) {
  if (input.reasonCode === 'incomplete_referral' && !input.missingItems?.length) {
    throw invalidInput('body', '/missingItems', 'must list what is missing when the reason is incomplete_referral')
  }
  const referral = await decide(tx, actor, now, id, 'return', async (row) => {
    await requireReason(tx, row.centreId, ['return'], input.reasonCode)
    return {
      statusReasonCode: input.reasonCode,
      statusExplanation: input.explanation,
      statusCourtNote: input.courtNote ?? null,
      missingItems: input.missingItems ?? [],
      decidedAt: now,
    }
  })
  await issueReport(tx, actor, now, { kind: 'referral_returned', referralId: referral.id })
  return referral
}

export const withdrawReferral = (tx: Tx, actor: Actor, now: Date, id: string, input: WithdrawBody) =>
  decide(tx, actor, now, id, 'withdraw', async () => ({ statusExplanation: input.explanation ?? null, decidedAt: now }))

/**
 * Accepting opens the case in intake, with the referral's parties and a lead counsellor of the
 * centre; a court-ordered case is fee-exempt.
 */
export async function acceptReferral(tx: Tx, actor: Actor, now: Date, id: string, input: AcceptBody) {
  const { row } = await lockReferral(tx, actor, id, 'accept')
  const [counsellor] = await tx
    .select({ id: counsellors.id, active: counsellors.active })
    .from(counsellors)
    .where(and(eq(counsellors.id, input.leadCounsellorId), inCentre(counsellors.centreId, actor)))
  if (!counsellor) throw notFound('counsellor', input.leadCounsellorId)
  if (!counsellor.active) throw unusable('counsellor-inactive', '/leadCounsellorId', 'is a deactivated counsellor')
  if (input.siteId) {
    const [site] = await tx
      .select({ id: sites.id, active: sites.active })
      .from(sites)
      .where(and(eq(sites.id, input.siteId), inCentre(sites.centreId, actor)))
    if (!site) throw notFound('site', input.siteId)
    if (!site.active) throw unusable('site-inactive', '/siteId', 'is a deactivated site')
  }
  const [caseRow] = await tx
    .insert(cases)
    .values({
      centreId: row.centreId,
      referralId: row.id,
      courtId: row.courtId,
      siteId: input.siteId ?? null,
      feeExempt: row.legalFramework === 'court_ordered',
      leadCounsellorId: input.leadCounsellorId,
    })
    .returning()
  await tx.update(parties).set({ caseId: caseRow!.id }).where(eq(parties.referralId, row.id))
  const [updated] = await tx.update(referrals).set({ status: 'accepted', decidedAt: now, caseId: caseRow!.id }).where(eq(referrals.id, row.id)).returning()
  await addEvent(tx, actor, now, caseRow!.id, { type: 'created', data: { referralId: row.id, leadCounsellorId: input.leadCounsellorId } })
  await recordAudit(tx, actor, updated!, 'accepted')
  await audit(tx, actor, { action: 'case.created', entityType: 'case', entityId: caseRow!.id, centreId: row.centreId, courtId: row.courtId })
  const [referral] = await renderReferrals(tx, [updated!], now)
  return { caseId: caseRow!.id, referral: referral!, case: await renderCase(tx, caseRow!, false) }
}

/**
 * The operator moves an undecided referral to another centre, e.g. one that serves the court's
 * district. The referral keeps its id and its court, so the court follows it as before; the
 * receiving centre gets it as a new submission, the sending centre no longer sees it, and the move
 * is kept in the referral's history. The operator is told where it went, never the family's data.
 */
export async function transferReferral(tx: Tx, actor: Actor, now: Date, id: string, input: TransferBody) {
  const [row] = await tx.select().from(referrals).where(eq(referrals.id, id)).for('update')
  if (!row) throw notFound('referral', id)
  if (!isTransferable(row.status)) {
    throw conflict(
      'referral-not-transferable',
      `The referral is ${row.status}; only a referral that is ${TRANSFERABLE_REFERRAL_STATUSES.join(' or ')} can be moved to another centre.`,
    )
  }
  if (input.centreId === row.centreId) throw invalidInput('body', '/centreId', 'is the centre the referral is already with')
  const [target] = await tx.select({ id: centres.id, active: centres.active }).from(centres).where(eq(centres.id, input.centreId))
  if (!target) throw unusable('centre-unknown', '/centreId', 'is not a centre of this installation')
  if (!target.active) throw unusable('centre-inactive', '/centreId', 'is a deactivated centre')
  const [updated] = await tx
    .update(referrals)
    .set({ centreId: target.id, status: 'submitted', waitlistedAt: null, statusExplanation: null })
    .where(eq(referrals.id, row.id))
    .returning()
  await tx.update(parties).set({ centreId: target.id }).where(eq(parties.referralId, row.id))
  const [transfer] = await tx
    .insert(referralTransfers)
    .values({
      referralId: row.id,
      fromCentreId: row.centreId,
      toCentreId: target.id,
      at: now,
      byTokenId: actor.tokenId,
      explanation: input.explanation ?? null,
    })
    .returning()
  // Both centres' trails show the move.
  await audit(tx, actor, [
    { action: 'referral.transferred_out', entityType: 'referral', entityId: row.id, centreId: row.centreId, courtId: row.courtId },
    { action: 'referral.transferred_in', entityType: 'referral', entityId: row.id, centreId: target.id, courtId: row.courtId },
  ])
  return { id: updated!.id, status: updated!.status, centreId: target.id, previousCentreId: row.centreId, transferredAt: transfer!.at }
}
