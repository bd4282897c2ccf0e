/**
 * The walkthrough of docs/walkthrough.md ("A family's path through the API") is run here exactly as
 * written: its fenced `sh` blocks between `<!-- walkthrough:start -->` and `<!-- walkthrough:end -->`,
 * then those of the day of a visit (`<!-- day-of-visit:… -->`), in one `bash` with `set -euo pipefail`, from the repository's root. The blocks pick a free port,
 * set up the centre with the CLI and start the real server (`npm start`) themselves, and stop with
 * the server's log if it does not start; each block's output is checked, and then the server's state
 * is read directly. Needs `bash`, `curl` and `jq` on the machine (the test fails, naming what is
 * missing, without them).
 */
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import { onPostgres, openTestDatabase } from './helpers/app.js'
import { fromRoot, repositoryRoot } from './helpers/paths.js'
import { wallClock } from './helpers/wall-clock.js'
import { readWalkthrough, WALKTHROUGH } from '../scripts/walkthrough-blocks.js'

// Three CLI processes and a server, each opening the database, take minutes on a busy machine: this
// file may run for ten (the root test's own limit, and `# timeout=` tells tap's runner the same).
// The day of a visit books one of today that has begun; in the site's first quarter hour none can
// have (its staggered arrival would start the day before), so then the run waits for a quarter past.
const siteTime = DateTime.now().setZone('Europe/Brussels')
const wait = siteTime.hour === 0 && siteTime.minute < 16 ? siteTime.set({ minute: 16, second: 0 }).diff(siteTime).as('milliseconds') : 0
t.setTimeout(600_000 + wait)
t.comment(`timeout=${600_000 + wait}`)

const missingTools = ['bash', 'curl', 'jq'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)

/** Every line of a block's output that is JSON, parsed. */
const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>)

t.test('the walkthrough runs as written: referral → case → series → suspension → the day of a visit', async (t) => {
  if (missingTools.length) {
    t.fail(`the walkthrough needs ${missingTools.join(' and ')} on the machine (e.g. apt-get install -y ${missingTools.join(' ')})`)
    return
  }
  // The day of a visit goes on in the same shell, with the same server, case and tokens.
  const { walkthrough, dayOfVisit } = readWalkthrough(fromRoot(WALKTHROUGH))
  const blocks = [...walkthrough, ...dayOfVisit]
  t.equal(walkthrough.length, 14, 'the walkthrough has its fourteen blocks')
  t.equal(dayOfVisit.length, 6, 'the day of a visit its six')

  // The walkthrough picks a free port itself: a fixed one could be taken, and its calls would reach another server.
  t.notMatch(blocks.join('\n'), /PORT=\d/, 'no fixed port')
  if (wait) {
    t.comment(`it is ${siteTime.toFormat('HH:mm')} at the demo site: waiting until 00:16 for a visit of today that has begun`)
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
  const steps = blocks.map((block, i) => `printf '\\n@@ block ${i} @@\\n'\n${block}`)
  const epilogue = `printf '\\n@@ end @@\\n'\nprintf '%s\\n' "$DATA_DIR" "$BZR" "$STAFF" "$CLERK" "$CASE_ID"\n`

  // The server runs on PGlite in the walkthrough's own DATA_DIR, or with DATABASE_URL on a fresh PostgreSQL database.
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'info', _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  delete env.TAP
  delete env.NODE_OPTIONS
  delete env.DATA_DIR
  delete env.PORT
  delete env.DATABASE_URL
  if (onPostgres) env.DATABASE_URL = (await openTestDatabase(t)).url!

  // Its own process group: the server the walkthrough starts in the background is stopped with it.
  const scriptDir = mkdtempSync(join(tmpdir(), 'bzr-walkthrough-'))
  const scriptFile = join(scriptDir, 'walkthrough.sh')
  t.teardown(() => rmSync(scriptDir, { recursive: true, force: true }))
  writeFileSync(scriptFile, `${steps.join('\n')}\n${epilogue}`)
  const bash = spawn('bash', ['-euo', 'pipefail', scriptFile], { cwd: repositoryRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const group = bash.pid!
  const alive = () => {
    try {
      process.kill(-group, 0)
      return true
    } catch {
      return false
    }
  }
  const stopGroup = async () => {
    if (alive()) process.kill(-group, 'SIGTERM')
    for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 100))
    if (alive()) process.kill(-group, 'SIGKILL')
  }
  t.teardown(stopGroup)
  let stdout = ''
  let stderr = ''
  bash.stdout.on('data', (d) => {
    stdout += d
  })
  bash.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => bash.on('exit', (code) => resolve(code)))
  const guard = setTimeout(() => {
    void stopGroup()
  }, 400_000)
  const code = await exited
  clearTimeout(guard)

  const [walk, end = ''] = stdout.split('\n@@ end @@\n')
  const outputs = walk!.split(/\n@@ block \d+ @@\n/).slice(1)
  const failedAt = outputs.length - 1
  if (!t.equal(code, 0, 'every block ran without an error')) {
    t.comment(`stopped in block ${failedAt}:\n${blocks[failedAt] ?? ''}\nstdout:\n${outputs[failedAt] ?? stdout}\nstderr:\n${stderr}`)
    return
  }
  t.equal(outputs.length, blocks.length, 'and every block ran')
  const [dataDir, base, staff, clerk, caseId] = end.trim().split('\n')
  t.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, 'the server listened on the port the walkthrough picked')
  const out = (i: number) => outputs[i] ?? ''

  // What each block printed.
  t.match(
    JSON.parse(out(0)),
    { centreId: String, adminToken: /^bzr_/, demo: { siteId: String, roomIds: [String, String], counsellorIds: [String, String], courtId: String } },
    'setup --demo: the admin token and the demo ids',
  )
  t.equal(out(1).trim(), '', 'the CLI tokens are kept in variables')
  t.same(jsonLines(out(2)), [{ status: 'ok' }], 'the server is ready')
  t.match(jsonLines(out(3)), [{ name: 'Familierechtbank Antwerpen' }], 'the operator sees the demo court')
  t.match(out(5).trim(), /^[0-9a-f-]{36}$/, 'the clerk’s referral has an id')
  t.match(jsonLines(out(6)), [{ caseId, status: 'intake' }], 'accepted: a case in intake')
  t.equal(jsonLines(out(7)).length, 2, 'an intake per adult')
  const documents = jsonLines(out(8))
  t.same(
    documents
      .slice(0, 2)
      .map((d) => d.kind)
      .sort(),
    ['house_rules', 'information'],
    'the documents in force',
  )
  t.equal(documents.slice(2).length, 4, 'two signatures per adult')
  t.match(jsonLines(out(9)), [{ version: 1, kinds: ['supervised_visit'] }, { version: 1 }, { version: 1 }], 'the agreement and its two signatures')
  t.match(
    jsonLines(out(10)),
    [
      { ready: true, missing: [] },
      { status: 'active', plannedEndDate: String },
    ],
    'ready, then active',
  )
  const booked = jsonLines(out(11))
  t.equal(booked.length, 6, 'six visits booked')
  t.ok(
    booked.every((v) => v.status === 'booked' && v.start.endsWith('Z') && wallClock(v.start) === '14:00' && new Date(v.start).getUTCDay() === 3),
    'on Wednesdays at 14:00 site time',
  )
  t.match(
    jsonLines(out(12)),
    [
      {
        status: 'active',
        scheduled: booked[2]!.start.slice(0, 10),
        suspensions: [{ from: booked[2]!.start.slice(0, 10), until: booked[4]!.start.slice(0, 10), reason: 'illness' }],
      },
    ],
    'suspended from the third visit until the fifth: active, the suspension scheduled, until then',
  )
  const final = jsonLines(out(13))
  t.same(final[0], { status: 'active' }, 'the case is active until the suspension begins')
  t.same(
    final.slice(1, 7).map((v) => [v.status, v.cancelReasonCode]),
    [
      ['booked', null],
      ['booked', null],
      ['cancelled', 'case_suspended'],
      ['cancelled', 'case_suspended'],
      ['booked', null],
      ['booked', null],
    ],
    'the visits inside the suspension are cancelled',
  )
  t.same(
    final.slice(7).map((e) => [e.type, e.reason]),
    [
      ['created', null],
      ['activated', null],
      ['suspended', 'illness'],
    ],
    'the clerk sees the transitions',
  )

  // The day of a visit.
  t.match(
    jsonLines(out(14)),
    [{ sunday: [{ from: '00:00', to: '24:00' }] }, { sunday: [{ from: '00:00', to: '24:00' }] }],
    'the demo site and counsellor open around the clock',
  )
  t.equal(out(14).trim().split('\n').at(-1), '12', 'and on every public holiday')
  const [today] = jsonLines(out(15))
  t.match(today, { status: 'booked', arrivals: [{ arriveAt: String }, { arriveAt: String }] }, 'a visit booked today, with its staggered arrivals')
  t.ok(Date.parse(today!.start) <= Date.now(), 'that has started')
  t.match(
    jsonLines(out(16)),
    [{ visitStatus: 'arrived' }, { broughtBy: { partyId: String } }, { checkedOut: true }, { checkedOut: true, pickedUpBy: { partyId: String } }],
    'checked in and out at the desk',
  )
  t.match(jsonLines(out(17)), [{ outcome: 'fulfilled' }, { kind: 'observation', reportable: true }], 'the outcome and a reportable observation')
  t.match(jsonLines(out(18)), [{ status: 'cancelled', cancelledBy: 'residing_party' }], 'the first visit of the series cancelled by the mother')
  t.match(
    jsonLines(out(19)),
    [{ kind: 'progress', language: 'nl', held: 1, cancelled: 0 }],
    'the progress report the clerk reads: today’s visit held (the cancelled one is still to come)',
  )

  // And the server itself agrees, read with the tokens the walkthrough made.
  const get = async (path: string, token: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()
  t.match(await get(`/v1/cases/${caseId}`, staff!), {
    id: caseId,
    status: 'active',
    suspension: { scheduled: { reason: { code: 'illness' } } },
    suspensions: [{ reason: { code: 'illness' }, resumedAt: null }],
  })
  const visits = (await get(`/v1/visits?caseId=${caseId}`, staff!)).items as { status: string; cancelReasonCode: string | null }[]
  t.same(
    visits.map((v) => v.cancelReasonCode),
    [null, 'illness', null, 'case_suspended', 'case_suspended', null, null],
    "today's visit, then the series: the first cancelled by the mother, two by the suspension",
  )
  const referrerView = JSON.stringify(await get(`/v1/cases/${caseId}`, clerk!))
  t.notOk(/\+32 470|intakes|leadCounsellorId/.test(referrerView), 'the clerk’s view has no contact details, intakes or counsellors')

  // `kill %1` in the walkthrough stops the job's process group; here the whole group gets SIGTERM, and the server lets go of its directory.
  await stopGroup()
  t.notOk(alive(), 'the server stopped')
  if (!onPostgres) t.notOk(existsSync(join(dataDir!, 'bezoekruimte.lock')), 'the data directory is released')
  if (dataDir?.startsWith(tmpdir())) rmSync(dataDir, { recursive: true, force: true }) // the walkthrough's `mktemp -d`
})
