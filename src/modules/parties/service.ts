import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import {
  agreementSignatures,
  agreements,
  auditEvents,
  caseEvents,
  cases,
  intakes,
  parties,
  referralTransfers,
  referrals,
  signatures,
  suspensions,
  visitAttendances,
  visitObservations,
  visitOutcomes,
  visits,
} from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { notFound } from '../../domain/errors.js'
import { inCentre } from '../../http/scope.js'
import { audit } from '../audit/service.js'

/**
 * Everything the centre holds about one person, for their right of access: the rows as stored,
 * internal notes and every observation of their visits included. Some of it is about other people
 * too (the other parent, the child); the centre reviews it before handing it over.
 */
export async function exportParty(db: Queryable, actor: Actor, now: Date, partyId: string) {
  const [party] = await db
    .select()
    .from(parties)
    .where(and(eq(parties.id, partyId), inCentre(parties.centreId, actor)))
  if (!party) throw notFound('party', partyId)
  const [referral] = await db.select().from(referrals).where(eq(referrals.id, party.referralId))
  // A party belongs to its referral's case, also before its caseId was filled in.
  const [caseRow] = await db.select().from(cases).where(eq(cases.referralId, party.referralId))
  const caseId = caseRow?.id ?? null
  const ofCase = <T>(query: () => Promise<T[]>) => (caseId ? query() : Promise.resolve([]))

  const visitRows = await db
    .select()
    .from(visits)
    .where(sql`${party.id}::uuid = any(${visits.partyIds})`)
    .orderBy(asc(visits.startsAt))
  const visitIds = visitRows.map((v) => v.id)
  const ofVisits = <T>(query: () => Promise<T[]>) => (visitIds.length ? query() : Promise.resolve([]))
  const caseAgreements = await ofCase(() => db.select().from(agreements).where(eq(agreements.caseId, caseId!)).orderBy(asc(agreements.version)))

  const result = {
    exportedAt: now,
    party,
    referral: referral ?? null,
    referralTransfers: await db.select().from(referralTransfers).where(eq(referralTransfers.referralId, party.referralId)).orderBy(asc(referralTransfers.id)),
    case: caseRow ?? null,
    caseEvents: await ofCase(() => db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId!)).orderBy(asc(caseEvents.id))),
    suspensions: await ofCase(() => db.select().from(suspensions).where(eq(suspensions.caseId, caseId!)).orderBy(asc(suspensions.id))),
    intakes: await db.select().from(intakes).where(eq(intakes.partyId, party.id)).orderBy(asc(intakes.id)),
    signatures: await db.select().from(signatures).where(eq(signatures.partyId, party.id)).orderBy(asc(signatures.id)),
    agreements: caseAgreements,
    agreementSignatures: await db.select().from(agreementSignatures).where(eq(agreementSignatures.partyId, party.id)).orderBy(asc(agreementSignatures.id)),
    visits: visitRows,
    attendances: await db
      .select()
      .from(visitAttendances)
      .where(or(eq(visitAttendances.partyId, party.id), eq(visitAttendances.broughtByPartyId, party.id)))
      .orderBy(asc(visitAttendances.id)),
    // The outcomes of its visits, which include those naming it absent.
    outcomes: await ofVisits(() => db.select().from(visitOutcomes).where(inArray(visitOutcomes.visitId, visitIds)).orderBy(asc(visitOutcomes.id))),
    observations: await ofVisits(() =>
      db.select().from(visitObservations).where(inArray(visitObservations.visitId, visitIds)).orderBy(asc(visitObservations.id)),
    ),
    auditEvents: await db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.entityId, [party.id, party.referralId, ...(caseId ? [caseId] : [])]))
      .orderBy(asc(auditEvents.id)),
  }
  await audit(db, actor, { action: 'party.exported', entityType: 'party', entityId: party.id, centreId: party.centreId })
  return result
}
