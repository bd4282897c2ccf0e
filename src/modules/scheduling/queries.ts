import { and, count, eq, gt, gte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Queryable } from '../../db/client.js'
import { counsellorAbsences, counsellors, parties, sites, suspensions, visits, type CentreSettings } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import type { BookingRules } from '../../domain/booking-rules.js'
import { conflict } from '../../domain/errors.js'
import type { CaseStatus, PartySide, VisitKind } from '../../domain/vocabulary.js'
import { cursorParts, decodeCursor, encodeCursor } from '../../http/pagination.js'
import { inCentre } from '../../http/scope.js'
import type { CaseRow } from '../cases/access.js'
import { currentAgreement, loadReadiness, type CurrentAgreement } from '../cases/readiness.js'
import { referrerVisitScope } from '../referrer-view/view.js'

/** What booking, changing and searching for visits read alike: scope, the booking gate and the rules a slot is judged by. */

export type VisitRow = typeof visits.$inferSelect

/**
 * Visits the actor may see: a counsellor those it supervises, the rest of a centre every visit of
 * the centre, a court token those of its court's cases in the referrer view.
 */
export function visitScope(actor: Actor): SQL {
  if (!actor.centreId) return referrerVisitScope(actor)
  if (actor.role === 'counsellor') {
    // A counsellor token without a counsellor supervises nothing, so it sees nothing.
    if (!actor.counsellorId) return sql`false`
    return and(inCentre(visits.centreId, actor), sql`${actor.counsellorId}::uuid = any(${visits.counsellorIds})`)!
  }
  return inCentre(visits.centreId, actor)
}

/** Keyset cursor for visits, which are listed by start time. */
export const visitCursor = {
  encode: (row: VisitRow) => encodeCursor(row.startsAt.toISOString(), row.id),
  decode(cursor: string): SQL {
    const [at, id] = decodeCursor(cursor, [cursorParts.instant, cursorParts.uuid]) as [string, string]
    return or(gt(visits.startsAt, new Date(at)), and(eq(visits.startsAt, new Date(at)), gt(visits.id, id)))!
  },
}

/**
 * A case may only be booked when it is active and every adult has signed what is in force (the booking
 * gate). Returns the current agreement it read (null for a conversation, which needs none), for the rules.
 */
export async function checkGate(db: Queryable, caseRow: CaseRow, kind: VisitKind): Promise<CurrentAgreement> {
  const bookable: CaseStatus[] = kind === 'conversation' ? ['intake', 'active', 'suspended'] : ['active', 'suspended']
  if (caseRow.status === 'ended') throw conflict('case-ended', 'The case has ended; nothing can be booked for it.')
  // Intake and evaluation conversations need no signatures: they are how parties come to sign.
  if (kind === 'conversation') return null
  const agreement = await currentAgreement(db, caseRow.id)
  const readiness = await loadReadiness(db, caseRow, { checkIntake: false, agreement })
  if (!bookable.includes(caseRow.status) || !readiness.ready) {
    const missing = readiness.missing
    const what = missing.map((m) => `party ${m.partyId} has not signed the ${m.requirement.replace('_', ' ')}${m.version ? ` (version ${m.version})` : ''}`)
    throw conflict(
      'booking-gate',
      caseRow.status === 'intake'
        ? `The case is still in intake: activate it before booking visits${what.length ? `; ${what.join('; ')}` : ''}.`
        : `No visit can be booked until every adult party has signed the documents in force and the agreement: ${what.join('; ')}.`,
      { missing, caseStatus: caseRow.status },
    )
  }
  return agreement
}

const minDate = (a: string | null, b: string) => (a !== null && a < b ? a : b)

export interface CaseRules {
  plannedEndDate: string | null
  agreement: BookingRules['agreement']
  suspensions: BookingRules['suspensions']
  /** Visits already counting against the agreement's maxVisits. */
  visitsCounted: number
  /** Visits created since then count against maxVisits (the current agreement's creation); null without a limit. */
  agreementSince: Date | null
}

/**
 * The case's own limits for a booking of `kind`: its planned end, its suspensions (as local date
 * ranges in `timeZone`), the agreement's kinds, validUntil and maxVisits (`current`, as the gate read
 * it), and how many visits already count against maxVisits. Reads only: the booking locks the case
 * first, availability does not.
 */
export async function loadCaseRules(db: Queryable, caseRow: CaseRow, kind: VisitKind, timeZone: string, current: CurrentAgreement): Promise<CaseRules> {
  const agreement = kind === 'conversation' ? null : current
  let visitsCounted = 0
  if (agreement?.maxVisits != null) {
    const [row] = await db
      .select({ n: count() })
      .from(visits)
      .where(
        and(
          eq(visits.caseId, caseRow.id),
          ne(visits.kind, 'conversation'),
          notInArray(visits.status, ['cancelled', 'entered-in-error']),
          gte(visits.createdAt, agreement.createdAt),
        ),
      )
    visitsCounted = row!.n
  }
  const suspensionRows = await db.select().from(suspensions).where(eq(suspensions.caseId, caseRow.id))
  return {
    plannedEndDate: caseRow.plannedEndDate,
    agreement: agreement && { kinds: agreement.kinds, validUntil: agreement.validUntil, maxVisits: agreement.maxVisits },
    // A suspension resumed early ends on the day it was resumed.
    suspensions: suspensionRows.map((s) => ({
      from: s.fromDate,
      until: s.resumedAt ? minDate(s.untilDate, DateTime.fromJSDate(s.resumedAt, { zone: timeZone }).toISODate()!) : s.untilDate,
    })),
    visitsCounted,
    agreementSince: agreement?.maxVisits != null ? agreement.createdAt : null,
  }
}

const SIDE_OF_ROLE: Record<string, PartySide | 'child'> = {
  child: 'child',
  visiting_parent: 'visiting',
  visiting_grandparent: 'visiting',
  visiting_sibling: 'visiting',
  visiting_third_party: 'visiting',
  residing_parent: 'residing',
  residing_other: 'residing',
}

/** The case's people (children included) with the side they are on, in a stable order. */
export async function casePeople(db: Queryable, caseId: string): Promise<{ partyId: string; role: string; side: PartySide | 'child' }[]> {
  const rows = await db.select({ id: parties.id, role: parties.role }).from(parties).where(eq(parties.caseId, caseId)).orderBy(parties.id)
  return rows.map((p) => ({ partyId: p.id, role: p.role, side: SIDE_OF_ROLE[p.role]! }))
}

type SiteRow = typeof sites.$inferSelect
type CounsellorRow = typeof counsellors.$inferSelect
type AbsenceRow = typeof counsellorAbsences.$inferSelect

/**
 * The calendar rules a slot is judged by, built one way for a booking and for a search: the site's
 * hours and closures (none for an outside visit), each counsellor's hours and absences, and, for a
 * case, its own limits.
 */
export function bookingRules(input: {
  kind: VisitKind
  site: SiteRow
  settings: CentreSettings
  counsellors: CounsellorRow[]
  absences: AbsenceRow[]
  caseRules: CaseRules | null
}): BookingRules {
  const { kind, site, settings, caseRules } = input
  return {
    kind,
    timeZone: site.timeZone,
    site: kind === 'outside_visit' ? undefined : { openingHours: site.openingHours, closures: site.closures, holidayOptOuts: settings.holidayOptOuts },
    counsellors: input.counsellors.map((c) => ({
      id: c.id,
      workingHours: c.workingHours,
      absences: input.absences.filter((a) => a.counsellorId === c.id).map((a) => ({ from: a.startsAt, until: a.endsAt })),
    })),
    plannedEndDate: caseRules?.plannedEndDate ?? null,
    suspensions: caseRules?.suspensions ?? [],
    agreement: caseRules?.agreement ?? null,
  }
}
