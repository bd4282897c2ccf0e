import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TObject } from '@sinclair/typebox'
import type { Role } from '../../domain/vocabulary.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import { createRecord, deactivateRecord, findRecord, listRecords, updateRecord, type ReferenceResource } from './resource.js'

/** The five routes of a reference-data resource (see resource.ts), with operation ids for generated clients. */

type App = Parameters<FastifyPluginAsyncTypebox>[0]

export interface ReferenceRoutes {
  resource: ReferenceResource
  path: string // e.g. 'sites'
  tag: string
  item: TObject
  create: TObject
  update: TObject
  listFilters?: TObject
  readRoles: readonly Role[]
  writeRoles: readonly Role[]
}

export function registerReferenceResource(app: App, routes: ReferenceRoutes) {
  const r = routes.resource
  const base = `/${routes.path}`
  // createSite, listSites, getSite, …
  const name = r.entityType[0]!.toUpperCase() + r.entityType.slice(1)

  app.post(
    base,
    {
      config: { roles: routes.writeRoles },
      schema: {
        operationId: `create${name}`,
        summary: `Create a ${r.noun}`,
        tags: [routes.tag],
        headers: IdempotencyHeaders,
        body: routes.create,
        response: { 201: routes.item, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({ status: 201, body: await createRecord(tx, request.actor, app.clock.now(), r, request.body) })),
  )

  app.get(
    base,
    {
      config: { roles: routes.readRoles },
      schema: {
        operationId: `list${name}s`,
        summary: `List ${routes.path}`,
        tags: [routes.tag],
        querystring: Type.Object({ ...PageQuery.properties, ...routes.listFilters?.properties }),
        response: { 200: Page(routes.item), ...problemResponses() },
      },
    },
    async (request) => listRecords(app.db, request.actor, r, request.query),
  )

  app.get(
    `${base}/:id`,
    {
      config: { roles: routes.readRoles },
      schema: {
        operationId: `get${name}`,
        summary: `Read a ${r.noun}`,
        tags: [routes.tag],
        params: IdParams,
        response: { 200: routes.item, ...problemResponses(404) },
      },
    },
    async (request) => findRecord(app.db, request.actor, r, request.params.id),
  )

  app.patch(
    `${base}/:id`,
    {
      config: { roles: routes.writeRoles },
      schema: {
        operationId: `update${name}`,
        summary: `Update a ${r.noun}`,
        tags: [routes.tag],
        params: IdParams,
        body: routes.update,
        response: { 200: routes.item, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request) => app.db.transaction((tx) => updateRecord(tx, request.actor, app.clock.now(), r, request.params.id, request.body)),
  )

  app.delete(
    `${base}/:id`,
    {
      config: { roles: routes.writeRoles },
      schema: {
        operationId: `deactivate${name}`,
        summary: `Deactivate a ${r.noun} (kept for history; no longer offered for new use)`,
        tags: [routes.tag],
        params: IdParams,
        response: { 200: routes.item, ...problemResponses(404) },
      },
    },
    async (request) => app.db.transaction((tx) => deactivateRecord(tx, request.actor, app.clock.now(), r, request.params.id)),
  )
}
