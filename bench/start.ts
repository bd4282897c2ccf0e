import { setTimeout as sleep } from 'node:timers/promises'
import { execFileSync, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { buildApp } from '../src/app.js'
import { setupCentre, type DemoIds, type SetupResult } from '../src/modules/admin/demo.js'
import { buildTemplateDir, readDataTemplate, templateKey } from '../src/db/template.js'
import { createCase } from '../test/helpers/cases.js'
import { exit, freshPostgres, rssMegabytes, serverCommand, serverReady, spawnUntil, stop } from './support.js'

/**
 * Start-up time and memory of the real server, as `npm start` and the container run it (`node
 * dist/src/server.js`, built by the npm script first), each against a floor measured in the same run,
 * on the same machine and load:
 *   1. first start on a fresh DATA_DIR (the build's migrated template loaded, demo seed) until
 *      /health/ready answers 200 vs PGlite's own initdb: a process that creates a fresh directory
 *      with the same extension and answers `select 1`; and the compiled server's first start
 *      without that template (initdb and every migration), as a checkout that was never built does;
 *   2. restart on that DATA_DIR vs PGlite's own reopen of its directory;
 *   3. start on PostgreSQL (a migrated database) vs a bare fastify process listening with one route;
 *   4. the server's RSS on PostgreSQL a second after it is ready, idle BENCH_IDLE_SECONDS (30) after
 *      it, and its peak under BENCH_SECONDS of autocannon on GET /v1/visits (20 connections, 100
 *      visits in the database);
 *   5. the newcomer's path: the first `npm start` of a fresh clone on which `npm ci` ran (newcomerClone
 *      below), until /health/ready answers 200, vs the same initdb.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:start
 * BENCH_REPEAT (default 5) repetitions of each start and load run, medians reported; BENCH_SECONDS (10) of load.
 */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30)
const root = new URL('..', import.meta.url).pathname

const log = (line: string) => process.stderr.write(`${line}\n`)
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const variants = [{ name: 'dist', args: serverCommand }] as const
if (!existsSync(join(root, 'dist/src/server.js'))) throw new Error('dist/src/server.js is missing: run `npm run build` (npm run bench:start does)')
if (!readDataTemplate(buildTemplateDir, 'gzip')) throw new Error('the data template is missing: run `npm run build` (npm run bench:start does)')
const templateFile = join(buildTemplateDir, `pgdata-${templateKey()}.tar.gz`)

const baseEnv = () => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  delete env.NODE_OPTIONS
  return env
}

/** SIGTERM to a process group (npm, its shell, the server), as Ctrl-C stops `npm start`; resolves once every member is gone. */
async function stopGroup(child: ChildProcess) {
  const exited = exit(child)
  process.kill(-child.pid!, 'SIGTERM')
  await exited
  for (;;) {
    try {
      process.kill(-child.pid!, 0)
    } catch {
      return
    }
    await sleep(20)
  }
}

// PGlite's own open, in a process of its own: the import of PGlite and its extension, create, one query.
const PGLITE_OPEN = `
const { PGlite } = await import('@electric-sql/pglite')
const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist')
const db = await PGlite.create(process.argv[1], { extensions: { btree_gist } })
await db.query('select 1')
process.stdout.write('ready\\n')
await db.close()
`
const pgliteOpen = (dir: string) => spawnUntil(['--input-type=module', '-e', PGLITE_OPEN, dir], baseEnv(), (output) => output.includes('ready'))

// The bare fastify floor: its import, one route, listen, answer.
const BARE_FASTIFY = `
const { default: Fastify } = await import('fastify')
const app = Fastify()
app.get('/health/ready', async () => ({ status: 'ok' }))
const address = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write('listening on ' + address + '\\n')
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))
`

const times = new Map<string, number[]>()
const record = (key: string, value: number) => times.set(key, [...(times.get(key) ?? []), value])
const temporary: string[] = []
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-bench-start-'))
  temporary.push(dir)
  return dir
}

/**
 * The newcomer's path, as the README's quick start has it: a `git clone` of this checkout's HEAD (what
 * a newcomer gets: committed files only, no dist/, data/ or node_modules/), `npm ci` in it (timed once,
 * apart), then `npm start` in every repetition. Each repetition is that first start again: dist/ is put
 * back as `npm ci` left it (whatever a previous `npm start` built there is gone) and DATA_DIR is new.
 */
function newcomerClone(): { dir: string; afterInstall: string; installMs: number; env: Record<string, string> } {
  const dir = join(freshDir(), 'clone')
  execFileSync('git', ['clone', '--quiet', root, dir])
  if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim()) {
    log('note: this checkout has uncommitted changes; the fresh clone measures its HEAD without them')
  }
  // A newcomer's shell: none of the npm variables or PATH entries `npm run bench:start` put around this process.
  const env = Object.fromEntries(Object.entries(baseEnv()).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD'))
  const npmRunEntries = (entry: string) =>
    entry.endsWith('/node-gyp-bin') || (entry.endsWith('/node_modules/.bin') && root.startsWith(entry.slice(0, -'node_modules/.bin'.length)))
  env.PATH = (env.PATH ?? '')
    .split(':')
    .filter((entry) => !npmRunEntries(entry))
    .join(':')
  const started = performance.now()
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] })
  const installMs = performance.now() - started
  const afterInstall = join(freshDir(), 'dist')
  if (existsSync(join(dir, 'dist'))) cpSync(join(dir, 'dist'), afterInstall, { recursive: true, preserveTimestamps: true })
  return { dir, afterInstall, installMs, env }
}

const postgres = await freshPostgres()
try {
  const newcomer = newcomerClone()
  log(`fresh clone: npm ci ${Math.round(newcomer.installMs)} ms (${existsSync(newcomer.afterInstall) ? 'dist/ built by it' : 'no dist/ after it'})`)

  // ── Embedded PGlite: first start and restart ──────────────────────────────────────────────────
  for (let i = 0; i < REPEAT; i++) {
    const floorDir = join(freshDir(), 'pgdata')
    const initdb = await pgliteOpen(floorDir)
    await exit(initdb.child) // it closes PGlite itself: a signal could cut the close short
    record('pglite initdb', initdb.ms)
    rmSync(join(newcomer.dir, 'dist'), { recursive: true, force: true })
    if (existsSync(newcomer.afterInstall)) cpSync(newcomer.afterInstall, join(newcomer.dir, 'dist'), { recursive: true, preserveTimestamps: true })
    const clonedStart = await serverReady(['start'], { ...newcomer.env, DATA_DIR: freshDir() }, { command: 'npm', cwd: newcomer.dir })
    await stopGroup(clonedStart.child)
    record('npm start, fresh clone', clonedStart.ms)
    const dataDirs = new Map<string, string>()
    for (const variant of variants) {
      const dataDir = freshDir()
      dataDirs.set(variant.name, dataDir)
      const first = await serverReady([...variant.args], { ...baseEnv(), DATA_DIR: dataDir })
      await stop(first.child)
      record(`first start ${variant.name}`, first.ms)
    }
    // The template set aside (and put back whatever happens): what a first start costs without a build.
    renameSync(templateFile, `${templateFile}.aside`)
    try {
      const first = await serverReady(serverCommand, { ...baseEnv(), DATA_DIR: freshDir() })
      await stop(first.child)
      record('first start dist, no template', first.ms)
    } finally {
      renameSync(`${templateFile}.aside`, templateFile)
    }
    const reopen = await pgliteOpen(floorDir)
    await exit(reopen.child)
    record('pglite reopen', reopen.ms)
    for (const variant of variants) {
      const again = await serverReady([...variant.args], { ...baseEnv(), DATA_DIR: dataDirs.get(variant.name)! })
      await stop(again.child)
      record(`restart ${variant.name}`, again.ms)
    }
    log(`embedded, round ${i + 1}/${REPEAT}: ${[...times].map(([k, v]) => `${k} ${Math.round(v.at(-1)!)}`).join(', ')} (ms)`)
  }

  // ── PostgreSQL: start, RSS idle and under load ────────────────────────────────────────────────
  // 10 cases with a weekly series of 10 visits each, booked in this process before any server starts.
  const centre = (await setupCentre(postgres.database.db, { centreName: 'Bench', demo: true })) as SetupResult & { demo: DemoIds }
  const app = await buildApp({ database: postgres.database })
  for (let i = 0; i < 10; i++) {
    const { caseId } = await createCase(postgres.database, centre)
    const booked = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/series`,
      headers: { authorization: `Bearer ${centre.adminToken}` },
      payload: {
        kind: 'supervised_visit',
        roomId: centre.demo.roomIds[i % centre.demo.roomIds.length],
        counsellorIds: [centre.demo.counsellorIds[i % centre.demo.counsellorIds.length]],
        start: `2027-01-${11 + (i % 5)}T${10 + 2 * Math.floor(i / 5)}:00`,
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;COUNT=10',
      },
    })
    if (booked.statusCode !== 201) throw new Error(`booking failed: ${booked.body}`)
  }
  await app.close()

  const pgEnv = { ...baseEnv(), DATABASE_URL: postgres.url, DATA_DIR: freshDir() }
  for (let i = 0; i < REPEAT; i++) {
    // The bare fastify stays up, idle, until the server's round is over: its idle RSS is read then.
    const bare = await serverReady(['--input-type=module', '-e', BARE_FASTIFY], baseEnv())
    record('bare fastify start', bare.ms)
    await sleep(1000)
    record('bare fastify RSS', rssMegabytes(bare.child.pid!))
    for (const variant of variants) {
      const server = await serverReady([...variant.args], pgEnv)
      record(`PostgreSQL start ${variant.name}`, server.ms)
      const ready = performance.now()
      // A second for what a start leaves running (the retention job's first pass, lazy compilation).
      await sleep(1000)
      record(`RSS after start ${variant.name}`, rssMegabytes(server.child.pid!))
      // Idle: the young generation still holds the start's garbage a second after ready; V8 gives it
      // back once the process has allocated little for a while (its memory reducer, about 15 s here).
      await sleep(IDLE_SECONDS * 1000 - (performance.now() - ready))
      record(`RSS idle ${variant.name}`, rssMegabytes(server.child.pid!))
      // The peak under load is measured in every repetition: one run's peak can be far from the others'
      // (when the old generation happens to grow before a major collection).
      let peak = 0
      const sampler = setInterval(() => (peak = Math.max(peak, rssMegabytes(server.child.pid!))), 200)
      const result = await autocannon({
        url: `${server.base}/v1/visits?limit=50`,
        headers: { authorization: `Bearer ${centre.adminToken}` },
        connections: 20,
        duration: SECONDS,
      })
      clearInterval(sampler)
      record(`RSS peak ${variant.name}`, Math.max(peak, rssMegabytes(server.child.pid!)))
      log(`GET /v1/visits on ${variant.name}: ${Math.round(result.requests.average)} req/s, non-2xx ${result.non2xx}, errors ${result.errors}`)
      if (result.non2xx || result.errors) throw new Error('the load run had failures')
      await stop(server.child)
    }
    record('bare fastify RSS idle', rssMegabytes(bare.child.pid!))
    await stop(bare.child)
    log(`PostgreSQL, round ${i + 1}/${REPEAT} done`)
  }

  // ── Report ────────────────────────────────────────────────────────────────────────────────────
  const m = (key: string) => median(times.get(key)!)
  const rows: Record<string, string | number>[] = []
  for (const variant of variants) {
    const v = variant.name
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
    // A start measured against PGlite's own initdb of the same round.
    const againstInitdb = (target: string, key: string, goal: string) => ({
      target,
      median: `${Math.round(m(key))} ms`,
      floor: `PGlite initdb ${Math.round(m('pglite initdb'))} ms`,
      ratio: ratio(m(key), m('pglite initdb')),
      goal,
    })
    rows.push(
      ...(v === 'dist'
        ? [
            againstInitdb('first `npm start` of a fresh clone after `npm ci`', 'npm start, fresh clone', '≤ 1.20×'),
            { target: '`npm ci` of that clone (once, apart)', median: `${Math.round(newcomer.installMs)} ms`, floor: '', ratio: '', goal: '' },
          ]
        : []),
      againstInitdb(`first start, embedded (${v})`, `first start ${v}`, '≤ 1.20×'),
      ...(v === 'dist' ? [againstInitdb('first start, embedded (dist, no template: initdb)', 'first start dist, no template', '')] : []),
      {
        target: `restart, embedded (${v})`,
        median: `${Math.round(m(`restart ${v}`))} ms`,
        floor: `PGlite reopen ${Math.round(m('pglite reopen'))} ms`,
        ratio: ratio(m(`restart ${v}`), m('pglite reopen')),
        goal: '≤ 3.00×',
      },
      {
        target: `start on PostgreSQL (${v})`,
        median: `${Math.round(m(`PostgreSQL start ${v}`))} ms`,
        floor: `bare fastify ${Math.round(m('bare fastify start'))} ms`,
        ratio: ratio(m(`PostgreSQL start ${v}`), m('bare fastify start')),
        goal: '< 1500 ms',
      },
      {
        target: `RSS a second after ready, PostgreSQL (${v})`,
        median: `${Math.round(m(`RSS after start ${v}`))} MB`,
        floor: `bare fastify ${Math.round(m('bare fastify RSS'))} MB`,
        ratio: ratio(m(`RSS after start ${v}`), m('bare fastify RSS')),
        goal: '',
      },
      {
        target: `RSS idle (${IDLE_SECONDS} s after ready), PostgreSQL (${v})`,
        median: `${Math.round(m(`RSS idle ${v}`))} MB`,
        floor: `bare fastify ${Math.round(m('bare fastify RSS idle'))} MB`,
        ratio: ratio(m(`RSS idle ${v}`), m('bare fastify RSS idle')),
        goal: '< 120 MB',
      },
      { target: `RSS peak under load (${v})`, median: `${Math.round(m(`RSS peak ${v}`))} MB`, floor: '', ratio: '', goal: '< 200 MB' },
    )
  }
  console.log(
    `\nStart and memory: ${REPEAT} repetitions, medians; Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  console.table(rows)
  console.log(`npm ci, fresh clone: ${Math.round(newcomer.installMs)}`)
  for (const [key, values] of times) console.log(`${key}: ${values.map((v) => Math.round(v)).join(', ')}`)
} finally {
  await postgres.drop()
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
}
