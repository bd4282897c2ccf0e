import { parseArgs } from 'node:util'
import { and, eq, isNull } from 'drizzle-orm'
import { ConfigError, loadConfig } from './config.js'
import { DataDirLockedError, openDatabase, type Database } from './db/client.js'
import { migrate } from './db/migrate.js'
import { apiTokens, centres, counsellors, courts } from './db/schema.js'
import { setupCentre } from './db/seed.js'
import { audit } from './http/audit.js'
import { createToken, ROLES, systemActor, type Role } from './http/auth.js'

/**
 * Operator commands. Each prints exactly one JSON line on success (for scripts) and a message on
 * stderr with exit status 1 on failure.
 *   setup --centre-name NAME [--demo]
 *   token create --role ROLE (--centre ID | --court ID) [--counsellor ID] [--label TEXT]
 *   token revoke ID
 */
class UsageError extends Error {}

const usage = `usage:
  cli setup --centre-name NAME [--demo]
  cli token create --role ${ROLES.join('|')} (--centre ID | --court ID) [--counsellor ID] [--label TEXT]
  cli token revoke ID`

const system = { actor: systemActor }

async function run(argv: string[], database: Database): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      'centre-name': { type: 'string' }, demo: { type: 'boolean' }, role: { type: 'string' },
      centre: { type: 'string' }, court: { type: 'string' }, counsellor: { type: 'string' }, label: { type: 'string' },
    },
  })
  const [command, sub, arg] = positionals
  const { db } = database
  if (command === 'setup' && !sub) {
    if (!values['centre-name']) throw new UsageError('setup needs --centre-name NAME')
    const result = await setupCentre(db, { centreName: values['centre-name'], demo: Boolean(values.demo) })
    return { centreId: result.centreId, adminToken: result.adminToken, ...(result.demo ? { demo: result.demo } : {}) }
  }
  if (command === 'token' && sub === 'create' && !arg) {
    const role = values.role as Role
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`)
    if (Boolean(values.centre) === Boolean(values.court)) throw new UsageError('give exactly one of --centre ID or --court ID')
    if (values.court && role !== 'clerk' && role !== 'integration') throw new UsageError(`a ${role} token is scoped to a centre: use --centre`)
    if (values.centre && role === 'clerk') throw new UsageError('a clerk token is scoped to a court: use --court')
    if ((role === 'counsellor') !== Boolean(values.counsellor)) throw new UsageError('--counsellor ID goes with --role counsellor, and only with it')
    return db.transaction(async (tx) => {
      if (values.centre && !(await tx.select({ id: centres.id }).from(centres).where(eq(centres.id, values.centre))).length) throw new UsageError(`no centre ${values.centre}`)
      if (values.court && !(await tx.select({ id: courts.id }).from(courts).where(eq(courts.id, values.court))).length) throw new UsageError(`no court ${values.court}`)
      if (values.counsellor && !(await tx.select({ id: counsellors.id }).from(counsellors)
        .where(and(eq(counsellors.id, values.counsellor), eq(counsellors.centreId, values.centre!)))).length) throw new UsageError(`no counsellor ${values.counsellor} in that centre`)
      const { row, secret } = await createToken(tx, { role, centreId: values.centre, courtId: values.court, counsellorId: values.counsellor, label: values.label })
      await audit(tx, system, { action: 'token.created', entityType: 'token', entityId: row.id, centreId: values.centre ?? null, courtId: values.court ?? null })
      return { id: row.id, token: secret }
    })
  }
  if (command === 'token' && sub === 'revoke' && arg) {
    return db.transaction(async (tx) => {
      const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, arg)).catch(() => [])
      if (!row) throw new UsageError(`no token ${arg}`)
      await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, arg), isNull(apiTokens.revokedAt)))
      await audit(tx, system, { action: 'token.revoked', entityType: 'token', entityId: arg, centreId: row.centreId, courtId: row.courtId })
      return { id: arg, revoked: true }
    })
  }
  throw new UsageError(usage)
}

async function main() {
  let database: Database | undefined
  try {
    const config = loadConfig()
    database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: 2 } : { dataDir: config.dataDir })
    await migrate(database)
    const output = await run(process.argv.slice(2), database)
    process.stdout.write(`${JSON.stringify(output)}\n`)
  } catch (error) {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirLockedError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    process.stderr.write(`${known ? (error as Error).message : `cli failed: ${(error as Error).stack}`}\n`)
    process.exitCode = 1
  } finally {
    await database?.close()
  }
}

await main()
