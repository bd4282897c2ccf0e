import type { FastifyInstance } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm'
import { rawRows } from '../../db/client.js'
import { centres, counsellorAbsences, counsellors, rooms, sites } from '../../db/schema.js'
import { findFreeSlots, type Span } from '../../domain/availability.js'
import type { BookingRules } from '../../domain/booking-rules.js'
import { computeStagger, type PartySide } from '../../domain/stagger.js'
import { PageQuery } from '../../http/pagination.js'
import { invalidInput, notFound, problemResponses } from '../../http/problem.js'
import { Timestamp, Uuid } from '../../http/schemas.js'
import { inCentre } from '../../http/scope.js'
import { findCase } from '../cases/access.js'
import { casePeople, checkGate, loadCaseRules } from './booking.js'
import { formatInstant } from '../../domain/zones.js'
import { parseTime } from '../../http/times.js'
import { VisitKindSchema } from './schemas.js'

/** The longest window one request may search: a month view of a booking form. */
export const MAX_WINDOW_DAYS = 31
const DAY_MS = 86_400_000
// Reservations and absences this far around the window can still touch a slot's span
// (a span is at most 720 minutes of contact plus 2 × 120 minutes of staggering).
const MARGIN_MS = DAY_MS

const DateOrInstant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
  description: 'A local date `YYYY-MM-DD` (the start of that day in the site\'s zone), a local wall time, or an RFC 3339 instant',
})

export const AvailabilityQuery = Type.Object({
  siteId: Uuid,
  from: { ...DateOrInstant, description: `First possible start (inclusive). ${DateOrInstant.description}`, examples: ['2027-03-01'] },
  to: { ...DateOrInstant, description: `Starts before this (exclusive); at most ${MAX_WINDOW_DAYS} days after from. ${DateOrInstant.description}`, examples: ['2027-04-01'] },
  durationMinutes: Type.Integer({ minimum: 5, maximum: 720, description: 'Length of the contact itself (the staggering comes around it)', examples: [90] }),
  kind: Type.Union([...VisitKindSchema.anyOf], { default: 'supervised_visit', description: 'An outside visit uses no room: only counsellors are searched', examples: ['supervised_visit'] }),
  roomId: Type.Optional({ ...Uuid, description: 'Only this room (default: every active room of the site)' }),
  counsellorId: Type.Optional({ ...Uuid, description: 'Only this counsellor (default: every active counsellor of the centre)' }),
  caseId: Type.Optional({ ...Uuid, description: 'Judge the slots for this case too: its people\'s other visits, suspensions, planned end, agreement and the booking gate (409 with `missing[]`)' }),
  stepMinutes: Type.Union([5, 10, 15, 20, 30, 60].map((n) => Type.Literal(n)), { default: 15, description: 'Starts lie on this grid of the local clock', examples: [15] }),
  firstToArrive: Type.Optional(Type.Union([Type.Literal('visiting'), Type.Literal('residing')], { description: 'Staggering; default the centre\'s setting', examples: ['visiting'] })),
  arrivalGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
  departureGapMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, examples: [15] })),
  limit: { ...PageQuery.properties.limit, description: 'Slots per page (1–200)' },
  cursor: PageQuery.properties.cursor,
}, { additionalProperties: false })
type AvailabilityQuery = Static<typeof AvailabilityQuery>

const Slot = Type.Object({
  start: Timestamp,
  end: Timestamp,
  spanStart: { ...Timestamp, description: 'The first arrival: room, counsellor and people are reserved from here' },
  spanEnd: { ...Timestamp, description: 'The last departure' },
  roomId: Type.Union([Uuid, Type.Null()], { description: 'null for an outside visit' }),
  counsellorIds: Type.Array(Uuid, { description: 'The counsellors free for the whole span (book one or more of them)' }),
  arrivals: Type.Optional(Type.Array(Type.Object({ partyId: Uuid, arriveAt: Timestamp, leaveAt: Timestamp }), { description: 'With caseId: when each party would come and go' })),
})

export const AvailabilityPage = Type.Object({
  items: Type.Array(Slot),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= (with the same query) for the next page; null on the last page' }),
  timeZone: Type.String({ examples: ['Europe/Brussels'] }),
  stepMinutes: Type.Integer({ examples: [15] }),
}, {
  examples: [{
    items: [{
      start: '2027-03-06T10:00:00+01:00', end: '2027-03-06T11:30:00+01:00',
      spanStart: '2027-03-06T09:45:00+01:00', spanEnd: '2027-03-06T11:45:00+01:00',
      roomId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', counsellorIds: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13'],
    }],
    nextCursor: 'MjAyNy0wMy0wNlQwOTowMDowMC4wMDBafDAxOTNhNWIy', timeZone: 'Europe/Brussels', stepMinutes: 15,
  }],
})

const queryError = (pointer: string, detail: string) => invalidInput('query', pointer, detail)

const cursorOf = (start: Date, roomId: string | null) => Buffer.from(`${start.toISOString()}|${roomId ?? '-'}`).toString('base64url')
function afterOf(cursor: string): { start: Date; roomId: string | null } {
  const [at, room] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (!at || !room || Number.isNaN(Date.parse(at)) || !(room === '-' || /^[0-9a-f-]{36}$/.test(room))) throw queryError('/cursor', 'is not a cursor this service issued; start again without it')
  return { start: new Date(at), roomId: room === '-' ? null : room }
}

interface ReservationSpan { resource_kind: 'room' | 'counsellor' | 'party'; resource_id: string; place: number; lo: number; hi: number }

export async function availabilityRoutes(app: FastifyInstance) {
  app.get('/availability', {
    config: { roles: ['admin', 'staff', 'counsellor'] },
    schema: {
      operationId: 'findAvailability',
      summary: 'Find free slots at a site (room, counsellors, start) that pass every booking rule', tags: ['Scheduling'],
      description: `Starts on a local-clock grid (\`stepMinutes\`, default 15) in [from, to), at most ${MAX_WINDOW_DAYS} days. ` +
        'A slot is a start with a room that still has a free place (capacity) and the counsellors free for the whole staggered span: inside the site\'s opening hours, not on a closure or a Belgian public holiday (unless the centre opted out), ' +
        'inside the counsellor\'s working hours and not during an absence, and overlapping no reservation of the room place or the counsellor. ' +
        'With `caseId` the slot also respects the case: its people\'s other visits, its suspensions, its planned end and its agreement (kinds, validUntil, maxVisits); a case that may not be booked at all answers 409 with `missing[]`, like a booking. ' +
        'Without `caseId`, the span assumes both sides come (staggered with the centre\'s gaps). Booking a listed slot can still fail if someone books it first.',
      querystring: AvailabilityQuery,
      response: { 200: AvailabilityPage, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const q = request.query as AvailabilityQuery
    const actor = request.actor
    const db = app.db

    const [site] = await db.select().from(sites).where(and(eq(sites.id, q.siteId), inCentre(sites.centreId, actor)))
    if (!site) throw notFound('site', q.siteId)
    const zone = site.timeZone
    const from = parseTime(q.from, zone, { in: 'query', pointer: '/from', dates: true })
    const to = parseTime(q.to, zone, { in: 'query', pointer: '/to', dates: true })
    if (to <= from) throw queryError('/to', 'must be after from')
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw queryError('/to', `must be at most ${MAX_WINDOW_DAYS} days after from; ask for the next period in another request`)
    const after = q.cursor ? afterOf(q.cursor) : undefined

    const [centre] = await db.select({ settings: centres.settings }).from(centres).where(eq(centres.id, site.centreId))
    const stagger = {
      ...centre!.settings.stagger,
      ...(q.firstToArrive !== undefined && { firstToArrive: q.firstToArrive }),
      ...(q.arrivalGapMinutes !== undefined && { arrivalGapMinutes: q.arrivalGapMinutes }),
      ...(q.departureGapMinutes !== undefined && { departureGapMinutes: q.departureGapMinutes }),
    }

    let roomRows: { id: string; capacity: number }[] | null = null
    if (q.kind === 'outside_visit') {
      if (q.roomId) throw queryError('/roomId', 'must be absent for an outside visit (it takes place outside the centre)')
    } else if (q.roomId) {
      const [room] = await db.select().from(rooms).where(and(eq(rooms.id, q.roomId), inCentre(rooms.centreId, actor)))
      if (!room) throw notFound('room', q.roomId)
      if (room.siteId !== site.id) throw queryError('/roomId', 'is a room of another site')
      if (!room.active) throw queryError('/roomId', 'is a deactivated room')
      roomRows = [{ id: room.id, capacity: room.capacity }]
    } else {
      roomRows = await db.select({ id: rooms.id, capacity: rooms.capacity }).from(rooms)
        .where(and(eq(rooms.siteId, site.id), eq(rooms.active, true))).orderBy(asc(rooms.id))
    }

    const counsellorRows = await db.select().from(counsellors).where(and(
      inCentre(counsellors.centreId, actor),
      q.counsellorId ? eq(counsellors.id, q.counsellorId) : eq(counsellors.active, true),
    )).orderBy(asc(counsellors.id))
    if (q.counsellorId) {
      if (counsellorRows.length === 0) throw notFound('counsellor', q.counsellorId)
      if (!counsellorRows[0]!.active) throw queryError('/counsellorId', 'is a deactivated counsellor')
    }

    // The case: its people (for staggering and their own reservations) and its rules.
    let people: { partyId: string; side: PartySide | 'child' }[]
    let caseRules: Awaited<ReturnType<typeof loadCaseRules>> | null = null
    let plannedEndDate: string | null = null
    if (q.caseId) {
      const caseRow = await findCase(db, actor, q.caseId)
      caseRules = await loadCaseRules(db, caseRow, q.kind, zone, await checkGate(db, caseRow, q.kind))
      plannedEndDate = caseRow.plannedEndDate
      const all = await casePeople(db, caseRow.id)
      // A conversation is with the adults (as a booking invites them by default); a visit involves everyone.
      people = q.kind === 'conversation' ? all.filter((p) => p.side !== 'child') : all
    } else {
      // Without a case, reserve as for a family with both sides (the longer, staggered span).
      people = q.kind === 'conversation' ? [{ partyId: 'visiting', side: 'visiting' }] : [{ partyId: 'visiting', side: 'visiting' }, { partyId: 'residing', side: 'residing' }]
    }

    // One query for every reservation of the candidate rooms, counsellors and people around the window.
    const lo = new Date(from.getTime() - MARGIN_MS)
    const hi = new Date(to.getTime() + MARGIN_MS)
    const resourceIds = [...(roomRows ?? []).map((r) => r.id), ...counsellorRows.map((c) => c.id), ...(q.caseId ? people.map((p) => p.partyId) : [])]
    const reservations = resourceIds.length === 0 ? [] : await rawRows<ReservationSpan>(db, sql`
      select r.resource_kind, r.resource_id, r.place,
        (extract(epoch from lower(r.during)) * 1000)::float8 as lo, (extract(epoch from upper(r.during)) * 1000)::float8 as hi
      from unnest(array[${sql.join(resourceIds.map((id) => sql`${id}::uuid`), sql`, `)}]) as wanted(id)
      join reservations r on r.resource_id = wanted.id and r.active
        and r.during && tstzrange(${lo.toISOString()}::timestamptz, ${hi.toISOString()}::timestamptz, '[)')`)
    const absences = counsellorRows.length === 0 ? [] : await db.select().from(counsellorAbsences).where(and(
      inArray(counsellorAbsences.counsellorId, counsellorRows.map((c) => c.id)),
      gt(counsellorAbsences.endsAt, lo), lt(counsellorAbsences.startsAt, hi),
    ))

    const span = (r: ReservationSpan): Span => ({ start: Number(r.lo), end: Number(r.hi) })
    const counsellorBusy = new Map<string, Span[]>()
    for (const r of reservations) {
      if (r.resource_kind !== 'counsellor') continue
      const list = counsellorBusy.get(r.resource_id) ?? []
      list.push(span(r))
      counsellorBusy.set(r.resource_id, list)
    }
    const rules: BookingRules = {
      kind: q.kind,
      timeZone: zone,
      site: q.kind === 'outside_visit' ? undefined : { openingHours: site.openingHours, closures: site.closures, holidayOptOuts: centre!.settings.holidayOptOuts },
      counsellors: counsellorRows.map((c) => ({
        id: c.id, workingHours: c.workingHours,
        absences: absences.filter((a) => a.counsellorId === c.id).map((a) => ({ from: a.startsAt, until: a.endsAt })),
      })),
      plannedEndDate,
      suspensions: caseRules?.suspensions ?? [],
      agreement: caseRules?.agreement ?? null,
    }
    const adults = people.filter((p): p is { partyId: string; side: PartySide } => p.side !== 'child')
    const { slots, more } = findFreeSlots({
      rules, visitsCounted: caseRules?.visitsCounted ?? 0, from, to, stepMinutes: q.stepMinutes,
      plan: (start) => computeStagger({ kind: q.kind, start, durationMinutes: q.durationMinutes, stagger, parties: adults }),
      rooms: roomRows && roomRows.map((room) => ({
        ...room,
        busy: reservations.filter((r) => r.resource_kind === 'room' && r.resource_id === room.id).map((r) => ({ ...span(r), place: r.place })),
      })),
      counsellorBusy,
      partyBusy: q.caseId ? reservations.filter((r) => r.resource_kind === 'party').map(span) : [],
      after, limit: q.limit,
    })
    const last = slots[slots.length - 1]
    return {
      items: slots.map((s) => ({
        start: formatInstant(s.start, zone), end: formatInstant(s.end, zone), spanStart: formatInstant(s.spanStart, zone), spanEnd: formatInstant(s.spanEnd, zone),
        roomId: s.roomId, counsellorIds: s.counsellorIds,
        ...(q.caseId && { arrivals: s.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: formatInstant(a.arriveAt, zone), leaveAt: formatInstant(a.leaveAt, zone) })) }),
      })),
      nextCursor: more && last ? cursorOf(last.start, last.roomId) : null,
      timeZone: zone,
      stepMinutes: q.stepMinutes,
    }
  })
}
