import { and, count, eq, gt, gte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { preparedRows, textArray, uuidArray, type Queryable } from '../../db/client.js'
import { counsellorAbsences, counsellors, documents, parties, safetyProfiles, sites, suspensions, visits, type CentreSettings } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import type { BookingRules } from '../../domain/booking-rules.js'
import { conflict } from '../../domain/errors.js'
import type { CaseStatus, PartySide, ResourceKind, VisitKind } from '../../domain/vocabulary.js'
import { cursorParts, decodeCursor, encodeCursor } from '../../db/pagination.js'
import { inCentre } from '../../db/scope.js'
import type { CaseRow } from '../cases/index.js'
import type { MissingRequirement } from '../../domain/readiness.js'
import { currentAgreement, loadReadiness, type CurrentAgreement } from '../cases/index.js'
import { referrerVisitScope } from '../referrer-view/index.js'
import { DAY_MS } from '../../domain/time.js'
import { withDefaults } from '../../domain/centre-settings.js'

/** What booking, changing and searching for visits read alike: scope, the booking gate and the rules a slot is judged by. */

export type VisitRow = typeof visits.$inferSelect

/** The columns a visit's view shows (visitView), and no more: lists read only these. */
export const visitViewColumns = {
  id: visits.id,
  caseId: visits.caseId,
  seriesId: visits.seriesId,
  kind: visits.kind,
  siteId: visits.siteId,
  roomId: visits.roomId,
  // As JSON: JSON.parse reads a list of uuids for a fraction of what the driver's array parser costs.
  counsellorIds: sql<string[]>`array_to_json(${visits.counsellorIds})`,
  partyIds: sql<string[]>`array_to_json(${visits.partyIds})`,
  timeZone: visits.timeZone,
  startsAt: visits.startsAt,
  endsAt: visits.endsAt,
  status: visits.status,
  arrivals: visits.arrivals,
  purpose: visits.purpose,
  location: visits.location,
  interpreter: visits.interpreter,
  cancelledBy: visits.cancelledBy,
  cancelledByPartyId: visits.cancelledByPartyId,
  cancelledLate: visits.cancelledLate,
  cancelReasonCode: visits.cancelReasonCode,
  cancelExplanation: visits.cancelExplanation,
  version: visits.version,
}
export type ViewedVisit = Pick<VisitRow, keyof typeof visitViewColumns>

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
  encode: (row: Pick<VisitRow, 'startsAt' | 'id'>) => encodeCursor(row.startsAt.toISOString(), row.id),
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
  if (caseRow.status === 'ended' || kind === 'conversation') return judgeGate(caseRow, kind, null)
  const agreement = await currentAgreement(db, caseRow.id)
  judgeGate(caseRow, kind, await loadReadiness(db, caseRow, { checkIntake: false, agreement }))
  return agreement
}

/**
 * The gate's verdict on what checkGate (or the booking's own read) found: throws the 409 that names
 * what is missing. `readiness` is not read for an ended case or a conversation.
 */
export function judgeGate(caseRow: CaseRow, kind: VisitKind, readiness: { ready: boolean; missing: MissingRequirement[] } | null): null {
  const bookable: CaseStatus[] = kind === 'conversation' ? ['intake', 'active', 'suspended'] : ['active', 'suspended']
  if (caseRow.status === 'ended') throw conflict('case-ended', 'The case has ended; nothing can be booked for it.')
  // Intake and evaluation conversations need no signatures: they are how parties come to sign.
  if (kind === 'conversation' || !readiness) return null
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
  return null
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
  return caseRulesOf(caseRow, timeZone, agreement, suspensionRows, visitsCounted)
}

/** CaseRules from the rows loadCaseRules reads (the booking reads them in one statement of its own). */
export function caseRulesOf(
  caseRow: Pick<CaseRow, 'plannedEndDate'>,
  timeZone: string,
  agreement: { kinds: VisitKind[]; validUntil: string | null; maxVisits: number | null; createdAt: Date } | null,
  suspensionRows: { fromDate: string; untilDate: string | null; resumedAt: Date | null }[],
  visitsCounted: number,
): CaseRules {
  return {
    plannedEndDate: caseRow.plannedEndDate,
    agreement: agreement && { kinds: agreement.kinds, validUntil: agreement.validUntil, maxVisits: agreement.maxVisits },
    // A suspension resumed early ends on the day it was resumed.
    suspensions: suspensionRows.map((s) => ({
      from: s.fromDate,
      until: s.resumedAt ? minDate(s.untilDate, DateTime.fromJSDate(s.resumedAt, { zone: timeZone }).toISODate()!) : s.untilDate,
    })),
    visitsCounted: agreement?.maxVisits != null ? visitsCounted : 0,
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

/** The side of the case a party's role puts them on. */
export const sideOfRole = (role: string): PartySide | 'child' => SIDE_OF_ROLE[role]!

/** The case's people (children included) with the side they are on, in a stable order. */
export async function casePeople(db: Queryable, caseId: string): Promise<{ partyId: string; role: string; side: PartySide | 'child' }[]> {
  const rows = await db.select({ id: parties.id, role: parties.role }).from(parties).where(eq(parties.caseId, caseId)).orderBy(parties.id)
  return rows.map((p) => ({ partyId: p.id, role: p.role, side: sideOfRole(p.role) }))
}

/** The pairs a case's safety profile keeps apart (none without a profile). */
export async function mustNotMeetOf(db: Queryable, caseId: string): Promise<[string, string][]> {
  const [row] = await db.select({ pairs: safetyProfiles.mustNotMeet }).from(safetyProfiles).where(eq(safetyProfiles.caseId, caseId))
  return row?.pairs ?? []
}

type SiteRow = Pick<typeof sites.$inferSelect, 'timeZone' | 'openingHours' | 'closures'>
type CounsellorRow = Pick<typeof counsellors.$inferSelect, 'id' | 'workingHours'>
type AbsenceRow = Pick<typeof counsellorAbsences.$inferSelect, 'counsellorId' | 'startsAt' | 'endsAt'>

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
  const absences = new Map<string, { from: Date; until: Date }[]>()
  for (const a of input.absences) {
    const list = absences.get(a.counsellorId)
    if (list) list.push({ from: a.startsAt, until: a.endsAt })
    else absences.set(a.counsellorId, [{ from: a.startsAt, until: a.endsAt }])
  }
  return {
    kind,
    timeZone: site.timeZone,
    site: kind === 'outside_visit' ? undefined : { openingHours: site.openingHours, closures: site.closures, holidayOptOuts: settings.holidayOptOuts },
    counsellors: input.counsellors.map((c) => ({ id: c.id, workingHours: c.workingHours, absences: absences.get(c.id) ?? [] })),
    plannedEndDate: caseRules?.plannedEndDate ?? null,
    suspensions: caseRules?.suspensions ?? [],
    agreement: caseRules?.agreement ?? null,
  }
}

/** Everything a booking judges by, read by loadBookingFacts in one statement. */
export interface BookingFacts {
  settings: CentreSettings
  room: { id: string; siteId: string; capacity: number; active: boolean } | null
  /** The room's site, the case's, and the centre's first active one: the booking picks one. */
  sites: { room: SiteFacts | null; case: SiteFacts | null; first: SiteFacts | null }
  counsellors: { id: string; active: boolean; workingHours: CounsellorWeek }[]
  absences: { counsellorId: string; startsAt: Date; endsAt: Date }[]
  /** The case's people in id order (joinedAt: added to the running case, as an ISO string). */
  parties: (Pick<typeof parties.$inferSelect, 'id' | 'role' | 'language'> & { joinedAt: string | null })[]
  /** The parties whose intake is recorded. */
  intakePartyIds: string[]
  /** The case's safety profile: the pairs it keeps apart. */
  mustNotMeet: [string, string][]
  /** The centre's document versions in force, latest first. */
  documents: Pick<typeof documents.$inferSelect, 'id' | 'kind' | 'language' | 'version' | 'effectiveFrom'>[]
  signatures: { partyId: string; documentId: string }[]
  agreement: {
    id: string
    version: number
    kinds: VisitKind[]
    validUntil: string | null
    maxVisits: number | null
    createdAt: Date
    signedPartyIds: string[]
  } | null
  suspensions: { fromDate: string; untilDate: string | null; resumedAt: Date | null }[]
  /** Visits counting against the agreement's maxVisits (created since the agreement, not cancelled). */
  visitsCounted: number
}

type SiteFacts = Pick<typeof sites.$inferSelect, 'id' | 'timeZone' | 'openingHours' | 'closures'>
type CounsellorWeek = (typeof counsellors.$inferSelect)['workingHours']

/** A row as JSON carries its instants as strings. */
type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] }
type WireFacts = Omit<BookingFacts, 'absences' | 'documents' | 'agreement' | 'suspensions'> & {
  absences: Wire<BookingFacts['absences'][number]>[]
  documents: Wire<BookingFacts['documents'][number]>[]
  agreement: Wire<NonNullable<BookingFacts['agreement']>> | null
  suspensions: Wire<BookingFacts['suspensions'][number]>[]
}

/**
 * The booking's reads in one round trip, after the case row is locked (so this statement's snapshot
 * already sees whatever a suspension or signature committed before the lock was granted): gate,
 * rules, the case's people, room, sites, counsellors and their absences. It also takes the room and
 * counsellor locks (see lockResources in booking.ts): they guard the reservations read after this
 * statement, not anything read by it.
 */
export async function loadBookingFacts(
  tx: Queryable,
  caseRow: CaseRow,
  request: { roomId?: string; counsellorIds: string[] },
  lockIds: string[],
  absencesFrom: Date,
  at: Date,
): Promise<BookingFacts> {
  const centreId = caseRow.centreId
  // Lists as one array parameter each: the statement's text is the same for every booking, so it is
  // parsed and planned once per connection (preparedRows).
  const counsellorIds = textArray(request.counsellorIds)
  const locks = textArray(lockIds)
  const site = (alias: string) =>
    sql.raw(`json_build_object('id', ${alias}.id, 'timeZone', ${alias}.time_zone, 'openingHours', ${alias}.opening_hours, 'closures', ${alias}.closures)`)
  const [row] = await preparedRows<{ facts: WireFacts }>(
    tx,
    'booking_facts',
    sql`
    with agreement as (
      select a.* from agreements a where a.case_id = ${caseRow.id} order by a.version desc limit 1
    ), room as (
      select r.* from rooms r where r.id = ${request.roomId ?? null}::uuid and r.centre_id = ${centreId}
    )
    select json_build_object(
      -- In the order of the ids as text, one order for every booking: see lockResources in booking.ts.
      'locked', (select count(*) from (select pg_advisory_xact_lock(hashtextextended(id, 0)) from unnest(${locks}) as l(id) order by id collate "C") l),
      'settings', (select c.settings from centres c where c.id = ${centreId}),
      'room', (select json_build_object('id', r.id, 'siteId', r.site_id, 'capacity', r.capacity, 'active', r.active) from room r),
      'sites', json_build_object(
        'room', (select ${site('s')} from sites s where s.id = (select site_id from room)),
        'case', (select ${site('s')} from sites s where s.id = ${caseRow.siteId}::uuid),
        'first', (select ${site('s')} from sites s where s.centre_id = ${centreId} and s.active order by s.id limit 1)),
      'counsellors', (select coalesce(json_agg(json_build_object('id', k.id, 'active', k.active, 'workingHours', k.working_hours)), '[]')
        from counsellors k where k.id::text = any(${counsellorIds}) and k.centre_id = ${centreId}),
      'absences', (select coalesce(json_agg(json_build_object('counsellorId', b.counsellor_id, 'startsAt', b.starts_at, 'endsAt', b.ends_at)), '[]')
        from counsellor_absences b where b.counsellor_id::text = any(${counsellorIds}) and b.ends_at > ${absencesFrom.toISOString()}::timestamptz),
      'parties', (select coalesce(json_agg(json_build_object('id', p.id, 'role', p.role, 'language', p.language, 'joinedAt', p.joined_at) order by p.id), '[]')
        from parties p where p.case_id = ${caseRow.id}),
      'intakePartyIds', (select coalesce(json_agg(distinct i.party_id), '[]') from intakes i where i.case_id = ${caseRow.id}),
      'mustNotMeet', coalesce((select f.must_not_meet from safety_profiles f where f.case_id = ${caseRow.id}), '[]'),
      'documents', (select coalesce(json_agg(json_build_object('id', d.id, 'kind', d.kind, 'language', d.language, 'version', d.version, 'effectiveFrom', d.effective_from)
          order by d.effective_from desc, d.version desc), '[]')
        from documents d where d.centre_id = ${centreId} and d.effective_from <= ${at.toISOString()}::timestamptz),
      'signatures', (select coalesce(json_agg(json_build_object('partyId', g.party_id, 'documentId', g.document_id)), '[]')
        from signatures g where g.case_id = ${caseRow.id}),
      'agreement', (select json_build_object('id', a.id, 'version', a.version, 'kinds', a.kinds, 'validUntil', a.valid_until, 'maxVisits', a.max_visits,
          'createdAt', a.created_at, 'signedPartyIds', (select coalesce(json_agg(s.party_id order by s.id), '[]') from agreement_signatures s where s.agreement_id = a.id))
        from agreement a),
      'suspensions', (select coalesce(json_agg(json_build_object('fromDate', u.from_date, 'untilDate', u.until_date, 'resumedAt', u.resumed_at)), '[]')
        from suspensions u where u.case_id = ${caseRow.id}),
      'visitsCounted', (select count(*) from visits v, agreement a where a.max_visits is not null and v.case_id = ${caseRow.id}
        and v.kind <> 'conversation' and v.status not in ('cancelled', 'entered-in-error') and v.created_at >= a.created_at)
    ) as facts`,
  )
  const facts = row!.facts
  return {
    ...facts,
    settings: withDefaults(facts.settings),
    absences: facts.absences.map((a) => ({ ...a, startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt) })),
    documents: facts.documents.map((d) => ({ ...d, effectiveFrom: new Date(d.effectiveFrom) })),
    agreement: facts.agreement && { ...facts.agreement, createdAt: new Date(facts.agreement.createdAt) },
    suspensions: facts.suspensions.map((s) => ({ ...s, resumedAt: s.resumedAt === null ? null : new Date(s.resumedAt) })),
    visitsCounted: Number(facts.visitsCounted),
  }
}

/** What an availability search judges by, read by loadAvailabilityFacts in one statement. */
export interface AvailabilityFacts {
  /** The site, when it is one of the actor's centre. */
  site: (SiteRow & { id: string; centreId: string }) | null
  settings: CentreSettings | null
  /** The site's active rooms in id order, or the one room asked for (of any site of the centre); null for an outside visit. */
  rooms: { id: string; siteId: string; capacity: number; active: boolean }[] | null
  /** The centre's active counsellors in id order, or the one asked for. */
  counsellors: { id: string; active: boolean; workingHours: CounsellorWeek }[]
}

/**
 * An availability search's site, centre settings, rooms and counsellors in one round trip, each
 * scoped to the actor's centre. The caller judges what is missing in the order a reader would
 * (site, then room, then counsellor); absences come with each period's reservations (busyAround).
 */
export async function loadAvailabilityFacts(
  db: Queryable,
  actor: Actor,
  q: { siteId: string; kind: VisitKind; roomId?: string; counsellorId?: string },
): Promise<AvailabilityFacts> {
  const centreId = actor.centreId ?? null
  const rooms =
    q.kind === 'outside_visit'
      ? sql`null::json`
      : q.roomId
        ? sql`(select coalesce(json_agg(json_build_object('id', r.id, 'siteId', r.site_id, 'capacity', r.capacity, 'active', r.active)), '[]')
            from rooms r where r.id = ${q.roomId}::uuid and r.centre_id = ${centreId}::uuid)`
        : sql`(select coalesce(json_agg(json_build_object('id', r.id, 'siteId', r.site_id, 'capacity', r.capacity, 'active', r.active) order by r.id), '[]')
            from rooms r where r.site_id = ${q.siteId}::uuid and r.active)`
  const counsellorFilter = q.counsellorId ? sql`k.id = ${q.counsellorId}::uuid` : sql`k.active`
  // Counsellors mostly share a week of working hours: each distinct week comes once (compared as
  // the text kept beside the jsonb, which costs PostgreSQL far less than comparing or writing out
  // jsonb), and the counsellors who keep it share one object (findFreeSlots judges a week once per start).
  const [row] = await preparedRows<{ facts: Omit<AvailabilityFacts, 'counsellors'> & { counsellors: [string, boolean, number][] }; weeks: string }>(
    db,
    'availability_facts',
    sql`
    with k as (
      select k.id, k.active, k.working_hours_text as week from counsellors k where k.centre_id = ${centreId}::uuid and ${counsellorFilter}
    ), week as (
      select w.week, (row_number() over ()) - 1 as i from (select distinct week from k) w
    )
    select json_build_object(
      'site', (select json_build_object('id', s.id, 'centreId', s.centre_id, 'timeZone', s.time_zone, 'openingHours', s.opening_hours, 'closures', s.closures)
        from sites s where s.id = ${q.siteId}::uuid and s.centre_id = ${centreId}::uuid),
      'settings', (select c.settings from centres c where c.id = ${centreId}::uuid),
      'rooms', ${rooms},
      'counsellors', (select coalesce(json_agg(json_build_array(k.id, k.active, week.i) order by k.id), '[]') from k join week using (week))
    ) as facts,
    (select '[' || coalesce(string_agg(week.week, ',' order by week.i), '') || ']' from week) as weeks`,
  )
  const { counsellors, ...facts } = row!.facts
  const weeks = JSON.parse(row!.weeks) as CounsellorWeek[]
  return { ...facts, counsellors: counsellors.map(([id, active, week]) => ({ id, active, workingHours: weeks[week]! })) }
}

/**
 * A period's busy spans as flat lists of numbers, the instants in milliseconds after `base` (epoch
 * milliseconds): `reservations` holds [resource, place, start, end] per reservation and `absences`
 * [counsellor, start, end] per absence, where resource and counsellor are 1-based positions in the
 * lists busyAround was given.
 */
export interface BusySpans {
  base: number
  reservations: number[]
  absences: number[]
}

/**
 * Every active reservation of the resources, and every absence of the counsellors, overlapping
 * [lo, hi), in one statement. Reservations are read through the covering index reservations_by_start
 * (index-only): by resource, the starts from a day before `lo` (no reservation spans more than a day,
 * a check on the table says so). The overlap is said as `upper > lo` rather than `&&`: with `&&` the
 * planner takes the exclusion constraint's GiST index whenever the visibility map is not yet set (after
 * a bulk load, before autovacuum), which costs twice as much per reservation as the btree.
 * Each list comes as the text of a JSON array of numbers: a resource's position instead of its id,
 * and the seconds after `lo` as a float8 (date_part), which PostgreSQL computes and writes in a
 * fraction of the time of a numeric (extract): a few days' worth are small numbers, which JSON.parse
 * reads in a third of the time of thirteen-digit epoch milliseconds. float8 seconds hold the
 * microsecond exactly enough to round back to it (the nearest float8 to a microsecond count of a
 * month is within a millionth of it); milliseconds are then that count over 1000, the same number
 * the exact decimal would give. Building it costs PostgreSQL less than a JSON array per row, and
 * JSON.parse less than rows.
 * A named statement (preparedRows): its generic plan, which the server keeps after five executions
 * instead of planning each one, is the same index-only scan of reservations_by_start.
 */
export async function busyAround(
  db: Queryable,
  resources: { ids: string[]; kinds: ResourceKind[]; counsellorIds: string[] },
  lo: Date,
  hi: Date,
): Promise<BusySpans> {
  const base = lo.toISOString()
  const seconds = (column: string) => sql`date_part('epoch', ${sql.raw(column)} - ${base}::timestamptz)`
  const list = (items: SQL) => sql`'[' || coalesce(string_agg(concat_ws(',', ${items}), ','), '') || ']'`
  const [row] = await preparedRows<{ reservations: string; absences: string }>(
    db,
    'busy_around',
    sql`
    select
      (select ${list(sql`wanted.n, r.place, ${seconds('lower(r.during)')}, ${seconds('upper(r.during)')}`)}
        from unnest(${uuidArray(resources.ids)}, ${`{${resources.kinds.join(',')}}`}::text[]) with ordinality as wanted(id, kind, n)
        join reservations r on r.resource_id = wanted.id and r.resource_kind = wanted.kind and r.active
          and lower(r.during) >= ${new Date(lo.getTime() - DAY_MS).toISOString()}::timestamptz and lower(r.during) < ${hi.toISOString()}::timestamptz
          and upper(r.during) > ${lo.toISOString()}::timestamptz) as reservations,
      (select ${list(sql`wanted.n, ${seconds('b.starts_at')}, ${seconds('b.ends_at')}`)}
        from unnest(${uuidArray(resources.counsellorIds)}) with ordinality as wanted(id, n)
        join counsellor_absences b on b.counsellor_id = wanted.id
          and b.ends_at > ${lo.toISOString()}::timestamptz and b.starts_at < ${hi.toISOString()}::timestamptz) as absences`,
  )
  return {
    base: lo.getTime(),
    reservations: secondsToMs(JSON.parse(row!.reservations) as number[], 4, 2),
    absences: secondsToMs(JSON.parse(row!.absences) as number[], 3, 1),
  }
}

/** In a flat list of `stride` numbers per item, the two at `at` and after: seconds → milliseconds, to the microsecond. */
function secondsToMs(list: number[], stride: number, at: number): number[] {
  for (let i = at; i < list.length; i += stride) {
    list[i] = Math.round(list[i]! * 1e6) / 1000
    list[i + 1] = Math.round(list[i + 1]! * 1e6) / 1000
  }
  return list
}
