import { and, asc, eq, gte, inArray, lt, notInArray } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { cases, counsellors, parties, referrals, rooms, safetyProfiles, sites, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import type { VisitStatus } from '../../domain/vocabulary.js'
import { inCentre } from '../../db/scope.js'
import { visitScope } from '../scheduling/index.js'

/**
 * What the day sheet reads. Each lookup selects only the columns the sheet prints, so a family name,
 * a birth date, contact details or an address are never even loaded.
 */

/** The site in the actor's centre, or undefined. */
export async function siteInScope(db: Queryable, actor: Actor, siteId: string) {
  const [row] = await db
    .select({ id: sites.id, name: sites.name, timeZone: sites.timeZone, centreId: sites.centreId })
    .from(sites)
    .where(and(eq(sites.id, siteId), inCentre(sites.centreId, actor)))
  return row
}

/**
 * A printed sheet lists who will come (or came): a cancelled visit would send the front desk looking
 * for a family that is not coming, and an entry in error never was a visit. Visits that happened
 * (arrived, fulfilled, no-show, interrupted) stay, with their status, so a sheet printed late in the
 * day still accounts for the whole day.
 */
const LEFT_OFF: VisitStatus[] = ['cancelled', 'entered-in-error']

/** The site's visits starting in [from, to) that the actor may see (a counsellor: those it supervises), by start. */
export function visitsStarting(db: Queryable, actor: Actor, siteId: string, from: Date, to: Date) {
  return db
    .select({
      id: visits.id,
      caseId: visits.caseId,
      kind: visits.kind,
      status: visits.status,
      roomId: visits.roomId,
      counsellorIds: visits.counsellorIds,
      partyIds: visits.partyIds,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      arrivals: visits.arrivals,
      purpose: visits.purpose,
      location: visits.location,
      interpreter: visits.interpreter,
    })
    .from(visits)
    .where(and(visitScope(actor), eq(visits.siteId, siteId), gte(visits.startsAt, from), lt(visits.startsAt, to), notInArray(visits.status, LEFT_OFF)))
    .orderBy(asc(visits.startsAt), asc(visits.id))
}

/** Names of a centre's rooms, counsellors or sites by id, within the actor's centre: what a printed schedule shows. */
function namesIn(table: typeof rooms | typeof counsellors | typeof sites) {
  return (db: Queryable, actor: Actor, ids: string[]): Promise<{ id: string; name: string }[]> =>
    ids.length
      ? db
          .select({ id: table.id, name: table.name })
          // drizzle's from() takes one table type; the three share the selected columns.
          .from(table as typeof rooms)
          .where(and(inArray(table.id, ids), inCentre(table.centreId, actor)))
      : Promise.resolve([])
}

export const roomNames = namesIn(rooms)
export const counsellorNames = namesIn(counsellors)
export const siteNames = namesIn(sites)

/** First names and roles only. */
export const partyFirstNames = (db: Queryable, actor: Actor, ids: string[]) =>
  ids.length
    ? db
        .select({ id: parties.id, role: parties.role, givenName: parties.givenName })
        .from(parties)
        .where(and(inArray(parties.id, ids), inCentre(parties.centreId, actor)))
    : []

/** Each case's referral's roll number (courtReference), the reference the cases show. */
export const courtReferences = (db: Queryable, actor: Actor, caseIds: string[]) =>
  caseIds.length
    ? db
        .select({ caseId: cases.id, dossierNumber: cases.dossierNumber, courtReference: referrals.courtReference })
        .from(cases)
        .innerJoin(referrals, eq(referrals.id, cases.referralId))
        .where(and(inArray(cases.id, caseIds), inCentre(cases.centreId, actor)))
    : []

/** The pairs each case's safety profile keeps apart: the sheet flags a visit they both attend, and prints none of the profile's texts. */
export const pairsKeptApart = (db: Queryable, actor: Actor, caseIds: string[]) =>
  caseIds.length
    ? db
        .select({ caseId: safetyProfiles.caseId, mustNotMeet: safetyProfiles.mustNotMeet })
        .from(safetyProfiles)
        .innerJoin(cases, eq(cases.id, safetyProfiles.caseId))
        .where(and(inArray(safetyProfiles.caseId, caseIds), inCentre(cases.centreId, actor)))
    : []
