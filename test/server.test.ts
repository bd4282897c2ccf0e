import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onPostgres, openTestDatabase } from './helpers/app.js'
import { fromRoot, repositoryRoot } from './helpers/paths.js'
import { listening, start, stop } from './helpers/processes.js'

// These tests run the real server as a person would (`npm start`), as child processes (the CLI's are in cli.test.ts).
const embeddedEnv = (dataDir: string, extra: Record<string, string> = {}) => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra }
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL
  return env
}

t.test('npm start on a cold data directory: ready, seeded once, data kept across restarts, one process per directory', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bzr-server-'))
  const first = start('server', embeddedEnv(dataDir))
  t.teardown(() => first.child.kill()) // if an assertion stops the test before it does
  const base = await listening(first)
  t.match(first.output(), /Admin token \(shown this once; keep it\): bzr_/, 'banner with a one-time admin token')
  t.match(first.output(), /\/docs/, 'banner names the docs')
  const token = /(bzr_[A-Za-z0-9_-]+)/.exec(first.output())![1]
  t.equal((await fetch(`${base}/health/ready`)).status, 200)
  const counsellor = await fetch(`${base}/v1/counsellors`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sara Peeters', workingHours: { wed: [{ from: '12:00', to: '19:00' }] } }),
  })
  t.equal(counsellor.status, 201)
  const counsellorId = (await counsellor.json()).id

  const second = start('server', embeddedEnv(dataDir))
  t.not(await second.exited, 0, 'a second process on the same DATA_DIR fails')
  t.match(second.output(), /in use by another Bezoekruimte process/)
  t.equal((await fetch(`${base}/health/ready`)).status, 200, 'the first one is unharmed')

  t.equal(await stop(first), 0, 'SIGTERM shuts down cleanly with status 0')
  t.notOk(existsSync(join(dataDir, 'bezoekruimte.lock')), 'the lock is released')

  const again = start('server', embeddedEnv(dataDir, { LOG_LEVEL: 'info' }))
  t.teardown(() => again.child.kill())
  const base2 = await listening(again)
  t.notMatch(again.output(), /Admin token/, 'the seed does not run twice')
  // The log line and the banner reach stdout by two writers: the log line may follow the banner.
  for (let i = 0; i < 100 && !again.output().includes('"msg":"started"'); i++) await new Promise((r) => setTimeout(r, 50))
  t.match(again.output(), /"migrationsApplied":0,"msg":"started"/, 'the migrations applied by the first start are not run again')
  const read = await fetch(`${base2}/v1/counsellors/${counsellorId}`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(read.status, 200, 'data created before the restart is there, and so is the token')
  t.equal(await stop(again), 0)
})

t.test('invalid configuration: one clear message, exit 1', async (t) => {
  // Both at once: each is a process that stops at its configuration.
  const bad = start('server', embeddedEnv(mkdtempSync(join(tmpdir(), 'bzr-bad-')), { PORT: 'eighty' }))
  const badUrl = start('server', embeddedEnv(mkdtempSync(join(tmpdir(), 'bzr-bad-')), { DATABASE_URL: 'mysql://x' }))
  t.equal(await bad.exited, 1)
  t.match(bad.output(), /Invalid configuration: PORT must be a whole number/)
  t.equal(await badUrl.exited, 1)
  t.match(badUrl.output(), /DATABASE_URL/)
})

t.test(
  'with DATABASE_URL the service never seeds, and never loads PGlite',
  { skip: onPostgres ? false : 'needs PostgreSQL (DATABASE_URL); runs in the PostgreSQL pass of CI' },
  async (t) => {
    const database = await openTestDatabase(t)
    // The preload fails the process should any module of PGlite or drizzle's PGlite adapter be resolved.
    const server = start(
      'server',
      embeddedEnv(mkdtempSync(join(tmpdir(), 'bzr-pg-')), { DATABASE_URL: (database as { url?: string }).url! }),
      [],
      ['./test/helpers/without-pglite.mjs'],
    )
    const base = await listening(server)
    t.notMatch(server.output(), /PGlite was loaded/)
    t.notMatch(server.output(), /Admin token/)
    t.match(server.output(), /no centre yet[\s\S]*npm run --silent cli -- setup --centre-name/, 'it says what to run next')
    t.equal((await fetch(`${base}/health/ready`)).status, 200)
    t.equal(await stop(server), 0)
  },
)

t.test('a build replaces each file of dist/ whole: a process starting beside `npm start` never loads half a module', async (t) => {
  // swc on its own empties a file and writes it again; a process importing it in between failed to start.
  const module = fromRoot('dist/src/app.js')
  const before = statSync(module).ino
  const build = spawnSync(process.execPath, [fromRoot('scripts/build.mjs')], { cwd: repositoryRoot, encoding: 'utf8' })
  t.equal(build.status, 0, build.stderr)
  t.not(statSync(module).ino, before, 'dist/src/app.js is a new file, renamed into place, not the old one rewritten')
  const partial = readdirSync(fromRoot('dist'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.partial'))
  t.same(partial, [], 'no partly written file is left behind')
})

t.test('npm start, npm run start:prod and the container run the server with the same node flags', async (t) => {
  const scripts = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
  const prod = scripts['start:prod']!
  t.match(prod, /^node .*dist\/src\/server\.js$/)
  t.ok(scripts.start!.endsWith(`&& ${prod}`), 'npm start builds, then runs what start:prod runs')
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(fromRoot('Dockerfile'), 'utf8'))
  t.same((JSON.parse(cmd![1]!) as string[]).join(' '), prod, "the container's CMD is start:prod's command")
  // Below 2 GB, V8 grows the heap to at most 1.6 times what is live, not 4 times (bench/README.md).
  const heapLimit = Number(/--max-old-space-size=(\d+)/.exec(prod)?.[1])
  t.ok(heapLimit >= 512 && heapLimit < 2048, `the server runs with a heap limit under 2 GB (${heapLimit} MB)`)
})
