import tap from 'tap'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { fromRoot } from './paths.js'

// While runDirectory runs: what the files share, closed after the last one.
let shared: (() => unknown)[] | undefined

/**
 * Registers what closes when this process's tests end, after its last file: for what the files of a
 * runner share (test/helpers/app.ts's database). A file run on its own closes it at its own end.
 * Not the root's own teardown: registering one makes tap end the root test at its first idle moment.
 */
export function processTeardown(fn: () => unknown): void {
  if (shared) shared.push(fn)
  else tap.teardown(fn)
}

/**
 * Runs the test files of one directory of `test/` one after another in this process, each as if it
 * ran alone: a file is imported only once the one before it has finished, and what it registered
 * with the root's teardown (its databases, apps and servers) is closed before the next one starts.
 * `test/cases.test.ts` runs `test/cases/` this way; tap runs those runners two at a time.
 *
 * Why: a test process costs seconds of CPU before its first test (loading the modules, compiling
 * PGlite's WebAssembly and the route schemas, writing coverage), and tap has no option to run several
 * files in one process. A file still runs on its own too: `npm test -- dist/test/cases/list.test.js`.
 *
 * The files are found among the sources (`test/cases/**\/*.test.ts`), so the compiled output of a
 * deleted test never runs; and a directory of tests without a runner fails here rather than being
 * left out of `npm test` unnoticed.
 */
export async function runDirectory(directory: string): Promise<void> {
  // The compiled runner of a directory since removed, left in dist/ by an earlier build.
  if (!existsSync(fromRoot('test', `${directory}.test.ts`))) return void tap.comment(`test/${directory}.test.ts no longer exists`)
  const unrun = readdirSync(fromRoot('test'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'helpers' && !existsSync(fromRoot('test', `${entry.name}.test.ts`)))
    .filter((entry) => readdirSync(fromRoot('test', entry.name), { recursive: true, encoding: 'utf8' }).some((file) => file.endsWith('.test.ts')))
  for (const entry of unrun) tap.fail(`test/${entry.name}/ has tests but no runner: add test/${entry.name}.test.ts like test/cases.test.ts`)

  const files = readdirSync(fromRoot('test', directory), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && !file.split('/').includes('fixtures'))
    .sort()
  const rootTeardown = tap.teardown.bind(tap)
  shared = []
  // tap gives a process 300 s (package.json); a directory of files gets that per file.
  tap.setTimeout(300_000 * files.length)
  tap.comment(`timeout=${300_000 * files.length}`) // tap's runner reads this as the process's timeout
  try {
    for (const file of files) {
      const name = join('test', directory, file)
      const teardowns: (() => unknown)[] = []
      tap.teardown = (fn: () => unknown) => void teardowns.push(fn)
      try {
        await import(pathToFileURL(fromRoot('dist', name.replace(/\.ts$/, '.js'))).href)
      } catch (error) {
        tap.fail(`${name} could not be loaded`, { error })
      }
      await tap.test(`${name} ended: what it opened is closed`, async () => {
        for (const teardown of teardowns.reverse()) await teardown()
      })
    }
    await tap.test(`test/${directory}/ ended: what its files shared is closed`, async () => {
      for (const teardown of shared!.reverse()) await teardown()
    })
  } finally {
    tap.teardown = rootTeardown
    shared = undefined
  }
}
