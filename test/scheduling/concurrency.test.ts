import t from 'tap'
import type pg from 'pg'
import { buildApp, type App } from '../../src/app.js'
import { openDatabase, type Database } from '../../src/db/client.js'
import { setupCentre, type SetupResult } from '../../src/db/seed.js'
import { buildTestApp, call, onPostgres, openTestDatabase } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

/**
 * The booking guarantees of DESIGN.md §2 under real concurrency: many connections racing in
 * PostgreSQL, then the invariants checked in SQL. `Promise.all` over `app.inject` runs on one event
 * loop, but each request's transaction holds its own pool connection, so they race in the database.
 *
 * Several tests also "gate" the race: a separate connection holds an ACCESS EXCLUSIVE lock on
 * `reservations` while the requests are fired, so every booking transaction (case row locked, rules
 * loaded) queues at its overlap lookup; the lock is released once all of them wait. They then all
 * see a free slot at the same instant, and only the exclusion constraint stands between them — the
 * worst case, made deterministic.
 */
const skip = onPostgres ? false : 'needs real PostgreSQL (DATABASE_URL): PGlite is single-connection, so it cannot race'

/** The assertions the helpers use (a subtest's `t`). */
type Assert = Pick<typeof t, 'ok' | 'equal' | 'same' | 'match' | 'comment'>
type Centre = SetupResult & { demo: NonNullable<SetupResult['demo']> }
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '08:00', to: '20:00' }]]))

async function rows<T = Record<string, unknown>>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query(text, values)).rows as T[]
}

async function createCounsellors(app: App, centre: Centre, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const response = await call(app, { method: 'POST', url: '/v1/counsellors', token: centre.adminToken, body: { name: `Begeleider ${i + 1}`, workingHours: ALL_WEEK } })
    if (response.status !== 201) throw new Error(`counsellor: ${response.status} ${response.body}`)
    ids.push(response.json.id)
  }
  return ids
}

async function createRooms(app: App, centre: Centre, n: number, capacity = 1): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const response = await call(app, { method: 'POST', url: '/v1/rooms', token: centre.adminToken, body: { siteId: centre.demo.siteId, name: `Lokaal ${i + 1}`, capacity } })
    if (response.status !== 201) throw new Error(`room: ${response.status} ${response.body}`)
    ids.push(response.json.id)
  }
  return ids
}

/**
 * Holds `reservations` locked until `waiters` transactions queue behind the lock (or 20 s pass),
 * then releases it. Returns how many were waiting at release.
 */
async function gate(pool: pg.Pool) {
  const holder = await pool.connect()
  await holder.query('begin')
  await holder.query('lock table reservations in access exclusive mode')
  return {
    async openWhen(waiters: number): Promise<number> {
      const until = Date.now() + 20_000
      let waiting = 0
      try {
        while (Date.now() < until) {
          const [row] = await rows<{ n: number }>(pool, `select count(*)::int as n from pg_locks
            where relation = 'reservations'::regclass and not granted
              and database = (select oid from pg_database where datname = current_database())`)
          waiting = row!.n
          if (waiting >= waiters) break
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      } finally {
        await holder.query('commit')
        holder.release()
      }
      return waiting
    },
  }
}

interface Race { caseId: string; counsellorId: string }

const visitBody = (roomId: string, counsellorIds: string[], start: string, kind = 'supervised_visit') => ({
  kind, ...(kind === 'outside_visit' ? {} : { roomId }), counsellorIds, start, durationMinutes: 90,
})

/** Fires one single-visit booking per racer at the same room and time, spread over `apps`. */
async function raceSingleVisits(apps: App[], pool: pg.Pool, centre: Centre, racers: Race[], roomId: string, start: string, options: { gated: boolean }) {
  const held = options.gated ? await gate(pool) : null
  const requests = racers.map((r, i) => call(apps[i % apps.length]!, {
    method: 'POST', url: `/v1/cases/${r.caseId}/visits`, token: centre.adminToken, body: visitBody(roomId, [r.counsellorId], start),
  }))
  const waiting = held ? await held.openWhen(racers.length) : null
  return { responses: await Promise.all(requests), waiting }
}

/** Exactly one 201; every other answer a 409 problem naming the room and the winning visit. */
function checkOneWinner(t: Assert, responses: Awaited<ReturnType<typeof call>>[], roomId: string) {
  const statuses = responses.map((r) => r.status)
  const won = responses.filter((r) => r.status === 201)
  t.equal(won.length, 1, `exactly one 201 (statuses: ${statuses.join(',')})`)
  t.equal(responses.filter((r) => r.status === 409).length, responses.length - 1, 'every other request is a 409')
  const winner = won[0]?.json.id
  for (const lost of responses.filter((r) => r.status !== 201)) {
    t.match(lost.headers['content-type'], /^application\/problem\+json/)
    t.match(lost.json, { status: 409, conflicts: [{ code: 'room_busy', resourceKind: 'room', resourceId: roomId, visitId: winner }] }, 'a room_busy conflict naming the winning visit')
  }
  return winner as string
}

async function activeRoomReservations(pool: pg.Pool, roomId: string, from: string, to: string) {
  return rows<{ visit_id: string; place: number }>(pool, `select visit_id, place from reservations
    where resource_id = $1 and active and during && tstzrange($2::timestamptz, $3::timestamptz, '[)')`, [roomId, from, to])
}

// Tuesday 16 February 2027, 14:00 in Brussels (UTC+1): the staggered span is 13:45–15:45.
const SLOT = { local: '2027-02-16T14:00', spanFrom: '2027-02-16T13:45:00+01:00', spanTo: '2027-02-16T15:45:00+01:00' }
const SLOT2 = { local: '2027-02-17T14:00', spanFrom: '2027-02-17T13:45:00+01:00', spanTo: '2027-02-17T15:45:00+01:00' }

t.test('a: 20 concurrent bookings of one room and time for 20 cases → exactly one 201, nineteen 409 room_busy', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const counsellorIds = await createCounsellors(app, centre, 20)
  const roomId = centre.demo.roomIds[0]! // capacity 1

  for (const [round, slot, gated] of [['free-running', SLOT, false], ['gated', SLOT2, true]] as const) {
    const racers: Race[] = []
    for (const counsellorId of counsellorIds) racers.push({ caseId: (await createCase(database, centre)).caseId, counsellorId })
    const { responses, waiting } = await raceSingleVisits([app], pool, centre, racers, roomId, slot.local, { gated })
    if (gated) t.equal(waiting, 20, 'all 20 booking transactions were queued at the same point when the gate opened')
    const winner = checkOneWinner(t, responses, roomId)
    const reserved = await activeRoomReservations(pool, roomId, slot.spanFrom, slot.spanTo)
    t.same(reserved, [{ visit_id: winner, place: 1 }], `${round}: exactly one active room reservation overlaps the slot, the winner's`)
    const booked = await rows(pool, `select id from visits where room_id = $1 and status = 'booked' and starts_at = $2::timestamptz`, [roomId, `${slot.local}:00+01:00`])
    t.equal(booked.length, 1, `${round}: exactly one booked visit at that time`)
    // The winner holds its room, its counsellor and the case's three people; the losers left nothing behind.
    const [held] = await rows<{ n: number }>(pool, `select count(*)::int as n from reservations where visit_id = $1 and active`, [winner])
    t.equal(held!.n, 5, `${round}: the winner reserves room, counsellor and the case's three people`)
    const stray = await rows(pool, `select r.id from reservations r join visits v on v.id = r.visit_id
      where v.starts_at = $1::timestamptz and r.visit_id <> $2`, [`${slot.local}:00+01:00`, winner])
    t.same(stray, [], `${round}: no reservation of a losing request survived`)
  }
})

t.test('a (capacity 2): 20 concurrent bookings of a two-family room → exactly two 201s, on places 1 and 2', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const counsellorIds = await createCounsellors(app, centre, 20)
  const roomId = centre.demo.roomIds[1]! // capacity 2
  const racers: Race[] = []
  for (const counsellorId of counsellorIds) racers.push({ caseId: (await createCase(database, centre)).caseId, counsellorId })
  // Gated: all 20 see both places free and go for place 1; the losers of place 1 must still get place 2.
  const { responses, waiting } = await raceSingleVisits([app], pool, centre, racers, roomId, SLOT.local, { gated: true })
  t.equal(waiting, 20, 'all 20 were queued at the gate')
  const statuses = responses.map((r) => r.status)
  t.equal(statuses.filter((s) => s === 201).length, 2, `exactly two 201s (statuses: ${statuses.join(',')})`)
  t.equal(statuses.filter((s) => s === 409).length, 18, 'eighteen 409s')
  for (const lost of responses.filter((r) => r.status === 409)) t.match(lost.json.conflicts, [{ code: 'room_busy', resourceKind: 'room', resourceId: roomId }])
  const reserved = await activeRoomReservations(pool, roomId, SLOT.spanFrom, SLOT.spanTo)
  t.same(reserved.map((r) => r.place).sort(), [1, 2], 'the two winners hold places 1 and 2')
})

const OVERLAPPING_PAIRS = `select count(*)::int as n from reservations a join reservations b
  on a.resource_id = b.resource_id and a.place = b.place and a.id < b.id and a.active and b.active and a.during && b.during`

/** Every booked visit holds an active reservation of its room, each counsellor and each party for exactly its span. */
const VISITS_MISSING_RESERVATIONS = `select v.id, res.id as resource_id from visits v
  cross join lateral unnest(case when v.room_id is null then v.counsellor_ids || v.party_ids else array[v.room_id] || v.counsellor_ids || v.party_ids end) as res(id)
  where v.status = 'booked' and not exists (
    select 1 from reservations r where r.visit_id = v.id and r.active and r.resource_id = res.id
      and r.during = tstzrange(v.span_start, v.span_end, '[)'))`

const ORPHAN_RESERVATIONS = `select r.id from reservations r join visits v on v.id = r.visit_id where r.active and v.status <> 'booked'`

t.test('b: 20 concurrent series in skip mode never leave two active reservations overlapping', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const counsellorIds = await createCounsellors(app, centre, 40)

  // Two batches of 20 series: one on the single-family room, one on the two-family room.
  for (const [batch, roomId, capacity] of [['capacity 1', centre.demo.roomIds[0]!, 1], ['capacity 2', centre.demo.roomIds[1]!, 2]] as const) {
    const offset = batch === 'capacity 1' ? 0 : 20
    const requests: { caseId: string; body: object }[] = []
    for (let i = 0; i < 20; i++) {
      const { caseId } = await createCase(database, centre)
      // Tuesdays from 2 February 2027, starting one of four weeks apart, at 10:00, 10:30 or 11:00:
      // every occurrence overlaps the other series' occurrences of the same week.
      const day = 2 + 7 * (i % 4)
      const start = `2027-02-${String(day).padStart(2, '0')}T${['10:00', '10:30', '11:00'][i % 3]}`
      requests.push({ caseId, body: {
        kind: 'supervised_visit', roomId, counsellorIds: [counsellorIds[offset + i]], start, durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;COUNT=8', onConflict: 'skip',
      } })
    }
    const held = await gate(pool)
    const pending = requests.map((r) => call(app, { method: 'POST', url: `/v1/cases/${r.caseId}/series`, token: centre.adminToken, body: r.body }))
    t.equal(await held.openWhen(20), 20, `${batch}: all 20 series were queued at the gate`)
    const responses = await Promise.all(pending)
    t.same(responses.map((r) => r.status), Array(20).fill(201), `${batch}: every series request is answered 201 (skip mode)`)
    const bookedIds = responses.flatMap((r) => (r.json?.visits ?? []).map((v: { id: string }) => v.id))
    const skipped = responses.flatMap((r) => r.json?.skipped ?? [])
    t.equal(bookedIds.length + skipped.length, 160, `${batch}: each of the 160 occurrences is booked or skipped`)
    t.ok(skipped.every((s: { reasons: { code: string }[] }) => s.reasons.length > 0 && s.reasons.every((r) => r.code === 'room_busy')), `${batch}: every skipped occurrence says room_busy`)

    const inDb = await rows<{ id: string }>(pool, `select id from visits where room_id = $1 and status = 'booked'`, [roomId])
    t.same(inDb.map((v) => v.id).sort(), [...bookedIds].sort(), `${batch}: the visits answered as booked are exactly those booked in the database`)
    // 11 Tuesdays are asked for (2 Feb + 3 weeks of offsets + 8 occurrences); each is filled to capacity.
    const perWeek = await rows<{ week: string; n: number; places: number[] }>(pool, `select date_trunc('week', v.starts_at)::date::text as week, count(*)::int as n, array_agg(r.place order by r.place) as places
      from visits v join reservations r on r.visit_id = v.id and r.resource_id = v.room_id and r.active
      where v.room_id = $1 and v.status = 'booked' group by 1 order by 1`, [roomId])
    t.equal(perWeek.length, 11, `${batch}: every asked-for Tuesday has a visit`)
    t.ok(perWeek.every((w) => w.n === capacity && w.places.every((p, i) => p === i + 1)), `${batch}: each Tuesday holds exactly ${capacity} visit(s), on places 1..${capacity}: ${JSON.stringify(perWeek)}`)
  }

  const [overlaps] = await rows<{ n: number }>(pool, OVERLAPPING_PAIRS)
  t.equal(overlaps!.n, 0, 'no two active reservations of one resource place overlap')
  t.same(await rows(pool, VISITS_MISSING_RESERVATIONS), [], 'every booked visit holds its room, counsellor and party reservations for its whole span')
  t.same(await rows(pool, ORPHAN_RESERVATIONS), [], 'no active reservation belongs to a visit that is not booked')
  const [beyond] = await rows<{ n: number }>(pool, `select count(*)::int as n from reservations r join rooms m on m.id = r.resource_id where r.place > m.capacity`)
  t.equal(beyond!.n, 0, 'no room place beyond the room\'s capacity')
})

t.test('e: concurrent bookings naming the same counsellors in opposite orders → one 201, the rest 409, never a deadlock', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const [a, b] = await createCounsellors(app, centre, 2)
  // Outside visits take no room: only the two counsellors are shared, listed [a, b] by half and [b, a] by the other half.
  const held = await gate(pool)
  const pending: ReturnType<typeof call>[] = []
  for (let i = 0; i < 20; i++) {
    const { caseId } = await createCase(database, centre)
    pending.push(call(app, { method: 'POST', url: `/v1/cases/${caseId}/visits`, token: centre.adminToken, body: visitBody('', i % 2 ? [a!, b!] : [b!, a!], SLOT.local, 'outside_visit') }))
  }
  t.equal(await held.openWhen(20), 20, 'all 20 were queued at the gate')
  const responses = await Promise.all(pending)
  const statuses = responses.map((r) => r.status)
  t.equal(statuses.filter((s) => s === 201).length, 1, `exactly one 201 (statuses: ${statuses.join(',')})`)
  t.equal(statuses.filter((s) => s === 409).length, 19, 'nineteen 409s, no 503 "retry" from a deadlock')
  for (const lost of responses.filter((r) => r.status === 409)) t.match(lost.json.conflicts, [{ code: 'counsellor_busy', resourceKind: 'counsellor' }])
  const [overlaps] = await rows<{ n: number }>(pool, OVERLAPPING_PAIRS)
  t.equal(overlaps!.n, 0)
})

/** No booked visit of any case starts (in its local calendar) inside one of the case's suspension periods. */
const BOOKED_INSIDE_SUSPENSION = `select v.id, v.starts_at, s.from_date, s.until_date from visits v join suspensions s on s.case_id = v.case_id
  where v.status = 'booked'
    and (v.starts_at at time zone v.time_zone)::date >= s.from_date::date
    and (s.until_date is null or (v.starts_at at time zone v.time_zone)::date < s.until_date::date)`

// The suspension period and five Tuesdays inside it (no public holiday among them).
const PERIOD = { from: '2027-05-31', until: '2027-07-05' }
const TUESDAYS = ['2027-06-01', '2027-06-08', '2027-06-15', '2027-06-22', '2027-06-29'].map((d) => `${d}T14:00`)
const ROUNDS = 10

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One round: five bookings of the case inside PERIOD and one suspension over it, fired together with
 * a varying head start so that the two orders both occur. The bookings use the round's own room and
 * counsellor, so they can only be refused by the suspension.
 */
async function suspensionRound(t: Assert, app: App, centre: Centre, caseId: string, roomId: string, counsellorId: string, round: number, suspend: () => Promise<{ ok: boolean; detail: string }>) {
  const bookings = TUESDAYS.map(async (start, i) => {
    await sleep((round + i) % 3)
    return call(app, { method: 'POST', url: `/v1/cases/${caseId}/visits`, token: centre.adminToken, body: visitBody(roomId, [counsellorId], start) })
  })
  const suspension = (async () => { await sleep(round % 4); return suspend() })()
  const [suspended, ...responses] = await Promise.all([suspension, ...bookings])
  t.ok(suspended.ok, `round ${round}: the suspension went through (${suspended.detail})`)
  for (const response of responses) {
    if (response.status === 201) continue
    t.equal(response.status, 409, `round ${round}: a booking is either made or refused (${response.status} ${response.body.slice(0, 200)})`)
    t.match(response.json?.conflicts, [{ code: 'case_suspended' }], `round ${round}: refused because of the suspension`)
  }
  return responses.filter((r) => r.status === 201).length
}

async function checkSuspensions(t: Assert, pool: pg.Pool, caseIds: string[], tally: { bookedThenCancelled: number }) {
  t.same(await rows(pool, BOOKED_INSIDE_SUSPENSION), [], 'no booked visit starts inside a suspension period')
  const [left] = await rows<{ n: number }>(pool, `select count(*)::int as n from visits where case_id = any($1::uuid[]) and status = 'booked'`, [caseIds])
  t.equal(left!.n, 0, 'every visit of the suspended cases (all inside the period) is cancelled or was never booked')
  const cancelled = await rows<{ reason: string; n: number }>(pool, `select cancel_reason_code as reason, count(*)::int as n from visits
    where case_id = any($1::uuid[]) group by 1`, [caseIds])
  t.ok(cancelled.every((c) => c.reason === 'case_suspended'), `the visits booked before the suspension were cancelled for case_suspended: ${JSON.stringify(cancelled)}`)
  t.equal(cancelled.reduce((n, c) => n + c.n, 0), tally.bookedThenCancelled, 'each 201 is one visit, later cancelled')
  t.same(await rows(pool, ORPHAN_RESERVATIONS), [], 'the cancelled visits no longer hold reservations')
  t.comment(`${tally.bookedThenCancelled} of ${ROUNDS * TUESDAYS.length} bookings won the race and were cancelled by the suspension; the others were refused with case_suspended`)
}

t.test('c (SQL suspension): a suspension racing bookings never leaves a booked visit inside the suspension', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const counsellorIds = await createCounsellors(app, centre, ROUNDS)
  const roomIds = await createRooms(app, centre, ROUNDS)
  const caseIds: string[] = []
  const tally = { bookedThenCancelled: 0 }
  for (let round = 0; round < ROUNDS; round++) {
    const { caseId } = await createCase(database, centre)
    caseIds.push(caseId)
    // What the suspend transition does, on its own pool connection: lock the case, record the period,
    // cancel the booked visits inside it and free their reservations — one transaction.
    const suspend = async () => {
      const client = await pool.connect()
      try {
        await client.query('begin')
        await client.query('select id from cases where id = $1 for update', [caseId])
        await client.query(`insert into suspensions (id, case_id, from_date, until_date, reason_code, explanation)
          values (gen_random_uuid(), $1, $2, $3, 'child_refuses', 'concurrency test')`, [caseId, PERIOD.from, PERIOD.until])
        await client.query(`update cases set status = 'suspended' where id = $1`, [caseId])
        const { rows: cancelled } = await client.query(`update visits set status = 'cancelled', cancelled_by = 'centre', cancel_reason_code = 'case_suspended',
            cancelled_at = now(), version = version + 1
          where case_id = $1 and status = 'booked'
            and starts_at >= ($2::date)::timestamp at time zone 'Europe/Brussels' and starts_at < ($3::date)::timestamp at time zone 'Europe/Brussels'
          returning id`, [caseId, PERIOD.from, PERIOD.until])
        await client.query('update reservations set active = false where active and visit_id = any($1::uuid[])', [cancelled.map((r) => r.id)])
        await client.query('commit')
        return { ok: true, detail: `${cancelled.length} visit(s) cancelled` }
      } catch (error) {
        await client.query('rollback')
        return { ok: false, detail: String(error) }
      } finally {
        client.release()
      }
    }
    tally.bookedThenCancelled += await suspensionRound(t, app, centre, caseId, roomIds[round]!, counsellorIds[round]!, round, suspend)
  }
  await checkSuspensions(t, pool, caseIds, tally)
})

t.test('c (HTTP suspension): POST /v1/cases/{id}/suspend racing bookings never leaves a booked visit inside the suspension', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const registered = app.hasRoute({ method: 'POST', url: '/v1/cases/:id/suspend' })
  await t.test(`${ROUNDS} rounds of 1 suspension vs ${TUESDAYS.length} bookings`, {
    skip: registered ? false : 'POST /v1/cases/{id}/suspend is not registered in the app yet (the SQL-level race above covers the guarantee)',
  }, async (t) => {
  const pool = database.pool!
  // The shared catalogue normally holds the code; make sure it does in this database.
  await pool.query(`insert into reason_codes (id, category, code, centre_id, label_nl, label_fr, label_en)
    values (gen_random_uuid(), 'suspension', 'child_refuses', null, 'Kind weigert', 'L''enfant refuse', 'Child refuses') on conflict do nothing`)
  const counsellorIds = await createCounsellors(app, centre, ROUNDS)
  const roomIds = await createRooms(app, centre, ROUNDS)
  const caseIds: string[] = []
  const tally = { bookedThenCancelled: 0 }
  for (let round = 0; round < ROUNDS; round++) {
    const { caseId } = await createCase(database, centre)
    caseIds.push(caseId)
    const suspend = async () => {
      const response = await call(app, { method: 'POST', url: `/v1/cases/${caseId}/suspend`, token: centre.adminToken, body: {
        reasonCode: 'child_refuses', explanation: 'The child refuses to come (concurrency test).', ...PERIOD,
      } })
      return { ok: response.status === 200, detail: `${response.status}${response.status === 200 ? '' : ` ${response.body.slice(0, 200)}`}` }
    }
    tally.bookedThenCancelled += await suspensionRound(t, app, centre, caseId, roomIds[round]!, counsellorIds[round]!, round, suspend)
  }
  await checkSuspensions(t, pool, caseIds, tally)
  })
})

t.test('d: two API processes (separate pools) against one database → still exactly one 201', { skip }, async (t) => {
  const database = await openTestDatabase(t, 5)
  const centre = await setupCentre(database.db, { centreName: 'Centre A', demo: true }) as Centre
  const apps: App[] = []
  const pools: Database[] = []
  for (let i = 0; i < 2; i++) {
    const own = await openDatabase({ databaseUrl: database.url!, poolSize: 10 })
    const app = await buildApp({ database: own })
    pools.push(own)
    apps.push(app)
  }
  t.teardown(async () => {
    for (const app of apps) await app.close()
    for (const own of pools) await own.close()
  })
  const pool = database.pool!
  const counsellorIds = await createCounsellors(apps[0]!, centre, 20)
  const roomId = centre.demo.roomIds[0]!
  for (const [round, slot, gated] of [['free-running', SLOT, false], ['gated', SLOT2, true]] as const) {
    const racers: Race[] = []
    for (const counsellorId of counsellorIds) racers.push({ caseId: (await createCase(database, centre)).caseId, counsellorId })
    const { responses, waiting } = await raceSingleVisits(apps, pool, centre, racers, roomId, slot.local, { gated })
    if (gated) t.equal(waiting, 20, 'all 20 transactions, ten from each process, were queued at the gate')
    const winner = checkOneWinner(t, responses, roomId)
    t.same(await activeRoomReservations(pool, roomId, slot.spanFrom, slot.spanTo), [{ visit_id: winner, place: 1 }], `${round}: one active room reservation, the winner's`)
  }
  const [overlaps] = await rows<{ n: number }>(pool, OVERLAPPING_PAIRS)
  t.equal(overlaps!.n, 0, 'no two active reservations of one resource place overlap')
})
