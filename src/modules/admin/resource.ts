import { and, asc, eq, type InferSelectModel, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Queryable, Tx } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { notFound } from '../../domain/errors.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import type { PageQuery } from '../../http/pagination.js'
import { audit } from '../../db/audit.js'

/**
 * Reference data (sites, rooms, counsellors, courts) is handled one way: create, list, read, update,
 * deactivate. Deactivation is the only removal: these records are referenced by visits and cases.
 * A resource says how its rows are scoped and checked; the functions here do the rest.
 */

type Table = PgTable & { id: PgColumn; active: PgColumn }
type Values = Record<string, unknown>

export interface ReferenceResource<T extends Table = Table> {
  entityType: string // e.g. 'site', also the audit's entity type
  noun: string // for messages, e.g. 'site'
  table: T
  /** The condition limiting rows to what the actor may see. */
  scope(actor: Actor): SQL | undefined
  /** Extra list filters from the query string. */
  filter?(query: Values): (SQL | undefined)[]
  /** Checks and completes values before insert or update; throws a domain error. */
  prepare?(db: Queryable, actor: Actor, values: Values, existing?: InferSelectModel<T>): Promise<Values>
  /** Extra audit scoping (e.g. the court of a court record). */
  auditScope?(row: InferSelectModel<T>): { centreId?: string | null; courtId?: string | null }
}

type Row<T extends Table> = InferSelectModel<T> & { id: string }

// Selecting from a generic table defeats drizzle's typing; the plain table type selects the same rows.
const selectable = (table: Table): PgTable => table

const record = <T extends Table>(tx: Queryable, actor: Actor, r: ReferenceResource<T>, action: string, row: Row<T>) =>
  audit(tx, actor, { action: `${r.entityType}.${action}`, entityType: r.entityType, entityId: row.id, ...r.auditScope?.(row) })

/** A record in the actor's scope; unknown or out of scope is a 404. */
export async function findRecord<T extends Table>(db: Queryable, actor: Actor, r: ReferenceResource<T>, id: string): Promise<Row<T>> {
  const [row] = (await db
    .select()
    .from(selectable(r.table))
    .where(and(eq(r.table.id, id), r.scope(actor)))) as Row<T>[]
  if (!row) throw notFound(r.noun, id)
  return row
}

export async function listRecords<T extends Table>(db: Queryable, actor: Actor, r: ReferenceResource<T>, query: PageQuery & Values) {
  const rows = (await db
    .select()
    .from(selectable(r.table))
    .where(and(r.scope(actor), afterCursor(r.table.id, query.cursor), ...(r.filter?.(query) ?? [])))
    .orderBy(asc(r.table.id))
    .limit(query.limit + 1)) as Row<T>[]
  return toPage(rows, query.limit)
}

export async function createRecord<T extends Table>(tx: Tx, actor: Actor, _now: Date, r: ReferenceResource<T>, input: object): Promise<Row<T>> {
  const values = r.prepare ? await r.prepare(tx, actor, { ...input }) : input
  const [created] = (await tx
    .insert(r.table)
    .values(values as never)
    .returning()) as Row<T>[]
  await record(tx, actor, r, 'created', created!)
  return created!
}

/** Changes the fields given; with none, the record is returned as it is (and nothing is audited). */
export async function updateRecord<T extends Table>(tx: Tx, actor: Actor, _now: Date, r: ReferenceResource<T>, id: string, input: object): Promise<Row<T>> {
  const existing = await findRecord(tx, actor, r, id)
  const values = r.prepare ? await r.prepare(tx, actor, { ...input }, existing) : input
  if (Object.keys(values).length === 0) return existing
  const [updated] = (await tx
    .update(r.table)
    .set(values as never)
    .where(eq(r.table.id, id))
    .returning()) as Row<T>[]
  await record(tx, actor, r, 'updated', updated!)
  return updated!
}

/** Kept for history; no longer offered for new use. */
export async function deactivateRecord<T extends Table>(tx: Tx, actor: Actor, _now: Date, r: ReferenceResource<T>, id: string): Promise<Row<T>> {
  await findRecord(tx, actor, r, id)
  const [updated] = (await tx
    .update(r.table)
    .set({ active: false } as never)
    .where(eq(r.table.id, id))
    .returning()) as Row<T>[]
  await record(tx, actor, r, 'deactivated', updated!)
  return updated!
}
