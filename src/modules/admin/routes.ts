import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page, PageQuery } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import { counsellorResource, courtResource, roomResource, siteResource } from './reference-data.js'
import { registerReferenceResource } from './resource-routes.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for a centre and its reference data: centres, sites, rooms, counsellors (and their absences), courts. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // ── Centres ──────────────────────────────────────────────────────────────────────────────
  app.post(
    '/centres',
    {
      config: { roles: ['operator'] },
      schema: {
        operationId: 'createCentre',
        summary: 'Set up a new centre (returns an admin token for it, once)',
        tags: ['Centres'],
        description: 'The installation’s operator only (or the CLI’s `setup`): a centre’s admin cannot create centres.',
        body: S.CentreCreate,
        response: { 201: S.CentreCreated, ...problemResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const created = await app.db.transaction((tx) => service.createCentre(tx, request.actor, app.clock.now(), request.body))
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/centres',
    {
      config: { roles: ['operator', 'admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'listCentres',
        summary: 'List the centres in your scope (your own; every centre for the operator)',
        tags: ['Centres'],
        querystring: PageQuery,
        response: { 200: Page(S.Centre), ...problemResponses() },
      },
    },
    async (request) => service.listCentres(app.db, request.actor, request.query),
  )

  app.get(
    '/centres/:id',
    {
      config: { roles: ['operator', 'admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'getCentre',
        summary: 'Read a centre',
        tags: ['Centres'],
        params: IdParams,
        response: { 200: S.Centre, ...problemResponses(404) },
      },
    },
    async (request) => service.getCentre(app.db, request.actor, request.params.id),
  )

  app.patch(
    '/centres/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'updateCentre',
        summary: 'Update a centre’s name or settings',
        tags: ['Centres'],
        params: IdParams,
        body: S.CentreUpdate,
        response: { 200: S.Centre, ...problemResponses(404, 413, 415) },
      },
    },
    async (request) => app.db.transaction((tx) => service.updateCentre(tx, request.actor, app.clock.now(), request.params.id, request.body)),
  )

  // ── Sites, rooms, counsellors, courts ────────────────────────────────────────────────────
  const centreRoles = { readRoles: ['admin', 'staff', 'counsellor'], writeRoles: ['admin'] } as const
  registerReferenceResource(app, {
    resource: siteResource,
    path: 'sites',
    tag: 'Sites',
    item: S.Site,
    create: S.SiteCreate,
    update: S.SiteUpdate,
    ...centreRoles,
  })
  registerReferenceResource(app, {
    resource: roomResource,
    path: 'rooms',
    tag: 'Rooms',
    item: S.Room,
    create: S.RoomCreate,
    update: S.RoomUpdate,
    listFilters: S.RoomFilters,
    ...centreRoles,
  })
  registerReferenceResource(app, {
    resource: counsellorResource,
    path: 'counsellors',
    tag: 'Counsellors',
    item: S.Counsellor,
    create: S.CounsellorCreate,
    update: S.CounsellorUpdate,
    ...centreRoles,
  })
  // Every centre and court reads the court registry; only the operator writes it.
  registerReferenceResource(app, {
    resource: courtResource,
    path: 'courts',
    tag: 'Courts',
    item: S.Court,
    create: S.CourtCreate,
    update: S.CourtUpdate,
    readRoles: ['operator', 'admin', 'staff', 'counsellor', 'clerk', 'integration'],
    writeRoles: ['operator'],
  })

  // ── Counsellor absences ──────────────────────────────────────────────────────────────────
  app.post(
    '/counsellors/:id/absences',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'createAbsence',
        summary: 'Record a counsellor’s absence (no visits are booked with them then)',
        tags: ['Counsellors'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.AbsenceCreate,
        response: { 201: S.Absence, ...problemResponses(404, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.createAbsence(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.get(
    '/counsellors/:id/absences',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'listAbsences',
        summary: 'List a counsellor’s absences',
        tags: ['Counsellors'],
        params: IdParams,
        querystring: S.AbsenceQuery,
        response: { 200: Page(S.Absence), ...problemResponses(404) },
      },
    },
    async (request) => service.listAbsences(app.db, request.actor, request.params.id, request.query),
  )
}
