import t from 'tap'
import type pg from 'pg'
import type { App } from '../../src/app.js'
import type { SetupResult } from '../../src/modules/admin/demo.js'
import { buildTestApp, call, onPostgres, openTestDatabase, type Call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { listening, start, stop, type Running } from '../helpers/processes.js'

/**
 * The booking guarantees of docs/architecture.md under real concurrency: many connections racing in
 * PostgreSQL, then the invariants checked in SQL. `Promise.all` over `app.inject` runs on one event
 * loop, but each request's transaction holds its own pool connection, so they race in the database.
 * The last test repeats the races across two real server processes (as `npm start` runs them).
 *
 * Several tests also "gate" the race: a separate connection holds an ACCESS EXCLUSIVE lock on
 * `reservations` while the requests are fired, so every booking transaction (case row locked, rules
 * loaded) queues at its overlap lookup; the lock is released once all of them wait. They then all
 * see a free slot at the same instant, and only the exclusion constraint stands between them — the
 * worst case, made deterministic.
 */
const skip = onPostgres ? false : 'needs real PostgreSQL (DATABASE_URL): PGlite is one connection in one process, so nothing can race'

/** The assertions the helpers use (a subtest's `t`). */
type Assert = Pick<typeof t, 'ok' | 'equal' | 'same' | 'match' | 'comment'>
type Centre = SetupResult & { demo: NonNullable<SetupResult['demo']> }
interface Reply {
  status: number
  json: any
  headers: Record<string, unknown>
  body: string
}
/** One way to reach the API: `app.inject` in this process, or HTTP to a server process. */
type Api = (request: Call) => Promise<Reply>

const viaInject =
  (app: App): Api =>
  (request) =>
    call(app, request)
const viaHttp =
  (base: string): Api =>
  async ({ method = 'GET', url, token, body }) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    let json: any
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, json, headers: Object.fromEntries(response.headers), body: text }
  }

const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '08:00', to: '20:00' }]]))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function rows<T = Record<string, unknown>>(pool: pg.Pool, text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query(text, values)).rows as T[]
}

// Set-up requests and cases are made in parallel: only the races themselves are measured by the tests.
function createCounsellors(api: Api, centre: Centre, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const response = await api({
        method: 'POST',
        url: '/v1/counsellors',
        token: centre.adminToken,
        body: { name: `Begeleider ${i + 1}`, workingHours: ALL_WEEK },
      })
      if (response.status !== 201) throw new Error(`counsellor: ${response.status} ${response.body}`)
      return response.json.id as string
    }),
  )
}

function createRooms(api: Api, centre: Centre, n: number, capacity = 1): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const response = await api({
        method: 'POST',
        url: '/v1/rooms',
        token: centre.adminToken,
        body: { siteId: centre.demo.siteId, name: `Lokaal ${i + 1}`, capacity },
      })
      if (response.status !== 201) throw new Error(`room: ${response.status} ${response.body}`)
      return response.json.id as string
    }),
  )
}

type TestDatabase = Parameters<typeof createCase>[0]
const createCases = async (database: TestDatabase, centre: Centre, n: number) =>
  (await Promise.all(Array.from({ length: n }, () => createCase(database, centre)))).map((c) => c.caseId)

/** One racer per counsellor, each with a case of its own. */
const racersFor = async (database: TestDatabase, centre: Centre, counsellorIds: string[]): Promise<Race[]> =>
  (await createCases(database, centre, counsellorIds.length)).map((caseId, i) => ({ caseId, counsellorId: counsellorIds[i]! }))

/**
 * Holds `reservations` locked until `waiters` transactions queue behind it (or 20 s pass), then
 * releases it. A booking of a busy room or counsellor queues on that resource's advisory lock before
 * it reaches `reservations`, so those waiters count too. Returns how many were waiting at release.
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
          const [row] = await rows<{ n: number }>(
            pool,
            `select count(*)::int as n from pg_locks
            where (relation = 'reservations'::regclass or locktype = 'advisory') and not granted
              and database = (select oid from pg_database where datname = current_database())`,
          )
          waiting = row!.n
          if (waiting >= waiters) break
          await sleep(10)
        }
      } finally {
        await holder.query('commit')
        holder.release()
      }
      return waiting
    },
  }
}

interface Race {
  caseId: string
  counsellorId: string
}

const visitBody = (roomId: string, counsellorIds: string[], start: string, kind = 'supervised_visit') => ({
  kind,
  ...(kind === 'outside_visit' ? { location: { description: 'The playground by the station' } } : { roomId }),
  counsellorIds,
  start,
  durationMinutes: 90,
})

/** Fires one single-visit booking per racer at the same room and time, spread over `apis`. */
async function raceSingleVisits(apis: Api[], pool: pg.Pool, centre: Centre, racers: Race[], roomId: string, start: string, options: { gated: boolean }) {
  const held = options.gated ? await gate(pool) : null
  const requests = racers.map((r, i) =>
    apis[i % apis.length]!({
      method: 'POST',
      url: `/v1/cases/${r.caseId}/visits`,
      token: centre.adminToken,
      body: visitBody(roomId, [r.counsellorId], start),
    }),
  )
  const waiting = held ? await held.openWhen(racers.length) : null
  return { responses: await Promise.all(requests), waiting }
}

/** Exactly one 201; every other answer a 409 problem naming the room and the winning visit. */
function checkOneWinner(t: Assert, responses: Reply[], roomId: string) {
  const statuses = responses.map((r) => r.status)
  const won = responses.filter((r) => r.status === 201)
  t.equal(won.length, 1, `exactly one 201 (statuses: ${statuses.join(',')})`)
  t.equal(responses.filter((r) => r.status === 409).length, responses.length - 1, 'every other request is a 409')
  const winner = won[0]?.json.id
  for (const lost of responses.filter((r) => r.status !== 201)) {
    t.match(lost.headers['content-type'], /^application\/problem\+json/)
    t.match(
      lost.json,
      { status: 409, conflicts: [{ code: 'room_busy', resourceKind: 'room', resourceId: roomId, visitId: winner }] },
      'a room_busy conflict naming the winning visit',
    )
  }
  return winner as string
}

async function activeRoomReservations(pool: pg.Pool, roomId: string, from: string, to: string) {
  return rows<{ visit_id: string; place: number }>(
    pool,
    `select visit_id, place from reservations
    where resource_id = $1 and active and during && tstzrange($2::timestamptz, $3::timestamptz, '[)')`,
    [roomId, from, to],
  )
}

// Tuesday 16 February 2027, 14:00 in Brussels (UTC+1): the staggered span is 13:45–15:45.
const SLOT = { local: '2027-02-16T14:00', spanFrom: '2027-02-16T12:45:00.000Z', spanTo: '2027-02-16T14:45:00.000Z' }
const SLOT2 = { local: '2027-02-17T14:00', spanFrom: '2027-02-17T12:45:00.000Z', spanTo: '2027-02-17T14:45:00.000Z' }

/** Both rounds of the single-visit race (free-running, then gated) on a capacity-1 room. */
async function singleVisitRounds(t: Assert, apis: Api[], pool: pg.Pool, centre: Centre, database: TestDatabase, counsellorIds: string[], roomId: string) {
  for (const [round, slot, gated] of [
    ['free-running', SLOT, false],
    ['gated', SLOT2, true],
  ] as const) {
    const racers = await racersFor(database, centre, counsellorIds)
    const { responses, waiting } = await raceSingleVisits(apis, pool, centre, racers, roomId, slot.local, { gated })
    if (gated)
      t.equal(
        waiting,
        20,
        `all 20 booking transactions${apis.length > 1 ? `, ${20 / apis.length} from each process,` : ''} were queued at the same point when the gate opened`,
      )
    const winner = checkOneWinner(t, responses, roomId)
    const reserved = await activeRoomReservations(pool, roomId, slot.spanFrom, slot.spanTo)
    t.same(reserved, [{ visit_id: winner, place: 1 }], `${round}: exactly one active room reservation overlaps the slot, the winner's`)
    const booked = await rows(pool, `select id from visits where room_id = $1 and status = 'booked' and starts_at = $2::timestamptz`, [
      roomId,
      `${slot.local}:00+01:00`,
    ])
    t.equal(booked.length, 1, `${round}: exactly one booked visit at that time`)
    // The winner holds its room, its counsellor and the case's three people; the losers left nothing behind.
    const [held] = await rows<{ n: number }>(pool, `select count(*)::int as n from reservations where visit_id = $1 and active`, [winner])
    t.equal(held!.n, 5, `${round}: the winner reserves room, counsellor and the case's three people`)
    const stray = await rows(
      pool,
      `select r.id from reservations r join visits v on v.id = r.visit_id
      where v.starts_at = $1::timestamptz and r.visit_id <> $2`,
      [`${slot.local}:00+01:00`, winner],
    )
    t.same(stray, [], `${round}: no reservation of a losing request survived`)
  }
}

const OVERLAPPING_PAIRS = `select count(*)::int as n from reservations a join reservations b
  on a.resource_id = b.resource_id and a.place = b.place and a.id < b.id and a.active and b.active and a.during && b.during`

/** Every booked visit holds an active reservation of its room, each counsellor and each party for exactly its span. */
const VISITS_MISSING_RESERVATIONS = `select v.id, res.id as resource_id from visits v
  cross join lateral unnest(case when v.room_id is null then v.counsellor_ids || v.party_ids else array[v.room_id] || v.counsellor_ids || v.party_ids end) as res(id)
  where v.status = 'booked' and not exists (
    select 1 from reservations r where r.visit_id = v.id and r.active and r.resource_id = res.id
      and r.during = tstzrange(v.span_start, v.span_end, '[)'))`

const ORPHAN_RESERVATIONS = `select r.id from reservations r join visits v on v.id = r.visit_id where r.active and v.status <> 'booked'`

/** The reservation-table invariants, checked in SQL over the whole database. */
async function checkReservations(t: Assert, pool: pg.Pool) {
  const [overlaps] = await rows<{ n: number }>(pool, OVERLAPPING_PAIRS)
  t.equal(overlaps!.n, 0, 'no two active reservations of one resource and place overlap')
  t.same(await rows(pool, VISITS_MISSING_RESERVATIONS), [], 'every booked visit holds its room, counsellor and party reservations for its whole span')
  t.same(await rows(pool, ORPHAN_RESERVATIONS), [], 'no active reservation belongs to a visit that is not booked')
  const [beyond] = await rows<{ n: number }>(
    pool,
    `select count(*)::int as n from reservations r join rooms m on m.id = r.resource_id where r.place > m.capacity`,
  )
  t.equal(beyond!.n, 0, "no room place beyond the room's capacity")
}

const isRetry = (reply: Reply) => reply.status === 503 && String(reply.json?.type).endsWith(':retry')

/**
 * 20 weekly series (COUNT=8, skip mode) on one room, gated so they all start together: Tuesdays from
 * 2 February 2027, starting one of four weeks apart, at 10:00, 10:30 or 11:00, so every occurrence
 * overlaps the other series' occurrences of the same week. Returns how many requests were retried.
 */
async function seriesRace(
  t: Assert,
  apis: Api[],
  pool: pg.Pool,
  centre: Centre,
  database: TestDatabase,
  roomId: string,
  capacity: number,
  counsellorIds: string[],
  label: string,
) {
  const requests: Call[] = []
  const caseIds = await createCases(database, centre, 20)
  for (let i = 0; i < 20; i++) {
    const caseId = caseIds[i]!
    const start = `2027-02-${String(2 + 7 * (i % 4)).padStart(2, '0')}T${['10:00', '10:30', '11:00'][i % 3]}`
    requests.push({
      method: 'POST',
      url: `/v1/cases/${caseId}/series`,
      token: centre.adminToken,
      body: {
        kind: 'supervised_visit',
        roomId,
        counsellorIds: [counsellorIds[i]],
        start,
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;COUNT=8',
        onConflict: 'skip',
      },
    })
  }
  const held = await gate(pool)
  const pending = requests.map((r, i) => apis[i % apis.length]!(r))
  t.equal(await held.openWhen(20), 20, `${label}: all 20 series were queued at the gate`)
  // A 503 `retry` would be a deadlock between series transactions; bookings take their room and
  // counsellor locks in one order so there must be none (asserted by the caller). Should one occur
  // anyway, the request is retried after the race so the remaining checks still run.
  const responses: Reply[] = []
  let retries = 0
  for (const [i, first] of (await Promise.all(pending)).entries()) {
    let reply = first
    for (let attempt = 0; isRetry(reply) && attempt < 3; attempt++, retries++) reply = await apis[i % apis.length]!(requests[i]!)
    responses.push(reply)
  }
  t.same(
    responses.map((r) => r.status),
    Array(20).fill(201),
    `${label}: every series request is answered 201 (skip mode)`,
  )
  const bookedIds = responses.flatMap((r) => (r.json?.visits ?? []).map((v: { id: string }) => v.id))
  const skipped = responses.flatMap((r) => r.json?.skipped ?? [])
  t.equal(bookedIds.length + skipped.length, 160, `${label}: each of the 160 occurrences is booked or skipped`)
  t.ok(
    skipped.every((s: { reasons: { code: string }[] }) => s.reasons.length > 0 && s.reasons.every((r) => r.code === 'room_busy')),
    `${label}: every skipped occurrence says room_busy`,
  )

  const inDb = await rows<{ id: string }>(pool, `select id from visits where room_id = $1 and status = 'booked'`, [roomId])
  t.same(inDb.map((v) => v.id).sort(), [...bookedIds].sort(), `${label}: the visits answered as booked are exactly those booked in the database`)
  // 11 Tuesdays are asked for (2 Feb + 3 weeks of offsets + 8 occurrences); each is filled to capacity.
  const perWeek = await rows<{ week: string; n: number; places: number[] }>(
    pool,
    `select date_trunc('week', v.starts_at)::date::text as week, count(*)::int as n, array_agg(r.place order by r.place) as places
    from visits v join reservations r on r.visit_id = v.id and r.resource_id = v.room_id and r.active
    where v.room_id = $1 and v.status = 'booked' group by 1 order by 1`,
    [roomId],
  )
  t.equal(perWeek.length, 11, `${label}: every asked-for Tuesday has a visit`)
  t.ok(
    perWeek.every((w) => w.n === capacity && w.places.every((p, i) => p === i + 1)),
    `${label}: each Tuesday holds exactly ${capacity} visit(s), on places 1..${capacity}: ${JSON.stringify(perWeek)}`,
  )
  t.comment(
    `${label}: ${bookedIds.length} occurrences booked, ${skipped.length} skipped; ${retries} request(s) answered 503 retry (deadlock) and were retried after the race`,
  )
  return retries
}

/** No booked visit of any case starts (in its local calendar) inside one of the case's suspension periods. */
const BOOKED_INSIDE_SUSPENSION = `select v.id, v.starts_at, s.from_date, s.until_date from visits v join suspensions s on s.case_id = v.case_id
  where v.status = 'booked'
    and (v.starts_at at time zone v.time_zone)::date >= s.from_date::date
    and (s.until_date is null or (v.starts_at at time zone v.time_zone)::date < s.until_date::date)`

// The suspension period and five Tuesdays inside it (no public holiday among them).
const PERIOD = { from: '2027-05-31', until: '2027-07-05' }
const TUESDAYS = ['2027-06-01', '2027-06-08', '2027-06-15', '2027-06-22', '2027-06-29'].map((d) => `${d}T14:00`)

/**
 * `rounds` rounds, each on a fresh case with its own room and counsellor (so a booking can only be
 * refused by the suspension): five bookings inside PERIOD through `book` and one
 * POST /v1/cases/{id}/suspend over it through `suspend`, fired together with a varying head start
 * so that both orders occur. Then the outcome is checked in SQL.
 */
async function suspensionRace(t: Assert, apis: { book: Api; suspend: Api }, pool: pg.Pool, centre: Centre, database: TestDatabase, rounds: number) {
  const counsellorIds = await createCounsellors(apis.book, centre, rounds)
  const roomIds = await createRooms(apis.book, centre, rounds)
  const caseIds: string[] = []
  let won = 0
  for (let round = 0; round < rounds; round++) {
    const { caseId } = await createCase(database, centre)
    caseIds.push(caseId)
    const bookings = TUESDAYS.map(async (start, i) => {
      await sleep((round + i) % 3)
      return apis.book({
        method: 'POST',
        url: `/v1/cases/${caseId}/visits`,
        token: centre.adminToken,
        body: visitBody(roomIds[round]!, [counsellorIds[round]!], start),
      })
    })
    const suspension = (async () => {
      await sleep(round % 4)
      return apis.suspend({
        method: 'POST',
        url: `/v1/cases/${caseId}/suspend`,
        token: centre.adminToken,
        body: {
          reasonCode: 'child_refuses',
          explanation: 'The child refuses to come (concurrency test).',
          ...PERIOD,
        },
      })
    })()
    const [suspended, ...responses] = await Promise.all([suspension, ...bookings])
    t.equal(suspended.status, 200, `round ${round}: the suspension went through ${suspended.status === 200 ? '' : suspended.body.slice(0, 200)}`)
    for (const response of responses) {
      if (response.status === 201) {
        won++
        continue
      }
      t.equal(response.status, 409, `round ${round}: a booking is either made or refused (${response.status} ${response.body.slice(0, 200)})`)
      t.match(response.json?.conflicts, [{ code: 'case_suspended' }], `round ${round}: refused because of the suspension`)
    }
  }
  t.same(await rows(pool, BOOKED_INSIDE_SUSPENSION), [], 'no booked visit starts inside a suspension period')
  const [left] = await rows<{ n: number }>(pool, `select count(*)::int as n from visits where case_id = any($1::uuid[]) and status = 'booked'`, [caseIds])
  t.equal(left!.n, 0, 'every visit of the suspended cases (all inside the period) is cancelled or was never booked')
  const cancelled = await rows<{ reason: string; n: number }>(
    pool,
    `select cancel_reason_code as reason, count(*)::int as n from visits
    where case_id = any($1::uuid[]) group by 1`,
    [caseIds],
  )
  t.ok(
    cancelled.every((c) => c.reason === 'case_suspended'),
    `the visits booked before the suspension were cancelled for case_suspended: ${JSON.stringify(cancelled)}`,
  )
  t.equal(
    cancelled.reduce((n, c) => n + c.n, 0),
    won,
    'each 201 is one visit, later cancelled',
  )
  const events = await rows<{ n: number }>(
    pool,
    `select coalesce(sum(jsonb_array_length(data->'cancelledVisitIds')), 0)::int as n from case_events
    where case_id = any($1::uuid[]) and type = 'suspended'`,
    [caseIds],
  )
  t.equal(events[0]!.n, won, 'the suspension events list exactly the visits they cancelled')
  t.same(await rows(pool, ORPHAN_RESERVATIONS), [], 'the cancelled visits no longer hold reservations')
  t.comment(`${won} of ${rounds * TUESDAYS.length} bookings won the race and were cancelled by the suspension; the others were refused with case_suspended`)
}

t.test('a: 20 concurrent bookings of one room and time for 20 cases → exactly one 201, nineteen 409 room_busy', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const api = viaInject(app)
  await singleVisitRounds(t, [api], database.pool!, centre, database, await createCounsellors(api, centre, 20), centre.demo.roomIds[0]! /* capacity 1 */)
})

t.test('a (capacity 2): 20 concurrent bookings of a two-family room → exactly two 201s, on places 1 and 2', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const counsellorIds = await createCounsellors(viaInject(app), centre, 20)
  const roomId = centre.demo.roomIds[1]! // capacity 2
  const racers = await racersFor(database, centre, counsellorIds)
  // Gated: all 20 see both places free and go for place 1; the losers of place 1 must still get place 2.
  const { responses, waiting } = await raceSingleVisits([viaInject(app)], pool, centre, racers, roomId, SLOT.local, { gated: true })
  t.equal(waiting, 20, 'all 20 were queued at the gate')
  const statuses = responses.map((r) => r.status)
  t.equal(statuses.filter((s) => s === 201).length, 2, `exactly two 201s (statuses: ${statuses.join(',')})`)
  t.equal(statuses.filter((s) => s === 409).length, 18, 'eighteen 409s')
  for (const lost of responses.filter((r) => r.status === 409)) t.match(lost.json.conflicts, [{ code: 'room_busy', resourceKind: 'room', resourceId: roomId }])
  const reserved = await activeRoomReservations(pool, roomId, SLOT.spanFrom, SLOT.spanTo)
  t.same(reserved.map((r) => r.place).sort(), [1, 2], 'the two winners hold places 1 and 2')
})

t.test('b: 20 concurrent series in skip mode never leave two active reservations overlapping', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const api = viaInject(app)
  const counsellorIds = await createCounsellors(api, centre, 40)
  // Two batches of 20 series: one on the single-family room, one on the two-family room.
  let retries = await seriesRace(t, [api], database.pool!, centre, database, centre.demo.roomIds[0]!, 1, counsellorIds.slice(0, 20), 'capacity 1')
  retries += await seriesRace(t, [api], database.pool!, centre, database, centre.demo.roomIds[1]!, 2, counsellorIds.slice(20), 'capacity 2')
  await checkReservations(t, database.pool!)
  t.equal(retries, 0, 'no series request had to be retried')
})

t.test('e: concurrent bookings naming the same counsellors in opposite orders → one 201, the rest 409, never a deadlock', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  const pool = database.pool!
  const [a, b] = await createCounsellors(viaInject(app), centre, 2)
  // Outside visits take no room: only the two counsellors are shared, listed [a, b] by half and [b, a] by the other half.
  const caseIds = await createCases(database, centre, 20)
  const held = await gate(pool)
  const pending = caseIds.map((caseId, i) =>
    call(app, {
      method: 'POST',
      url: `/v1/cases/${caseId}/visits`,
      token: centre.adminToken,
      body: visitBody('', i % 2 ? [a!, b!] : [b!, a!], SLOT.local, 'outside_visit'),
    }),
  )
  t.equal(await held.openWhen(20), 20, 'all 20 were queued at the gate')
  const responses = await Promise.all(pending)
  const statuses = responses.map((r) => r.status)
  t.equal(statuses.filter((s) => s === 201).length, 1, `exactly one 201 (statuses: ${statuses.join(',')})`)
  t.equal(statuses.filter((s) => s === 409).length, 19, 'nineteen 409s, no 503 "retry" from a deadlock')
  for (const lost of responses.filter((r) => r.status === 409)) t.match(lost.json.conflicts, [{ code: 'counsellor_busy', resourceKind: 'counsellor' }])
  const [overlaps] = await rows<{ n: number }>(pool, OVERLAPPING_PAIRS)
  t.equal(overlaps!.n, 0)
})

t.test('c: POST /v1/cases/{id}/suspend racing bookings never leaves a booked visit inside the suspension', { skip }, async (t) => {
  const { app, database, centre } = await buildTestApp(t, { poolSize: 25 })
  await suspensionRace(t, { book: viaInject(app), suspend: viaInject(app) }, database.pool!, centre, database, 10)
})

// ── Two real API processes on one database ──────────────────────────────────────────────────────

/** A process on the test database, quiet unless something goes wrong. */
const run = (script: 'server' | 'cli', databaseUrl: string, args: string[] = []): Running =>
  start(script, { ...(process.env as Record<string, string>), DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, args)

t.test('d: two API processes on one database give the same guarantees', { skip }, async (t) => {
  const database = await openTestDatabase(t, 5)
  const pool = database.pool!
  // The operator's way in: `cli setup --demo` prints the centre, its admin token and the demo ids.
  // The database is migrated already, so the CLI and both servers start together.
  const cli = run('cli', database.url!, ['setup', '--centre-name', 'Centre A', '--demo'])
  const servers = [run('server', database.url!), run('server', database.url!)]
  // Stopped before the database is dropped (teardowns run after this test body).
  const stopAll = () => Promise.all(servers.map((s) => (s.child.exitCode === null ? stop(s) : s.exited)))
  t.teardown(stopAll)
  try {
    t.equal(await cli.exited, 0, `cli setup succeeded ${cli.output().slice(0, 300)}`)
    const centre = JSON.parse(cli.output().trim()) as Centre
    const bases = await Promise.all(servers.map(listening))
    t.not(bases[0], bases[1], `two processes listening on ${bases.join(' and ')}`)
    const apis = bases.map(viaHttp)
    const counsellorIds = await createCounsellors(apis[0]!, centre, 20)
    await t.test('single visits, requests alternating between the processes', async (t) => {
      await singleVisitRounds(t, apis, pool, centre, database, counsellorIds, centre.demo.roomIds[0]!)
    })
    await t.test('20 series in skip mode, alternating between the processes', async (t) => {
      const retries = await seriesRace(t, apis, pool, centre, database, centre.demo.roomIds[1]!, 2, await createCounsellors(apis[1]!, centre, 20), 'capacity 2')
      t.equal(retries, 0, 'no series request had to be retried')
    })
    await t.test('suspensions through one process racing bookings through the other', async (t) => {
      await suspensionRace(t, { book: apis[0]!, suspend: apis[1]! }, pool, centre, database, 6)
    })
    await checkReservations(t, pool)
  } finally {
    t.same(await stopAll(), [0, 0], 'both processes shut down cleanly on SIGTERM')
  }
})
