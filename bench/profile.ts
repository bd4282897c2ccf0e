import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { openDatabase, type Database } from '../src/db/client.js'
import { setupCentre, type DemoIds, type SetupResult } from '../src/modules/admin/demo.js'
import { createCase } from '../test/helpers/cases.js'
import { ALL_WEEK, freshPostgres, loadVisits, startProfile } from './support.js'

/**
 * Where the time of one request goes, for the targets of bench/booking.ts: every statement it sends
 * (counted at the pg client, with its time as the client sees it), and with PROFILE_EXPLAIN=1 the
 * plan summary of each read (EXPLAIN (ANALYZE, BUFFERS)). Run with `node --cpu-prof` for the event loop.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/profile.ts
 * PROFILE_REPEAT=n runs n more requests, PROFILE_CPU=<dir> profiles them (bench/cpu-top.ts lists the top).
 * PROFILE_STATE=<file> keeps the loaded database and reuses it on the next run (drop it by hand).
 */

interface State {
  url: string
  centreId: string
  token: string
  demo: DemoIds
  siteId: string
  roomId: string
  counsellorId: string
}

interface Sent {
  text: string
  values: unknown[]
  ms: number
}

let recording: Sent[] | null = null
// eslint-disable-next-line @typescript-eslint/unbound-method -- applied to its own client below
const originalQuery = pg.Client.prototype.query
// Every statement of the app passes through Client#query: a transaction's with a promise, a pool's with a callback.
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const config = args[0] as string | { text: string; values?: unknown[] }
  const text = typeof config === 'string' ? config : config.text
  const values = ((typeof config === 'string' ? undefined : config.values) ?? (Array.isArray(args[1]) ? args[1] : [])) as unknown[]
  const started = performance.now()
  const log = recording
  const done = (ok: boolean) => log?.push({ text: ok ? text : `FAILED ${text}`, values, ms: performance.now() - started })
  const last = args[args.length - 1]
  if (typeof last === 'function') {
    args[args.length - 1] = (error: unknown, result: unknown) => {
      done(!error)
      ;(last as (e: unknown, r: unknown) => void)(error, result)
    }
  }
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args)
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    void (result as Promise<unknown>).then(
      () => done(true),
      () => done(false),
    )
  }
  return result
} as typeof pg.Client.prototype.query

const statePath = process.env.PROFILE_STATE
let database: Database
let state: State
let drop = async () => {}
if (statePath && existsSync(statePath)) {
  state = JSON.parse(readFileSync(statePath, 'utf8')) as State
  database = await openDatabase({ databaseUrl: state.url, poolSize: 20 })
  drop = () => database.close()
} else {
  const fresh = await freshPostgres()
  database = fresh.database
  drop = statePath ? () => database.close() : fresh.drop
  const centre = (await setupCentre(database.db, { centreName: 'Profile', demo: true })) as SetupResult & { demo: DemoIds }
  const app = await buildApp({ database })
  const auth = { authorization: `Bearer ${centre.adminToken}`, 'content-type': 'application/json' }
  const room = await app.inject({ method: 'POST', url: '/v1/rooms', headers: auth, payload: { siteId: centre.demo.siteId, name: 'Profile room', capacity: 1 } })
  const counsellor = await app.inject({
    method: 'POST',
    url: '/v1/counsellors',
    headers: auth,
    payload: { name: 'Profile counsellor', workingHours: ALL_WEEK },
  })
  await app.close()
  process.stderr.write('loading 100 000 visits\n')
  const siteIds = await loadVisits(database.pool!, centre.centreId, centre.demo.siteId, centre.demo.counsellorIds[0]!)
  state = {
    url: fresh.url,
    centreId: centre.centreId,
    token: centre.adminToken,
    demo: centre.demo,
    siteId: siteIds[3]!,
    roomId: room.json().id,
    counsellorId: counsellor.json().id,
  }
  if (statePath) writeFileSync(statePath, JSON.stringify(state))
}

const app = await buildApp({ database })
const headers = { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' }
const week = `from=${encodeURIComponent('2028-03-13T00:00:00+01:00')}&to=${encodeURIComponent('2028-03-20T00:00:00+01:00')}`
let cell = Number(process.env.PROFILE_CELL ?? Math.floor(Math.random() * 1000))

const targets: Record<string, () => Promise<{ method: 'GET' | 'POST'; url: string; payload?: Record<string, unknown> }>> = {
  series: async () => {
    const { caseId } = await createCase(database, { centreId: state.centreId, demo: state.demo }, { plannedEndDate: null })
    // A weekly cell of its own (a new case each time; the room and counsellor move on by a day-hour).
    const day = cell % 5
    const hour = 10 + 2 * (Math.floor(cell / 5) % 5)
    const week = Math.floor(cell / 25)
    cell++
    const start = new Date(Date.UTC(2027, 0, 11 + day + 7 * 10 * week)).toISOString().slice(0, 10)
    return {
      method: 'POST',
      url: `/v1/cases/${caseId}/series`,
      payload: {
        kind: 'supervised_visit',
        roomId: state.roomId,
        counsellorIds: [state.counsellorId],
        start: `${start}T${hour}:00`,
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;COUNT=10',
        onConflict: 'reject',
      },
    }
  },
  visits: async () => ({ method: 'GET', url: `/v1/visits?siteId=${state.siteId}&${week}&limit=200` }),
  availability: async () => ({ method: 'GET', url: `/v1/availability?siteId=${state.siteId}&from=2028-03-01&to=2028-04-01&durationMinutes=90` }),
}

const explain = process.env.PROFILE_EXPLAIN === '1'
const only = process.argv.slice(2)
try {
  for (const [name, make] of Object.entries(targets)) {
    if (only.length > 0 && !only.includes(name)) continue
    // Warm up: compiled validators and serializers, prepared statements, the pool's connections.
    for (let i = 0; i < 5; i++) await app.inject({ ...(await make()), headers })
    const request = await make()
    recording = []
    const started = performance.now()
    const response = await app.inject({ ...request, headers })
    const wall = performance.now() - started
    await new Promise((resolve) => setImmediate(resolve))
    const sent = recording
    recording = null
    const inDatabase = sent.reduce((t, s) => t + s.ms, 0)
    console.log(
      `\n## ${name}: ${request.method} ${request.url.slice(0, 60)}… → ${response.statusCode}, ${response.body.length} bytes, ${wall.toFixed(1)} ms; ` +
        `${sent.length} statements, ${inDatabase.toFixed(1)} ms waiting on them`,
    )
    for (const s of sent) console.log(`  ${s.ms.toFixed(2).padStart(7)} ms  ${s.text.replace(/\s+/g, ' ').slice(0, 150)}`)
    if (response.statusCode >= 300) console.log(response.body.slice(0, 500))
    // PROFILE_REPEAT=n runs it n more times, one after the other.
    // PROFILE_CPU=<dir> writes a CPU profile of those requests only (made beforehand: a series' case too).
    const repeat = Number(process.env.PROFILE_REPEAT ?? 0)
    if (repeat > 0) {
      const times: number[] = []
      const requests = []
      for (let i = 0; i < repeat; i++) requests.push(await make())
      const cpu = process.env.PROFILE_CPU ? await startProfile() : null
      const statuses = new Map<number, number>()
      for (const again of requests) {
        const begun = performance.now()
        const { statusCode } = await app.inject({ ...again, headers })
        times.push(performance.now() - begun)
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1)
      }
      if (cpu) await cpu.stop(`${process.env.PROFILE_CPU}/${name}.cpuprofile`)
      times.sort((a, b) => a - b)
      console.log(
        `  ${repeat} more: p50 ${times[Math.floor(repeat / 2)]!.toFixed(1)} ms, p99 ${times[Math.floor(repeat * 0.99)]!.toFixed(1)} ms; ${[...statuses].map(([status, n]) => `${n} × ${status}`).join(', ')}`,
      )
    }
    if (!explain) continue
    for (const s of sent) {
      if (!/^\s*(select|with)/i.test(s.text) || /for update|pg_advisory/i.test(s.text)) continue
      const { rows } = await database.pool!.query(`explain (analyze, buffers) ${s.text}`, s.values)
      const lines = rows.map((r: Record<string, string>) => r['QUERY PLAN']!)
      console.log(`\n  EXPLAIN ${s.text.replace(/\s+/g, ' ').slice(0, 100)}`)
      for (const line of lines.filter((l: string) => !/^\s*(Buffers|Planning:)/.test(l) || lines.indexOf(l) < 3)) console.log(`    ${line}`)
    }
  }
} finally {
  await app.close()
  await drop()
}
