// The lock that keeps a second process off an embedded (PGlite) data directory.
import { createHash, randomUUID } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export class DataDirLockedError extends Error {}

export const LOCK_FILE = 'bezoekruimte.lock'

// Directories this process holds: a second open from the same process is refused too (the pid check
// alone would take its own pid for a lock left by an earlier process that had the same pid).
const held = new Set<string>()

/**
 * PGlite is a single-process database: a second process opening the same files would corrupt them.
 * The lock file holds the owner's pid and a nonce. Every file is written in full under a name of its
 * own and then hard-linked into place, which fails atomically when the name exists: so no one ever
 * reads a half-written lock, and of two processes creating one, one wins.
 *
 * A lock whose pid is gone (SIGKILL, a crash) is stale. Taking it over is a second race, settled the
 * same way: the taker first links a claim named after that stale lock (`<lock>.takeover.<hash>.<n>`);
 * one process gets the claim, checks the stale lock is still the one it read, and renames its own
 * lock over it (atomic; there is never a moment without a lock). A claim whose process died is
 * passed over by taking the next number. A process that finds a live claim or a live lock gets
 * DataDirLockedError. Returns the release, which removes the lock only while it is still ours.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, LOCK_FILE)
  if (held.has(path)) throw lockedBy(dir, process.pid)
  const mine = `${process.pid} ${randomUUID()}\n`
  const draft = `${path}.${process.pid}.${randomUUID()}`
  writeFileSync(draft, mine)
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      if (tryLink(draft, path)) return owned(path, mine)
      const stale = readIfThere(path)
      if (stale === undefined) continue // released meanwhile: try again
      const holder = pidOf(stale)
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw lockedBy(dir, holder)
      if (takeOver(path, stale, draft, dir)) return owned(path, mine)
    }
  } finally {
    rmSync(draft, { force: true })
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dir}: its lock file keeps changing; is another process starting on it?`)
}

/** Replaces the stale lock `stale` by ours, if this process wins the claim on it. */
function takeOver(path: string, stale: string, draft: string, dir: string): boolean {
  const prefix = `${path}.takeover.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}.`
  for (let n = 0; n < 100; n++) {
    const claim = `${prefix}${n}`
    if (!tryLink(draft, claim)) {
      const claimant = pidOf(readIfThere(claim) ?? '')
      if (claimant !== undefined && claimant !== process.pid && isAlive(claimant)) throw lockedBy(dir, claimant)
      continue // a claim left by a process that died before it finished: the next number
    }
    // The claim is ours; the lock may meanwhile have been replaced by the winner of an earlier claim,
    // which removed its claims on the way out. Only the stale lock itself may be replaced.
    if (readIfThere(path) !== stale) {
      rmSync(claim, { force: true })
      return false
    }
    const ours = `${draft}.ours`
    linkSync(draft, ours) // the draft is removed by the caller; the rename consumes this name
    renameSync(ours, path)
    removeClaims(path, prefix)
    return true
  }
  return false
}

function removeClaims(path: string, prefix: string) {
  const name = basename(prefix)
  for (const file of readdirSync(dirname(path))) if (file.startsWith(name)) rmSync(join(dirname(path), file), { force: true })
}

function owned(path: string, mine: string): () => void {
  held.add(path)
  let released = false
  return () => {
    if (released) return
    released = true
    held.delete(path)
    if (readIfThere(path) === mine) rmSync(path, { force: true })
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** The pid a lock or claim names; undefined for a file that names none (an older or damaged lock): stale. */
function pidOf(content: string): number | undefined {
  const pid = Number(content.trim().split(/\s+/)[0])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

const lockedBy = (dir: string, pid: number) =>
  new DataDirLockedError(
    `The data directory ${dir} is in use by another Bezoekruimte process (pid ${pid}). ` +
      'Stop that process, or set DATA_DIR to another directory, or DATABASE_URL to use PostgreSQL.',
  )

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
