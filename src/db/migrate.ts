import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import { databaseErrorOf } from './errors.js'
import { rawRows, type Database } from './client.js'
import { migrationsFolder } from './migrations-folder.js'

export { migrationsFolder }

// Any constant works; it only has to be the same in every process of this service.
const MIGRATION_LOCK = 727_274_001

/**
 * Applies the drizzle-kit migrations the database has not recorded yet and answers how many were
 * pending (0: the database was up to date and drizzle's migrator did not run). On PostgreSQL an
 * advisory lock serialises API processes starting together.
 */
export async function migrate(database: Database, onNotice: (message: string) => void = () => {}): Promise<number> {
  // drizzle's migrator applies every journal entry newer than the last one recorded; checking that
  // with one query spares a restart reading and hashing every migration file, and writing nothing
  // lets a process start while another holds the lock.
  const pending = await pendingMigrations(database)
  if (pending === 0) return 0
  if (!database.pool) {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator')
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
    return pending
  }
  const [{ drizzle }, { migrate: migratePg }] = await Promise.all([import('drizzle-orm/node-postgres'), import('drizzle-orm/node-postgres/migrator')])
  const connection = await database.pool.connect()
  // A migration that changes data says what it changed with RAISE NOTICE (e.g. each court given a language).
  // (The migrator's own "already exists, skipping" chatter is left out.)
  const notice = (message: { message?: string }) => message.message && !message.message.endsWith(', skipping') && onNotice(message.message)
  connection.on('notice', notice)
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    // Under the lock the migrator looks again: a process that held it before may have applied them.
    await migratePg(drizzle({ client: connection }), { migrationsFolder })
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    connection.off('notice', notice)
    connection.release()
  }
  return pending
}

/** How many journal entries are newer than the last migration the database recorded (all of them on a new database). */
async function pendingMigrations(database: Database): Promise<number> {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] }
  let last: number | undefined
  try {
    const [row] = await rawRows<{ last: string | null }>(database.db, sql`select max(created_at) as last from drizzle.__drizzle_migrations`)
    last = row?.last === null || row?.last === undefined ? undefined : Number(row.last)
  } catch (error) {
    // A database never migrated has no drizzle schema or table yet.
    if (!['42P01', '3F000'].includes(databaseErrorOf(error)?.code ?? '')) throw error
  }
  return journal.entries.filter((entry) => last === undefined || entry.when > last).length
}
