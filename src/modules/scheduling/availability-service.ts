import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { rawRows, uuidArray, type Queryable } from '../../db/client.js'
import { centres, counsellorAbsences, counsellors, rooms, sites } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { findFreeSlots, type FreeSlot, type Span } from '../../domain/availability.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { computeStagger } from '../../domain/stagger.js'
import type { PartySide } from '../../domain/vocabulary.js'
import { formatInstant } from '../../domain/zones.js'
import { cursorParts, decodeCursor, encodeCursor } from '../../http/pagination.js'
import { inCentre } from '../../http/scope.js'
import { parseTime } from '../../http/times.js'
import { findCase } from '../cases/access.js'
import { bookingRules, casePeople, checkGate, loadCaseRules, type CaseRules } from './queries.js'
import { MAX_WINDOW_DAYS, type AvailabilityQuery } from './schemas.js'

/**
 * Free slots at a site: every start on the local grid with a room place and counsellors free for
 * the whole staggered span, judged by the same rules as a booking. Reads only and locks nothing:
 * a slot listed here can still be taken before it is booked.
 */

const DAY_MS = 86_400_000
// Reservations and absences this far around the window can still touch a slot's span
// (a span is at most 720 minutes of contact plus 2 × 120 minutes of staggering).
const MARGIN_MS = DAY_MS

const queryError = (pointer: string, detail: string) => invalidInput('query', pointer, detail)

// Slots are listed by start and room; an outside visit's slots have no room ('-').
const cursorOf = (start: Date, roomId: string | null) => encodeCursor(start.toISOString(), roomId ?? '-')
function afterOf(cursor: string): { start: Date; roomId: string | null } {
  const [at, room] = decodeCursor(cursor, [cursorParts.instant, (part) => part === '-' || cursorParts.uuid(part)]) as [string, string]
  return { start: new Date(at), roomId: room === '-' ? null : room }
}

type Site = typeof sites.$inferSelect

/** The rooms searched: the one asked for, or every active room of the site; none for an outside visit. */
async function candidateRooms(db: Queryable, actor: Actor, site: Site, q: AvailabilityQuery): Promise<{ id: string; capacity: number }[] | null> {
  if (q.kind === 'outside_visit') {
    if (q.roomId) throw queryError('/roomId', 'must be absent for an outside visit (it takes place outside the centre)')
    return null
  }
  if (!q.roomId) {
    return db
      .select({ id: rooms.id, capacity: rooms.capacity })
      .from(rooms)
      .where(and(eq(rooms.siteId, site.id), eq(rooms.active, true)))
      .orderBy(asc(rooms.id))
  }
  const [room] = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.id, q.roomId), inCentre(rooms.centreId, actor)))
  if (!room) throw notFound('room', q.roomId)
  if (room.siteId !== site.id) throw queryError('/roomId', 'is a room of another site')
  if (!room.active) throw queryError('/roomId', 'is a deactivated room')
  return [{ id: room.id, capacity: room.capacity }]
}

/** The counsellors searched: the one asked for, or every active counsellor of the centre. */
async function candidateCounsellors(db: Queryable, actor: Actor, q: AvailabilityQuery) {
  const rows = await db
    .select({ id: counsellors.id, active: counsellors.active, workingHours: counsellors.workingHours })
    .from(counsellors)
    .where(and(inCentre(counsellors.centreId, actor), q.counsellorId ? eq(counsellors.id, q.counsellorId) : eq(counsellors.active, true)))
    .orderBy(asc(counsellors.id))
  if (q.counsellorId) {
    if (rows.length === 0) throw notFound('counsellor', q.counsellorId)
    if (!rows[0]!.active) throw queryError('/counsellorId', 'is a deactivated counsellor')
  }
  return rows
}

/** With a case: its people (for staggering and their own reservations) and its rules, after the booking gate. */
async function caseOf(
  db: Queryable,
  actor: Actor,
  q: AvailabilityQuery,
  zone: string,
): Promise<{ people: { partyId: string; side: PartySide | 'child' }[]; caseRules: CaseRules | null }> {
  if (!q.caseId) {
    // Without a case, reserve as for a family with both sides (the longer, staggered span).
    const people =
      q.kind === 'conversation'
        ? [{ partyId: 'visiting', side: 'visiting' as const }]
        : [
            { partyId: 'visiting', side: 'visiting' as const },
            { partyId: 'residing', side: 'residing' as const },
          ]
    return { people, caseRules: null }
  }
  const caseRow = await findCase(db, actor, q.caseId)
  const caseRules = await loadCaseRules(db, caseRow, q.kind, zone, await checkGate(db, caseRow, q.kind))
  const all = await casePeople(db, caseRow.id)
  // A conversation is with the adults (as a booking invites them by default); a visit involves everyone.
  return { people: q.kind === 'conversation' ? all.filter((p) => p.side !== 'child') : all, caseRules }
}

/** A reservation as [resource kind, resource id, place, start, end], the instants in epoch milliseconds. */
type ReservationSpan = ['room' | 'counsellor' | 'party', string, number, number, number]

/**
 * Every active reservation of the resources overlapping [lo, hi), as spans in epoch milliseconds, in
 * one query. It reads the covering index reservations_by_start (index-only): by resource, the starts
 * from a day before `lo` (no reservation spans more than a day, a check on the table says so). The
 * rows come as one JSON array: a thousand rows parsed by JSON.parse cost a fraction of a thousand
 * rows parsed one by one by the driver.
 */
async function reservationsAround(db: Queryable, resourceIds: string[], lo: Date, hi: Date): Promise<ReservationSpan[]> {
  if (resourceIds.length === 0) return []
  const [row] = await rawRows<{ spans: ReservationSpan[] }>(
    db,
    sql`
    select coalesce(json_agg(json_build_array(r.resource_kind, r.resource_id, r.place,
      extract(epoch from lower(r.during)) * 1000, extract(epoch from upper(r.during)) * 1000)), '[]') as spans
    from unnest(${uuidArray(resourceIds)}) as wanted(id)
    join reservations r on r.resource_id = wanted.id and r.active
      and lower(r.during) >= ${new Date(lo.getTime() - DAY_MS).toISOString()}::timestamptz and lower(r.during) < ${hi.toISOString()}::timestamptz
      and r.during && tstzrange(${lo.toISOString()}::timestamptz, ${hi.toISOString()}::timestamptz, '[)')`,
  )
  return row!.spans
}

/** The reservations of a period sorted out by resource, as findFreeSlots takes them. */
function busyOf(reservations: ReservationSpan[], roomRows: { id: string; capacity: number }[] | null, withCase: boolean) {
  const counsellorBusy = new Map<string, Span[]>()
  const roomBusy = new Map<string, (Span & { place: number })[]>()
  const partyBusy: Span[] = []
  for (const [kind, resourceId, place, start, end] of reservations) {
    if (kind === 'counsellor') {
      const list = counsellorBusy.get(resourceId)
      if (list) list.push({ start, end })
      else counsellorBusy.set(resourceId, [{ start, end }])
    } else if (kind === 'room') {
      const list = roomBusy.get(resourceId)
      if (list) list.push({ start, end, place })
      else roomBusy.set(resourceId, [{ start, end, place }])
    } else if (withCase) partyBusy.push({ start, end })
  }
  return { counsellorBusy, partyBusy, rooms: roomRows && roomRows.map((room) => ({ ...room, busy: roomBusy.get(room.id) ?? [] })) }
}

/** A page of free slots for the query, with instants in the site's zone. */
export async function findAvailability(db: Queryable, actor: Actor, q: AvailabilityQuery) {
  const [site] = await db
    .select()
    .from(sites)
    .where(and(eq(sites.id, q.siteId), inCentre(sites.centreId, actor)))
  if (!site) throw notFound('site', q.siteId)
  const zone = site.timeZone
  const from = parseTime(q.from, zone, { in: 'query', pointer: '/from', dates: true })
  const to = parseTime(q.to, zone, { in: 'query', pointer: '/to', dates: true })
  if (to <= from) throw queryError('/to', 'must be after from')
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS)
    throw queryError('/to', `must be at most ${MAX_WINDOW_DAYS} days after from; ask for the next period in another request`)
  const after = q.cursor ? afterOf(q.cursor) : undefined

  const [centre] = await db.select({ settings: centres.settings }).from(centres).where(eq(centres.id, site.centreId))
  const settings = centre!.settings
  const stagger = {
    ...settings.stagger,
    ...(q.firstToArrive !== undefined && { firstToArrive: q.firstToArrive }),
    ...(q.arrivalGapMinutes !== undefined && { arrivalGapMinutes: q.arrivalGapMinutes }),
    ...(q.departureGapMinutes !== undefined && { departureGapMinutes: q.departureGapMinutes }),
  }
  const roomRows = await candidateRooms(db, actor, site, q)
  const counsellorRows = await candidateCounsellors(db, actor, q)
  const { people, caseRules } = await caseOf(db, actor, q, zone)

  const lo = new Date(from.getTime() - MARGIN_MS)
  const hi = new Date(to.getTime() + MARGIN_MS)
  const absences =
    counsellorRows.length === 0
      ? []
      : await db
          .select({ counsellorId: counsellorAbsences.counsellorId, startsAt: counsellorAbsences.startsAt, endsAt: counsellorAbsences.endsAt })
          .from(counsellorAbsences)
          .where(
            and(
              inArray(
                counsellorAbsences.counsellorId,
                counsellorRows.map((c) => c.id),
              ),
              gt(counsellorAbsences.endsAt, lo),
              lt(counsellorAbsences.startsAt, hi),
            ),
          )
  const rules = bookingRules({ kind: q.kind, site, settings, counsellors: counsellorRows, absences, caseRules })
  const adults = people.filter((p): p is { partyId: string; side: PartySide } => p.side !== 'child')
  const resourceIds = [...(roomRows ?? []).map((r) => r.id), ...counsellorRows.map((c) => c.id), ...(q.caseId ? people.map((p) => p.partyId) : [])]

  // A page rarely needs the whole window: it is filled from periods of local days, one day first and
  // twice as many each time after, each with its own reservations, until the page is full (one more
  // slot found tells there is a next page) or the window is done.
  const slots: FreeSlot[] = []
  let more = false
  let days = 1
  let periodFrom = after && after.start > from ? after.start : from
  while (periodFrom < to && !more) {
    const periodTo = new Date(Math.min(to.getTime(), DateTime.fromJSDate(periodFrom, { zone }).startOf('day').plus({ days }).toMillis()))
    days *= 2
    const reservations = await reservationsAround(db, resourceIds, new Date(periodFrom.getTime() - MARGIN_MS), new Date(periodTo.getTime() + MARGIN_MS))
    const page = findFreeSlots({
      rules,
      visitsCounted: caseRules?.visitsCounted ?? 0,
      from: periodFrom,
      to: periodTo,
      stepMinutes: q.stepMinutes,
      plan: (start) => computeStagger({ kind: q.kind, start, durationMinutes: q.durationMinutes, stagger, parties: adults }),
      ...busyOf(reservations, roomRows, q.caseId !== undefined),
      after,
      limit: q.limit - slots.length,
    })
    slots.push(...page.slots)
    more = page.more
    periodFrom = periodTo
  }
  const last = slots[slots.length - 1]
  return {
    items: slots.map((s) => ({
      start: formatInstant(s.start, zone),
      end: formatInstant(s.end, zone),
      spanStart: formatInstant(s.spanStart, zone),
      spanEnd: formatInstant(s.spanEnd, zone),
      roomId: s.roomId,
      counsellorIds: s.counsellorIds,
      ...(q.caseId && {
        arrivals: s.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: formatInstant(a.arriveAt, zone), leaveAt: formatInstant(a.leaveAt, zone) })),
      }),
    })),
    nextCursor: more && last ? cursorOf(last.start, last.roomId) : null,
    timeZone: zone,
    stepMinutes: q.stepMinutes,
  }
}
