import { writeFileSync } from 'node:fs'
import { DateTime } from 'luxon'
import type pg from 'pg'
import { buildApp } from '../src/app.js'
import { setupCentre, type DemoIds, type SetupResult } from '../src/modules/admin/demo.js'
import { createCase } from '../test/helpers/cases.js'
import { ALL_WEEK, freshPostgres, inTransaction, type Figures } from './support.js'

/**
 * The read and write paths at 100 000 visits and again at 1 000 000 (5 000 000 reservations), in one
 * run on one database: a region's centre with 20 sites, 100 rooms and 100 counsellors, loaded a block
 * of 100 000 visits (80 weeks) at a time. The first block is the present: it runs from 60 weeks ago
 * to 20 weeks ahead, so the last year, the next weeks and the worklists are in it. The nine blocks
 * added next are older history, as a database holds after years of use; each block brings 2 000
 * cases (referral, three parties, events, intakes, two progress reports), outcomes for its past
 * visits, attendances for the held ones, an observation on one in five, court messages and the
 * audit trail (each visit's booking, each check-in, a case's creation, a party's change). Every
 * path is asked from one client (a person at a form) and its p50 and p99 at both sizes compared:
 * the goal is p99 at 1 000 000 within 1.25× of p99 at 100 000.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:scale
 * BENCH_SECONDS (5) per path and size, at least BENCH_MIN_REQUESTS (30) requests; BENCH_BLOCKS (10)
 * blocks in all; BENCH_SERIES (250, at most 250 without two in one cell) series booked per size;
 * BENCH_KEEP=1 keeps the database and prints its URL, to look at plans afterwards (bench/profile.ts).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const MIN_REQUESTS = Number(process.env.BENCH_MIN_REQUESTS ?? 30)
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10)
// 250 bookings make their p99 the third slowest; of 100 it was the slowest, one hiccup of the machine.
const SERIES = Number(process.env.BENCH_SERIES ?? 250)
const KEEP = process.env.BENCH_KEEP === '1'
const ZONE = 'Europe/Brussels'

const log = (line: string) => process.stderr.write(`${line}\n`)
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`

const today = DateTime.now().setZone(ZONE).startOf('day')
/** Monday of the first (present) block: 60 weeks ago. Block k starts 80 × k weeks before it. */
const presentMonday = today.startOf('week').minus({ weeks: 60 })
const blockMonday = (k: number) => presentMonday.minus({ weeks: 80 * k }).toISODate()!

/**
 * 20 sites like the demo site, 5 rooms each, 100 counsellors working every day. And `bench_id(at)`:
 * the blocks' rows get ids as the service gives them, UUIDv7 of when the row was made (its
 * `created_at`, or the moment it stands for), so that an index on ids holds a period's rows together
 * as it does in use; random ids would spread a year's visits over the whole of every index on them.
 */
async function loadRegion(pool: pg.Pool, centreId: string, demoSiteId: string) {
  // A random (version 4) UUID with its first 48 bits set to the milliseconds of `at` and its version to 7.
  await pool.query(`create function bench_id(at timestamptz) returns uuid volatile language sql as $$
    select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from at) * 1000)::bigint) from 3)
      from 1 for 6), 52, 1), 53, 1), 'hex')::uuid $$`)
  const { rows: sites } = await pool.query<{ id: string }>(
    `insert into sites (id, centre_id, name, address, time_zone, judicial_district, opening_hours, closures)
    select gen_random_uuid(), s.centre_id, 'Bench site ' || i, s.address, s.time_zone, s.judicial_district, s.opening_hours, s.closures
    from generate_series(0, 19) i cross join sites s where s.id = $1 order by i returning id`,
    [demoSiteId],
  )
  await pool.query(`create table bench_sites as select (row_number() over () - 1)::int as i, id from unnest($1::uuid[]) as id`, [sites.map((s) => s.id)])
  await pool.query(`create table bench_rooms as select i, i / 5 as site_i, gen_random_uuid() as id from generate_series(0, 99) i`)
  await pool.query(
    `insert into rooms (id, centre_id, site_id, name, capacity) select r.id, $1, s.id, 'Bench room ' || r.i, 1 from bench_rooms r join bench_sites s on s.i = r.site_i`,
    [centreId],
  )
  await pool.query(`create table bench_counsellors as select i, gen_random_uuid() as id from generate_series(0, 99) i`)
  await pool.query(`insert into counsellors (id, centre_id, name, working_hours) select id, $1, 'Bench counsellor ' || i, $2::jsonb from bench_counsellors`, [
    centreId,
    JSON.stringify(ALL_WEEK),
  ])
  return sites.map((s) => s.id)
}

/**
 * One block of 100 000 visits, in one transaction: weekdays of 80 weeks from `monday`, starts at 10,
 * 12, 14, 16 and 18 local time, every other (day, start, room) cell taken; a cell's counsellor is
 * (room + day) mod 100 and a site's visits go round its 100 cases, so no resource is reserved twice
 * at once (the exclusion constraint checks every row). Visits started more than two days ago have
 * happened: 85 % held, 5 % no-show, 10 % cancelled; the last three days' wait for their outcome.
 */
async function loadBlock(
  pool: pg.Pool,
  ids: { centreId: string; leadCounsellorId: string; courtId: string },
  k: number,
  report: { content: unknown; sha256: string },
) {
  const present = k === 0
  const monday = blockMonday(k)
  await inTransaction(pool, async (client) => {
    const q = (text: string, values: unknown[] = []) => client.query(text, values)
    await q(`create temp table b_cases on commit drop as
      select i, i % 20 as site_i, bench_id(date '${monday}' - 30) as case_id, bench_id(date '${monday}' - 45) as referral_id,
        bench_id(date '${monday}' - 45) as child, bench_id(date '${monday}' - 45) as visiting, bench_id(date '${monday}' - 45) as residing,
        i % 2 = 0 as by_court
      from generate_series(0, 1999) i`)
    // Referrals arrive 45 days before the block, are accepted 30 days before, the cases activated a week before it.
    await q(
      `insert into referrals (id, centre_id, source, legal_framework, court_id, court_reference, hearing_date, reason, status, submitted_at, decided_at, case_id)
      select referral_id, $1, case when by_court then 'court' else 'self' end, case when by_court then 'court_ordered' else 'voluntary' end,
        case when by_court then $2::uuid end, case when by_court then 'B${k}/' || i end,
        case when $3 and by_court and i % 50 = 0 then to_char(current_date + i % 14, 'YYYY-MM-DD') end,
        'bench', 'accepted', ($4::date - 45)::timestamptz, ($4::date - 30)::timestamptz, case_id
      from b_cases`,
      [ids.centreId, ids.courtId, present, monday],
    )
    // The present block's cases run on (a few end within a month); older ones ended with their block.
    await q(
      `insert into cases (id, centre_id, referral_id, court_id, site_id, status, fee_exempt, lead_counsellor_id, created_at, activated_at,
        planned_end_date, ended_at, end_effective_date)
      select c.case_id, $1, c.referral_id, case when by_court then $2::uuid end, s.id, case when $3 then 'active' else 'ended' end, by_court, $4,
        ($5::date - 30)::timestamptz, ($5::date - 7)::timestamptz,
        to_char(case when $3 then current_date + 10 + c.i % 300 else $5::date + 560 end, 'YYYY-MM-DD'),
        case when not $3 then ($5::date + 560)::timestamptz end, case when not $3 then to_char($5::date + 560, 'YYYY-MM-DD') end
      from b_cases c join bench_sites s on s.i = c.site_i`,
      [ids.centreId, ids.courtId, present, ids.leadCounsellorId, monday],
    )
    await q(
      `insert into parties (id, centre_id, referral_id, case_id, role, given_name, family_name, birth_date, language, gender, created_at)
      select p.id, $1, c.referral_id, c.case_id, p.role, p.given, 'Bench', p.born, 'nl', p.gender, ($2::date - 45)::timestamptz from b_cases c
      cross join lateral (values (c.child, 'child', 'Kind', to_char($2::date - 365 * (3 + c.i % 12), 'YYYY-MM-DD'), case when c.i % 2 = 0 then 'female' else 'male' end),
        (c.visiting, 'visiting_parent', 'Bezoeker', null, 'male'), (c.residing, 'residing_parent', 'Verblijver', null, 'female')) as p(id, role, given, born, gender)`,
      [ids.centreId, monday],
    )
    await q(
      `insert into case_events (id, case_id, type, at, actor_role, reason_category, reason_code)
      select bench_id(e.at), case_id, e.type, e.at, 'staff', e.category, e.code from b_cases
      cross join lateral (values ('created', ($1::date - 30)::timestamptz, null, null), ('activated', ($1::date - 7)::timestamptz, null, null),
        ('ended', case when not $2 then ($1::date + 560)::timestamptz end, 'ending', 'goal_reached')) as e(type, at, category, code)
      where e.at is not null`,
      [monday, present],
    )
    await q(
      `insert into intakes (id, case_id, party_id, held_at, counsellor_id, summary)
      select bench_id($1::date - 20), case_id, p.id, ($1::date - 20)::timestamptz, $2, 'Intake.' from b_cases cross join lateral (values (visiting), (residing)) as p(id)`,
      [monday, ids.leadCounsellorId],
    )
    await q(`create temp table b_visits on commit drop as
      select bench_id(v.starts_at - interval '30 days') as id, v.*, case when v.starts_at > now() - interval '3 days' then 'booked'
          when v.h < 10 then 'cancelled' when v.h < 15 then 'noshow' else 'fulfilled' end as status
      from (
        select c.case_id, c.child, c.visiting, c.residing, s.id as site_id, r.id as room_id, k.id as counsellor_id,
          ((date '${monday}' + (x.d / 5) * 7 + x.d % 5) + make_time(10 + 2 * x.s, 0, 0)) at time zone 'Europe/Brussels' as starts_at,
          (x.d * 7 + x.s * 3 + x.r) % 100 as h
        from (select d, s, r, row_number() over (partition by r / 5 order by d, s, r) as n
              from generate_series(0, 399) d, generate_series(0, 4) s, generate_series(0, 99) r where (d + s + r) % 2 = 0) x
        join bench_rooms r on r.i = x.r join bench_sites s on s.i = r.site_i
        join bench_counsellors k on k.i = (x.r + x.d) % 100
        join b_cases c on c.i = r.site_i + 20 * (x.n % 100)
      ) v`)
    const iso = (ts: string) => `to_char((${ts}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    // The centre's default staggering: the visiting side 15 minutes before and after, the residing side at start and end.
    await q(
      `insert into visits (id, centre_id, case_id, site_id, room_id, counsellor_ids, party_ids, kind, time_zone,
        starts_at, ends_at, span_start, span_end, arrivals, status, cancelled_by, cancelled_late, cancel_reason_code, cancelled_at, created_at)
      select id, $1, case_id, site_id, room_id, array[counsellor_id], array[child, visiting, residing], 'supervised_visit', 'Europe/Brussels',
        starts_at, starts_at + interval '90 minutes', starts_at - interval '15 minutes', starts_at + interval '105 minutes',
        jsonb_build_array(
          jsonb_build_object('partyId', visiting, 'arriveAt', ${iso("starts_at - interval '15 minutes'")}, 'leaveAt', ${iso("starts_at + interval '105 minutes'")}),
          jsonb_build_object('partyId', residing, 'arriveAt', ${iso('starts_at')}, 'leaveAt', ${iso("starts_at + interval '90 minutes'")})),
        status, case when status = 'cancelled' then 'residing_party' end, case when status = 'cancelled' then h < 3 end,
        case when status = 'cancelled' then 'illness' end, case when status = 'cancelled' then starts_at - interval '2 days' end,
        starts_at - interval '30 days'
      from b_visits`,
      [ids.centreId],
    )
    // A cancelled visit and a no-show free what they reserved; the rows stay as history.
    await q(`insert into reservations (resource_kind, resource_id, place, during, visit_id, active)
      select r.kind, r.id, 1, tstzrange(v.starts_at - interval '15 minutes', v.starts_at + interval '105 minutes', '[)'), v.id, v.status in ('booked', 'fulfilled')
      from b_visits v cross join lateral (values ('room', v.room_id), ('counsellor', v.counsellor_id), ('party', v.child), ('party', v.visiting), ('party', v.residing)) as r(kind, id)`)
    await q(`insert into visit_outcomes (id, visit_id, outcome, actual_start, actual_end, absent_party_ids, notice_given, created_at)
      select bench_id(starts_at + interval '2 hours'), id, status, case when status = 'fulfilled' then starts_at end, case when status = 'fulfilled' then starts_at + interval '90 minutes' end,
        case when status = 'noshow' then array[visiting] else '{}' end, case when status = 'noshow' then 'none' end, starts_at + interval '2 hours'
      from b_visits where status in ('fulfilled', 'noshow')`)
    await q(`insert into visit_attendances (id, visit_id, party_id, checked_in_at, checked_out_at, brought_by_party_id)
      select bench_id(a.arrive), v.id, a.party, a.arrive, a.arrive + interval '90 minutes', a.brought from b_visits v
      cross join lateral (values (v.visiting, v.starts_at - interval '15 minutes', null::uuid), (v.residing, v.starts_at, null), (v.child, v.starts_at, v.residing)) as a(party, arrive, brought)
      where v.status = 'fulfilled'`)
    await q(`insert into visit_observations (id, visit_id, case_id, kind, text, reportable, created_at)
      select bench_id(starts_at + interval '2 hours'), id, case_id, 'observation', 'The visit went calmly.', h % 10 = 5, starts_at + interval '2 hours' from b_visits where status = 'fulfilled' and h % 5 = 0`)
    // The audit trail, the largest table of a centre in use: each visit's booking, each party's check-in at
    // a held visit, and per case its creation and a change to a party's data.
    await q(
      `insert into audit_events (id, at, actor_role, action, entity_type, entity_id, centre_id)
      select bench_id(a.at), a.at, 'staff', a.action, a.type, a.entity, $1 from (
        select starts_at - interval '30 days' as at, 'visit.booked' as action, 'visit' as type, id as entity from b_visits
        union all
        select starts_at + p.after, 'visit.checked_in', 'visit', id from b_visits
          cross join (values (interval '-15 minutes'), (interval '0'), (interval '1 second')) as p(after) where status = 'fulfilled'
        union all
        select ($2::date - 30)::timestamptz, 'case.created', 'case', case_id from b_cases
        union all
        select ($2::date - 20)::timestamptz, 'party.changed', 'party', visiting from b_cases) a`,
      [ids.centreId, monday],
    )
    // Two progress reports per case, the frozen content of a real one; the feed trigger places each at commit.
    await q(
      `insert into reports (id, centre_id, court_id, referral_id, case_id, kind, language, content, sha256, issued_at)
      select bench_id(r.at), $1, case when by_court then $2::uuid end, referral_id, case_id, 'progress', 'nl', $3::jsonb, $4, r.at
      from b_cases cross join lateral (values (($5::date + 200)::timestamptz), (($5::date + 500)::timestamptz)) as r(at) where r.at < now()`,
      [ids.centreId, ids.courtId, JSON.stringify(report.content), report.sha256, monday],
    )
    // One court case in 25 asked for a report; in the present block it is still due (unread), in older ones read long ago.
    await q(
      `insert into court_messages (id, referral_id, centre_id, court_id, sender, kind, text, due_date, sent_by_role, read_at, created_at)
      select bench_id(sent), referral_id, $1, $2, 'court', 'report_request', 'Graag een verslag.', to_char(current_date + 20, 'YYYY-MM-DD'), 'clerk',
        case when not $3 then ($4::date + 100)::timestamptz end, sent
      from b_cases cross join lateral (select case when $3 then now() - interval '1 day' else ($4::date + 90)::timestamptz end as sent) m
      where by_court and i % 50 = 24`,
      [ids.centreId, ids.courtId, present, monday],
    )
  })
  // What autovacuum does after a bulk insert: statistics, and a visibility map for index-only scans. The
  // checkpoint writes the load out now, not while the paths are measured.
  await pool.query('vacuum analyze')
  await pool.query('checkpoint')
}

interface Path {
  name: string
  /** One request; answers the status. */
  run: () => Promise<number>
  expect?: number
  /** A write cannot be repeated: exactly this many requests, after the first. */
  count?: number
  /** A read's path and query, and its Accept header. */
  url?: string
  accept?: string
}

/** Sequential requests from one client for SECONDS (at least MIN_REQUESTS): a person's latency, without queueing. */
async function sample(path: Path): Promise<Figures> {
  const first = await path.run()
  if (first !== (path.expect ?? 200)) throw new Error(`${path.name} answered ${first}`)
  const latencies: number[] = []
  const until = performance.now() + SECONDS * 1000
  const more = () => (path.count === undefined ? performance.now() < until || latencies.length < MIN_REQUESTS : latencies.length < path.count)
  while (more()) {
    const begun = performance.now()
    const status = await path.run()
    latencies.push(performance.now() - begun)
    if (status !== (path.expect ?? 200)) throw new Error(`${path.name} answered ${status}`)
  }
  latencies.sort((a, b) => a - b)
  if (path.count !== undefined)
    log(
      `      the slowest: ${latencies
        .slice(-5)
        .map((ms) => ms.toFixed(1))
        .join(', ')} ms`,
    )
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1))
  return { name: path.name, requestsPerSecond: latencies.length, p50: at(0.5), p99: at(0.99), non2xx: 0, errors: 0 }
}

const { database, url, drop } = await freshPostgres()
const pool = database.pool!
const app = await buildApp({ database })
try {
  const centre = (await setupCentre(database.db, { centreName: 'Bench', demo: true })) as SetupResult & { demo: DemoIds }
  const auth = { authorization: `Bearer ${centre.adminToken}` }
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const request = async (method: string, path: string, body?: unknown, accept = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const buffer = await response.arrayBuffer()
    return { status: response.status, json: () => JSON.parse(Buffer.from(buffer).toString('utf8')) }
  }

  // The content every loaded report carries: a real progress report of a case made for it.
  const fixture = await createCase(database, centre)
  const issued = await request('POST', `/v1/cases/${fixture.caseId}/reports`, { kind: 'progress' })
  if (issued.status !== 201) throw new Error(`progress report: ${JSON.stringify(issued.json())}`)
  const { rows: frozen } = await pool.query<{ content: unknown; sha256: string }>('select content, sha256 from reports where id = $1', [issued.json().id])
  const { content, sha256 } = frozen[0]!

  log(`[${elapsed()}] loading the region and the present block (100 000 visits)`)
  const siteIds = await loadRegion(pool, centre.centreId, centre.demo.siteId)
  const ids = { centreId: centre.centreId, leadCounsellorId: centre.demo.counsellorIds[0]!, courtId: centre.demo.courtId }
  let loadSeconds = 0
  const grow = async (k: number) => {
    const begun = performance.now()
    await loadBlock(pool, ids, k, { content, sha256 })
    loadSeconds += (performance.now() - begun) / 1000
  }
  await grow(0)

  // What the paths ask about: one site, the week four weeks ahead and next month, a live case's visiting parent.
  const siteId = siteIds[3]!
  const weekStart = today.startOf('week').plus({ weeks: 4 })
  const week = `from=${encodeURIComponent(weekStart.toISO()!)}&to=${encodeURIComponent(weekStart.plus({ weeks: 1 }).toISO()!)}`
  const month = today.startOf('month').plus({ months: 1 })
  const nextWeekday = [1, 2, 3].map((d) => today.plus({ days: d })).find((d) => d.weekday <= 5)!
  const { rows: live } = await pool.query<{ case_id: string; party_id: string }>(
    `select c.id as case_id, p.id as party_id from cases c join parties p on p.case_id = c.id and p.role = 'visiting_parent'
    where c.site_id = $1 and c.status = 'active' order by c.created_at desc, c.id limit 1`,
    [siteId],
  )
  const liveCase = live[0]!
  const liveReport = await request('POST', `/v1/cases/${liveCase.case_id}/reports`, { kind: 'progress' })
  if (liveReport.status !== 201) throw new Error(`progress report: ${JSON.stringify(liveReport.json())}`)
  const reportId = liveReport.json().id as string

  // Booking: SERIES cases per size, each a weekly series of ten in a room and with a counsellor of the bench's own
  // on the demo site, from a Monday five weeks ahead (the first size) or eighteen (the second); holidays are skipped.
  const rooms: string[] = []
  const counsellors: string[] = []
  for (let i = 0; i < 10; i++) {
    const room = await request('POST', '/v1/rooms', { siteId: centre.demo.siteId, name: `Booking room ${i}`, capacity: 1 })
    const counsellor = await request('POST', '/v1/counsellors', { name: `Booking counsellor ${i}`, workingHours: ALL_WEEK })
    rooms.push(room.json().id)
    counsellors.push(counsellor.json().id)
  }
  const bookingPath = async (size: number): Promise<Path> => {
    const cases: string[] = []
    for (let i = 0; i < SERIES + 1; i++) cases.push((await createCase(database, centre, { plannedEndDate: today.plus({ years: 1 }).toISODate() })).caseId)
    const firstMonday = today.startOf('week').plus({ weeks: size === 0 ? 5 : 18 })
    let i = 0
    return {
      name: 'POST /v1/cases/{id}/series (10 weekly)',
      expect: 201,
      count: SERIES,
      run: async () => {
        const n = i++
        const cell = Math.floor(n / 10)
        const start = firstMonday.plus({ days: cell % 5 }).set({ hour: 10 + 2 * (Math.floor(cell / 5) % 5) })
        return (
          await request('POST', `/v1/cases/${cases[n]}/series`, {
            kind: 'supervised_visit',
            roomId: rooms[n % 10],
            counsellorIds: [counsellors[n % 10]],
            start: start.toFormat("yyyy-MM-dd'T'HH:mm"),
            durationMinutes: 90,
            rrule: 'FREQ=WEEKLY;COUNT=10',
            onConflict: 'skip',
          })
        ).status
      },
    }
  }

  const feedHead = async () => {
    const { rows } = await pool.query<{ position: string }>('select max(position) - 50 as position from report_feed')
    return Buffer.from(`p|${rows[0]!.position}`).toString('base64url')
  }
  const get = (name: string, url: string, accept?: string): Path => ({
    name,
    url,
    accept,
    run: async () => (await request('GET', url, undefined, accept)).status,
  })
  const paths = async (size: number): Promise<Path[]> => {
    const cursor = await feedHead()
    const yearAgo = today.minus({ years: 1 })
    return [
      await bookingPath(size),
      get('GET /v1/visits site-week', `/v1/visits?siteId=${siteId}&${week}&limit=200`),
      get(
        'GET /v1/availability site-month',
        `/v1/availability?siteId=${siteId}&from=${month.toISODate()}&to=${month.plus({ months: 1 }).toISODate()}&durationMinutes=90`,
      ),
      get('GET /v1/visits?needsOutcome=true', '/v1/visits?needsOutcome=true&limit=200'),
      get('GET /v1/cases (first page)', '/v1/cases?limit=50'),
      get('GET /v1/cases?endingWithin=30d', '/v1/cases?endingWithin=30d&limit=200'),
      get('GET /v1/cases?reportDue=true', '/v1/cases?reportDue=true&limit=200'),
      get('GET /v1/cases?hearingWithin=14d', '/v1/cases?hearingWithin=14d&limit=200'),
      get('GET /v1/cases?evaluationDueWithin=14d', '/v1/cases?evaluationDueWithin=14d&limit=200'),
      get('GET /v1/messages?unread=true', '/v1/messages?unread=true&limit=200'),
      get('GET /v1/sites/{id}/day-sheet', `/v1/sites/${siteId}/day-sheet?date=${nextWeekday.toISODate()}`),
      get('GET /v1/statistics (a year)', `/v1/statistics?from=${yearAgo.toISODate()}&to=${today.minus({ days: 1 }).toISODate()}`),
      get('GET /v1/reports (feed head)', `/v1/reports?cursor=${cursor}&limit=50`),
      get('GET /v1/reports/{id} JSON', `/v1/reports/${reportId}`),
      get('GET /v1/reports/{id} PDF', `/v1/reports/${reportId}`, 'application/pdf'),
      get('GET /v1/parties/{id}/export', `/v1/parties/${liveCase.party_id}/export`),
      get('GET /v1/audit (first page)', '/v1/audit?limit=50'),
      get("GET /v1/audit?entityId= (a case's)", `/v1/audit?entityId=${liveCase.case_id}&limit=50`),
    ]
  }

  const counts = async () =>
    (
      await pool.query<{ visits: number; reservations: number; cases: number; reports: number; observations: number; audit: number }>(
        `select (select count(*)::int from visits) as visits, (select count(*)::int from reservations) as reservations,
        (select count(*)::int from cases) as cases, (select count(*)::int from reports) as reports, (select count(*)::int from visit_observations) as observations,
        (select count(*)::int from audit_events) as audit`,
      )
    ).rows[0]!
  const measure = async (size: number) => {
    const figures: Figures[] = []
    for (const path of await paths(size)) {
      log(`[${elapsed()}]   ${path.name}`)
      figures.push(await sample(path))
    }
    return figures
  }

  const small = await counts()
  log(`[${elapsed()}] ${small.visits} visits, ${small.reservations} reservations (loaded in ${loadSeconds.toFixed(0)} s); measuring`)
  const atSmall = await measure(0)
  for (let k = 1; k < BLOCKS; k++) {
    log(`[${elapsed()}] loading block ${k + 1} of ${BLOCKS} (80 weeks ending ${blockMonday(k - 1)})`)
    await grow(k)
  }
  const large = await counts()
  log(`[${elapsed()}] ${large.visits} visits, ${large.reservations} reservations (loaded in ${loadSeconds.toFixed(0)} s in all); measuring`)
  const atLarge = await measure(1)

  const { rows: version } = await pool.query('show server_version')
  console.log(
    `\nPostgreSQL ${version[0].server_version}, Node ${process.version}; one client, ${SECONDS} s and at least ${MIN_REQUESTS} requests per path and size`,
  )
  for (const [label, c] of [
    ['small', small],
    ['large', large],
  ] as const)
    console.log(
      `${label}: ${c.visits} visits, ${c.reservations} reservations, ${c.cases} cases, ${c.reports} reports, ${c.observations} observations, ${c.audit} audit events`,
    )
  console.table(
    atSmall.map((s, i) => {
      const l = atLarge[i]!
      const ratio = l.p99 / Math.max(s.p99, 0.1)
      return {
        path: s.name,
        'p50 ms (small)': s.p50,
        'p99 ms (small)': s.p99,
        'p50 ms (large)': l.p50,
        'p99 ms (large)': l.p99,
        'p99 ratio': `${ratio.toFixed(2)}×${ratio > 1.25 ? ' !' : ''}`,
        requests: `${s.requestsPerSecond}/${l.requestsPerSecond}`,
      }
    }),
  )
  if (KEEP) {
    // The kept database and what each read asked, to look at plans by hand (a server on it, curl, EXPLAIN).
    const reads = (await paths(1)).flatMap((p) => (p.url ? [{ name: p.name, url: p.url, accept: p.accept }] : []))
    writeFileSync('bench-scale-state.json', JSON.stringify({ url, token: centre.adminToken, reads }, null, 2))
    log(`database kept: ${url}; its reads in bench-scale-state.json`)
  }
  console.log(`total run time ${elapsed()}`)
} finally {
  await app.close()
  if (!KEEP) await drop()
}
