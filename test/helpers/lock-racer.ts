/**
 * A child process for test/db/data-dir-lock.test.ts: loads only the data-directory lock, then on each
 * `go <dir> <epoch ms>` line spins until that instant (so two racers start together on two cores),
 * tries the lock, and answers `won` or `lost`; `release` gives up a lock it won.
 */
import { createInterface } from 'node:readline'
import { DataDirLockedError, lockDataDir } from '../../src/db/lock.js'

let release: (() => void) | undefined
for await (const line of createInterface({ input: process.stdin })) {
  const [command, dir, at] = line.split(' ')
  if (command === 'go') {
    const instant = Number(at)
    while (performance.timeOrigin + performance.now() < instant) {
      // spin: a timer would wake each racer up to a millisecond apart
    }
    try {
      release = lockDataDir(dir!)
      process.stdout.write('won\n')
    } catch (error) {
      process.stdout.write(error instanceof DataDirLockedError ? 'lost\n' : `error ${(error as Error).message}\n`)
    }
  } else if (command === 'release') {
    release?.()
    release = undefined
    process.stdout.write('released\n')
  }
}
