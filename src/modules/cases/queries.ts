import { and, desc, eq, ne, or, sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { perConnection, type Queryable, type Tx } from '../../db/client.js'
import { agreementSignatures, agreements, cases, centres, intakes, parties, referrals, safetyProfiles, signatures, sites, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { caseTransition, type CaseAction } from '../../domain/case-lifecycle.js'
import { conflict, invalidInput, notFound } from '../../domain/errors.js'
import { assessReadiness, type MissingRequirement } from '../../domain/readiness.js'
import type { Transition } from '../../domain/referral-lifecycle.js'
import { inCentre, inCourt } from '../../db/scope.js'
import { documentInForceFor, documentsEffectiveAt } from '../documents/index.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'
import { withDefaults } from '../../domain/centre-settings.js'

/**
 * What the case services (and scheduling and referrals) share: finding and locking a case in the
 * caller's scope, its adult parties, its time zone, its current agreement and its readiness.
 */

/**
 * The cases an actor may read and act on. A token is scoped to one centre or to one court (never
 * both). A counsellor of a centre sees only the cases it works on: those it leads and those with a
 * visit it supervises (of any status: a cancelled visit may still carry its observations). Everything that reads or
 * changes case data filters through this, so a counsellor's other cases answer 404.
 */
export function caseScope(actor: Actor): SQL {
  if (!actor.centreId) return inCourt(cases.courtId, actor)
  if (seesWholeCentre(actor)) return inCentre(cases.centreId, actor)
  // A counsellor token without a counsellor works on nothing, so it sees nothing.
  if (!actor.counsellorId) return sql`false`
  const supervises = sql`exists (select 1 from ${visits} where ${visits.caseId} = ${cases.id} and ${actor.counsellorId}::uuid = any(${visits.counsellorIds}))`
  return and(inCentre(cases.centreId, actor), or(eq(cases.leadCounsellorId, actor.counsellorId), supervises))!
}

/** Whether caseScope gives the actor every case of its centre (admin, staff, a centre's integration). */
const seesWholeCentre = (actor: Actor): actor is Actor & { centreId: string } => Boolean(actor.centreId) && actor.role !== 'counsellor'

/** A column holding a case id (of a series, a referral, …) restricted to the cases in the actor's scope. */
export const inCaseScope = (caseId: PgColumn, actor: Actor): SQL => sql`${caseId} in (select ${cases.id} from ${cases} where ${caseScope(actor)})`

/** Referrals follow their centre or court; a counsellor's, its cases' (it takes no part in deciding on a referral). */
export function referralScope(actor: Actor): SQL {
  if (!actor.centreId) return inCourt(referrals.courtId, actor)
  if (actor.role !== 'counsellor') return inCentre(referrals.centreId, actor)
  return and(inCentre(referrals.centreId, actor), inCaseScope(referrals.caseId, actor))!
}

export async function findCase(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.id, id), caseScope(actor)))
  if (!row) throw notFound('case', id)
  return row
}

/**
 * Every change to a case starts here: the row is locked (SELECT … FOR UPDATE) for the rest of the
 * transaction, so state changes, bookings and suspensions of one case never interleave.
 */
export async function lockCase(tx: Tx, actor: Actor, id: string) {
  const [row] = seesWholeCentre(actor)
    ? await lockInCentre(tx).execute({ id, centreId: actor.centreId })
    : await tx
        .select()
        .from(cases)
        .where(and(eq(cases.id, id), caseScope(actor)))
        .for('update')
  if (!row) throw notFound('case', id)
  return row
}

/** lockCase for an actor that sees its whole centre (every booking by admin or staff), prepared once per connection. */
const lockInCentre = perConnection((tx) =>
  tx
    .select()
    .from(cases)
    .where(and(eq(cases.id, sql.placeholder('id')), eq(cases.centreId, sql.placeholder('centreId'))))
    .for('update')
    .prepare('lock_case_in_centre'),
)

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

/** A party of this case; a party of another case is as unknown as a missing one (404). */
export async function requireParty(db: Queryable, caseRow: CaseRow, partyId: string) {
  const [party] = await db
    .select()
    .from(parties)
    .where(and(eq(parties.id, partyId), eq(parties.caseId, caseRow.id)))
  if (!party) throw notFound('party of this case', partyId)
  return party
}

/**
 * A party of this case who is an adult: signatures and agreements bind adults only (a child has
 * their own intake conversation, but signs nothing). A child is a 400 on the field.
 */
export async function requireAdultParty(db: Queryable, caseRow: CaseRow, partyId: string, pointer = '/partyId') {
  const party = await requireParty(db, caseRow, partyId)
  if (party.role === 'child') {
    const detail = 'is a child; signatures and agreements are for the adult parties'
    throw invalidInput('body', pointer, detail)
  }
  return party
}

/**
 * A column named with its table, for a correlated subquery: drizzle writes a column of the query's
 * only table without it, and inside the subquery the name would then be read as the inner table's.
 */
type QualifiedColumn = SQL
export const qualified = (table: string, column: string): QualifiedColumn => sql`${sql.identifier(table)}.${sql.identifier(column)}`

/** A court's request for a report (message m) still open: no progress report issued after it. */
const openReportRequest = sql`m.kind = 'report_request'
    and not exists (select 1 from reports p where p.referral_id = m.referral_id and p.kind = 'progress' and p.issued_at > m.created_at)`

/**
 * The due date of the referring court's open request for a report: a `report_request` message with
 * no progress report issued after it (the earliest, when there are several); null when none is open.
 */
export const reportDueOf = (referralId: QualifiedColumn) =>
  sql<string | null>`(select min(m.due_date) from court_messages m where m.referral_id = ${referralId} and ${openReportRequest})`

/**
 * The referrals with an open request for a report (the report worklist), found from the requests
 * (index court_messages_report_requests), not by asking every case a centre ever had.
 */
export const referralsWithReportDue = sql`(select m.referral_id from court_messages m where ${openReportRequest})`

/**
 * A hearing of the case's referral falls between `from` and `until` (local dates) and no progress
 * report was issued since the referral, or since the previous hearing date that has passed. Found
 * from the referrals with a hearing in the window (index on hearing_date), not by asking every case.
 */
export const hearingSoonWithoutReport = (referralId: QualifiedColumn, from: string, until: string) =>
  sql`${referralId} in (select r.id from referrals r where r.hearing_date >= ${from} and r.hearing_date <= ${until}
    and not exists (select 1 from reports p where p.referral_id = r.id and p.kind = 'progress' and p.issued_at >= greatest(r.submitted_at,
      (select max(d.day)::date::timestamp at time zone ${DEFAULT_TIME_ZONE}
        from court_messages m, unnest(array[m.hearing_date, m.previous_hearing_date]) as d(day)
        where m.referral_id = r.id and m.kind = 'hearing_date' and d.day < ${from}))))`

/** The case's safety profile as staff read it (empty until one is set), with the centre's minimum gap. */
export async function safetyProfileOf(db: Queryable, row: CaseRow) {
  const [profile] = await db.select().from(safetyProfiles).where(eq(safetyProfiles.caseId, row.id))
  const [centre] = await db.select({ settings: centres.settings }).from(centres).where(eq(centres.id, row.centreId))
  return {
    mustNotMeet: profile?.mustNotMeet ?? [],
    contactBans: profile?.contactBans ?? [],
    notes: profile?.notes ?? null,
    minimumGapMinutes: withDefaults(centre?.settings).minimumGapMinutes,
    updatedAt: profile?.updatedAt ?? null,
  }
}

/** The case's local calendar: its site's time zone, else the Belgian one. */
export async function caseTimeZone(db: Queryable, row: CaseRow): Promise<string> {
  if (!row.siteId) return DEFAULT_TIME_ZONE
  const [site] = await db.select({ timeZone: sites.timeZone }).from(sites).where(eq(sites.id, row.siteId))
  return site?.timeZone ?? DEFAULT_TIME_ZONE
}

/** The case's latest agreement version, with the parties who signed it. */
export async function currentAgreement(db: Queryable, caseId: string) {
  const [agreement] = await db.select().from(agreements).where(eq(agreements.caseId, caseId)).orderBy(desc(agreements.version)).limit(1)
  if (!agreement) return null
  const signed = await db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, agreement.id)).orderBy(agreementSignatures.id)
  return { ...agreement, signatures: signed }
}

export type CurrentAgreement = Awaited<ReturnType<typeof currentAgreement>>

/**
 * Loads what a case needs before contact and assesses it (see domain/readiness.ts). Documents are
 * those in force at `at` (default now), so a new version in force makes earlier signatures
 * insufficient. The booking gate calls this inside its transaction with checkIntake false. A caller
 * that already read the current agreement passes it, so it is not read twice.
 */
export async function loadReadiness(
  db: Queryable,
  caseRow: Pick<typeof cases.$inferSelect, 'id' | 'centreId'>,
  options: { at?: Date; checkIntake?: boolean; agreement?: CurrentAgreement } = {},
): Promise<{ ready: boolean; missing: MissingRequirement[] }> {
  const at = options.at ?? new Date()
  const caseId = caseRow.id
  // Sequential on purpose: inside a transaction these share one connection.
  const adults = await db
    .select({ id: parties.id, language: parties.language })
    .from(parties)
    .where(and(eq(parties.caseId, caseId), ne(parties.role, 'child')))
    .orderBy(parties.id)
  const intakeRows = await db.select({ partyId: intakes.partyId }).from(intakes).where(eq(intakes.caseId, caseId))
  const inForce = await documentsEffectiveAt(db, caseRow.centreId, at)
  const signed = await db.select({ partyId: signatures.partyId, documentId: signatures.documentId }).from(signatures).where(eq(signatures.caseId, caseId))
  const agreement = options.agreement !== undefined ? options.agreement : await currentAgreement(db, caseId)
  return readinessOf({
    adults,
    intakePartyIds: intakeRows.map((i) => i.partyId),
    inForce,
    signed,
    agreement: agreement && { id: agreement.id, version: agreement.version, signedPartyIds: agreement.signatures.map((s) => s.partyId) },
    checkIntake: options.checkIntake ?? true,
  })
}

/**
 * Readiness from what loadReadiness reads (the booking reads the same facts in one statement of its
 * own): per adult, the version of each document kind in force in their language.
 */
export function readinessOf(input: {
  adults: { id: string; language: string }[]
  intakePartyIds: string[]
  /** The centre's document versions in force, latest first. */
  inForce: Parameters<typeof documentInForceFor>[0]
  signed: { partyId: string; documentId: string }[]
  agreement: { id: string; version: number; signedPartyIds: string[] } | null
  checkIntake: boolean
}): { ready: boolean; missing: MissingRequirement[] } {
  const documentsInForce = input.adults.flatMap((party) =>
    (['house_rules', 'information'] as const).flatMap((kind) => {
      const document = documentInForceFor(input.inForce, kind, party.language)
      return document ? [{ partyId: party.id, kind, documentId: document.id, version: document.version }] : []
    }),
  )
  return assessReadiness({
    adultPartyIds: input.adults.map((p) => p.id),
    intakePartyIds: input.intakePartyIds,
    documentsInForce,
    signedDocumentIds: input.signed,
    agreement: input.agreement,
    checkIntake: input.checkIntake,
  })
}
