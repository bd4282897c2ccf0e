/**
 * Migrated databases for tests and benches. Creating and migrating a database is most of a test's
 * set-up (PGlite's initdb alone takes seconds), so the migrated state is made once per set of
 * migrations and then copied: a dumped PGlite data directory cached on disk, and on PostgreSQL a
 * template database that `create database … template` copies.
 */
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createPglite, openDatabase, type Database } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { readDataTemplate, templateKey, writeDataTemplate } from '../../src/db/template.js'

let pgliteTemplateMemo: Promise<Blob> | undefined

/** A migrated PGlite data directory as a tarball, made once per set of migrations in the system's temporary directory. */
export function pgliteTemplate(): Promise<Blob> {
  pgliteTemplateMemo ??= (async () => {
    const dir = join(tmpdir(), 'bezoekruimte-test')
    mkdirSync(dir, { recursive: true })
    // Uncompressed: every test database loads it, and gunzip would cost each of them.
    await writeDataTemplate(dir, 'none')
    return readDataTemplate(dir, 'none')!
  })()
  return pgliteTemplateMemo
}

/** A fresh in-memory PGlite database, already migrated. */
export async function pgliteDatabase(): Promise<Database> {
  return openDatabase({ memory: true, template: await pgliteTemplate() })
}

/** The template as a data directory on disk (`<dir>/pgdata`, the layout of a DATA_DIR), made once beside the tarball. */
async function pgliteDataDirTemplate(): Promise<string> {
  const path = join(tmpdir(), 'bezoekruimte-test', `pgdata-${templateKey()}.d`)
  if (!existsSync(path)) {
    const building = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
    mkdirSync(building)
    const client = await createPglite(join(building, 'pgdata'), { loadDataDir: await pgliteTemplate() })
    await client.close()
    try {
      renameSync(building, path)
    } catch {
      rmSync(building, { recursive: true, force: true }) // another test file made it first
    }
  }
  return path
}

/**
 * A new DATA_DIR with an empty, migrated database, for the server and the CLI as child processes:
 * what they find after a first start, without the seconds of initdb a cold directory costs them.
 */
export async function migratedDataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-data-'))
  cpSync(join(await pgliteDataDirTemplate(), 'pgdata'), join(dir, 'pgdata'), { recursive: true })
  return dir
}

// Any constant: serialises the processes that might build the PostgreSQL template at the same time.
const TEMPLATE_LOCK = 727_274_099

/** The name of a migrated template database beside `adminUrl`, created on first use. */
async function postgresTemplate(adminUrl: string): Promise<string> {
  const name = `bzr_template_${templateKey()}`
  await withAdmin(adminUrl, async (admin) => {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK])
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name])
      if (exists.rowCount) return
      // Built under another name and renamed when complete: a run that dies half-way leaves no template behind.
      const building = `${name}_building`
      await admin.query(`drop database if exists ${building} with (force)`)
      await admin.query(`create database ${building}`)
      const database = await openDatabase({ databaseUrl: withDatabase(adminUrl, building), poolSize: 1 })
      try {
        await migrate(database)
      } finally {
        await database.close()
      }
      await admin.query(`alter database ${building} rename to ${name}`)
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK])
    }
  })
  return name
}

/**
 * A new, migrated PostgreSQL database beside the one `adminUrl` names, and how to drop it. Test
 * files and benchmarks each get their own, so they can run in parallel and leave nothing behind.
 */
export async function scratchDatabase(
  adminUrl: string,
  prefix: string,
  poolSize: number,
): Promise<{ database: Database; url: string; drop: () => Promise<void> }> {
  const template = await postgresTemplate(adminUrl)
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name} template ${template}`))
  const url = withDatabase(adminUrl, name)
  const database = await openDatabase({ databaseUrl: url, poolSize })
  return {
    database,
    url,
    drop: async () => {
      await database.close()
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`))
    },
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
