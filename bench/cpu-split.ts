import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { buildApp } from '../src/app.js'
import { openDatabase } from '../src/db/client.js'
import { backendMs } from './support.js'

/**
 * Where the CPU of a read under load goes: the site-week of GET /v1/visits and the site-month of
 * GET /v1/availability, each for BENCH_SECONDS (5) with 20 clients, on the database bench/profile.ts
 * kept (PROFILE_STATE, required). For each: requests per second, this process's CPU per request (the
 * API and autocannon, as in bench/booking.ts) and PostgreSQL's (the backends of that database, read
 * from /proc: Linux and a local server only; other databases on the server do not count).
 *   DATABASE_URL=… PROFILE_STATE=/tmp/state.json npx tsx bench/profile.ts visits   # once, to load it
 *   PROFILE_STATE=/tmp/state.json npx tsx bench/cpu-split.ts
 */
const statePath = process.env.PROFILE_STATE
if (!statePath) throw new Error('PROFILE_STATE=<file> names the database bench/profile.ts kept')
const state = JSON.parse(readFileSync(statePath, 'utf8')) as { url: string; token: string; siteId: string }
const seconds = Number(process.env.BENCH_SECONDS ?? 5)

const database = await openDatabase({ databaseUrl: state.url, poolSize: 20 })
const app = await buildApp({ database })
try {
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const headers = { authorization: `Bearer ${state.token}` }
  const week = `from=${encodeURIComponent('2028-03-13T00:00:00+01:00')}&to=${encodeURIComponent('2028-03-20T00:00:00+01:00')}`
  const targets = {
    'GET /v1/visits site-week': `${base}/v1/visits?siteId=${state.siteId}&${week}&limit=200`,
    'GET /v1/availability site-month': `${base}/v1/availability?siteId=${state.siteId}&from=2028-03-01&to=2028-04-01&durationMinutes=90`,
  }
  for (const [name, url] of Object.entries(targets)) {
    // With as many clients as measured, so that every connection the pool will use is open.
    await autocannon({ url, headers, connections: 20, duration: 2 })
    const cpu = process.cpuUsage()
    let result: autocannon.Result | undefined
    const postgresMs = await backendMs(database.pool!, async () => {
      result = await autocannon({ url, headers, connections: 20, duration: seconds })
    })
    const used = process.cpuUsage(cpu)
    const n = result!.requests.total
    console.log(
      `${name}: ${Math.round(result!.requests.average)} req/s, ${Math.round(result!.throughput.average / 1024)} KB/s; ` +
        `CPU per request: node ${((used.user + used.system) / 1000 / n).toFixed(2)} ms, postgres ${(postgresMs / n).toFixed(2)} ms`,
    )
  }
} finally {
  await app.close()
  await database.close()
}
