import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { asc } from 'drizzle-orm'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, type Config } from './config.js'
import { DataDirLockedError, openDatabase, type Database } from './db/client.js'
import { migrate } from './db/migrate.js'
import { centres, courts } from './db/schema.js'
import { setupCentre } from './modules/admin/demo.js'
import { courtResource } from './modules/admin/reference-data.js'
import { createRecord } from './modules/admin/resource.js'
import type { CourtCreate } from './modules/admin/schemas.js'
import { findToken, issueInstallationToken, missingScope, revokeToken } from './modules/tokens/service.js'
import { applyRetention } from './modules/retention/service.js'
import { REPORT_LANGUAGES, ROLES, type ReportLanguage, type Role } from './domain/vocabulary.js'
import { systemActor } from './domain/actor.js'
import { systemClock } from './clock.js'

/**
 * The operator's commands: the installation's centres, courts and tokens. Each prints exactly one
 * JSON line on success (for scripts); any failure is one line on stderr and exit status 1.
 */
class UsageError extends Error {}

const usage = `usage: npm run --silent cli -- COMMAND
  setup --centre-name NAME [--demo]       a new centre and its first admin token
  centres list                            every centre
  court create --name NAME --district D [--language nl|fr|en]
                                          a court (judicial district D) that clerks may be issued for;
                                          its reports are written in its language (default nl)
  courts list                             every court
  token create --role ROLE [--centre ID | --court ID] [--counsellor ID] [--label TEXT]
               [--name NAME --function TEXT]  the person using it, named as author of their reports
      operator                            no scope: centres, courts and court tokens over HTTP
      admin|staff|integration --centre ID (admin: also how to recover a lost admin token)
      counsellor --centre ID --counsellor ID
      clerk|integration --court ID        a court's referrer view, in every centre
  token revoke ID
  retention run                           pseudonymise the cases past their centre's retention period now
  restore --from FILE                     load a backup (GET /v1/backup) into an empty DATA_DIR (embedded database)
  help                                    this text`

type Command =
  | { name: 'help' }
  | { name: 'setup'; centreName: string; demo: boolean }
  | { name: 'centres list' }
  | { name: 'court create'; courtName: string; district: string; language: ReportLanguage }
  | { name: 'courts list' }
  | { name: 'token create'; role: Role; centre?: string; court?: string; counsellor?: string; label?: string; personName?: string; function?: string }
  | { name: 'token revoke'; id: string }
  | { name: 'retention run' }
  | { name: 'restore'; from: string }

// An id that is not a uuid names nothing: said at once, in the words used for an unknown one.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const knownShape = <T extends string | undefined>(id: T, unknown: string): T => {
  if (id !== undefined && !UUID.test(id)) throw new UsageError(unknown)
  return id
}

/** Reads the command line; nothing here needs the database, so help and mistakes answer at once. */
function parse(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'centre-name': { type: 'string' },
      demo: { type: 'boolean' },
      name: { type: 'string' },
      district: { type: 'string' },
      role: { type: 'string' },
      centre: { type: 'string' },
      court: { type: 'string' },
      counsellor: { type: 'string' },
      label: { type: 'string' },
      from: { type: 'string' },
      language: { type: 'string' },
      function: { type: 'string' },
    },
  })
  const [command, sub, arg, ...rest] = positionals
  const is = (c: string, s?: string, takesArg = false) => command === c && sub === s && Boolean(arg) === takesArg && rest.length === 0
  if (values.help || (command === 'help' && !sub)) return { name: 'help' }
  if (command === 'setup' && !sub) {
    if (!values['centre-name']) throw new UsageError('setup needs --centre-name NAME')
    return { name: 'setup', centreName: values['centre-name'], demo: Boolean(values.demo) }
  }
  if (is('centres', 'list')) return { name: 'centres list' }
  if (is('courts', 'list')) return { name: 'courts list' }
  if (is('court', 'create')) {
    if (!values.name || !values.district) throw new UsageError('court create needs --name NAME and --district DISTRICT')
    const language = (values.language ?? 'nl') as ReportLanguage
    if (!REPORT_LANGUAGES.includes(language)) throw new UsageError(`--language must be one of ${REPORT_LANGUAGES.join(', ')}`)
    return { name: 'court create', courtName: values.name, district: values.district, language }
  }
  if (is('token', 'create')) {
    const role = values.role as Role
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`)
    if (role === 'operator') {
      if (values.centre || values.court || values.counsellor)
        throw new UsageError('an operator token has no scope: leave out --centre, --court and --counsellor')
    } else {
      if (Boolean(values.centre) === Boolean(values.court)) throw new UsageError('give exactly one of --centre ID or --court ID')
      if (values.court && role !== 'clerk' && role !== 'integration') throw new UsageError(`a ${role} token is scoped to a centre: use --centre`)
      if (values.centre && role === 'clerk') throw new UsageError('a clerk token is scoped to a court: use --court')
    }
    if ((role === 'counsellor') !== Boolean(values.counsellor)) throw new UsageError('--counsellor ID goes with --role counsellor, and only with it')
    return {
      name: 'token create',
      role,
      label: values.label,
      personName: values.name,
      function: values.function,
      centre: knownShape(values.centre, `no centre ${values.centre}`),
      court: knownShape(values.court, `no court ${values.court}`),
      counsellor: knownShape(values.counsellor, `no counsellor ${values.counsellor} in that centre`),
    }
  }
  if (is('retention', 'run')) return { name: 'retention run' }
  if (command === 'restore' && !sub) {
    if (!values.from) throw new UsageError('restore needs --from FILE (a backup from GET /v1/backup)')
    return { name: 'restore', from: values.from }
  }
  if (is('token', 'revoke', true)) return { name: 'token revoke', id: knownShape(arg!, `no token ${arg}`) }
  throw new UsageError(command ? `unknown command "${positionals.join(' ')}"; run "npm run cli -- help" for the commands` : usage)
}

async function run(command: Exclude<Command, { name: 'help' }>, database: Database): Promise<unknown> {
  const { db } = database
  switch (command.name) {
    case 'setup': {
      const result = await setupCentre(db, { centreName: command.centreName, demo: command.demo })
      return { centreId: result.centreId, adminToken: result.adminToken, ...(result.demo ? { demo: result.demo } : {}) }
    }
    case 'centres list':
      return db.select({ id: centres.id, name: centres.name, active: centres.active, createdAt: centres.createdAt }).from(centres).orderBy(asc(centres.id))
    case 'courts list':
      return db
        .select({ id: courts.id, name: courts.name, judicialDistrict: courts.judicialDistrict, language: courts.language, active: courts.active })
        .from(courts)
        .orderBy(asc(courts.id))
    case 'court create':
      return db.transaction(async (tx) => {
        const court = await createRecord(tx, systemActor, systemClock.now(), courtResource, {
          name: command.courtName,
          judicialDistrict: command.district,
          language: command.language,
        } satisfies CourtCreate)
        return { id: court.id, name: court.name, judicialDistrict: court.judicialDistrict, language: court.language, active: court.active }
      })
    case 'token create': {
      const { role, centre, court, counsellor, label } = command
      return db.transaction(async (tx) => {
        const token = { role, centreId: centre, courtId: court, counsellorId: counsellor, label, name: command.personName, function: command.function }
        const missing = await missingScope(tx, token)
        if (missing === 'centre') throw new UsageError(`no centre ${centre}`)
        if (missing === 'court') throw new UsageError(`no court ${court}`)
        if (missing === 'counsellor') throw new UsageError(`no counsellor ${counsellor} in that centre`)
        const { row, secret } = await issueInstallationToken(tx, systemActor, systemClock.now(), token)
        return { id: row.id, token: secret }
      })
    }
    case 'token revoke':
      return db.transaction(async (tx) => {
        if (!(await findToken(tx, systemActor, command.id))) throw new UsageError(`no token ${command.id}`)
        await revokeToken(tx, systemActor, systemClock.now(), command.id)
        return { id: command.id, revoked: true }
      })
    case 'restore':
      return { restored: command.from, centres: (await db.select({ id: centres.id }).from(centres)).length }
    case 'retention run':
      return { pseudonymisedCaseIds: await applyRetention(db, systemClock.now()) }
  }
}

/** One line for any failure: a refused connection (an AggregateError with no message of its own) included. */
function oneLine(error: unknown): string {
  const known =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  if (known) return (error as Error).message
  const cause = (error as { cause?: unknown }).cause
  const inner: unknown = error instanceof AggregateError && error.errors.length ? error.errors[0] : (cause ?? error)
  const { message, code } = inner as { message?: string; code?: string }
  const text = message || code || String(inner)
  const network = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(code ?? '') || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(text)
  return `${network ? 'cannot reach the database' : 'cli failed'}: ${text}`.replace(/\s*\n\s*/g, ' ')
}

/** Where a run writes, and (tests) a database of the caller's to use instead of the configured one. */
export interface CliIo {
  env?: NodeJS.ProcessEnv
  stdout?: (text: string) => void
  stderr?: (text: string) => void
  database?: Database
}

/** Opens DATA_DIR from a backup: only an empty one, so a restore never overwrites a database. */
async function restoreDataDir(config: Config, file: string): Promise<Database> {
  if (config.databaseUrl) throw new UsageError('DATABASE_URL is set: restore a PostgreSQL database with pg_restore')
  if (!existsSync(file)) throw new UsageError(`no file ${file}`)
  if (existsSync(join(config.dataDir, 'pgdata', 'PG_VERSION')))
    throw new UsageError(`${config.dataDir} already holds a database: restore into an empty DATA_DIR`)
  const bytes = readFileSync(file)
  const database = await openDatabase({ dataDir: config.dataDir, template: () => new Blob([bytes]) })
  if (database.created !== 'template') throw new UsageError(`${config.dataDir} was not restored`)
  return database
}

/** Runs one command line and returns the exit status; tests call it in-process, the program below once. */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(text))
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text))
  let opened: Database | undefined
  try {
    const command = parse(argv)
    if (command.name === 'help') {
      stdout(`${usage}\n`)
      return 0
    }
    let database = io.database
    if (command.name === 'restore') {
      database = opened = await restoreDataDir(loadConfig(io.env), command.from)
    } else if (!database) {
      const config = loadConfig(io.env)
      database = opened = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: 2 } : { dataDir: config.dataDir })
    }
    await migrate(database)
    const output = await run(command, database)
    stdout(`${JSON.stringify(output)}\n`)
    return 0
  } catch (error) {
    stderr(`${oneLine(error)}\n`)
    return 1
  } finally {
    await opened?.close().catch(() => {})
  }
}

// Only when run as the program: a test importing main must not run a command.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2))
