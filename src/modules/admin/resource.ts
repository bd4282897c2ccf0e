import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TObject } from '@sinclair/typebox'
import { and, asc, eq, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Queryable } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import type { Role } from '../../domain/vocabulary.js'
import { audit } from '../audit/service.js'
import { afterCursor, Page, PageQuery, toPage } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { notFound } from '../../domain/errors.js'
import { IdParams } from '../../http/schemas.js'

type Row = Record<string, unknown> & { id: string }
type Table = PgTable & { id: PgColumn; active: PgColumn }

/**
 * One reference-data resource (sites, rooms, counsellors, courts): create, list, read, update,
 * deactivate. Deactivation is the only removal: these records are referenced by visits and cases.
 */
export interface ReferenceResource {
  path: string // e.g. 'sites'
  entityType: string // e.g. 'site'
  noun: string // for messages, e.g. 'site'
  tag: string
  table: Table
  item: TObject
  create: TObject
  update: TObject
  listFilters?: TObject
  readRoles: readonly Role[]
  writeRoles: readonly Role[]
  /** The condition limiting rows to what the actor may see. */
  scope(actor: Actor): SQL | undefined
  /** Extra list filters from the query string. */
  filter?(query: Record<string, unknown>): (SQL | undefined)[]
  /** Checks and completes values before insert/update; throws a Problem. */
  prepare?(db: Queryable, actor: Actor, values: Record<string, unknown>, existing?: Row): Promise<Record<string, unknown>>
  /** Extra audit scoping (e.g. the court of a court record). */
  auditScope?(row: Row): { centreId?: string | null; courtId?: string | null }
}

export function registerReferenceResource(app: FastifyInstance, r: ReferenceResource) {
  const { table } = r
  const base = `/${r.path}`
  // Operation ids for generated clients: createSite, listSites, getSite, …
  const name = r.entityType[0]!.toUpperCase() + r.entityType.slice(1)
  const findInScope = async (db: Queryable, actor: Actor, id: string) => {
    const [row] = await db.select().from(table).where(and(eq(table.id, id), r.scope(actor))) as Row[]
    if (!row) throw notFound(r.noun, id)
    return row
  }
  const record = (tx: Queryable, request: FastifyRequest, action: string, row: Row) =>
    audit(tx, request.actor, { action: `${r.entityType}.${action}`, entityType: r.entityType, entityId: row.id, ...r.auditScope?.(row) })

  app.post(base, {
    config: { roles: r.writeRoles },
    schema: {
      operationId: `create${name}`,
      summary: `Create a ${r.noun}`, tags: [r.tag], body: r.create,
      response: { 201: r.item, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const values = await (r.prepare?.(app.db, request.actor, { ...(request.body as object) }) ?? request.body) as Record<string, unknown>
    const row = await app.db.transaction(async (tx) => {
      const [created] = await tx.insert(table).values(values as never).returning() as Row[]
      await record(tx, request, 'created', created!)
      return created!
    })
    return reply.code(201).send(row)
  })

  app.get(base, {
    config: { roles: r.readRoles },
    schema: {
      operationId: `list${name}s`,
      summary: `List ${r.path}`, tags: [r.tag],
      querystring: r.listFilters ? { ...PageQuery, properties: { ...PageQuery.properties, ...r.listFilters.properties } } : PageQuery,
      response: { 200: Page(r.item), ...problemResponses() },
    },
  }, async (request) => {
    const query = request.query as PageQuery & Record<string, unknown>
    const rows = await app.db.select().from(table)
      .where(and(r.scope(request.actor), afterCursor(table.id, query.cursor), ...(r.filter?.(query) ?? [])))
      .orderBy(asc(table.id)).limit(query.limit + 1) as Row[]
    return toPage(rows, query.limit)
  })

  app.get(`${base}/:id`, {
    config: { roles: r.readRoles },
    schema: { operationId: `get${name}`, summary: `Read a ${r.noun}`, tags: [r.tag], params: IdParams, response: { 200: r.item, ...problemResponses(404) } },
  }, async (request) => findInScope(app.db, request.actor, (request.params as { id: string }).id))

  app.patch(`${base}/:id`, {
    config: { roles: r.writeRoles },
    schema: {
      operationId: `update${name}`,
      summary: `Update a ${r.noun}`, tags: [r.tag], params: IdParams, body: r.update,
      response: { 200: r.item, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request) => {
    const { id } = request.params as { id: string }
    return app.db.transaction(async (tx) => {
      const existing = await findInScope(tx, request.actor, id)
      const values = await (r.prepare?.(tx, request.actor, { ...(request.body as object) }, existing) ?? request.body) as Record<string, unknown>
      if (Object.keys(values).length === 0) return existing
      const [updated] = await tx.update(table).set(values as never).where(eq(table.id, id)).returning() as Row[]
      await record(tx, request, 'updated', updated!)
      return updated!
    })
  })

  app.delete(`${base}/:id`, {
    config: { roles: r.writeRoles },
    schema: {
      operationId: `deactivate${name}`,
      summary: `Deactivate a ${r.noun} (kept for history; no longer offered for new use)`, tags: [r.tag], params: IdParams,
      response: { 200: r.item, ...problemResponses(404) },
    },
  }, async (request) => {
    const { id } = request.params as { id: string }
    return app.db.transaction(async (tx) => {
      await findInScope(tx, request.actor, id)
      const [updated] = await tx.update(table).set({ active: false }).where(eq(table.id, id)).returning() as Row[]
      await record(tx, request, 'deactivated', updated!)
      return updated!
    })
  })
}
