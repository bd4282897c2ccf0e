import tap from 'tap'

/**
 * Runs test files one after another in this process, each as if it ran alone: a file is imported
 * only once the one before it has finished, and what a file registered with the root's teardown
 * (its databases, apps and servers) is closed before the next one starts.
 *
 * Why: a test process costs seconds of CPU before its first test (loading the modules, tap's loaders,
 * compiling PGlite's WebAssembly and the route schemas, writing coverage), about half of what the
 * whole suite spent when every file had a process of its own. `npm test` therefore runs the files
 * of each directory of `test/` in one process, through a file that `scripts/compile-tests.ts`
 * writes beside the directory (`dist/test/cases.test.js` for `test/cases/`). Every file still runs
 * on its own as well: `npm test -- dist/test/cases/list.test.js`.
 */
export async function runTestFiles(files: URL[]): Promise<void> {
  const rootTeardown = tap.teardown.bind(tap)
  // tap's runner gives a process 300 s (package.json); a directory of files gets that per file.
  tap.setTimeout(300_000 * files.length)
  tap.comment(`timeout=${300_000 * files.length}`)
  try {
    for (const file of files) {
      const name = file.pathname.replace(/^.*\/dist\/(.*)\.js$/, '$1.ts') // the source's name: test/cases/list.test.ts
      const teardowns: (() => unknown)[] = []
      tap.teardown = (fn: () => unknown) => void teardowns.push(fn)
      try {
        await import(file.href)
      } catch (error) {
        tap.fail(`${name} could not be loaded`, { error })
      }
      await tap.test(`${name} ended: what it opened is closed`, async () => {
        for (const teardown of teardowns.reverse()) await teardown()
      })
    }
  } finally {
    tap.teardown = rootTeardown
  }
}
