/**
 * The embedded data directory's lock: two processes racing for a directory whose lock was left by
 * a killed process must never both get it, and a live lock is never taken.
 */
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/db/lock.js'

const racerScript = new URL('../helpers/lock-racer.js', import.meta.url).pathname
/** The pid of a process that has ended: what a lock left by SIGKILL names. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid

function refused(open: () => unknown): unknown {
  try {
    open()
  } catch (error) {
    return error
  }
  return undefined
}

function racer() {
  const child = spawn(process.execPath, [racerScript], { stdio: ['pipe', 'pipe', 'pipe'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  return {
    child,
    send: (line: string) => child.stdin.write(`${line}\n`),
    next: async () => {
      const { value, done } = await lines.next()
      if (done) throw new Error(`racer ended: ${stderr}`)
      return value
    },
  }
}

t.test('two processes racing for a directory with a stale lock: exactly one wins, 100 times out of 100', async (t) => {
  const racers = [racer(), racer()]
  t.teardown(() => racers.forEach((r) => r.child.kill()))
  const TRIALS = 100
  const dead = deadPid() // one ended process serves every trial: a process per trial would cost most of the test's time
  const winners: number[] = []
  const outcomes = new Map<string, number>()
  for (let trial = 0; trial < TRIALS; trial++) {
    const dir = mkdtempSync(join(tmpdir(), 'bzr-lock-'))
    // Mostly a lock as this version writes it; some as earlier versions did (a pid alone, or nothing: killed before writing it).
    const stale = trial % 10 === 9 ? '' : trial % 10 === 8 ? String(dead) : `${dead} 0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12\n`
    writeFileSync(join(dir, LOCK_FILE), stale)
    const at = performance.timeOrigin + performance.now() + 20
    for (const r of racers) r.send(`go ${dir} ${at}`)
    const answers = await Promise.all(racers.map((r) => r.next()))
    for (const a of answers) outcomes.set(a, (outcomes.get(a) ?? 0) + 1)
    winners.push(answers.filter((a) => a === 'won').length)
    for (const [i, r] of racers.entries()) if (answers[i] === 'won') r.send('release')
    for (const [i, r] of racers.entries()) if (answers[i] === 'won') await r.next()
    if (winners.at(-1) === 1 && existsSync(join(dir, LOCK_FILE))) t.fail(`the lock outlived its release in trial ${trial}`)
    // Only the lock and its drafts live there: nothing is left behind after a release.
    if (readdirSync(dir).length) t.fail(`left behind in trial ${trial}: ${readdirSync(dir).join(', ')}`)
  }
  t.comment(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`)
  t.equal(winners.filter((w) => w === 1).length, TRIALS, `exactly one winner in each of ${TRIALS} races (winners per race: ${JSON.stringify(winners)})`)
})

t.test('a live lock is never taken; a lock is released only by its owner; a claim left by a dead process is passed over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-lock-'))
  const holder = racer()
  t.teardown(() => holder.child.kill())
  holder.send(`go ${dir} 0`)
  t.equal(await holder.next(), 'won')
  t.throws(
    () => lockDataDir(dir),
    new DataDirLockedError(`The data directory ${dir} is in use by another Bezoekruimte process (pid ${holder.child.pid}).`),
    'held by a live process',
  )
  t.match(readFileSync(join(dir, LOCK_FILE), 'utf8'), new RegExp(`^${holder.child.pid} `), 'the lock names its owner')
  holder.send('release')
  t.equal(await holder.next(), 'released')

  const release = lockDataDir(dir)
  t.ok(refused(() => lockDataDir(dir)) instanceof DataDirLockedError, 'the same process cannot open it twice either')
  release()
  t.notOk(existsSync(join(dir, LOCK_FILE)), 'released')

  // Someone else's lock in place: a late release of ours leaves it alone.
  const late = lockDataDir(dir)
  writeFileSync(join(dir, LOCK_FILE), `${process.ppid} other\n`)
  late()
  t.ok(existsSync(join(dir, LOCK_FILE)), "another process's lock is not removed")

  // A taker killed between its claim and its rename: the next one takes the next claim.
  const stale = `${deadPid()} x\n`
  writeFileSync(join(dir, LOCK_FILE), stale)
  const again = lockDataDir(dir)
  const mine = readFileSync(join(dir, LOCK_FILE), 'utf8')
  again()
  writeFileSync(join(dir, LOCK_FILE), stale)
  t.notOk(existsSync(join(dir, `${LOCK_FILE}.takeover.x`)), 'claims are removed after a takeover')
  const { createHash } = await import('node:crypto')
  const claim = join(dir, `${LOCK_FILE}.takeover.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}.0`)
  writeFileSync(claim, `${deadPid()} dead-taker\n`)
  const third = lockDataDir(dir)
  t.not(readFileSync(join(dir, LOCK_FILE), 'utf8'), mine)
  t.match(readFileSync(join(dir, LOCK_FILE), 'utf8'), new RegExp(`^${process.pid} `), 'taken over past the dead claim')
  t.notOk(existsSync(claim), 'the dead claim is cleared with the others')
  third()
  t.same(readdirSync(dir), [], 'nothing left behind')
})
