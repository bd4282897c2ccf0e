/**
 * GET /v1/availability over HTTP. The demo site with SHORT_WEEKEND's hours (fixtures.ts): Mon–Fri 09:00–20:00,
 * Sat 09:00–18:00, Sun 10:00–17:00; counsellors Mon–Fri 09:00–20:00 and Sat 09:00–18:00. Centre staggering: 15 minutes either side.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { DateTime } from 'luxon'
import { rawRows } from '../../src/db/client.js'
import type { Actor } from '../../src/domain/actor.js'
import { findAvailability } from '../../src/modules/scheduling/availability-service.js'
import { AvailabilityPage } from '../../src/modules/scheduling/schemas.js'
import { buildTestApp, call, onPostgres, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { scheduling, useShortWeekend } from './fixtures.js'
import { wallClock } from '../helpers/wall-clock.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)
// The demo is open every day; these tests need a closed Sunday and a short Saturday.
await useShortWeekend(ctx)
const admin = centre.adminToken
const siteId = centre.demo.siteId

interface Slot {
  start: string
  end: string
  spanStart: string
  spanEnd: string
  roomId: string | null
  counsellorIds: string[]
  arrivals?: { partyId: string; arriveAt: string; leaveAt: string }[]
}
const query = (params: Record<string, string | number>, token = admin) =>
  call(app, {
    url: `/v1/availability?${new URLSearchParams(Object.entries({ siteId, durationMinutes: 90, ...params }).map(([k, v]) => [k, String(v)]))}`,
    token,
  })
/** Every slot of the window, following the cursor. */
async function all(params: Record<string, string | number>): Promise<Slot[]> {
  const slots: Slot[] = []
  let cursor: string | null = null
  do {
    const response = await query({ ...params, limit: 200, ...(cursor ? { cursor } : {}) })
    if (response.status !== 200) throw new Error(response.body)
    slots.push(...response.json.items)
    cursor = response.json.nextCursor
  } while (cursor)
  return slots
}
/** Whether a slot's reserved span overlaps [from, until). */
const overlaps = (x: Slot, from: string, until: string) => Date.parse(x.spanStart) < Date.parse(until) && Date.parse(x.spanEnd) > Date.parse(from)
const at = (slots: Slot[], start: string, roomId?: string) => slots.filter((x) => x.start === start && (!roomId || x.roomId === roomId))

t.test('a Saturday: every start whose staggered span fits, per room, with the free counsellors', async (t) => {
  const first = await query({ from: '2027-03-06', to: '2027-03-07' })
  t.equal(first.status, 200, first.body)
  t.equal(first.json.timeZone, 'Europe/Brussels')
  t.equal(first.json.stepMinutes, 15)
  // 09:00–18:00, span 15 minutes before to 15 after a 90-minute contact: starts 09:15 … 16:15 → 29 × 2 rooms.
  t.equal(first.json.items.length, 50, 'the default page size')
  t.ok(first.json.nextCursor)
  t.same(first.json.items[0], {
    start: '2027-03-06T08:15:00.000Z',
    end: '2027-03-06T09:45:00.000Z',
    spanStart: '2027-03-06T08:00:00.000Z',
    spanEnd: '2027-03-06T10:00:00.000Z',
    roomId: [s.room1, s.room2].sort()[0],
    counsellorIds: [...centre.demo.counsellorIds].sort(),
  })
  const rest = await query({ from: '2027-03-06', to: '2027-03-07', cursor: first.json.nextCursor })
  t.equal(rest.json.items.length, 8)
  t.equal(rest.json.nextCursor, null)
  t.equal(rest.json.items[7].start, '2027-03-06T15:15:00.000Z')
  const everything = await all({ from: '2027-03-06', to: '2027-03-07' })
  t.same(everything, [...first.json.items, ...rest.json.items], 'pages join without gaps or repeats')

  t.same((await query({ from: '2027-03-07', to: '2027-03-08' })).json.items, [], 'Sunday: the site opens, the counsellors do not work')
  const stepped = await query({ from: '2027-03-06', to: '2027-03-07', stepMinutes: 60, roomId: s.room1, limit: 200 })
  t.same(
    stepped.json.items.map((x: Slot) => wallClock(x.start)),
    ['10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'],
  )
  const instants = await query({ from: '2027-03-06T14:00:00.000Z', to: '2027-03-06T16:00', roomId: s.room1, stepMinutes: 30 })
  t.same(
    instants.json.items.map((x: Slot) => x.start),
    ['2027-03-06T14:00:00.000Z', '2027-03-06T14:30:00.000Z'],
    'from an instant to a local time (exclusive)',
  )
})

t.test('existing visits: room places and counsellors are taken out', async (t) => {
  const [a, b, c] = [await createCase(database, centre), await createCase(database, centre), await createCase(database, centre)]
  t.equal((await s.book(a.caseId, { start: '2027-03-08T10:00' })).status, 201) // room 1, counsellor 1, span 09:45–11:45
  let slots = await all({ from: '2027-03-08', to: '2027-03-09' })
  t.same(at(slots, '2027-03-08T09:00:00.000Z', s.room1), [], 'room 1 is taken')
  t.same(at(slots, '2027-03-08T07:30:00.000Z'), [], 'before opening')
  t.same(
    at(slots, '2027-03-08T09:00:00.000Z', s.room2).map((x) => x.counsellorIds),
    [[s.counsellor2]],
    'room 2 with the other counsellor',
  )
  t.same(at(slots, '2027-03-08T07:15:00.000Z'), [])
  t.equal(at(slots, '2027-03-08T10:45:00.000Z', s.room1).length, 0, "span 11:30–13:30 overlaps the visit's until 11:45")
  t.equal(at(slots, '2027-03-08T11:00:00.000Z', s.room1).length, 1, 'span from 11:45: free again (half-open)')

  // Room 2 has two places: one booking leaves it listed, a second takes it out.
  t.equal((await s.book(b.caseId, { start: '2027-03-08T14:00', roomId: s.room2 })).status, 201)
  slots = await all({ from: '2027-03-08', to: '2027-03-09', roomId: s.room2 })
  t.same(
    at(slots, '2027-03-08T13:00:00.000Z').map((x) => x.counsellorIds),
    [[s.counsellor2]],
    'one place left',
  )
  t.equal((await s.book(c.caseId, { start: '2027-03-08T14:00', roomId: s.room2, counsellorIds: [s.counsellor2] })).status, 201)
  slots = await all({ from: '2027-03-08', to: '2027-03-09', roomId: s.room2 })
  t.same(at(slots, '2027-03-08T13:00:00.000Z'), [], 'both places taken')

  // A listed slot can be booked as listed.
  slots = await all({ from: '2027-03-08', to: '2027-03-09', counsellorId: s.counsellor1 })
  const pick = slots.find((x) => x.start === '2027-03-08T15:00:00.000Z' && x.roomId === s.room1)!
  t.ok(pick)
  const d = await createCase(database, centre)
  t.equal((await s.book(d.caseId, { start: pick.start, roomId: pick.roomId, counsellorIds: pick.counsellorIds })).status, 201)
})

t.test('a reservation that ends a microsecond later (written by SQL, not the API) takes out the slot it then overlaps', async (t) => {
  // busyAround reads the instants as float8 seconds and rounds them back to the microsecond.
  const { caseId } = await createCase(database, centre)
  const booked = await s.book(caseId, { start: '2027-03-16T10:00' }) // room 1, span 09:45–11:45
  t.equal(booked.status, 201, booked.body)
  const noon = async () => at(await all({ from: '2027-03-16', to: '2027-03-17', roomId: s.room1 }), '2027-03-16T11:00:00.000Z')
  t.equal((await noon()).length, 1, 'the 12:00 start (span from 11:45) is free: the spans touch')
  await database.db.execute(
    sql`update reservations set during = tstzrange(lower(during), upper(during) + interval '1 microsecond') where visit_id = ${booked.json.id}`,
  )
  t.same(await noon(), [], 'a microsecond longer, they overlap')
})

t.test("closures, holidays (and the centre's opt-out), absences", async (t) => {
  // Ascension Day, Thursday 6 May 2027.
  t.same((await query({ from: '2027-05-06', to: '2027-05-07' })).json.items, [])
  await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { holidayOptOuts: ['ascension'] } } })
  t.ok((await query({ from: '2027-05-06', to: '2027-05-07' })).json.items.length > 0, 'opted out: open')
  await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { holidayOptOuts: [] } } })

  await call(app, { method: 'PATCH', url: `/v1/sites/${siteId}`, token: admin, body: { closures: [{ from: '2027-05-10', to: '2027-05-11' }] } })
  const week = await all({ from: '2027-05-10', to: '2027-05-13', roomId: s.room1 })
  t.same([...new Set(week.map((x) => x.start.slice(0, 10)))], ['2027-05-12'], 'closed Monday and Tuesday')
  await call(app, { method: 'PATCH', url: `/v1/sites/${siteId}`, token: admin, body: { closures: [] } })

  const absence = await call(app, {
    method: 'POST',
    url: `/v1/counsellors/${s.counsellor1}/absences`,
    token: admin,
    body: { from: '2027-05-12T10:00:00.000Z', until: '2027-05-12T12:00:00.000Z' },
  })
  t.equal(absence.status, 201)
  const slots = await all({ from: '2027-05-12', to: '2027-05-13', roomId: s.room1 })
  t.same(
    at(slots, '2027-05-12T10:00:00.000Z').map((x) => x.counsellorIds),
    [[s.counsellor2]],
    'the absent counsellor is left out',
  )
  t.same(
    (await all({ from: '2027-05-12', to: '2027-05-13', roomId: s.room1, counsellorId: s.counsellor1 })).filter((x) =>
      overlaps(x, '2027-05-12T10:00:00.000Z', '2027-05-12T12:00:00.000Z'),
    ),
    [],
    'nothing overlapping the absence',
  )
})

t.test('with a case: its people, its rules and the gate', async (t) => {
  const a = await createCase(database, centre, { plannedEndDate: '2027-06-16', agreement: { validUntil: '2027-06-15' } })
  t.equal((await s.book(a.caseId, { start: '2027-06-14T10:00' })).status, 201)
  const slots = await all({ from: '2027-06-14', to: '2027-06-18', caseId: a.caseId, roomId: s.room2, counsellorId: s.counsellor2 })
  t.same(
    slots.filter((x) => overlaps(x, '2027-06-14T07:45:00.000Z', '2027-06-14T09:45:00.000Z')),
    [],
    'the family is in another visit',
  )
  t.same([...new Set(slots.map((x) => x.start.slice(0, 10)))], ['2027-06-14', '2027-06-15'], 'the agreement ends on the 15th')
  const slot = at(slots, '2027-06-15T08:00:00.000Z')[0]!
  t.same(
    slot.arrivals,
    [
      { partyId: a.visiting, arriveAt: '2027-06-15T07:45:00.000Z', leaveAt: '2027-06-15T09:45:00.000Z' },
      { partyId: a.residing, arriveAt: '2027-06-15T08:00:00.000Z', leaveAt: '2027-06-15T09:30:00.000Z' },
    ].sort((x, y) => x.partyId.localeCompare(y.partyId)),
    'arrivals per party',
  )
  const residingFirst = await query({
    from: '2027-06-15T10:00',
    to: '2027-06-15T10:01',
    caseId: a.caseId,
    roomId: s.room2,
    firstToArrive: 'residing',
    arrivalGapMinutes: 30,
    departureGapMinutes: 5,
  })
  t.same(
    residingFirst.json.items.map((x: Slot) => [x.spanStart, x.spanEnd]),
    [['2027-06-15T07:30:00.000Z', '2027-06-15T09:35:00.000Z']],
  )

  const suspended = await createCase(database, centre)
  await call(app, {
    method: 'POST',
    url: `/v1/cases/${suspended.caseId}/suspend`,
    token: admin,
    body: { reasonCode: 'child_refuses', explanation: 'Evaluation pending.', from: '2027-06-15', until: '2027-06-17' },
  })
  const around = await all({ from: '2027-06-14', to: '2027-06-18', caseId: suspended.caseId, roomId: s.room1, stepMinutes: 60 })
  t.same([...new Set(around.map((x) => x.start.slice(0, 10)))], ['2027-06-14', '2027-06-17'])

  const limited = await createCase(database, centre, { agreement: { maxVisits: 1 } })
  t.equal((await s.book(limited.caseId, { start: '2027-06-21T10:00' })).status, 201)
  t.same((await query({ from: '2027-06-22', to: '2027-06-23', caseId: limited.caseId })).json.items, [], 'maxVisits reached')
  t.same(
    (await query({ from: '2027-06-22', to: '2027-06-23', caseId: limited.caseId, kind: 'supervised_handover', durationMinutes: 15 })).json.items,
    [],
    'maxVisits counts every kind but conversations',
  )

  const unsigned = await createCase(database, centre, { signed: false })
  const gated = await query({ from: '2027-06-22', to: '2027-06-23', caseId: unsigned.caseId })
  t.equal(gated.status, 409)
  t.equal(gated.json.type, 'urn:bezoekruimte:problem:booking-gate')
  t.equal(gated.json.missing.length, 6)
  const intake = await query({
    from: '2027-06-22',
    to: '2027-06-23',
    caseId: unsigned.caseId,
    kind: 'conversation',
    durationMinutes: 60,
    roomId: s.room1,
    stepMinutes: 60,
  })
  t.equal(intake.status, 200, 'a conversation needs no signatures')
  t.same(intake.json.items[0].arrivals.length, 2, 'both adults, staggered')
  t.equal(intake.json.items[0].start, '2027-06-22T08:00:00.000Z', 'the first hour whose staggered span fits')
})

t.test('handovers and outside visits', async (t) => {
  // A handover: drop-off during the contact, the counsellor keeps the child 15 minutes, then the pick-up for 15.
  const handover = await query({ from: '2027-06-25T19:00', to: '2027-06-25T20:00', kind: 'supervised_handover', durationMinutes: 15, roomId: s.room1 })
  t.same(
    handover.json.items.map((x: Slot) => [wallClock(x.start), wallClock(x.spanStart), wallClock(x.spanEnd)]),
    [
      ['19:00', '19:00', '19:45'],
      ['19:15', '19:15', '20:00'],
    ],
    'the span runs to the end of the pick-up, inside opening hours',
  )
  const outside = await query({ from: '2027-06-26', to: '2027-06-27', kind: 'outside_visit', durationMinutes: 120, stepMinutes: 60 })
  t.same(
    outside.json.items.map((x: Slot) => [wallClock(x.start), x.roomId]),
    [
      ['10:00', null],
      ['11:00', null],
      ['12:00', null],
      ['13:00', null],
      ['14:00', null],
      ['15:00', null],
    ],
  )
  t.equal((await query({ from: '2027-06-26', to: '2027-06-27', kind: 'outside_visit', roomId: s.room1 })).status, 400)
})

t.test('bad input, scope and roles', async (t) => {
  const tooLong = await query({ from: '2027-03-01', to: '2027-04-02' })
  t.equal(tooLong.status, 400)
  t.match(tooLong.json.errors, [{ in: 'query', pointer: '/to' }])
  t.equal((await query({ from: '2027-03-01', to: '2027-04-01' })).status, 200, '31 days is the limit')
  t.equal((await query({ from: '2027-03-02', to: '2027-03-01' })).status, 400)
  t.equal((await query({ from: '2027-02-30', to: '2027-03-01' })).status, 400)
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02', cursor: 'bm9wZQ' })).status, 400)
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02', stepMinutes: 7 })).status, 400)
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02', durationMinutes: 0 })).status, 400)
  t.equal((await call(app, { url: '/v1/availability?from=2027-03-01&to=2027-03-02&durationMinutes=90', token: admin })).status, 400, 'siteId is required')

  const other = await call(app, { method: 'POST', url: '/v1/centres', token: ctx.operator, body: { name: 'Centre B' } })
  t.equal(other.status, 201, other.body)
  const otherToken = other.json.adminToken.token
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02' }, otherToken)).status, 404, 'a site of another centre')
  const a = await createCase(database, centre)
  const otherSite = await call(app, {
    method: 'POST',
    url: '/v1/sites',
    token: otherToken,
    body: { name: 'B', timeZone: 'Europe/Brussels', judicialDistrict: 'Gent', openingHours: { mon: [{ from: '09:00', to: '17:00' }] } },
  })
  t.equal(otherSite.status, 201, otherSite.body)
  t.equal((await query({ siteId: otherSite.json.id, from: '2027-03-01', to: '2027-03-02' })).status, 404, "another centre's site, from this centre")
  t.equal(
    (await query({ siteId: otherSite.json.id, from: '2027-03-01', to: '2027-03-02', caseId: a.caseId }, otherToken)).status,
    404,
    'a case of another centre',
  )
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02', counsellorId: '01a00000-0000-7000-8000-000000000000' })).status, 404)
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02', roomId: '01a00000-0000-7000-8000-000000000000' })).status, 404)

  const counsellor = await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: s.counsellor1 })
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02' }, counsellor.token)).status, 200, 'counsellors plan too')
  const staff = await tokenFor(database, 'staff', { centreId: centre.centreId })
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02' }, staff.token)).status, 200)
  const clerk = await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02' }, clerk.token)).status, 403)
  const integration = await tokenFor(database, 'integration', { centreId: centre.centreId })
  t.equal((await query({ from: '2027-03-01', to: '2027-03-02' }, integration.token)).status, 403)
  t.equal((await call(app, { url: `/v1/availability?siteId=${siteId}&from=2027-03-01&to=2027-03-02&durationMinutes=90` })).status, 401)
})

t.test("the page is the JSON the response schema's serializer writes", async (t) => {
  // fastify's own serializer compiler (fast-json-stringify), on the route's 200 schema.
  const serializer = SerializerSelector()({}, {})({ schema: AvailabilityPage, method: 'GET', url: '/v1/availability', httpStatus: '200' })
  const withCase = await createCase(database, centre)
  const pages = [
    await query({ from: '2027-03-06', to: '2027-03-07' }),
    await query({ from: '2027-03-06', to: '2027-03-07', limit: 3, counsellorId: s.counsellor2 }),
    await query({ from: '2027-06-22', to: '2027-06-23', caseId: withCase.caseId, roomId: s.room1, stepMinutes: 60 }),
    await query({ from: '2027-06-26', to: '2027-06-27', kind: 'outside_visit', durationMinutes: 120, stepMinutes: 60 }),
    await query({ from: '2027-03-07T23:00', to: '2027-03-08T00:00' }),
  ]
  t.same(
    pages.map((p) => [p.status, p.json.items.length > 0, p.json.nextCursor !== null, p.json.items[0]?.arrivals !== undefined]),
    [
      [200, true, true, false],
      [200, true, true, false],
      [200, true, false, true],
      [200, true, false, false],
      [200, false, false, false],
    ],
    'pages with and without a next page, arrivals, rooms, items',
  )
  for (const page of pages) {
    t.equal(page.body, serializer(page.json))
    t.equal(page.headers['content-type'], 'application/json; charset=utf-8')
  }
})

t.test('pages of any size list the same slots: the periods and the reads around them do not change the answer', async (t) => {
  // 6–10 March 2027 holds the visits booked above (room places, counsellors, a span ending at 11:45).
  const window = { from: '2027-03-06T12:00', to: '2027-03-10T12:00', stepMinutes: 30 }
  const whole = await all(window)
  t.ok(whole.length > 50, `${whole.length} slots`)
  for (const limit of [7, 13, 50]) {
    const paged: Slot[] = []
    let cursor: string | null = null
    do {
      const response = await query({ ...window, limit, ...(cursor ? { cursor } : {}) })
      paged.push(...response.json.items)
      cursor = response.json.nextCursor
    } while (cursor)
    t.same(paged, whole, `pages of ${limit}`)
  }
})

t.test('a start already past is no slot (a booking there is refused as in_the_past)', async (t) => {
  const today = DateTime.now().setZone('Europe/Brussels')
  const from = today.minus({ days: 1 }).toISODate()!
  const to = today.plus({ days: 1 }).toISODate()!
  const response = await query({ from, to, stepMinutes: 60, limit: 200 })
  t.equal(response.status, 200, response.body)
  const now = Date.now()
  t.ok(response.json.items.length > 0, 'the days ahead have slots')
  t.ok(
    response.json.items.every((slot: Slot) => Date.parse(slot.start) >= now - 1000),
    'every slot starts from now on',
  )
})

t.test('on PostgreSQL the two reads of a search are named statements', { skip: onPostgres ? false : 'PGlite runs them unnamed' }, async (t) => {
  const actor: Actor = { tokenId: null, role: 'admin', centreId: centre.centreId, courtId: null, counsellorId: null, requestId: null }
  const q = { siteId, from: '2027-03-08', to: '2027-03-09', durationMinutes: 90, kind: 'supervised_visit', stepMinutes: 15, limit: 50 } as const
  // In a transaction: one connection, whose prepared statements it can list.
  const names = await database.db.transaction(async (tx) => {
    t.ok((await findAvailability(tx, actor, new Date(), q)).items.length > 0)
    const rows = await rawRows<{ name: string }>(tx, sql`select name from pg_prepared_statements where name !~ '^token_' order by name`)
    return rows.map((r) => r.name)
  })
  // Earlier tests may have prepared other statements on this connection (the facts' variants for a
  // room, a counsellor or an outside visit; a booking's facts): the search's two must be among them.
  const prepared = new Set(names.map((name) => name.replace(/_\d+$/, '')))
  t.ok(prepared.has('availability_facts'), 'the facts')
  t.ok(prepared.has('busy_around'), 'the reservations around the period')
})
