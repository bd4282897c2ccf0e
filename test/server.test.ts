import t from 'tap'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onPostgres, openTestDatabase } from './helpers/app.js'
import { listening, start, stop } from './helpers/processes.js'

// These tests run the real entry points as a person would (`npm start`, `npm run cli`), as child processes.
const embeddedEnv = (dataDir: string, extra: Record<string, string> = {}) => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra }
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL
  return env
}

t.test('npm start on a cold data directory: ready, seeded once, data kept across restarts, one process per directory', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bzr-server-'))
  const first = start('server', embeddedEnv(dataDir))
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

  const again = start('server', embeddedEnv(dataDir))
  const base2 = await listening(again)
  t.notMatch(again.output(), /Admin token/, 'the seed does not run twice')
  const read = await fetch(`${base2}/v1/counsellors/${counsellorId}`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(read.status, 200, 'data created before the restart is there, and so is the token')
  t.equal(await stop(again), 0)
})

t.test('invalid configuration: one clear message, exit 1', async (t) => {
  const bad = start('server', embeddedEnv(mkdtempSync(join(tmpdir(), 'bzr-bad-')), { PORT: 'eighty' }))
  t.equal(await bad.exited, 1)
  t.match(bad.output(), /Invalid configuration: PORT must be a whole number/)
  const badUrl = start('server', embeddedEnv(mkdtempSync(join(tmpdir(), 'bzr-bad-')), { DATABASE_URL: 'mysql://x' }))
  t.equal(await badUrl.exited, 1)
  t.match(badUrl.output(), /DATABASE_URL/)
})

t.test('the CLI: setup, token create, token revoke — one JSON line each', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bzr-cli-'))
  const run = async (...args: string[]) => {
    const cli = start('cli', embeddedEnv(dataDir), args)
    const code = await cli.exited
    return { code, output: cli.output().trim() }
  }
  const setup = await run('setup', '--centre-name', 'CAW Test', '--demo')
  t.equal(setup.code, 0, setup.output)
  const result = JSON.parse(setup.output)
  t.match(result, { centreId: String, adminToken: /^bzr_/, demo: { siteId: String, courtId: String } })
  const clerk = await run('token', 'create', '--role', 'clerk', '--court', result.demo.courtId)
  t.equal(clerk.code, 0, clerk.output)
  t.match(JSON.parse(clerk.output), { id: String, token: /^bzr_/ })
  const staff = await run('token', 'create', '--role', 'staff', '--centre', result.centreId)
  t.match(JSON.parse(staff.output), { token: /^bzr_/ })
  const revoke = await run('token', 'revoke', JSON.parse(clerk.output).id)
  t.same(JSON.parse(revoke.output), { id: JSON.parse(clerk.output).id, revoked: true })
  const wrong = await run('token', 'create', '--role', 'clerk', '--centre', result.centreId)
  t.equal(wrong.code, 1)
  t.match(wrong.output, /clerk token is scoped to a court/)
  const usage = await run('frobnicate')
  t.equal(usage.code, 1)
  t.match(usage.output, /unknown command "frobnicate"; run "npm run cli -- help"/)
})

t.test(
  'with DATABASE_URL the service never seeds',
  { skip: onPostgres ? false : 'needs PostgreSQL (DATABASE_URL); runs in the PostgreSQL pass of CI' },
  async (t) => {
    const database = await openTestDatabase(t)
    const server = start('server', embeddedEnv(mkdtempSync(join(tmpdir(), 'bzr-pg-')), { DATABASE_URL: (database as { url?: string }).url! }))
    const base = await listening(server)
    t.notMatch(server.output(), /Admin token/)
    t.match(server.output(), /no centre yet[\s\S]*npm run --silent cli -- setup --centre-name/, 'it says what to run next')
    t.equal((await fetch(`${base}/health/ready`)).status, 200)
    t.equal(await stop(server), 0)
  },
)
