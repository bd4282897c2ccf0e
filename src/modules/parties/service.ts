import { and, asc, eq, inArray, or, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import {
  agreementSignatures,
  agreements,
  auditEvents,
  caseEvents,
  cases,
  concernObservations,
  concernSteps,
  concerns,
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
import { invalidInput, notFound } from '../../domain/errors.js'
import { inCentre } from '../../db/scope.js'
import { audit } from '../../db/audit.js'

/**
 * What an access request leaves out by default, and on what ground (art. 15(4) GDPR: the right of
 * access must not adversely affect the rights of others). Stated in every default export, whether or
 * not the centre holds any such record: a count would tell a parent that a concern exists.
 */
const WITHHELD = [
  {
    category: 'concerns',
    ground:
      "Child-protection records (concerns and the steps taken on them) are the centre's internal records, under professional secrecy and the child's interest (art. 15(4) GDPR; art. 458bis Sw.).",
  },
  { category: 'child_statements', ground: "The child's own words belong to the child (art. 15(4) GDPR; the child's interest)." },
  {
    category: 'other_parties',
    ground: "Other people's personal data: their arrival and leave times, attendances and absences at the visits (art. 15(4) GDPR).",
  },
  { category: 'observations_about_others', ground: 'Observations that name another person of the case (art. 15(4) GDPR).' },
] as const

export interface ExportOptions {
  /** The admin releases what is withheld by default, with a reason that is recorded. */
  restricted?: { reason: string }
}

/** Whether a text names one of these people (their given or family name, as a word). */
function namesAnyone(text: string, names: readonly string[]): boolean {
  const words = new Set(text.toLocaleLowerCase().split(/[^\p{L}\p{N}'-]+/u))
  return names.some((name) =>
    name
      .toLocaleLowerCase()
      .split(/\s+/)
      .some((part) => part.length > 1 && words.has(part)),
  )
}

/**
 * Everything the centre holds about one person, for their right of access: the rows as stored. By
 * default it withholds what belongs to others (WITHHELD: concerns, the child's words, other people's
 * attendance, observations naming others) and says so; an admin may release the rest with a reason,
 * which the audit trail records.
 */
export async function exportParty(db: Queryable, actor: Actor, now: Date, partyId: string, options: ExportOptions = {}) {
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

  const restricted = options.restricted !== undefined
  // Everything below is found through the party's case (its visits, their attendances, its intakes and
  // signatures): by the case's indexes, not by a scan of every visit or attendance a centre ever held.
  const visitRows = await ofCase(() =>
    db
      .select()
      .from(visits)
      .where(and(eq(visits.caseId, caseId!), sql`${party.id}::uuid = any(${visits.partyIds})`))
      .orderBy(asc(visits.startsAt)),
  )
  const visitIds = visitRows.map((v) => v.id)
  const ofVisits = <T>(query: () => Promise<T[]>) => (visitIds.length ? query() : Promise.resolve([]))
  // Others of the case, whose names an observation may mention (a new partner's surname may be the party's own: only others' words count).
  const others = caseId
    ? await db
        .select({ givenName: parties.givenName, familyName: parties.familyName })
        .from(parties)
        .where(and(eq(parties.caseId, caseId), sql`${parties.id} <> ${party.id}`))
    : []
  const ownNames = new Set([party.givenName, party.familyName].flatMap((n) => (n ? n.toLocaleLowerCase().split(/\s+/) : [])))
  const otherNames = [...new Set(others.flatMap((o) => [o.givenName, o.familyName]).filter((n): n is string => Boolean(n)))].filter(
    (n) => !ownNames.has(n.toLocaleLowerCase()),
  )
  const observations = await ofVisits(() =>
    db.select().from(visitObservations).where(inArray(visitObservations.visitId, visitIds)).orderBy(asc(visitObservations.id)),
  )
  const outcomes = await ofVisits(() => db.select().from(visitOutcomes).where(inArray(visitOutcomes.visitId, visitIds)).orderBy(asc(visitOutcomes.id)))
  const own = or(eq(visitAttendances.partyId, party.id), eq(visitAttendances.broughtByPartyId, party.id))
  const ofCaseVisits = inArray(visitAttendances.visitId, db.select({ id: visits.id }).from(visits).where(eq(visits.caseId, caseId!)))
  const attendances = await ofCase(() =>
    db
      .select()
      .from(visitAttendances)
      .where(and(ofCaseVisits, restricted && visitIds.length ? or(own, inArray(visitAttendances.visitId, visitIds)) : own))
      .orderBy(asc(visitAttendances.id)),
  )
  const caseAgreements = await ofCase(() => db.select().from(agreements).where(eq(agreements.caseId, caseId!)).orderBy(asc(agreements.version)))

  const result = {
    exportedAt: now,
    party,
    referral: referral ?? null,
    referralTransfers: await db.select().from(referralTransfers).where(eq(referralTransfers.referralId, party.referralId)).orderBy(asc(referralTransfers.id)),
    case: caseRow ?? null,
    caseEvents: await ofCase(() => db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId!)).orderBy(asc(caseEvents.id))),
    suspensions: await ofCase(() => db.select().from(suspensions).where(eq(suspensions.caseId, caseId!)).orderBy(asc(suspensions.id))),
    intakes: await ofCase(() =>
      db
        .select()
        .from(intakes)
        .where(and(eq(intakes.caseId, caseId!), eq(intakes.partyId, party.id)))
        .orderBy(asc(intakes.id)),
    ),
    signatures: await ofCase(() =>
      db
        .select()
        .from(signatures)
        .where(and(eq(signatures.caseId, caseId!), eq(signatures.partyId, party.id)))
        .orderBy(asc(signatures.id)),
    ),
    agreements: caseAgreements,
    agreementSignatures: caseAgreements.length
      ? await db
          .select()
          .from(agreementSignatures)
          .where(
            and(
              inArray(
                agreementSignatures.agreementId,
                caseAgreements.map((a) => a.id),
              ),
              eq(agreementSignatures.partyId, party.id),
            ),
          )
          .orderBy(asc(agreementSignatures.id))
      : [],
    // Its visits; by default each with the party's own arrival and leave times only.
    visits: restricted ? visitRows : visitRows.map((v) => ({ ...v, arrivals: v.arrivals.filter((a) => a.partyId === party.id) })),
    // Its own check-ins and those of a child it brought (restricted: everyone's at its visits).
    attendances,
    // The outcomes of its visits; by default a no-show names only this party among the absent.
    outcomes: restricted ? outcomes : outcomes.map((o) => ({ ...o, absentPartyIds: o.absentPartyIds.filter((id) => id === party.id) })),
    observations: restricted ? observations : observations.filter((o) => o.kind !== 'child_statement' && !namesAnyone(o.text, otherNames)),
    auditEvents: await db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.entityId, [party.id, party.referralId, ...(caseId ? [caseId] : [])]))
      .orderBy(asc(auditEvents.id)),
    ...(restricted ? { concerns: await ofCase(() => concernsOf(db, caseId!)) } : {}),
    withheld: restricted ? [] : WITHHELD.map((w) => ({ ...w })),
  }
  await audit(
    db,
    actor,
    restricted
      ? { action: 'party.exported_restricted', entityType: 'party', entityId: party.id, centreId: party.centreId, reason: options.restricted!.reason }
      : { action: 'party.exported', entityType: 'party', entityId: party.id, centreId: party.centreId },
  )
  return result
}

/** A case's concerns, each with its steps and the observations it rests on (released only in a restricted export). */
async function concernsOf(db: Queryable, caseId: string) {
  const rows = await db.select().from(concerns).where(eq(concerns.caseId, caseId)).orderBy(asc(concerns.id))
  if (!rows.length) return []
  const ids = rows.map((r) => r.id)
  const steps = await db.select().from(concernSteps).where(inArray(concernSteps.concernId, ids)).orderBy(asc(concernSteps.id))
  const links = await db.select().from(concernObservations).where(inArray(concernObservations.concernId, ids))
  return rows.map((r) => ({
    ...r,
    steps: steps.filter((s) => s.concernId === r.id),
    observationIds: links.filter((l) => l.concernId === r.id).map((l) => l.observationId),
  }))
}

/** The query of an export: `include=restricted` needs a reason. */
export function exportOptions(query: { include?: 'restricted'; reason?: string }): ExportOptions {
  if (query.include !== 'restricted') {
    if (query.reason !== undefined) throw invalidInput('query', '/reason', 'applies only with include=restricted')
    return {}
  }
  if (!query.reason?.trim())
    throw invalidInput('query', '/reason', 'is required with include=restricted: say why the withheld records are released (it is recorded in the audit trail)')
  return { restricted: { reason: query.reason.trim() } }
}
