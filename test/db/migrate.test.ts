/**
 * A start on a migrated database does not run drizzle's migrator: one query finds nothing pending and
 * nothing is written. Shown where any write fails: every transaction read-only.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { openDatabase, type Database } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { databaseErrorOf } from '../../src/db/errors.js'
import { openTestDatabase } from '../helpers/app.js'

const database = await openTestDatabase(t)

/** `work` on the same database with every transaction read-only (PGlite: its one session; PostgreSQL: a pool of its own). */
async function readOnly<T>(work: (database: Database) => Promise<T>): Promise<T> {
  if (!database.url) {
    await database.db.execute(sql`set default_transaction_read_only = on`)
    try {
      return await work(database)
    } finally {
      await database.db.execute(sql`reset default_transaction_read_only`)
    }
  }
  const url = new URL(database.url)
  url.searchParams.set('options', '-c default_transaction_read_only=on')
  const readOnlyDatabase = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 })
  try {
    return await work(readOnlyDatabase)
  } finally {
    await readOnlyDatabase.close()
  }
}

t.test('on a migrated database nothing is pending and nothing is written', async (t) => {
  t.equal(await readOnly(migrate), 0)
})

t.test('a migration the database has not recorded runs the migrator (which writes, so fails read-only)', async (t) => {
  await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`)
  const error = await readOnly(migrate).then(
    () => undefined,
    (error: unknown) => error,
  )
  t.match(databaseErrorOf(error), { code: '25006', message: /read-only transaction/ })
})
