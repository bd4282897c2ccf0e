import type { Queryable } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { findFreeSlots, localDaysAfter, type FreeSlot, type Span } from '../../domain/availability.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { computeStagger } from '../../domain/stagger.js'
import { pairsPresent, pairsTooClose, safeStagger, type PartyPair } from '../../domain/safety.js'
import { withDefaults } from '../../domain/centre-settings.js'
import type { PartySide, ResourceKind } from '../../domain/vocabulary.js'
import { DAY_MS } from '../../domain/time.js'
import { cursorParts, decodeCursor, encodeCursor } from '../../db/pagination.js'
import { parseTime } from '../../http/times.js'
import { findCase } from '../cases/index.js'
import {
  bookingRules,
  busyAround,
  casePeople,
  checkGate,
  loadAvailabilityFacts,
  loadCaseRules,
  mustNotMeetOf,
  type AvailabilityFacts,
  type BusySpans,
  type CaseRules,
} from './queries.js'
import { MAX_WINDOW_DAYS, type AvailabilityQuery } from './schemas.js'

/**
 * Free slots at a site: every start on the local grid with a room place and counsellors free for
 * the whole staggered span, judged by the same rules as a booking. Reads only and locks nothing:
 * a slot listed here can still be taken before it is booked.
 */

// A statement costs PostgreSQL about what three days of a busy site's reservations do (planning and
// one index probe per room and counsellor, against ~0.15 ms per day's ~260 rows on the bench's site):
// a first period of three days reads in one statement what one day, then two, read in two.
const FIRST_PERIOD_DAYS = 3

const queryError = (pointer: string, detail: string) => invalidInput('query', pointer, detail)

// Slots are listed by start and room; an outside visit's slots have no room ('-').
const cursorOf = (start: Date, roomId: string | null) => encodeCursor(start.toISOString(), roomId ?? '-')
function afterOf(cursor: string): { start: Date; roomId: string | null } {
  const [at, room] = decodeCursor(cursor, [cursorParts.instant, (part) => part === '-' || cursorParts.uuid(part)]) as [string, string]
  return { start: new Date(at), roomId: room === '-' ? null : room }
}

/** The rooms searched: the one asked for, or every active room of the site; none for an outside visit. */
function candidateRooms(facts: AvailabilityFacts, siteId: string, q: AvailabilityQuery): { id: string; capacity: number }[] | null {
  if (q.kind === 'outside_visit') {
    if (q.roomId) throw queryError('/roomId', 'must be absent for an outside visit (it takes place outside the centre)')
    return null
  }
  const rooms = facts.rooms!
  if (!q.roomId) return rooms.map((r) => ({ id: r.id, capacity: r.capacity }))
  const [room] = rooms
  if (!room) throw notFound('room', q.roomId)
  if (room.siteId !== siteId) throw queryError('/roomId', 'is a room of another site')
  if (!room.active) throw queryError('/roomId', 'is a deactivated room')
  return [{ id: room.id, capacity: room.capacity }]
}

/** The counsellors searched: the one asked for, or every active counsellor of the centre. */
function candidateCounsellors(facts: AvailabilityFacts, q: AvailabilityQuery) {
  const rows = facts.counsellors
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
): Promise<{ people: { partyId: string; side: PartySide | 'child' }[]; caseRules: CaseRules | null; keptApart: PartyPair[] }> {
  if (!q.caseId) {
    // Without a case, reserve as for a family with both sides (the longer, staggered span).
    const people =
      q.kind === 'conversation'
        ? [{ partyId: 'visiting', side: 'visiting' as const }]
        : [
            { partyId: 'visiting', side: 'visiting' as const },
            { partyId: 'residing', side: 'residing' as const },
          ]
    return { people, caseRules: null, keptApart: [] }
  }
  const caseRow = await findCase(db, actor, q.caseId)
  const caseRules = await loadCaseRules(db, caseRow, q.kind, zone, await checkGate(db, caseRow, q.kind))
  const all = await casePeople(db, caseRow.id)
  // A conversation is with the adults (as a booking invites them by default); a visit involves everyone.
  const people = q.kind === 'conversation' ? all.filter((p) => p.side !== 'child') : all
  const keptApart = pairsPresent(
    await mustNotMeetOf(db, caseRow.id),
    people.map((p) => p.partyId),
  )
  return { people, caseRules, keptApart }
}

function push<T>(map: Map<string, T[]>, key: string, item: T) {
  const list = map.get(key)
  if (list) list.push(item)
  else map.set(key, [item])
}

/** A period's busy spans sorted out by resource, as findFreeSlots takes them (`ids` as given to busyAround). */
function busyOf(busy: BusySpans, ids: string[], kinds: ResourceKind[], roomRows: { id: string; capacity: number }[] | null) {
  const counsellorBusy = new Map<string, Span[]>()
  const roomBusy = new Map<string, (Span & { place: number })[]>()
  const partyBusy: Span[] = []
  const { base, reservations } = busy
  for (let i = 0; i < reservations.length; i += 4) {
    const n = reservations[i]! - 1
    const start = base + reservations[i + 2]!
    const end = base + reservations[i + 3]!
    if (kinds[n] === 'room') push(roomBusy, ids[n]!, { start, end, place: reservations[i + 1]! })
    else if (kinds[n] === 'counsellor') push(counsellorBusy, ids[n]!, { start, end })
    else partyBusy.push({ start, end })
  }
  return { counsellorBusy, partyBusy, rooms: roomRows && roomRows.map((room) => ({ ...room, busy: roomBusy.get(room.id) ?? [] })) }
}

/** A page of free slots for the query, with instants in the site's zone. */
export async function findAvailability(db: Queryable, actor: Actor, now: Date, q: AvailabilityQuery) {
  const facts = await loadAvailabilityFacts(db, actor, q)
  const site = facts.site
  if (!site) throw notFound('site', q.siteId)
  const zone = site.timeZone
  const from = parseTime(q.from, zone, { in: 'query', pointer: '/from', dates: true })
  const to = parseTime(q.to, zone, { in: 'query', pointer: '/to', dates: true })
  if (to <= from) throw queryError('/to', 'must be after from')
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS)
    throw queryError('/to', `must be at most ${MAX_WINDOW_DAYS} days after from; ask for the next period in another request`)
  const after = q.cursor ? afterOf(q.cursor) : undefined

  const settings = withDefaults(facts.settings!)
  const roomRows = candidateRooms(facts, site.id, q)
  const counsellorRows = candidateCounsellors(facts, q)
  const { people, caseRules, keptApart } = await caseOf(db, actor, q, zone)
  // As a booking staggers: a pair the case's safety profile keeps apart at least the minimum gap apart.
  const given = {
    ...(q.firstToArrive !== undefined && { firstToArrive: q.firstToArrive }),
    ...(q.arrivalGapMinutes !== undefined && { arrivalGapMinutes: q.arrivalGapMinutes }),
    ...(q.departureGapMinutes !== undefined && { departureGapMinutes: q.departureGapMinutes }),
  }
  const stagger = safeStagger(settings.stagger, given, keptApart.length > 0, settings.minimumGapMinutes)

  const adults = people.filter((p): p is { partyId: string; side: PartySide } => p.side !== 'child')
  const plan = (start: Date) => computeStagger({ kind: q.kind, start, durationMinutes: q.durationMinutes, stagger, parties: adults })
  // The staggering is the same minutes around every start: the spans of starts in [a, b) lie in
  // [a - lead, b + tail), and only what overlaps that can matter.
  const probe = plan(from)
  if (pairsTooClose(probe.arrivals, keptApart, settings.minimumGapMinutes).length > 0) {
    throw queryError(
      q.arrivalGapMinutes !== undefined ? '/arrivalGapMinutes' : '/departureGapMinutes',
      `is too small for this case: its safety profile keeps two of its parties apart, who arrive and leave at least ${settings.minimumGapMinutes} minutes apart (must_not_meet)`,
    )
  }
  const lead = from.getTime() - probe.spanStart.getTime()
  const tail = probe.spanEnd.getTime() - from.getTime()
  const counsellorIds = counsellorRows.map((c) => c.id)
  const partyIds = q.caseId ? people.map((p) => p.partyId) : []
  const ids = [...(roomRows ?? []).map((r) => r.id), ...counsellorIds, ...partyIds]
  const kinds: ResourceKind[] = [
    ...(roomRows ?? []).map(() => 'room' as const),
    ...counsellorIds.map(() => 'counsellor' as const),
    ...partyIds.map(() => 'party' as const),
  ]

  // A page rarely needs the whole window: it is filled from periods of local days, each with its own
  // reservations and absences, until the page is full (one more slot found tells there is a next page)
  // or the window is done. The first period is FIRST_PERIOD_DAYS, each one after twice the one before.
  const slots: FreeSlot[] = []
  let more = false
  let days = FIRST_PERIOD_DAYS
  // A start already past is no slot: a booking there is refused (in_the_past).
  let periodFrom = new Date(Math.max(from.getTime(), now.getTime(), after && after.start > from ? after.start.getTime() : 0))
  while (periodFrom < to && !more) {
    const periodTo = new Date(Math.min(to.getTime(), localDaysAfter(periodFrom, days, zone).getTime()))
    days *= 2
    const lo = new Date(periodFrom.getTime() - lead)
    const hi = new Date(periodTo.getTime() + tail)
    const busy = await busyAround(db, { ids, kinds, counsellorIds }, lo, hi)
    const absences = []
    for (let i = 0; i < busy.absences.length; i += 3)
      absences.push({
        counsellorId: counsellorIds[busy.absences[i]! - 1]!,
        startsAt: new Date(busy.base + busy.absences[i + 1]!),
        endsAt: new Date(busy.base + busy.absences[i + 2]!),
      })
    const rules = bookingRules({ kind: q.kind, site, settings, counsellors: counsellorRows, absences, caseRules })
    const page = findFreeSlots({
      rules,
      visitsCounted: caseRules?.visitsCounted ?? 0,
      from: periodFrom,
      to: periodTo,
      stepMinutes: q.stepMinutes,
      plan,
      ...busyOf(busy, ids, kinds, roomRows),
      after,
      limit: q.limit - slots.length,
    })
    slots.push(...page.slots)
    more = page.more
    periodFrom = periodTo
  }
  const last = slots[slots.length - 1]
  // The slots of one start (one per room) share its plan's instants: each is written once.
  let shared: FreeSlot | undefined
  let [start, end, spanStart, spanEnd] = [new Date(0), new Date(0), new Date(0), new Date(0)]
  let arrivals: { partyId: string; arriveAt: Date; leaveAt: Date }[] = []
  return {
    items: slots.map((s) => {
      if (s.start !== shared?.start) {
        shared = s
        ;({ start, end, spanStart, spanEnd } = s)
        if (q.caseId) arrivals = s.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: a.arriveAt, leaveAt: a.leaveAt }))
      }
      // Literal objects of one shape each (a spread of a maybe-absent part costs V8 a slow copy per slot).
      const { roomId, counsellorIds } = s
      return q.caseId
        ? { start, end, spanStart, spanEnd, roomId, counsellorIds, arrivals }
        : { start, end, spanStart, spanEnd, roomId, counsellorIds, arrivals: undefined }
    }),
    nextCursor: more && last ? cursorOf(last.start, last.roomId) : null,
    timeZone: zone,
    stepMinutes: q.stepMinutes,
  }
}

type AvailabilityPage = Awaited<ReturnType<typeof findAvailability>>

/**
 * The page as the response schema's serializer writes it (the same keys in the same order, the same
 * JSON), with each slot's counsellor list written once per list: slots of one start share one list,
 * and a page of 50 slots lists ~5 000 counsellor ids, which cost the schema's serializer twice what
 * JSON.stringify does. test/scheduling/availability.test.ts compares the two.
 */
export function availabilityPageJson(page: AvailabilityPage): string {
  const lists = new Map<string[], string>()
  // Slots of one start (one per room) have the same four instants: written once.
  let last: AvailabilityPage['items'][number] | undefined
  let head = ''
  const items = page.items.map((item) => {
    let ids = lists.get(item.counsellorIds)
    if (ids === undefined) lists.set(item.counsellorIds, (ids = JSON.stringify(item.counsellorIds)))
    if (!last || item.start !== last.start || item.end !== last.end || item.spanStart !== last.spanStart || item.spanEnd !== last.spanEnd) {
      const { start, end, spanStart, spanEnd } = item
      head = JSON.stringify({ start, end, spanStart, spanEnd }).slice(0, -1)
    }
    last = item
    const { arrivals } = item
    return `${head},"roomId":${JSON.stringify(item.roomId)},"counsellorIds":${ids}${arrivals === undefined ? '' : `,"arrivals":${JSON.stringify(arrivals)}`}}`
  })
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)},"timeZone":${JSON.stringify(page.timeZone)},"stepMinutes":${page.stepMinutes}}`
}
