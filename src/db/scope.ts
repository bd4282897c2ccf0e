import { eq, sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { Actor } from '../domain/actor.js'

/**
 * Scope conditions: every query for scoped records goes through one of these, so a token can only
 * ever see its own centre's or court's rows. An actor without that scope sees nothing.
 */
export const inCentre = (column: PgColumn, actor: Actor): SQL => (actor.centreId ? eq(column, actor.centreId) : sql`false`)
export const inCourt = (column: PgColumn, actor: Actor): SQL => (actor.courtId ? eq(column, actor.courtId) : sql`false`)
