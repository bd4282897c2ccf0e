import Fastify from 'fastify'
import type pg from 'pg'
import { buildApp } from '../src/app.js'
import { setupCentre, type DemoIds, type SetupResult } from '../src/db/seed.js'
import { createCase } from '../test/helpers/cases.js'
import { fixed, freshPostgres, load, loop, report, type Figures } from './support.js'

/**
 * Booking and calendar reads on real PostgreSQL, each against a floor measured in the same run:
 *   1. POST /v1/cases/{id}/series (weekly, COUNT=10, no conflicts) vs the same series, visits and
 *      reservations written with raw INSERTs through pg, one transaction per series;
 *   2. with 100 000 visits loaded: GET /v1/visits for one site-week vs the same SELECT through pg,
 *      and GET /v1/availability for one site-month.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:booking
 * BENCH_SERIES (default 500), BENCH_CONCURRENCY (20) and BENCH_SECONDS (8, per read run) tune it.
 */
const SERIES = Number(process.env.BENCH_SERIES ?? 500)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const OCCURRENCES = 10
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '08:00', to: '20:00' }]]))

const log = (line: string) => process.stderr.write(`${line}\n`)
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

const { database, drop } = await freshPostgres()
const pool = database.pool!
const app = await buildApp({ database })
const rawSql = Fastify()
try {
  const centre = (await setupCentre(database.db, { centreName: 'Bench', demo: true })) as SetupResult & { demo: DemoIds }
  const auth = { authorization: `Bearer ${centre.adminToken}` }
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const post = async (url: string, body: unknown) => {
    const response = await fetch(`${base}${url}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: response.status, json: await response.json() }
  }

  // ── 1. Series bookings ────────────────────────────────────────────────────────────────────────
  // Series i gets room and counsellor i % ROOMS and a weekly cell (weekday, start) of its own in that
  // room, so nothing conflicts: what is measured is the cost of a booking, not of refusing one.
  // 11 January – 19 March 2027 holds no Belgian public holiday; 10:00…18:00 starts keep the
  // staggered 2-hour span inside the site's opening hours (09:00–20:00 on weekdays).
  const CELLS = 25 // 5 weekdays × starts at 10, 12, 14, 16, 18
  const ROOMS = Math.ceil(SERIES / CELLS)
  log(`[${elapsed()}] setting up ${ROOMS} rooms, ${ROOMS} counsellors and ${SERIES} ready-to-book cases`)
  const roomIds: string[] = []
  const counsellorIds: string[] = []
  for (let i = 0; i < ROOMS; i++) {
    const room = await post('/v1/rooms', { siteId: centre.demo.siteId, name: `Bench room ${i}`, capacity: 1 })
    const counsellor = await post('/v1/counsellors', { name: `Bench counsellor ${i}`, workingHours: ALL_WEEK })
    if (room.status !== 201 || counsellor.status !== 201) throw new Error(`setup failed: ${JSON.stringify([room, counsellor])}`)
    roomIds.push(room.json.id)
    counsellorIds.push(counsellor.json.id)
  }
  const caseIds: string[] = []
  await fixed('cases', 10, SERIES, async (i) => {
    caseIds[i] = (await createCase(database, centre)).caseId
    return true
  })
  const seriesBody = (i: number) => {
    const cell = Math.floor(i / ROOMS)
    return {
      kind: 'supervised_visit',
      roomId: roomIds[i % ROOMS],
      counsellorIds: [counsellorIds[i % ROOMS]],
      start: `2027-01-${11 + (cell % 5)}T${10 + 2 * Math.floor(cell / 5)}:00`,
      durationMinutes: 90,
      rrule: `FREQ=WEEKLY;COUNT=${OCCURRENCES}`,
      onConflict: 'reject',
    }
  }

  log(`[${elapsed()}] booking ${SERIES} series over HTTP, ${CONCURRENCY} concurrent`)
  let visitsBooked = 0
  const http = await fixed('POST /v1/cases/{id}/series', CONCURRENCY, SERIES, async (i) => {
    const { status, json } = await post(`/v1/cases/${caseIds[i]}/series`, seriesBody(i))
    visitsBooked += status === 201 ? json.visits.length : 0
    return status === 201 && json.visits.length === OCCURRENCES
  })

  // The floor writes exactly the rows the API wrote (same ids and values): take them, delete them,
  // then INSERT them again, one transaction per series, at the same concurrency. It skips what the
  // API does besides (auth, case lock, booking gate, rules, overlap lookups, savepoints, audit rows).
  const { rows: written } = await pool.query<{ series: unknown; visits: unknown[]; reservations: unknown[] }>(`
    select to_jsonb(s) as series,
      (select jsonb_agg(to_jsonb(v)) from visits v where v.series_id = s.id) as visits,
      (select jsonb_agg(to_jsonb(r)) from reservations r join visits v on v.id = r.visit_id where v.series_id = s.id) as reservations
    from series s`)
  const reservationsWritten = written.reduce((n, s) => n + s.reservations.length, 0)
  await pool.query('delete from reservations where visit_id in (select id from visits where series_id is not null)')
  await pool.query('delete from visits where series_id is not null')
  await pool.query('delete from series')
  await pool.query('vacuum analyze reservations, visits, series')
  log(`[${elapsed()}] floor: inserting the same ${written.length} series, ${visitsBooked} visits and ${reservationsWritten} reservations with raw SQL`)
  const raw = await fixed('raw INSERT via pg, 1 tx/series', CONCURRENCY, written.length, async (i) => {
    const client = await pool.connect()
    try {
      await client.query('begin')
      await client.query('insert into series select * from jsonb_populate_record(null::series, $1)', [written[i]!.series])
      await client.query('insert into visits select * from jsonb_populate_recordset(null::visits, $1)', [JSON.stringify(written[i]!.visits)])
      await client.query('insert into reservations select * from jsonb_populate_recordset(null::reservations, $1)', [JSON.stringify(written[i]!.reservations)])
      await client.query('commit')
      return true
    } catch (error) {
      await client.query('rollback')
      throw error
    } finally {
      client.release()
    }
  })
  const [{ n: visitsAgain }] = (await pool.query<{ n: number }>('select count(*)::int as n from visits where series_id is not null')).rows as [{ n: number }]
  if (visitsAgain !== visitsBooked) throw new Error(`floor wrote ${visitsAgain} visits, the API ${visitsBooked}`)

  // ── 2. 100 000 visits, then the calendar reads ─────────────────────────────────────────────────
  log(`[${elapsed()}] loading 100 000 visits with their reservations`)
  const loadStarted = performance.now()
  const siteIds = await loadVisits(pool, centre.centreId, centre.demo.siteId, centre.demo.counsellorIds[0]!)
  const loadSeconds = (performance.now() - loadStarted) / 1000
  const [{ visits: totalVisits, reservations: totalReservations }] = (
    await pool.query(`select (select count(*)::int from visits) as visits,
    (select count(*)::int from reservations where active) as reservations`)
  ).rows
  log(`[${elapsed()}] loaded in ${loadSeconds.toFixed(1)} s: ${totalVisits} visits, ${totalReservations} active reservations in the database`)

  // One site, the week of Monday 13 March 2028 (all its visits: limit 200), and March 2028.
  const siteId = siteIds[3]!
  const week = { from: '2028-03-13T00:00:00+01:00', to: '2028-03-20T00:00:00+01:00' }
  const visitsUrl = `${base}/v1/visits?siteId=${siteId}&from=${encodeURIComponent(week.from)}&to=${encodeURIComponent(week.to)}&limit=200`
  // What the route runs (drizzle selects every column, limit + 1 to know whether there is a next page).
  const visitsSql = `select * from visits where centre_id = $1 and starts_at >= $2 and starts_at < $3 and site_id = $4 order by starts_at, id limit 201`
  const visitsParams = [centre.centreId, week.from, week.to, siteId]
  rawSql.get('/', async () => ({ items: (await pool.query(visitsSql, visitsParams)).rows, nextCursor: null }))
  const rawSqlUrl = await rawSql.listen({ port: 0, host: '127.0.0.1' })

  const sample = (await (await fetch(visitsUrl, { headers: auth })).json()) as { items: unknown[] }
  const sampleRaw = (await pool.query(visitsSql, visitsParams)).rows.length
  if (sample.items.length !== sampleRaw) throw new Error(`GET /v1/visits answered ${sample.items.length} visits, the SELECT ${sampleRaw}`)
  log(`[${elapsed()}] reads: the site-week holds ${sampleRaw} visits; ${SECONDS} s per run`)

  const reads: Figures[] = [
    await load('GET /v1/visits site-week', { url: visitsUrl, headers: auth, connections: CONCURRENCY, duration: SECONDS }),
    await load('fastify + raw SELECT via pg', { url: rawSqlUrl, connections: CONCURRENCY, duration: SECONDS }),
    await loop('raw SELECT via pg (no HTTP)', CONCURRENCY, SECONDS, () => pool.query(visitsSql, visitsParams)),
    // One client: the latency a person at a form sees, without queueing behind other requests.
    await load('GET /v1/visits site-week, 1 client', { url: visitsUrl, headers: auth, connections: 1, duration: SECONDS / 2 }),
  ]
  // GET /v1/availability was written alongside this bench: measure it when the route is there.
  const month = `siteId=${siteId}&from=2028-03-01&to=2028-04-01&durationMinutes=90`
  let availabilityNote = 'availability: route not present'
  if (app.hasRoute({ method: 'GET', url: '/v1/availability' })) {
    const probe = await fetch(`${base}/v1/availability?${month}`, { headers: auth })
    const body = (await probe.json()) as { items?: unknown[] }
    availabilityNote = `availability: one site-month (${month.replace(siteId, '…')}) answers ${probe.status} with ${body.items?.length ?? 0} slots on its first page (default limit)`
    if (probe.status === 200) {
      reads.push(
        await load('GET /v1/availability site-month', { url: `${base}/v1/availability?${month}`, headers: auth, connections: CONCURRENCY, duration: SECONDS }),
      )
      reads.push(
        await load('GET /v1/availability site-month, 1 client', {
          url: `${base}/v1/availability?${month}`,
          headers: auth,
          connections: 1,
          duration: SECONDS / 2,
        }),
      )
    } else availabilityNote += `: ${JSON.stringify(body).slice(0, 300)}`
  }

  // ── Figures ───────────────────────────────────────────────────────────────────────────────────
  console.log(`\nPostgreSQL ${(await pool.query('show server_version')).rows[0].server_version}, Node ${process.version}, ${CONCURRENCY} concurrent clients`)
  report(
    `1. Series bookings: ${SERIES} weekly series × ${OCCURRENCES} visits (req/s = series/s; p50/p99 per series)`,
    [http, raw],
    [['API vs raw INSERT floor', http.name, raw.name]],
  )
  console.log(
    `   API:   ${(SERIES / http.seconds).toFixed(1)} series/s, ${(visitsBooked / http.seconds).toFixed(0)} visits/s (${visitsBooked} visits in ${http.seconds.toFixed(2)} s)`,
  )
  console.log(
    `   floor: ${(written.length / raw.seconds).toFixed(1)} series/s, ${(visitsAgain / raw.seconds).toFixed(0)} visits/s (${visitsAgain} visits + ${reservationsWritten} reservations in ${raw.seconds.toFixed(2)} s)`,
  )
  report(
    `2. Calendar reads with ${totalVisits} visits / ${totalReservations} active reservations loaded in ${loadSeconds.toFixed(1)} s (site-week: ${sampleRaw} visits)`,
    reads,
    [
      ['GET /v1/visits vs raw SELECT (no HTTP)', 'GET /v1/visits site-week', 'raw SELECT via pg (no HTTP)'],
      ['GET /v1/visits vs fastify + raw SELECT', 'GET /v1/visits site-week', 'fastify + raw SELECT via pg'],
      ...(reads.some((r) => r.name === 'GET /v1/availability site-month')
        ? [['GET /v1/availability (month) vs GET /v1/visits (week)', 'GET /v1/availability site-month', 'GET /v1/visits site-week'] as [string, string, string]]
        : []),
    ],
  )
  console.log(availabilityNote)
  console.log(`total run time ${elapsed()}`)
} finally {
  await Promise.all([app.close(), rawSql.close()])
  await drop()
}

/**
 * 100 000 booked visits and their 500 000 reservations, generated in SQL: 20 sites of 5 rooms, 100
 * counsellors and 2 000 cases (child + two parents). Weekdays from Monday 7 June 2027 (400 of them),
 * starts at 10:00, 12:00, 14:00, 16:00 and 18:00 local time, every other (day, start, room) cell
 * taken. The counsellor of a cell is (room + day) mod 100 and a site's visits go round its 100 cases,
 * so no resource is reserved twice at once; the exclusion constraint checks that on every row.
 * Returns the new sites' ids.
 */
async function loadVisits(pool: pg.Pool, centreId: string, demoSiteId: string, leadCounsellorId: string): Promise<string[]> {
  const client = await pool.connect()
  const iso = (ts: string) => `to_char((${ts}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  try {
    await client.query('begin')
    await client.query(`create temp table b_sites on commit drop as select i, gen_random_uuid() as id from generate_series(0, 19) i`)
    await client.query(
      `insert into sites (id, centre_id, name, address, time_zone, judicial_district, opening_hours, closures)
      select b.id, s.centre_id, 'Bench site ' || b.i, s.address, s.time_zone, s.judicial_district, s.opening_hours, s.closures
      from b_sites b cross join sites s where s.id = $1`,
      [demoSiteId],
    )
    await client.query(`create temp table b_rooms on commit drop as select i, i / 5 as site_i, gen_random_uuid() as id from generate_series(0, 99) i`)
    await client.query(
      `insert into rooms (id, centre_id, site_id, name, capacity)
      select r.id, $1, s.id, 'Bench room ' || r.i, 1 from b_rooms r join b_sites s on s.i = r.site_i`,
      [centreId],
    )
    await client.query(`create temp table b_counsellors on commit drop as select i, gen_random_uuid() as id from generate_series(0, 99) i`)
    await client.query(`insert into counsellors (id, centre_id, name, working_hours) select id, $1, 'Bench counsellor ' || i, $2::jsonb from b_counsellors`, [
      centreId,
      JSON.stringify(ALL_WEEK),
    ])
    await client.query(`create temp table b_cases on commit drop as select i, i % 20 as site_i, gen_random_uuid() as case_id, gen_random_uuid() as referral_id,
      gen_random_uuid() as child, gen_random_uuid() as visiting, gen_random_uuid() as residing from generate_series(0, 1999) i`)
    await client.query(
      `insert into referrals (id, centre_id, source, legal_framework, reason, status, case_id)
      select referral_id, $1, 'self', 'voluntary', 'bench', 'accepted', case_id from b_cases`,
      [centreId],
    )
    await client.query(
      `insert into cases (id, centre_id, referral_id, site_id, status, fee_exempt, lead_counsellor_id, activated_at, planned_end_date)
      select c.case_id, $1, c.referral_id, s.id, 'active', false, $2, now(), '2029-12-31' from b_cases c join b_sites s on s.i = c.site_i`,
      [centreId, leadCounsellorId],
    )
    await client.query(
      `insert into parties (id, centre_id, referral_id, case_id, role, family_name, language)
      select p.id, $1, c.referral_id, c.case_id, p.role, 'Bench', 'nl' from b_cases c
      cross join lateral (values (c.child, 'child'), (c.visiting, 'visiting_parent'), (c.residing, 'residing_parent')) as p(id, role)`,
      [centreId],
    )
    await client.query(`create temp table b_visits on commit drop as
      select gen_random_uuid() as id, c.case_id, c.child, c.visiting, c.residing, s.id as site_id, r.id as room_id, k.id as counsellor_id,
        ((date '2027-06-07' + (x.d / 5) * 7 + x.d % 5) + make_time(10 + 2 * x.s, 0, 0)) at time zone 'Europe/Brussels' as starts_at
      from (select d, s, r, row_number() over (partition by r / 5 order by d, s, r) as n
            from generate_series(0, 399) d, generate_series(0, 4) s, generate_series(0, 99) r where (d + s + r) % 2 = 0) x
      join b_rooms r on r.i = x.r join b_sites s on s.i = r.site_i
      join b_counsellors k on k.i = (x.r + x.d) % 100
      join b_cases c on c.i = r.site_i + 20 * (x.n % 100)`)
    // The centre's default staggering: the visiting side 15 minutes before and after, the residing side at start and end.
    await client.query(
      `insert into visits (id, centre_id, case_id, site_id, room_id, counsellor_ids, party_ids, kind, time_zone,
        starts_at, ends_at, span_start, span_end, arrivals, status)
      select id, $1, case_id, site_id, room_id, array[counsellor_id], array[child, visiting, residing], 'supervised_visit', 'Europe/Brussels',
        starts_at, starts_at + interval '90 minutes', starts_at - interval '15 minutes', starts_at + interval '105 minutes',
        jsonb_build_array(
          jsonb_build_object('partyId', visiting, 'arriveAt', ${iso("starts_at - interval '15 minutes'")}, 'leaveAt', ${iso("starts_at + interval '105 minutes'")}),
          jsonb_build_object('partyId', residing, 'arriveAt', ${iso('starts_at')}, 'leaveAt', ${iso("starts_at + interval '90 minutes'")})),
        'booked'
      from b_visits`,
      [centreId],
    )
    await client.query(`insert into reservations (resource_kind, resource_id, place, during, visit_id)
      select r.kind, r.id, 1, tstzrange(v.starts_at - interval '15 minutes', v.starts_at + interval '105 minutes', '[)'), v.id
      from b_visits v cross join lateral (values ('room', v.room_id), ('counsellor', v.counsellor_id), ('party', v.child), ('party', v.visiting), ('party', v.residing)) as r(kind, id)`)
    const { rows } = await client.query<{ id: string }>('select id from b_sites order by i')
    await client.query('commit')
    await client.query('analyze')
    return rows.map((r) => r.id)
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}
