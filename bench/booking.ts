import { Agent, request as httpRequest } from 'node:http'
import Fastify from 'fastify'
import { buildApp } from '../src/app.js'
import { setupCentre, type DemoIds, type SetupResult } from '../src/modules/admin/demo.js'
import { hashSecret } from '../src/db/tokens.js'
import { createCase } from '../test/helpers/cases.js'
import { ALL_WEEK, backendMs, fixed, freshPostgres, inTransaction, load, loadVisits, loop, report, startProfile, type Figures } from './support.js'

/**
 * Booking and calendar reads on real PostgreSQL, each against a floor measured in the same run:
 *   1. POST /v1/cases/{id}/series (weekly, COUNT=10, no conflicts) vs the same series, visits and
 *      reservations written with raw INSERTs through pg, one transaction per series, and vs the HTTP
 *      floor: those INSERTs behind a bare fastify route that also looks up the token and locks the case;
 *   2. with 100 000 visits loaded: GET /v1/visits for one site-week vs the same SELECT through pg,
 *      and GET /v1/availability for one site-month vs the site-week read.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:booking
 * BENCH_SERIES (default 500), BENCH_CONCURRENCY (20), BENCH_ROUNDS (3: part 1's three runs in turn, and
 * availability and the site-week read in turn; each figure their median), BENCH_WARMUP (1: rounds run
 * first and not counted) and BENCH_SECONDS (8, per read run) tune it; BENCH_READS=0 stops after part 1.
 * BENCH_CLIENT picks the bench's HTTP client for the bookings: `http` (default: node:http with a
 * keep-alive agent) or `fetch` (undici's WHATWG layer, which costs this process, the API's, more CPU
 * per request; the figures before 2026-11-28 13:00 used it). BENCH_CPU=<file> writes a CPU profile of
 * this process during the first counted round's bookings (bench/cpu-top.ts reads it).
 */
const SERIES = Number(process.env.BENCH_SERIES ?? 500)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const READS = process.env.BENCH_READS !== '0'
const CLIENT = process.env.BENCH_CLIENT ?? 'http'
if (CLIENT !== 'http' && CLIENT !== 'fetch') throw new Error(`BENCH_CLIENT must be http or fetch, got ${CLIENT}`)
const OCCURRENCES = 10
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARM_UP_ROUNDS = Number(process.env.BENCH_WARMUP ?? 1)

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
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  // The answer's text too: the HTTP floor answers it, and stringifying the parsed answer again would be
  // the bench's work counted as the API's (the same thread).
  const post = async (url: string, body: unknown): Promise<{ status: number; json: any; text: string }> => {
    if (CLIENT === 'fetch') {
      const response = await fetch(url.startsWith('http') ? url : `${base}${url}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, json: JSON.parse(text), text }
    }
    const payload = JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        url.startsWith('http') ? url : `${base}${url}`,
        { method: 'POST', agent, headers: { ...auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            resolve({ status: response.statusCode!, json: JSON.parse(text), text })
          })
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(payload)
    })
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

  // One series first, as the reads are probed before they are measured: the route's validator and
  // serializer are compiled at its first request (src/http/validation.ts), a third of a second that
  // is the process's, not the bookings'. It is a year after the others and removed before they start.
  const warmUp = await post(`/v1/cases/${(await createCase(database, centre, { plannedEndDate: null })).caseId}/series`, {
    ...seriesBody(0),
    start: '2028-01-10T10:00',
  })
  if (warmUp.status !== 201) throw new Error(`warm-up series: ${JSON.stringify(warmUp.json)}`)
  await pool.query('delete from reservations where visit_id in (select id from visits where series_id = $1)', [warmUp.json.seriesId])
  await pool.query('delete from visits where series_id = $1', [warmUp.json.seriesId])
  await pool.query('delete from series where id = $1', [warmUp.json.seriesId])

  let visitsBooked = 0
  const answers = new Map<string, string>()
  // CPU per series of this process (the API and the bench's HTTP client) and of the database's backends
  // (/proc, local server): steadier than series/s on a busy machine.
  const cpuOf = async <T>(work: () => Promise<T>): Promise<T & { nodeMs: number; postgresMs: number }> => {
    const cpu = process.cpuUsage()
    let result: T | undefined
    const postgresMs = await backendMs(pool, async () => (result = await work()))
    const used = process.cpuUsage(cpu)
    if (profile) await profile.stop(process.env.BENCH_CPU!)
    profile = null
    return { ...result!, nodeMs: (used.user + used.system) / 1000 / SERIES, postgresMs: postgresMs / SERIES }
  }
  let profile: Awaited<ReturnType<typeof startProfile>> | null = null
  const bookThroughApi = () =>
    cpuOf(() =>
      fixed('POST /v1/cases/{id}/series', CONCURRENCY, SERIES, async (i) => {
        const { status, json, text } = await post(`/v1/cases/${caseIds[i]}/series`, seriesBody(i))
        visitsBooked += status === 201 ? json.visits.length : 0
        answers.set(caseIds[i]!, text)
        return status === 201 && json.visits.length === OCCURRENCES
      }),
    )

  // Every run starts from empty booking tables, as the API's first did. Deleting the rows instead left
  // the exclusion constraint's GiST index with inner keys that still covered them, and the next run's
  // inserts read up to ten times the pages (a floor's postgres CPU per series moved between 6 and 25 ms).
  // The cases stay, ready to book again: nothing else a booking writes is read by the next one.
  // No analyze after it: statistics of empty tables would plan later statements as if they stayed empty.
  const clearSeries = () => pool.query('truncate reservations, visits, series cascade')

  // The floor writes exactly the rows the API wrote in its first run (same ids and values), one
  // transaction per series, at the same concurrency. It skips what the API does besides (auth, case lock,
  // booking gate, rules, overlap lookups, savepoints, audit rows).
  let written: { series: unknown; visits: unknown[]; reservations: unknown[] }[] = []
  const rawFloor = () =>
    cpuOf(() =>
      fixed('raw INSERT via pg, 1 tx/series', CONCURRENCY, written.length, async (i) => {
        await inTransaction(pool, async (client) => {
          await client.query('insert into series select * from jsonb_populate_record(null::series, $1)', [written[i]!.series])
          await client.query('insert into visits select * from jsonb_populate_recordset(null::visits, $1)', [JSON.stringify(written[i]!.visits)])
          await client.query('insert into reservations select * from jsonb_populate_recordset(null::reservations, $1)', [
            JSON.stringify(written[i]!.reservations),
          ])
        })
        return true
      }),
    )

  // The HTTP floor: the least an HTTP API can do to book a series. Per request it looks up the bearer
  // token, locks the case row, writes the same rows with the same raw INSERTs, commits and answers the
  // API's own answer (made beforehand). No validation, rules, overlap read, audit or logging: what is
  // left between this and the API is the API's own work, the rest is HTTP, a token and a lock.
  const seriesFloor = Fastify()
  seriesFloor.post<{ Params: { i: string } }>('/:i', async (request, reply) => {
    const i = Number(request.params.i)
    const caseId = (written[i]!.series as { case_id: string }).case_id
    const token = await pool.query('select * from api_tokens where secret_hash = $1 and revoked_at is null', [
      hashSecret(request.headers.authorization!.slice('Bearer '.length)),
    ])
    if (token.rowCount !== 1) throw new Error('token not found')
    await inTransaction(pool, async (client) => {
      await client.query('select * from cases where id = $1 and centre_id = $2 for update', [caseId, token.rows[0].centre_id])
      await client.query('insert into series select * from jsonb_populate_record(null::series, $1)', [written[i]!.series])
      await client.query('insert into visits select * from jsonb_populate_recordset(null::visits, $1)', [JSON.stringify(written[i]!.visits)])
      await client.query('insert into reservations select * from jsonb_populate_recordset(null::reservations, $1)', [JSON.stringify(written[i]!.reservations)])
    })
    return reply.code(201).type('application/json').send(answers.get(caseId))
  })
  const seriesFloorUrl = await seriesFloor.listen({ port: 0, host: '127.0.0.1' })
  const httpFloor = () =>
    cpuOf(() =>
      fixed('fastify + token + case lock + raw INSERT', CONCURRENCY, written.length, async (i) => {
        const { status } = await post(`${seriesFloorUrl}/${i}`, {})
        return status === 201
      }),
    )
  const seriesBooked = async () =>
    ((await pool.query<{ n: number }>('select count(*)::int as n from visits where series_id is not null')).rows[0] as { n: number }).n

  // The three in turn, ROUNDS times: the machine's speed drifts within minutes, so each round compares
  // runs made seconds apart, and the figures are each one's median over the rounds. Warm-up rounds go
  // first and are shown but not counted: the API's first 500 series run at two thirds of the speed of
  // its later ones (the JIT, each connection's named statements and their plans), the floors' do not.
  type Run = Awaited<ReturnType<typeof bookThroughApi>>
  const runs: { api: Run; raw: Run; http: Run }[] = []
  const warmUps: typeof runs = []
  let reservationsWritten = 0
  for (let round = 1 - WARM_UP_ROUNDS; round <= ROUNDS; round++) {
    await clearSeries()
    const which = round < 1 ? `warm-up round ${round + WARM_UP_ROUNDS} of ${WARM_UP_ROUNDS}` : `round ${round} of ${ROUNDS}`
    log(`[${elapsed()}] ${which}: booking ${SERIES} series over HTTP, ${CONCURRENCY} concurrent`)
    visitsBooked = 0
    // BENCH_CPU profiles the first counted round's bookings.
    if (round === 1 && process.env.BENCH_CPU) profile = await startProfile()
    const api = await bookThroughApi()
    if (written.length === 0) {
      written = (
        await pool.query<{ series: unknown; visits: unknown[]; reservations: unknown[] }>(`
          select to_jsonb(s) as series,
            (select jsonb_agg(to_jsonb(v)) from visits v where v.series_id = s.id) as visits,
            (select jsonb_agg(to_jsonb(r)) from reservations r join visits v on v.id = r.visit_id where v.series_id = s.id) as reservations
          from series s`)
      ).rows
      reservationsWritten = written.reduce((n, s) => n + s.reservations.length, 0)
    }
    await clearSeries()
    log(`[${elapsed()}] floor: inserting the same ${written.length} series, ${visitsBooked} visits and ${reservationsWritten} reservations with raw SQL`)
    const raw = await rawFloor()
    if ((await seriesBooked()) !== visitsBooked) throw new Error(`floor wrote ${await seriesBooked()} visits, the API ${visitsBooked}`)
    await clearSeries()
    log(`[${elapsed()}] HTTP floor: the same rows again through a bare fastify route (token, case lock, raw INSERTs)`)
    const http = await httpFloor()
    if ((await seriesBooked()) !== visitsBooked) throw new Error(`HTTP floor wrote ${await seriesBooked()} visits, the API ${visitsBooked}`)
    if (round < 1) warmUps.push({ api, raw, http })
    else runs.push({ api, raw, http })
  }
  await seriesFloor.close()

  // ── Figures of part 1 ────────────────────────────────────────────────────────────────────────
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
  // One figure for several runs of a target: each measure's median, the failures added up.
  const medianFigures = <T extends Figures>(all: T[]): T => ({
    ...all[0]!,
    requestsPerSecond: Math.round(median(all.map((r) => r.requestsPerSecond))),
    p50: median(all.map((r) => r.p50)),
    p99: median(all.map((r) => r.p99)),
    non2xx: all.reduce((n, r) => n + r.non2xx, 0),
    errors: all.reduce((n, r) => n + r.errors, 0),
  })
  const medianOf = (pick: (r: (typeof runs)[number]) => Run): Run => {
    const all = runs.map(pick)
    return {
      ...medianFigures(all),
      seconds: median(all.map((r) => r.seconds)),
      nodeMs: median(all.map((r) => r.nodeMs)),
      postgresMs: median(all.map((r) => r.postgresMs)),
    }
  }
  const http = medianOf((r) => r.api)
  const raw = medianOf((r) => r.raw)
  const httpFloorRun = medianOf((r) => r.http)
  console.log(`\nPostgreSQL ${(await pool.query('show server_version')).rows[0].server_version}, Node ${process.version}, ${CONCURRENCY} concurrent clients`)
  report(
    `1. Series bookings: ${SERIES} weekly series × ${OCCURRENCES} visits, each one's median of ${ROUNDS} rounds (req/s = series/s; p50/p99 per series)`,
    [http, raw, httpFloorRun],
    [],
  )
  // The ratios are the medians of each round's: runs seconds apart, where the machine's speed is the same.
  const ratio = (a: Figures, b: Figures) => `${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}×`
  const medianRatios = (label: string, rounds: [Figures, Figures][]) =>
    console.log(
      `${label}, median of the rounds' ratios: throughput ${median(rounds.map(([a, b]) => a.requestsPerSecond / b.requestsPerSecond)).toFixed(2)}×, ` +
        `p99 ${median(rounds.map(([a, b]) => a.p99 / Math.max(b.p99, 0.01))).toFixed(2)}×`,
    )
  medianRatios(
    'API vs raw INSERT floor',
    runs.map((r) => [r.api, r.raw]),
  )
  medianRatios(
    'API vs HTTP floor (fastify + token + case lock + raw INSERT)',
    runs.map((r) => [r.api, r.http]),
  )
  medianRatios(
    'HTTP floor vs raw INSERT floor',
    runs.map((r) => [r.http, r.raw]),
  )
  const roundLine = (label: string, { api, raw, http }: (typeof runs)[number]) =>
    console.log(
      `   ${label}: series/s API ${api.requestsPerSecond}, raw floor ${raw.requestsPerSecond}, HTTP floor ${http.requestsPerSecond}; ` +
        `API vs raw floor ${ratio(api, raw)}, vs HTTP floor ${ratio(api, http)}`,
    )
  warmUps.forEach((r, i) => roundLine(`warm-up ${i + 1} (not counted)`, r))
  runs.forEach((r, i) => roundLine(`round ${i + 1}`, r))
  console.log(
    `   API:   ${(SERIES / http.seconds).toFixed(1)} series/s, ${(visitsBooked / http.seconds).toFixed(0)} visits/s (${visitsBooked} visits in ${http.seconds.toFixed(2)} s); ` +
      `CPU per series: API process (with the bench's ${CLIENT} client) ${http.nodeMs.toFixed(2)} ms, postgres ${http.postgresMs.toFixed(2)} ms`,
  )
  console.log(
    `   floor: ${(written.length / raw.seconds).toFixed(1)} series/s, ${(visitsBooked / raw.seconds).toFixed(0)} visits/s (${visitsBooked} visits + ${reservationsWritten} reservations in ${raw.seconds.toFixed(2)} s); ` +
      `CPU per series: bench process ${raw.nodeMs.toFixed(2)} ms, postgres ${raw.postgresMs.toFixed(2)} ms`,
  )
  console.log(
    `   HTTP floor: ${(written.length / httpFloorRun.seconds).toFixed(1)} series/s; ` +
      `CPU per series: bench process (the bare route and the bench's ${CLIENT} client) ${httpFloorRun.nodeMs.toFixed(2)} ms, postgres ${httpFloorRun.postgresMs.toFixed(2)} ms`,
  )
  if (READS) {
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
    // What the route ran before it read only the view's columns (every column, limit + 1 to know whether
    // there is a next page): the floor of the goal. The same SELECT of the view's columns is printed too.
    const visitsSql = `select * from visits where centre_id = $1 and starts_at >= $2 and starts_at < $3 and site_id = $4 order by starts_at, id limit 201`
    const viewColumns = `id, case_id, series_id, kind, site_id, room_id, counsellor_ids, party_ids, time_zone, starts_at, ends_at, status, arrivals,
      cancelled_by, cancelled_late, cancel_reason_code, cancel_explanation, version`
    const visitsViewSql = visitsSql.replace('select *', `select ${viewColumns}`)
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
      await loop("raw SELECT of the view's columns (no HTTP)", CONCURRENCY, SECONDS, () => pool.query(visitsViewSql, visitsParams)),
      // One client: the latency a person at a form sees, without queueing behind other requests.
      await load('GET /v1/visits site-week, 1 client', { url: visitsUrl, headers: auth, connections: 1, duration: SECONDS / 2 }),
    ]
    // GET /v1/availability was written alongside this bench: measure it when the route is there.
    const month = `siteId=${siteId}&from=2028-03-01&to=2028-04-01&durationMinutes=90`
    const availabilityUrl = `${base}/v1/availability?${month}`
    const availabilityRounds: { week: Figures; month: Figures }[] = []
    let availabilityNote = 'availability: route not present'
    if (app.hasRoute({ method: 'GET', url: '/v1/availability' })) {
      const probe = await fetch(availabilityUrl, { headers: auth })
      const body = (await probe.json()) as { items?: unknown[] }
      availabilityNote = `availability: one site-month (${month.replace(siteId, '…')}) answers ${probe.status} with ${body.items?.length ?? 0} slots on its first page (default limit)`
      if (probe.status === 200) {
        // Availability and its floor, the site-week read, in turn, ROUNDS times, as the bookings are: the
        // machine's speed drifts within minutes, and with one run of each, two runs of this bench minutes
        // apart gave 1.03× and 0.59×. The figures are each one's median, the ratio the rounds' median.
        for (let round = 1; round <= ROUNDS; round++) {
          const weekRun = await load('GET /v1/visits site-week', { url: visitsUrl, headers: auth, connections: CONCURRENCY, duration: SECONDS })
          const monthRun = await load('GET /v1/availability site-month', {
            url: availabilityUrl,
            headers: auth,
            connections: CONCURRENCY,
            duration: SECONDS,
          })
          availabilityRounds.push({ week: weekRun, month: monthRun })
          log(
            `[${elapsed()}] availability round ${round} of ${ROUNDS}: ${monthRun.requestsPerSecond} req/s, the site-week read ${weekRun.requestsPerSecond} req/s`,
          )
        }
        reads.push(medianFigures(availabilityRounds.map((r) => r.month)))
        reads.push(
          await load('GET /v1/availability site-month, 1 client', {
            url: availabilityUrl,
            headers: auth,
            connections: 1,
            duration: SECONDS / 2,
          }),
        )
      } else availabilityNote += `: ${JSON.stringify(body).slice(0, 300)}`
    }

    report(
      `2. Calendar reads with ${totalVisits} visits / ${totalReservations} active reservations loaded in ${loadSeconds.toFixed(1)} s (site-week: ${sampleRaw} visits)`,
      reads,
      [
        ['GET /v1/visits vs raw SELECT (no HTTP)', 'GET /v1/visits site-week', 'raw SELECT via pg (no HTTP)'],
        ["GET /v1/visits vs raw SELECT of the view's columns (no HTTP)", 'GET /v1/visits site-week', "raw SELECT of the view's columns (no HTTP)"],
        ['GET /v1/visits vs fastify + raw SELECT', 'GET /v1/visits site-week', 'fastify + raw SELECT via pg'],
      ],
    )
    if (availabilityRounds.length > 0) {
      medianRatios(
        'GET /v1/availability (month) vs GET /v1/visits (week)',
        availabilityRounds.map((r) => [r.month, r.week]),
      )
      availabilityRounds.forEach(({ week, month }, i) =>
        console.log(`   round ${i + 1}: availability ${month.requestsPerSecond} req/s, site-week read ${week.requestsPerSecond} req/s; ${ratio(month, week)}`),
      )
    }
    console.log(availabilityNote)
  }
  console.log(`total run time ${elapsed()}`)
} finally {
  await Promise.all([app.close(), rawSql.close()])
  await drop()
}
