import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'

/**
 * A new, migrated PostgreSQL database beside the one `adminUrl` names, and how to drop it. Test
 * files and benchmarks each get their own, so they can run in parallel and leave nothing behind.
 */
export async function scratchDatabase(adminUrl: string, prefix: string, poolSize: number): Promise<{ database: Database; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await asAdmin(adminUrl, `create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize })
  await migrate(database)
  return {
    database, url: url.toString(),
    drop: async () => {
      await database.close()
      await asAdmin(adminUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

async function asAdmin(adminUrl: string, statement: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try { await client.query(statement) } finally { await client.end() }
}
