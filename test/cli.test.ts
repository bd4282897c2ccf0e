/** The operator's CLI as an operator runs it: one JSON line on success, one line on stderr and exit 1 on failure. */
import t from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { openDatabase } from '../src/db/client.js'
import { apiTokens } from '../src/db/schema.js'
import { start } from './helpers/processes.js'

const dataDir = mkdtempSync(join(tmpdir(), 'bzr-cli-'))
const env = (extra: Record<string, string> = {}) => {
  const values: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra }
  if (!('DATABASE_URL' in extra)) delete values.DATABASE_URL
  return values
}
const run = async (args: string[], extra?: Record<string, string>) => {
  const cli = start('cli', env(extra), args)
  const code = await cli.exited
  return { code, output: cli.output().trim() }
}
const oneLine = (t: { equal: typeof import('tap').default.equal }, output: string) =>
  t.equal(output.split('\n').length, 1, `one line, no stack trace: ${output}`)

// Each command is a new Node process: a few seconds on a busy machine.
t.setTimeout(900_000)

t.test('help, --help and -h print the usage and exit 0', async (t) => {
  for (const args of [['help'], ['--help'], ['-h']]) {
    const result = await run(args)
    t.equal(result.code, 0, args.join(' '))
    t.match(result.output, /court create --name NAME --district D/)
    t.match(result.output, /token create --role ROLE/)
  }
})

t.test('court create, courts list, centres list, an operator token and the admin recovery path', async (t) => {
  const court = await run(['court', 'create', '--name', 'Familierechtbank Gent', '--district', 'Oost-Vlaanderen'])
  t.equal(court.code, 0, court.output)
  const created = JSON.parse(court.output)
  t.match(created, { id: String, name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen', active: true })
  const courts = await run(['courts', 'list'])
  t.same(
    JSON.parse(courts.output).map((c: { id: string }) => c.id),
    [created.id],
  )

  const operator = await run(['token', 'create', '--role', 'operator', '--label', 'installation'])
  t.equal(operator.code, 0, operator.output)
  const token = JSON.parse(operator.output)
  t.match(token, { id: String, token: /^bzr_/ })

  const setup = JSON.parse((await run(['setup', '--centre-name', 'CAW Gent'])).output)
  t.same(
    JSON.parse((await run(['centres', 'list'])).output).map((c: { id: string }) => c.id),
    [setup.centreId],
  )
  const recovered = await run(['token', 'create', '--role', 'admin', '--centre', setup.centreId, '--label', 'recovery'])
  t.equal(recovered.code, 0, recovered.output)
  t.match(JSON.parse(recovered.output), { token: /^bzr_/ })
  const revoked = await run(['token', 'revoke', JSON.parse(recovered.output).id])
  t.same(JSON.parse(revoked.output), { id: JSON.parse(recovered.output).id, revoked: true }, 'a token revoked by id')

  const database = await openDatabase({ dataDir })
  try {
    const [row] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, token.id))
    t.match(row, { role: 'operator', centreId: null, courtId: null, label: 'installation', revokedAt: null })
  } finally {
    await database.close()
  }
})

t.test('every failure is one line on stderr and exit 1', async (t) => {
  for (const [args, message] of [
    [['token', 'create', '--role', 'operator', '--centre', '01a207aa-2853-7399-9beb-4e6a29a64dd6'], /an operator token has no scope/],
    [['token', 'create', '--role', 'admin', '--centre', '01a207aa-2853-7399-9beb-4e6a29a64dd6'], /no centre/],
    [['court', 'create', '--frobnicate'], /frobnicate/],
    [['token', 'revoke', 'not-a-token-id'], /^no token not-a-token-id$/],
    [['token', 'revoke', '01a207aa-2853-7399-9beb-4e6a29a64dd6'], /^no token 01a207aa/],
  ] as const) {
    const result = await run([...args])
    t.equal(result.code, 1, args.join(' '))
    t.match(result.output, message)
    oneLine(t, result.output)
  }
  const unreachable = await run(['courts', 'list'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' })
  t.equal(unreachable.code, 1)
  t.match(unreachable.output, /^cannot reach the database: .*ECONNREFUSED/)
  oneLine(t, unreachable.output)
})
