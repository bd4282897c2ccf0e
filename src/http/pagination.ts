import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { gt, lt, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { badRequest } from './problem.js'

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200)' }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
})
export type PageQuery = Static<typeof PageQuery>

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page; null on the last page' }),
  })

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Keyset condition on a time-ordered uuid column (ids are UUIDv7), or undefined for the first page.
 * `order` is the list's order on that column: 'desc' lists newest first.
 */
/** A cursor this service did not issue (or that was altered): start the list again. */
export const invalidCursor = () =>
  badRequest('The cursor is not one this service issued; start again without it.', { errors: [{ in: 'query', pointer: '/cursor', detail: 'unknown cursor' }] })

export function afterCursor(column: PgColumn, cursor: string | undefined, order: 'asc' | 'desc' = 'asc'): SQL | undefined {
  if (cursor === undefined) return undefined
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!UUID.test(id)) throw invalidCursor()
  return order === 'asc' ? gt(column, id) : lt(column, id)
}

/** Turns limit+1 fetched rows into a page. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const more = rows.length > limit
  return { items, nextCursor: more ? Buffer.from(items[items.length - 1]!.id).toString('base64url') : null }
}
