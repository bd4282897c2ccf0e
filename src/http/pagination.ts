import { Type, type Static, type TArray, type TNull, type TObject, type TSchema, type TString, type TUnion } from '@sinclair/typebox'
import { gt, lt, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { invalidInput } from '../domain/errors.js'

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200)' }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
})
export type PageQuery = Static<typeof PageQuery>

type PageSchema<T extends TSchema> = TObject<{ items: TArray<T>; nextCursor: TUnion<[TString, TNull]> }>
const pages = new WeakMap<TSchema, PageSchema<TSchema>>()

/** The page of a list of `item`s; one schema per item schema, so a module can name it (e.g. VisitPage) once. */
export function Page<T extends TSchema>(item: T): PageSchema<T> {
  let page = pages.get(item)
  if (!page) {
    page = Type.Object({
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page; null on the last page' }),
    })
    pages.set(item, page)
  }
  return page as PageSchema<T>
}

/** A cursor this service did not issue (or that was altered): start the list again. */
export const invalidCursor = () => invalidInput('query', '/cursor', 'is not a cursor this service issued; start again without it')

/**
 * Keyset pagination, the one way every list pages. A cursor is the sort key of the last item of a
 * page (e.g. its id, or its start time and id), opaque to clients. Decoding checks each part, so a
 * tampered cursor is a 400, never a query error.
 */
export const cursorParts = {
  uuid: (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  instant: (v: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
}

export const encodeCursor = (...parts: string[]) => Buffer.from(parts.join('|')).toString('base64url')

/** The parts of a cursor made by `encodeCursor`, each accepted by its check. */
export function decodeCursor(cursor: string, checks: ((part: string) => boolean)[]): string[] {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (parts.length !== checks.length || !parts.every((part, i) => checks[i]!(part))) throw invalidCursor()
  return parts
}

/**
 * Keyset condition on a time-ordered uuid column (ids are UUIDv7), or undefined for the first page.
 * `order` is the list's order on that column: 'desc' lists newest first.
 */
export function afterCursor(column: PgColumn, cursor: string | undefined, order: 'asc' | 'desc' = 'asc'): SQL | undefined {
  if (cursor === undefined) return undefined
  const [id] = decodeCursor(cursor, [cursorParts.uuid])
  return order === 'asc' ? gt(column, id!) : lt(column, id!)
}

/** Turns limit+1 fetched rows into a page; the cursor is the last item's `cursorOf` (its id by default). */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string = (row) => encodeCursor(row.id),
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const more = rows.length > limit
  return { items, nextCursor: more ? cursorOf(items[items.length - 1]!) : null }
}
