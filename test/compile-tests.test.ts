/**
 * The directory runners `npm test` uses: one per directory of test files, with every file in it, and
 * each file run as if alone (the next is loaded only after the previous one's teardown).
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeDirectoryRunners } from '../scripts/compile-tests.js'
import { fromRoot } from './helpers/paths.js'

/** A scratch test tree inside the repository, so that the files it holds resolve `tap` from node_modules. */
function scratchTree(t: { teardown(fn: () => void): void }): string {
  mkdirSync(fromRoot('dist'), { recursive: true })
  const dir = mkdtempSync(fromRoot('dist', 'runner-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('a runner per directory, with its files in order, nested ones included, helpers and fixtures not', async (t) => {
  const dir = scratchTree(t)
  for (const file of ['a/b.test.js', 'a/a.test.js', 'a/deeper/c.test.js', 'a/fixtures/d.test.js', 'a/util.js', 'helpers/e.test.js', 'empty/x.js']) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), '')
  }
  const runners = writeDirectoryRunners(dir)
  t.same([...runners], [['a', ['a.test.js', 'b.test.js', 'deeper/c.test.js']]])
  const runner = readFileSync(join(dir, 'a.test.js'), 'utf8')
  t.match(runner, "import { runTestFiles } from './helpers/test-files.js'")
  t.ok(runner.indexOf("'./a/a.test.js'") < runner.indexOf("'./a/b.test.js'"), 'in the order of their names')
  t.match(runner, "new URL('./a/deeper/c.test.js', import.meta.url)")

  // dist/ is emptied before every compile, so a file in the runner's place is a test file of that name.
  t.throws(() => writeDirectoryRunners(dir), /a\.test\.js is a test file and the runner of a\/: rename one/)
})

t.test('each file runs alone: loaded after the previous one ended and closed what it opened', async (t) => {
  const dir = scratchTree(t)
  mkdirSync(join(dir, 'helpers'))
  mkdirSync(join(dir, 'module'))
  const helper = fromRoot('dist', 'test', 'helpers', 'test-files.js')
  copyFileSync(helper, join(dir, 'helpers', 'test-files.js'))
  const log = join(dir, 'log')
  const file = (name: string) => `
    import t from 'tap'
    import { appendFileSync } from 'node:fs'
    const note = (line) => appendFileSync(${JSON.stringify(log)}, line + '\\n')
    note('${name} loaded')
    await new Promise((resolve) => setTimeout(resolve, 20))
    t.teardown(() => note('${name} closed'))
    t.test('${name} test', async (t) => { await new Promise((resolve) => setTimeout(resolve, 20)); note('${name} tested'); t.pass() })
  `
  writeFileSync(join(dir, 'module', 'first.test.js'), file('first'))
  writeFileSync(join(dir, 'module', 'second.test.js'), file('second'))
  writeFileSync(join(dir, 'module', 'broken.test.js'), "throw new Error('cannot load')")
  writeDirectoryRunners(dir)

  // Outside tap's runner and its coverage: the scratch files are gone before the coverage report.
  const env = { ...process.env }
  for (const name of ['NODE_OPTIONS', 'NODE_V8_COVERAGE', 'TAP']) delete env[name]
  const run = spawnSync(process.execPath, [join(dir, 'module.test.js')], { encoding: 'utf8', env })
  t.same(readFileSync(log, 'utf8').trim().split('\n'), ['first loaded', 'first tested', 'first closed', 'second loaded', 'second tested', 'second closed'])
  t.match(run.stdout, /not ok \d+ - runner-test-\w+\/module\/broken\.test\.ts could not be loaded/, 'a file that cannot load fails')
  t.match(run.stdout, /ok \d+ - runner-test-\w+\/module\/first\.test\.ts ended: what it opened is closed/)
  t.not(run.status, 0, 'and so does the run')
})
