/**
 * `npm start` (scripts/start.mjs) runs the compiled sources and compiles them with swc only when a
 * source is newer than its output. Shown on a checkout of its own in a temporary directory (the
 * script, the swc configuration, a tiny src/ with a page template, the repository's node_modules),
 * so that compiling never rewrites the dist/ the other test files run from.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fromRoot } from './helpers/paths.js'

const run = promisify(execFile)

const checkout = mkdtempSync(join(tmpdir(), 'bzr-start-'))
t.teardown(() => rmSync(checkout, { recursive: true, force: true }))
mkdirSync(join(checkout, 'scripts'))
mkdirSync(join(checkout, 'src', 'pages'), { recursive: true })
copyFileSync(fromRoot('scripts', 'start.mjs'), join(checkout, 'scripts', 'start.mjs'))
copyFileSync(fromRoot('.swcrc'), join(checkout, '.swcrc'))
symlinkSync(fromRoot('node_modules'), join(checkout, 'node_modules'))
const server = join(checkout, 'src', 'server.ts')
const page = join(checkout, 'src', 'pages', 'page.eta')
// The stand-in server prints a TypeScript-only construct's result, its page and where an error points.
const writeServer = (greeting: string) =>
  writeFileSync(
    server,
    `import { readFileSync } from 'node:fs'\n` +
      `const greeting: string = ${JSON.stringify(greeting)}\n` +
      `const page = readFileSync(new URL('./pages/page.eta', import.meta.url), 'utf8').trim()\n` +
      `console.log(JSON.stringify({ greeting, page, stack: new Error('where').stack!.split('\\n')[1] }))\n`,
  )
writeServer('hello')
writeFileSync(page, '<p><%= it.x %></p>\n')
const output = join(checkout, 'dist', 'src', 'server.js')

const start = async () =>
  JSON.parse(
    (await run(process.execPath, ['scripts/start.mjs'], { cwd: checkout, env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' } })).stdout,
  ) as Record<string, string>

t.test('a checkout never compiled is compiled, templates copied, and run with source maps', async (t) => {
  t.notOk(existsSync(output))
  const printed = await start()
  t.equal(printed.greeting, 'hello')
  t.equal(printed.page, '<p><%= it.x %></p>', 'the page template is beside its module')
  t.match(printed.stack, /src\/server\.ts:4/, 'a stack trace names the TypeScript line')
  t.ok(existsSync(output))
})

t.test('up to date: runs what is there, compiles nothing', async (t) => {
  const before = statSync(output).mtimeMs
  t.equal((await start()).greeting, 'hello')
  t.equal(statSync(output).mtimeMs, before, 'the output was not written again')
})

t.test('a source newer than its output is compiled again', async (t) => {
  writeServer('hello again')
  const later = new Date(statSync(output).mtimeMs + 2000)
  utimesSync(server, later, later)
  t.equal((await start()).greeting, 'hello again')
  t.match(readFileSync(output, 'utf8'), /hello again/)
})

t.test('a page template newer than its copy is copied again', async (t) => {
  writeFileSync(page, '<p>changed</p>\n')
  const later = new Date(statSync(join(checkout, 'dist', 'src', 'pages', 'page.eta')).mtimeMs + 2000)
  utimesSync(page, later, later)
  t.equal((await start()).page, '<p>changed</p>')
})
