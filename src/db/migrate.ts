import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { Database } from './client.js'

// From src/db when run with tsx, from dist/src/db when compiled: the folder sits at the project root.
export const migrationsFolder = [new URL('../../migrations', import.meta.url), new URL('../../../migrations', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path))!

// Any constant works; it only has to be the same in every process of this service.
const MIGRATION_LOCK = 727_274_001

/** Applies the drizzle-kit migrations. On PostgreSQL an advisory lock serialises API processes starting together. */
export async function migrate(database: Database): Promise<void> {
  if (!database.pool) {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
    return
  }
  const connection = await database.pool.connect()
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    await migratePg(drizzle({ client: connection }), { migrationsFolder })
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    connection.release()
  }
}
