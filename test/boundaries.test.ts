import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

/**
 * `npm run lint` refuses a boundary violation: dependency-cruiser, with the repository's own
 * configuration, run over a small tree (test/fixtures/boundaries) where each rule is broken once.
 * The real src/ passing is `npm run lint` itself.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const fixture = fileURLToPath(new URL('../../test/fixtures/boundaries', import.meta.url))

t.test('each boundary rule fails on its planted violation', async (t) => {
  const run = promisify(execFile)(`${root}node_modules/.bin/depcruise`, ['src', '--config', `${root}.dependency-cruiser.cjs`, '--output-type', 'err'], {
    cwd: fixture,
  })
  const failure = (await run.then(
    () => t.fail('depcruise passed a tree full of violations'),
    (error: { code: number; stdout: string }) => error,
  )) as { code: number; stdout: string }
  t.ok(failure.code > 0, 'depcruise exits with an error')
  // One line per violation: `error <rule>: <from> → <to>` (a cycle continues on the next lines).
  const found = [...failure.stdout.matchAll(/error ([a-z-]+): (\S+) → (\S*)/g)].map(([, rule, from, to]) => `${rule}: ${from} → ${to}`)
  for (const expected of [
    'domain-is-pure: src/domain/slots.ts → src/db/client.ts',
    'db-imports-no-module-nor-http: src/db/client.ts → src/http/reply.ts',
    'http-imports-no-module: src/http/reply.ts → src/modules/rooms/index.ts',
    'modules-meet-through-index: src/modules/bookings/service.ts → src/modules/rooms/queries.ts',
    'index-is-for-other-modules: src/modules/rooms/labels.ts → src/modules/rooms/index.ts',
    'no-module-cycles: src/modules/bookings/service.ts → src/modules/bookings/index.ts',
  ])
    t.ok(found.includes(expected), expected)
  t.ok(
    found.some((v) => v.startsWith('no-cycles:')),
    'the cycle between the two modules is a cycle of files too',
  )
})
