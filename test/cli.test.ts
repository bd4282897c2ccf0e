/**
 * The operator's CLI as an operator runs it: one JSON line on success, one line on stderr and exit 1 on failure.
 * The commands run in-process through `main` (on this file's test database), and the real program
 * (`node dist/src/cli.js`, as `npm run cli` and the container start it) runs where only it can prove something:
 * that it opens and migrates its DATA_DIR, prints, and sets its exit status. Each process costs seconds.
 */
import t from 'tap'
import { eq } from 'drizzle-orm'
import { main } from '../src/cli.js'
import { openDatabase } from '../src/db/client.js'
import { apiTokens, centres } from '../src/db/schema.js'
import { openTestDatabase } from './helpers/app.js'
import { migratedDataDir } from './helpers/databases.js'
import { start } from './helpers/processes.js'

const database = await openTestDatabase(t)

/** One command in-process: on this file's database, or with `env` on the database it configures. */
const run = async (args: string[], env?: Record<string, string>) => {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    ...(env ? { env } : { database }),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  })
  return { code, stdout: stdout.trim(), stderr: stderr.trim(), output: (stdout + stderr).trim() }
}
const oneLine = (t: { equal: typeof import('tap').default.equal }, output: string) =>
  t.equal(output.split('\n').length, 1, `one line, no stack trace: ${output}`)

// Runs first: its lists are exact, on a database no other test of this file has written to yet.
t.test('court create, courts list, centres list, an operator token and the admin recovery path', async (t) => {
  const court = await run(['court', 'create', '--name', 'Familierechtbank Gent', '--district', 'Oost-Vlaanderen'])
  t.equal(court.code, 0, court.output)
  oneLine(t, court.stdout)
  const created = JSON.parse(court.stdout)
  t.match(created, { id: String, name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen', active: true })
  const courts = await run(['courts', 'list'])
  t.same(
    JSON.parse(courts.stdout).map((c: { id: string }) => c.id),
    [created.id],
  )

  const operator = await run(['token', 'create', '--role', 'operator', '--label', 'installation'])
  t.equal(operator.code, 0, operator.output)
  const token = JSON.parse(operator.stdout)
  t.match(token, { id: String, token: /^bzr_/ })

  const setup = JSON.parse((await run(['setup', '--centre-name', 'CAW Gent'])).stdout)
  t.same(
    JSON.parse((await run(['centres', 'list'])).stdout).map((c: { id: string }) => c.id),
    [setup.centreId],
  )
  const recovered = await run(['token', 'create', '--role', 'admin', '--centre', setup.centreId, '--label', 'recovery'])
  t.equal(recovered.code, 0, recovered.output)
  t.match(JSON.parse(recovered.stdout), { token: /^bzr_/ })
  const revoked = await run(['token', 'revoke', JSON.parse(recovered.stdout).id])
  t.same(JSON.parse(revoked.stdout), { id: JSON.parse(recovered.stdout).id, revoked: true }, 'a token revoked by id')

  const [row] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, token.id))
  t.match(row, { role: 'operator', centreId: null, courtId: null, label: 'installation', revokedAt: null })
})

t.test('setup --demo, token create and token revoke — one JSON line each', async (t) => {
  const setup = await run(['setup', '--centre-name', 'CAW Test', '--demo'])
  t.equal(setup.code, 0, setup.output)
  oneLine(t, setup.stdout)
  const result = JSON.parse(setup.stdout)
  t.match(result, { centreId: String, adminToken: /^bzr_/, demo: { siteId: String, courtId: String } })
  const clerk = await run(['token', 'create', '--role', 'clerk', '--court', result.demo.courtId])
  t.equal(clerk.code, 0, clerk.output)
  t.match(JSON.parse(clerk.stdout), { id: String, token: /^bzr_/ })
  const staff = await run(['token', 'create', '--role', 'staff', '--centre', result.centreId])
  t.match(JSON.parse(staff.stdout), { token: /^bzr_/ })
  const revoke = await run(['token', 'revoke', JSON.parse(clerk.stdout).id])
  t.same(JSON.parse(revoke.stdout), { id: JSON.parse(clerk.stdout).id, revoked: true })
  const wrong = await run(['token', 'create', '--role', 'clerk', '--centre', result.centreId])
  t.equal(wrong.code, 1)
  t.match(wrong.stderr, /clerk token is scoped to a court/)
})

t.test('help, --help and -h print the usage and exit 0', async (t) => {
  for (const args of [['help'], ['--help'], ['-h']]) {
    const result = await run(args)
    t.equal(result.code, 0, args.join(' '))
    t.match(result.stdout, /court create --name NAME --district D/)
    t.match(result.stdout, /token create --role ROLE/)
  }
})

t.test('every failure is one line on stderr and exit 1', async (t) => {
  for (const [args, message] of [
    [['token', 'create', '--role', 'operator', '--centre', '01a207aa-2853-7399-9beb-4e6a29a64dd6'], /an operator token has no scope/],
    [['token', 'create', '--role', 'admin', '--centre', '01a207aa-2853-7399-9beb-4e6a29a64dd6'], /no centre/],
    [['court', 'create', '--frobnicate'], /frobnicate/],
    [['token', 'revoke', 'not-a-token-id'], /^no token not-a-token-id$/],
    [['token', 'revoke', '01a207aa-2853-7399-9beb-4e6a29a64dd6'], /^no token 01a207aa/],
    [['frobnicate'], /^unknown command "frobnicate"; run "npm run cli -- help"/],
  ] as const) {
    const result = await run([...args])
    t.equal(result.code, 1, args.join(' '))
    t.equal(result.stdout, '', 'nothing on stdout')
    t.match(result.stderr, message)
    oneLine(t, result.stderr)
  }
  const unreachable = await run(['courts', 'list'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' })
  t.equal(unreachable.code, 1)
  t.match(unreachable.stderr, /^cannot reach the database: .*ECONNREFUSED/)
  oneLine(t, unreachable.stderr)
})

t.test('the real program: opens and migrates its DATA_DIR, prints one line, exits 0; a failure exits 1', async (t) => {
  // The directory holds a migrated, empty database (initdb itself is proven by the cold starts of the server test and the walkthrough).
  const dataDir = await migratedDataDir()
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  // Both at once: the failure stops before it opens any database.
  const setup = start('cli', env, ['setup', '--centre-name', 'CAW Test', '--demo'])
  const wrong = start('cli', env, ['court', 'create', '--frobnicate'])
  t.equal(await setup.exited, 0, setup.output())
  oneLine(t, setup.output().trim())
  const result = JSON.parse(setup.output())
  t.match(result, { centreId: String, adminToken: /^bzr_/, demo: { siteId: String, courtId: String } })
  t.equal(await wrong.exited, 1)
  t.match(wrong.output(), /frobnicate/)
  oneLine(t, wrong.output().trim())

  const onDisk = await openDatabase({ dataDir })
  try {
    t.match(await onDisk.db.select().from(centres), [{ id: result.centreId, name: 'CAW Test' }], 'the centre is in the DATA_DIR')
  } finally {
    await onDisk.close()
  }
})
