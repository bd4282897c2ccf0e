import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { PGlite, PGliteOptions } from '@electric-sql/pglite'
import { getTableColumns, is, SQL, sql } from 'drizzle-orm'
import { toSnakeCase } from 'drizzle-orm/casing'
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core'
import type pg from 'pg'
import { isoUtc } from '../domain/time.js'
import { lockDataDir } from './lock.js'

export { DataDirLockedError } from './lock.js'

// Each driver is imported when a database of its kind is opened, never at start-up: PGlite (its
// WebAssembly build, its extension, drizzle's adapter) costs a PostgreSQL installation a quarter of a
// second and tens of megabytes for nothing, and pg costs an embedded one a little.

// Without drizzle's relational queries (db.query.…, which nothing uses): given the schema, drizzle
// builds a query builder for each of its tables on every transaction it opens (~25 µs each time).
export type Db = PgDatabase<PgQueryResultHKT>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx

export interface Database {
  db: Db
  kind: 'pglite' | 'pg'
  /** The pg pool, when on PostgreSQL (migrations take a dedicated connection from it). */
  pool?: pg.Pool
  /** The embedded client, when on PGlite (tests dump it as a template). */
  pglite?: PGlite
  /** On a data directory opened for the first time: whether PGlite ran initdb or loaded a template. */
  created?: 'initdb' | 'template'
  /** Throws when the database cannot answer. */
  ping(): Promise<void>
  /**
   * On PostgreSQL: calls `listener` when a pooled connection fails outside a query (its backend was
   * terminated, the server went away), idle in the pool or checked out between two queries.
   */
  onConnectionError?(listener: (error: Error) => void): void
  close(): Promise<void>
}

export type DatabaseTarget =
  | { databaseUrl: string; poolSize?: number }
  // Embedded PGlite persisted on disk; a new directory is made from the template, when there is one
  // (read only then: a restart never pays for it).
  | { dataDir: string; template?: () => Blob | undefined }
  | { memory: true; template?: Blob } // embedded PGlite in memory (tests), optionally from a dumped data directory

/**
 * A PGlite client on `dataDir` (in memory without one), always with the same extensions: opened
 * without one, the catalogue and the files would disagree.
 */
export async function createPglite(dataDir: string | undefined, options: Omit<PGliteOptions, 'extensions'> = {}): Promise<PGlite> {
  const [{ PGlite }, { btree_gist }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/btree_gist')])
  return PGlite.create({ ...options, ...(dataDir ? { dataDir } : {}), extensions: { btree_gist } })
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('databaseUrl' in target) return openPg(target.databaseUrl, target.poolSize ?? 10)
  if ('dataDir' in target) {
    const dir = resolve(target.dataDir)
    const release = lockDataDir(dir)
    try {
      // PG_VERSION is what PGlite itself looks for to tell an initialised directory.
      const isNew = !existsSync(join(dir, 'pgdata', 'PG_VERSION'))
      const template = isNew ? target.template?.() : undefined
      const database = await openPglite(await createPglite(join(dir, 'pgdata'), template ? { loadDataDir: template } : {}), release)
      return isNew ? { ...database, created: template ? 'template' : 'initdb' } : database
    } catch (error) {
      release()
      throw error
    }
  }
  // A template (a migrated data directory dumped by a test helper) spares initdb and the migrations.
  return openPglite(await createPglite(undefined, target.template ? { loadDataDir: target.template } : {}), () => {})
}

async function openPglite(client: PGlite, release: () => void): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite')
  const db = drizzle({ client, casing: 'snake_case' }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    pglite: client,
    ping: async () => {
      await client.query('select 1')
    },
    close: async () => {
      try {
        if (!client.closed) await client.close()
      } finally {
        release()
      }
    },
  }
}

async function openPg(connectionString: string, max: number): Promise<Database> {
  const [{ default: pg }, { drizzle }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')])
  // jit off: PostgreSQL compiles a plan whose estimated cost passes jit_above_cost, about a quarter of
  // a second per statement on a small server, and the service's reads (a year's statistics among
  // them) finish in less than that: measured with bench/scale.ts, JIT made up most of their time.
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000, options: '-c jit=off' })
  // A connection lost outside a query is an 'error' event; unheard, it would end the process. The pool
  // hears its idle clients; a checked-out client (in a transaction, between two statements) has no
  // listener but ours. Either way the client is discarded and the next query takes a new one.
  const listeners = new Set<(error: Error) => void>()
  const connectionLost = (error: Error) => listeners.forEach((listener) => listener(error))
  pool.on('error', connectionLost)
  pool.on('connect', (client) => client.on('error', connectionLost))
  const db = drizzle({ client: pool, casing: 'snake_case' }) as unknown as Db
  return {
    db,
    kind: 'pg',
    pool,
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    onConnectionError: (listener) => listeners.add(listener),
    // Idempotent, like the PGlite close: shutdown paths and test teardowns may both close.
    close: async () => {
      if (!pool.ended) await pool.end()
    },
  }
}

/** Raw SQL for what drizzle cannot express (ranges, exclusion constraints); same shape on both drivers. */
export async function rawRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- execute's result type differs per driver; both have `rows`
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows
}

// Each text's statement name, for the life of the process (a pooled connection prepares a name on its
// first use and keeps it while it lives). Bounded: a text made from values by mistake runs unnamed
// once the bound is reached instead of filling every connection with statements.
const statementNames = new Map<string, string>()
const MAX_STATEMENT_NAMES = 64

/**
 * rawRows as a named (prepared) statement on PostgreSQL: the server parses and plans the text once per
 * connection, and after five executions keeps a generic plan when it costs no more than the custom
 * ones, which spares a busy read's planning (a good part of its cost) on every later request. The
 * name is per text (`name` and a number: variants of a statement differ in their text), so it never
 * stands for two texts. On PGlite, which drizzle sends no name, it runs as rawRows does. Only for texts
 * from a fixed set, every value a parameter; works on the database or an open transaction alike.
 */
export async function preparedRows<T>(db: Queryable, name: string, query: SQL): Promise<T[]> {
  // A transaction has its database's dialect and a session on its own connection.
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: Db['_']['session'] }
  const compiled = dialect.sqlToQuery(query)
  let statement = statementNames.get(compiled.sql)
  if (statement === undefined && statementNames.size < MAX_STATEMENT_NAMES) {
    statement = `${name}_${statementNames.size}`
    statementNames.set(compiled.sql, statement)
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the result type differs per driver; both have `rows`
  return ((await session.prepareQuery(compiled, undefined, statement, false).execute()) as unknown as { rows: T[] }).rows
}

/**
 * A drizzle query built once per connection and kept prepared on it, for a builder query on a hot path
 * whose build (its columns, the casing of their names) costs more CPU than the database spends running
 * it: a case lock's select is ~0.3 ms to build and ~0.05 ms to run. `build` makes the query on the
 * transaction it is given, its values as sql.placeholder, and calls .prepare(name). A pooled
 * PostgreSQL connection runs one transaction at a time, so every later transaction on it reuses the
 * query; PGlite gives each transaction a client of its own, so there it is built each time, as before.
 */
export function perConnection<Q>(build: (tx: Tx) => Q): (tx: Tx) => Q {
  const built = new WeakMap<object, Q>()
  return (tx) => {
    const connection = (tx as unknown as { session: { client: object } }).session.client
    let query = built.get(connection)
    if (query === undefined) {
      query = build(tx)
      built.set(connection, query)
    }
    return query
  }
}

/** Strings as one text[] parameter, each quoted (an array literal). */
export const textArray = (values: string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`

/** Ids as one uuid[] parameter (an array literal; a uuid needs no quoting in one): one parameter however many ids. */
export const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`

/**
 * An INSERT of rows passed as one JSON parameter and read with json_populate_recordset over the
 * table's row type. drizzle's multi-row VALUES builds (and type-checks) one parameter per value, which
 * for a series' visits and reservations costs more in Node than the insert in the database. Rows are
 * keyed by property as drizzle's inserts are; a property a row leaves out takes the column's default when
 * that is a value or made in JS (a uuidv7 id), and columns no row names take their defaults in the table. Values go as
 * JSON (a Date as its ISO text, jsonb as itself), a custom type (a tstzrange) as its driver text.
 * `shared` holds the values every row has (a series' case, room, counsellors…): they are written once,
 * as the record json_populate_recordset starts each row from, and are not read from the rows.
 */
export function insertRows<T extends PgTable>(table: T, rows: Partial<T['$inferInsert']>[], shared: Partial<T['$inferInsert']> = {}): SQL {
  const writers = writersOf(table)
  const common = writers.filter(({ key }) => key in shared)
  // A column with a default made in JS (a uuidv7 id) gets it here, as drizzle's insert would.
  const named = writers.filter(({ key, defaultFn }) => !(key in shared) && (defaultFn || rows.some((row) => key in row)))
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const { key, name, value } of named) out[name] = value((row as Record<string, unknown>)[key])
    return out
  })
  const list = sql.raw([...common, ...named].map(({ name }) => `"${name}"`).join(', '))
  const base =
    common.length === 0
      ? sql`null::${table}`
      : sql`json_populate_record(null::${table}, ${JSON.stringify(Object.fromEntries(common.map(({ key, name, value }) => [name, value((shared as Record<string, unknown>)[key])])))}::json)`
  return sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(${base}, ${JSON.stringify(json)}::json)`
}

interface ColumnWriter {
  key: string
  name: string
  defaultFn?: () => unknown
  /** The column's value in the JSON of a row whose property is `v`. */
  value: (v: unknown) => unknown
}

const columnWriters = new WeakMap<PgTable, ColumnWriter[]>()

/** How insertRows writes each column of a table: worked out once per table (drizzle's is() and casing cost a little every time). */
function writersOf(table: PgTable): ColumnWriter[] {
  let writers = columnWriters.get(table)
  if (writers) return writers
  type Column = { name: string; columnType: string; default?: unknown; defaultFn?: () => unknown; mapToDriverValue(value: unknown): unknown }
  writers = Object.entries(getTableColumns(table) as Record<string, Column>).map(([key, column]) => {
    const custom = column.columnType === 'PgCustomColumn'
    // A row without the property gets the column's default, as drizzle's VALUES would write `default`.
    const fallback = column.defaultFn ?? (column.default !== undefined && !is(column.default, SQL) ? () => column.default : () => undefined)
    // A Date as its ISO text here: JSON.stringify reaches a Date's toJSON by a slow path (four times the cost).
    const value = (v: unknown) => (v === undefined ? fallback() : v instanceof Date ? isoUtc(v) : custom && v != null ? column.mapToDriverValue(v) : v)
    return { key, name: toSnakeCase(column.name), defaultFn: column.defaultFn, value }
  })
  columnWriters.set(table, writers)
  return writers
}
