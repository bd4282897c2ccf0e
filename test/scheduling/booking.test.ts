import t from 'tap'
import { testCentre, call } from '../helpers/app.js'
import { fixedClock } from '../../src/clock.js'
import { createCase } from '../helpers/cases.js'
import { wallClock } from '../helpers/wall-clock.js'
import { sql } from 'drizzle-orm'
import { rawRows, uuidArray } from '../../src/db/client.js'

t.test('a weekly series is booked with staggered arrivals, DST-correct', async (t) => {
  // Booked before the spring of 2026 (a start in the past is refused).
  const { app, database, centre } = await testCentre(t, { clock: fixedClock('2026-03-01T12:00:00Z') })
  const c = await createCase(database, centre)
  const response = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/series`,
    token: centre.adminToken,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[0],
      counsellorIds: [centre.demo.counsellorIds[0]],
      start: '2026-03-21T10:00',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=3',
    },
  })
  t.equal(response.status, 201, response.body)
  t.same(
    response.json.visits.map((v: { start: string }) => v.start),
    ['2026-03-21T09:00:00.000Z', '2026-03-28T09:00:00.000Z', '2026-04-04T08:00:00.000Z'],
  )
  const first = response.json.visits[0]
  t.same(
    first.arrivals.find((a: { partyId: string }) => a.partyId === c.visiting),
    { partyId: c.visiting, arriveAt: '2026-03-21T08:45:00.000Z', leaveAt: '2026-03-21T10:45:00.000Z' },
  )
  t.same(
    first.arrivals.find((a: { partyId: string }) => a.partyId === c.residing),
    { partyId: c.residing, arriveAt: '2026-03-21T09:00:00.000Z', leaveAt: '2026-03-21T10:30:00.000Z' },
  )

  const again = await call(app, {
    method: 'POST',
    url: `/v1/cases/${(await createCase(database, centre)).caseId}/visits`,
    token: centre.adminToken,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[0],
      counsellorIds: [centre.demo.counsellorIds[1]],
      start: '2026-03-28T10:30',
      durationMinutes: 60,
    },
  })
  t.equal(again.status, 409, again.body)
  t.match(again.json.conflicts, [{ code: 'room_busy', resourceKind: 'room', resourceId: centre.demo.roomIds[0], visitId: response.json.visits[1].id }])

  const unsigned = await createCase(database, centre, { signed: false })
  const gated = await call(app, {
    method: 'POST',
    url: `/v1/cases/${unsigned.caseId}/visits`,
    token: centre.adminToken,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[1],
      counsellorIds: [centre.demo.counsellorIds[1]],
      start: '2026-03-28T10:30',
      durationMinutes: 60,
    },
  })
  t.equal(gated.status, 409)
  t.ok(gated.json.missing.length >= 6, JSON.stringify(gated.json.missing))
})

t.test('a supervised handover: drop-off, the counsellor keeps the child, then pick-up; the span covers it all', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const handover = { kind: 'supervised_handover', roomId: centre.demo.roomIds[0], counsellorIds: [centre.demo.counsellorIds[0]], durationMinutes: 15 }
  const book = (caseId: string, body: Record<string, unknown>) =>
    call(app, { method: 'POST', url: `/v1/cases/${caseId}/visits`, token: centre.adminToken, body: { ...handover, ...body } })
  const arrivalsOf = (visit: { arrivals: { partyId: string; arriveAt: string; leaveAt: string }[] }, c: { visiting: string; residing: string }) =>
    Object.fromEntries(visit.arrivals.map((x) => [x.partyId === c.visiting ? 'visiting' : 'residing', `${wallClock(x.arriveAt)}–${wallClock(x.leaveAt)}`]))

  const first = await book(a.caseId, { start: '2027-03-10T17:00' })
  t.equal(first.status, 201, first.body)
  t.same(
    arrivalsOf(first.json, a),
    { visiting: '17:00–17:15', residing: '17:30–17:45' },
    'centre default: visiting drops off, residing picks up 15 minutes later',
  )
  t.same([first.json.start, first.json.end], ['2027-03-10T16:00:00.000Z', '2027-03-10T16:15:00.000Z'])

  const during = await book(b.caseId, { start: '2027-03-10T17:30' })
  t.equal(during.status, 409, 'the room and counsellor stay reserved until the pick-up ends')
  t.match(during.json.conflicts, [
    { code: 'room_busy', visitId: first.json.id },
    { code: 'counsellor_busy', visitId: first.json.id },
  ])
  t.equal((await book(b.caseId, { start: '2027-03-10T17:45' })).status, 201, 'free from the end of the pick-up')

  const reversed = await book(a.caseId, { start: '2027-03-11T10:00', stagger: { firstToArrive: 'residing', arrivalGapMinutes: 20, departureGapMinutes: 10 } })
  t.equal(reversed.status, 201, reversed.body)
  t.same(arrivalsOf(reversed.json, a), { residing: '10:00–10:15', visiting: '10:35–10:45' })

  // Moving it keeps its own staggering.
  const moved = await call(app, {
    method: 'PATCH',
    url: `/v1/visits/${reversed.json.id}`,
    token: centre.adminToken,
    headers: { 'if-match': '"1"' },
    body: { start: '2027-03-11T14:00' },
  })
  t.equal(moved.status, 200, moved.body)
  t.same(arrivalsOf(moved.json, a), { residing: '14:00–14:15', visiting: '14:35–14:45' })

  const late = await book(a.caseId, { start: '2027-03-11T19:30' })
  t.equal(late.status, 409, 'the pick-up would end after closing time')
  t.match(late.json.conflicts, [{ code: 'outside_opening_hours' }])
})

t.test('occurrences of one request that overlap each other: the later one is skipped, in a dry run too', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const c = await createCase(database, centre)
  const body = (extra: Record<string, unknown>) => ({
    kind: 'supervised_visit',
    roomId: centre.demo.roomIds[1],
    counsellorIds: [centre.demo.counsellorIds[0]],
    start: '2027-03-03T10:00',
    durationMinutes: 90,
    rrule: 'FREQ=DAILY;COUNT=1',
    rdates: ['2027-03-03T11:00', '2027-03-04T10:00'],
    onConflict: 'skip',
    ...extra,
  })
  for (const dryRun of [true, false]) {
    const response = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/series`, token: centre.adminToken, body: body({ dryRun }) })
    t.equal(response.status, dryRun ? 200 : 201, response.body)
    t.same(
      response.json.visits.map((v: { start: string }) => v.start),
      ['2027-03-03T09:00:00.000Z', '2027-03-04T09:00:00.000Z'],
      `dryRun ${dryRun}`,
    )
    t.match(response.json.skipped, [
      { start: '2027-03-03T10:00:00.000Z', reasons: [{ code: 'party_busy', detail: 'overlaps another occurrence of this request' }] },
    ])
  }
})

t.test('a series meeting existing reservations: a free place of the room is taken, a busy counsellor skips its date', async (t) => {
  // The series is first written on the assumption that nothing is in the way; these are the cases
  // where the exclusion constraint refuses that write, the transaction is rolled back, and the
  // series is booked again in a new one, judged with the reservations in its way.
  const { app, database, centre } = await testCentre(t)
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const room = await call(app, {
    method: 'POST',
    url: '/v1/rooms',
    token: centre.adminToken,
    body: { siteId: centre.demo.siteId, name: 'Twee gezinnen', capacity: 2 },
  })
  t.equal(room.status, 201, room.body)
  const [first, second] = centre.demo.counsellorIds as [string, string]
  const series = (caseId: string, body: Record<string, unknown>) =>
    call(app, {
      method: 'POST',
      url: `/v1/cases/${caseId}/series`,
      token: centre.adminToken,
      body: { kind: 'supervised_visit', roomId: room.json.id, durationMinutes: 60, rrule: 'FREQ=WEEKLY;COUNT=3', ...body },
    })
  const placesOf = async (visitIds: string[]) =>
    (
      await rawRows<{ place: number }>(
        database.db,
        sql`select place from reservations where resource_kind = 'room' and visit_id = any(${uuidArray(visitIds)}) order by lower(during)`,
      )
    ).map((r) => r.place)

  const single = await call(app, {
    method: 'POST',
    url: `/v1/cases/${b.caseId}/visits`,
    token: centre.adminToken,
    body: { kind: 'supervised_visit', roomId: room.json.id, counsellorIds: [first], start: '2027-03-17T10:00', durationMinutes: 60 },
  })
  t.equal(single.status, 201, single.body)
  const elsewhere = await call(app, {
    method: 'POST',
    url: `/v1/cases/${b.caseId}/visits`,
    token: centre.adminToken,
    body: { kind: 'supervised_visit', roomId: centre.demo.roomIds[0], counsellorIds: [first], start: '2027-03-17T14:00', durationMinutes: 60 },
  })
  t.equal(elsewhere.status, 201, elsewhere.body)

  const shared = await series(a.caseId, { counsellorIds: [second], start: '2027-03-10T10:00', onConflict: 'reject' })
  t.equal(shared.status, 201, shared.body)
  t.equal(shared.json.visits.length, 3)
  t.same(await placesOf(shared.json.visits.map((v: { id: string }) => v.id)), [1, 2, 1], 'the second place on the date the first is taken')

  const skipping = await series(a.caseId, { counsellorIds: [first], start: '2027-03-10T14:00', onConflict: 'skip' })
  t.equal(skipping.status, 201, skipping.body)
  t.same(
    skipping.json.visits.map((v: { start: string }) => v.start),
    ['2027-03-10T13:00:00.000Z', '2027-03-24T13:00:00.000Z'],
  )
  t.match(skipping.json.skipped, [{ start: '2027-03-17T13:00:00.000Z', reasons: [{ code: 'counsellor_busy' }] }])
  t.same(skipping.json.skipped[0].reasons.length, 1)
  const [{ n }] = (await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from visits where case_id = ${a.caseId}`)) as [{ n: number }]
  t.equal(n, 5, 'each series written once')
  const audited = await rawRows<{ action: string; n: number }>(
    database.db,
    sql`select action, count(*)::int as n from audit_events
      where centre_id = ${centre.centreId} and action in ('series.created', 'visit.booked') group by action order by action`,
  )
  t.same(
    audited,
    [
      { action: 'series.created', n: 2 },
      { action: 'visit.booked', n: 7 },
    ],
    'the refused first writes left no audit entry',
  )
})
