import { setTimeout as sleep } from 'node:timers/promises'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { dirname } from 'node:path'
import autocannon from 'autocannon'
import type pg from 'pg'
import type { Database } from '../src/db/client.js'
import { scratchDatabase } from '../test/helpers/databases.js'
import { fromRoot, repositoryRoot } from '../test/helpers/paths.js'

/** Shared bench plumbing: a throw-away PostgreSQL database and an autocannon run reduced to the figures we report. */
export async function freshPostgres(): Promise<{ database: Database; url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('Benchmarks run on real PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test')
  return scratchDatabase(adminUrl, 'bzr_bench', Number(process.env.BENCH_POOL ?? 20))
}

export interface Figures {
  name: string
  requestsPerSecond: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

export async function load(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections: 20, duration: Number(process.env.BENCH_SECONDS ?? 8), ...options })
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** In-process loop with `concurrency` workers, for floors that are not HTTP (raw SQL). */
export async function loop(name: string, concurrency: number, seconds: number, work: () => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const started = performance.now()
        await work()
        latencies.push(performance.now() - started)
      }
    }),
  )
  const at = percentiles(latencies)
  return { name, requestsPerSecond: Math.round(latencies.length / seconds), p50: at(0.5), p99: at(0.99), non2xx: 0, errors: 0 }
}

function percentiles(latencies: number[]) {
  latencies.sort((a, b) => a - b)
  return (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2))
}

/**
 * A fixed amount of work (`count` jobs, e.g. bookings, which cannot be repeated like a read) on
 * `concurrency` workers; throughput is jobs per second of wall time. `work` answers whether the job
 * succeeded; failures are reported as non2xx.
 */
export async function fixed(name: string, concurrency: number, count: number, work: (i: number) => Promise<boolean>): Promise<Figures & { seconds: number }> {
  const latencies: number[] = []
  let next = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const begun = performance.now()
        if (!(await work(i))) failures++
        latencies.push(performance.now() - begun)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const at = percentiles(latencies)
  return { name, requestsPerSecond: Math.round(count / seconds), p50: at(0.5), p99: at(0.99), non2xx: failures, errors: 0, seconds }
}

export function report(title: string, rows: Figures[], ratios: [string, string, string][]) {
  const byName = new Map(rows.map((r) => [r.name, r]))
  console.log(`\n${title}`)
  console.table(rows.map((r) => ({ target: r.name, 'req/s': r.requestsPerSecond, 'p50 ms': r.p50, 'p99 ms': r.p99, non2xx: r.non2xx, errors: r.errors })))
  for (const [label, a, b] of ratios) {
    const x = byName.get(a)!
    const y = byName.get(b)!
    console.log(`${label}: throughput ${(x.requestsPerSecond / y.requestsPerSecond).toFixed(2)}×, p99 ${(x.p99 / Math.max(y.p99, 0.01)).toFixed(2)}×`)
  }
}

/** `work` on one pooled connection inside a transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('begin')
    const result = await work(client)
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}

/** Working hours of the bench's counsellors: every day, 08:00–20:00. */
export const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '08:00', to: '20:00' }]]))

/**
 * 100 000 booked visits and their 500 000 reservations, generated in SQL: 20 sites of 5 rooms, 100
 * counsellors and 2 000 cases (child + two parents). Weekdays from Monday 7 June 2027 (400 of them),
 * starts at 10:00, 12:00, 14:00, 16:00 and 18:00 local time, every other (day, start, room) cell
 * taken. The counsellor of a cell is (room + day) mod 100 and a site's visits go round its 100 cases,
 * so no resource is reserved twice at once; the exclusion constraint checks that on every row.
 * Returns the new sites' ids.
 */
export async function loadVisits(pool: pg.Pool, centreId: string, demoSiteId: string, leadCounsellorId: string): Promise<string[]> {
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
    // What autovacuum does to a table after a bulk insert (PostgreSQL 13+ vacuums after inserts too):
    // statistics, and a visibility map that lets index-only scans skip the heap. Without it every read
    // of the freshly loaded tables fetches each row's heap page, which no running installation does.
    await client.query('vacuum analyze')
    return rows.map((r) => r.id)
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}

/** CPU milliseconds so far of one process (user and system), 0 when it is gone. */
export const cpuMsOf = (pid: number) => ticksOf(pid) * 10

/** CPU so far (clock ticks) of one process, 0 when it is gone. */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    // The process ended while we looked.
    return 0
  }
}

/**
 * CPU milliseconds of the server processes of one database during `work` (local server): only the
 * backends connected to it, so other databases' clients on a shared server do not count. A backend
 * that ends during `work` is left out.
 */
export async function backendMs(pool: pg.Pool, work: () => Promise<unknown>): Promise<number> {
  const backends = async () =>
    new Map(
      (await pool.query<{ pid: number }>("select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'")).rows.map(
        (r) => [r.pid, ticksOf(r.pid)] as const,
      ),
    )
  const before = await backends()
  await work()
  let ticks = 0
  for (const [pid, now] of await backends()) ticks += now - (before.get(pid) ?? 0)
  return ticks * 10
}

/** The inspector's sampling profiler, from now until stop (which writes the profile for bench/cpu-top.ts). */
export async function startProfile() {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))))
  await post('Profiler.enable')
  await post('Profiler.setSamplingInterval', { interval: 100 })
  await post('Profiler.start')
  return {
    stop: async (file: string) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown }
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, JSON.stringify(profile))
      session.disconnect()
    },
  }
}

// ── Processes of their own: the real server as it runs in production ───────────────────────────

/** The server's arguments to node as `npm run start:prod` has them (and `npm start` and the container): its flags, then the program. */
export const serverCommand: string[] = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
  'start:prod'
]!.split(' ').slice(1)

export interface Started {
  child: ChildProcess
  ms: number
  base?: string
}

/** Spawns `node args` (or `command args` in `cwd`) and resolves when `ready(output)` says so (a base URL, or true), with the ms since spawning. */
export async function spawnUntil(
  args: string[],
  env: Record<string, string>,
  ready: (output: string) => string | boolean,
  { command = process.execPath, cwd = repositoryRoot }: { command?: string; cwd?: string } = {},
): Promise<Started> {
  const started = performance.now()
  // A command other than node (npm start) runs in a process group of its own, to be stopped whole.
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: command !== process.execPath })
  let output = ''
  return new Promise<Started>((resolve, reject) => {
    const check = () => {
      const answer = ready(output)
      if (answer) resolve({ child, ms: performance.now() - started, ...(typeof answer === 'string' ? { base: answer } : {}) })
    }
    child.stdout.on('data', (d) => {
      output += d
      check()
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)))
  })
}

export async function serverReady(args: string[], env: Record<string, string>, options?: Parameters<typeof spawnUntil>[3]): Promise<Started> {
  const started = performance.now()
  const listening = await spawnUntil(args, env, (output) => /listening on (http:\/\/[\d.:]+)/.exec(output)?.[1] ?? false, options)
  for (;;) {
    const response = await fetch(`${listening.base}/health/ready`).catch(() => undefined)
    if (response?.status === 200) break
    await sleep(10)
  }
  return { ...listening, ms: performance.now() - started }
}

/** SIGTERM, as an orchestrator stops a server; resolves once the process is gone. */
export async function stop(child: ChildProcess) {
  const exited = exit(child)
  child.kill('SIGTERM')
  await exited
}

export const exit = (child: ChildProcess) => (child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)))

/** The resident set of a process, from /proc (Linux). */
export function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}
