import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { and, asc, desc, eq, isNotNull, isNull, or, type SQL } from 'drizzle-orm'
import { DateTime, IANAZone } from 'luxon'
import { apiTokens, auditEvents, centres, counsellorAbsences, counsellors, courts, rooms, sites } from '../../db/schema.js'
import type { Queryable } from '../../db/client.js'
import { withDefaults } from '../../domain/centre-settings.js'
import { audit } from '../audit/service.js'
import { createToken } from '../tokens/service.js'
import { OPERATOR_ONLY, type Actor } from '../../domain/actor.js'
import { afterCursor, Page, PageQuery, toPage } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { invalidInput, notAllowed, notFound } from '../../domain/errors.js'
import { IdParams } from '../../http/schemas.js'
import { inCentre, inCourt } from '../../http/scope.js'
import { registerReferenceResource } from './resource.js'
import * as S from './schemas.js'


const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

function checkWeeklyHours(field: string, hours: Record<string, { from: string; to: string }[] | undefined> | undefined) {
  for (const [day, intervals] of Object.entries(hours ?? {})) {
    intervals?.forEach((interval, i) => {
      if (interval.from >= interval.to) throw invalidField(`/${field}/${day}/${i}`, `must end after it starts (${interval.from}–${interval.to})`)
    })
  }
}

async function counsellorInScope(db: Queryable, actor: Actor, id: string) {
  const [row] = await db.select().from(counsellors).where(and(eq(counsellors.id, id), inCentre(counsellors.centreId, actor)))
  if (!row) throw notFound('counsellor', id)
  return row
}

/** The operator sees every centre (names and settings, never families' records); anyone else their own. */
const centreScope = (actor: Actor) => (actor.role === 'operator' ? undefined : inCentre(centres.id, actor))

const absenceView = (a: typeof counsellorAbsences.$inferSelect) =>
  ({ id: a.id, counsellorId: a.counsellorId, from: a.startsAt, until: a.endsAt, reason: a.reason, createdAt: a.createdAt })

export async function adminRoutes(app: FastifyInstance) {
  // ── Centres ──────────────────────────────────────────────────────────────────────────────
  app.post('/centres', {
    config: { roles: ['operator'] },
    schema: {
      operationId: 'createCentre',
      summary: 'Set up a new centre (returns an admin token for it, once)', tags: ['Centres'],
      description: 'The installation’s operator only (or the CLI’s `setup`): a centre’s admin cannot create centres.',
      body: S.CentreCreate, response: { 201: S.CentreCreated, ...problemResponses(413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { name: string; settings?: Record<string, unknown> }
    const created = await app.db.transaction(async (tx) => {
      const [centre] = await tx.insert(centres).values({ name: body.name, settings: withDefaults(body.settings) }).returning()
      const { row, secret } = await createToken(tx, { role: 'admin', centreId: centre!.id, label: 'initial admin' })
      await audit(tx, request.actor, { action: 'centre.created', entityType: 'centre', entityId: centre!.id, centreId: centre!.id })
      await audit(tx, request.actor, { action: 'token.created', entityType: 'token', entityId: row.id, centreId: centre!.id })
      return { ...centre!, adminToken: { id: row.id, token: secret } }
    })
    return reply.code(201).send(created)
  })

  app.get('/centres', {
    config: { roles: ['operator', 'admin', 'staff', 'counsellor'] },
    schema: { operationId: 'listCentres', summary: 'List the centres in your scope (your own; every centre for the operator)', tags: ['Centres'], querystring: PageQuery, response: { 200: Page(S.Centre), ...problemResponses() } },
  }, async (request) => {
    const { limit, cursor } = request.query as PageQuery
    const rows = await app.db.select().from(centres)
      .where(and(centreScope(request.actor), afterCursor(centres.id, cursor))).orderBy(asc(centres.id)).limit(limit + 1)
    return toPage(rows, limit)
  })

  app.get('/centres/:id', {
    config: { roles: ['operator', 'admin', 'staff', 'counsellor'] },
    schema: { operationId: 'getCentre', summary: 'Read a centre', tags: ['Centres'], params: IdParams, response: { 200: S.Centre, ...problemResponses(404) } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const [row] = await app.db.select().from(centres).where(and(eq(centres.id, id), centreScope(request.actor)))
    if (!row) throw notFound('centre', id)
    return row
  })

  app.patch('/centres/:id', {
    config: { roles: ['admin'] },
    schema: { operationId: 'updateCentre', summary: 'Update a centre’s name or settings', tags: ['Centres'], params: IdParams, body: S.CentreUpdate, response: { 200: S.Centre, ...problemResponses(404, 413, 415) } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const body = request.body as { name?: string; settings?: Record<string, unknown> }
    return app.db.transaction(async (tx) => {
      const [row] = await tx.select().from(centres).where(and(eq(centres.id, id), inCentre(centres.id, request.actor))).for('update')
      if (!row) throw notFound('centre', id)
      const [updated] = await tx.update(centres)
        .set({ name: body.name ?? row.name, settings: withDefaults(body.settings, row.settings) })
        .where(eq(centres.id, id)).returning()
      await audit(tx, request.actor, { action: 'centre.updated', entityType: 'centre', entityId: id })
      return updated!
    })
  })

  // ── Sites, rooms, counsellors, courts ────────────────────────────────────────────────────
  registerReferenceResource(app, {
    path: 'sites', entityType: 'site', noun: 'site', tag: 'Sites', table: sites,
    item: S.Site, create: S.SiteCreate, update: S.SiteUpdate,
    readRoles: ['admin', 'staff', 'counsellor'], writeRoles: ['admin'],
    scope: (actor) => inCentre(sites.centreId, actor),
    async prepare(_db, actor, values, existing) {
      if (values.timeZone !== undefined && !IANAZone.isValidZone(values.timeZone as string)) {
        throw invalidField('/timeZone', `must be an IANA time zone such as Europe/Brussels, not "${values.timeZone as string}"`)
      }
      checkWeeklyHours('openingHours', values.openingHours as never)
      ;(values.closures as { from: string; to: string }[] | undefined)?.forEach((c, i) => {
        if (!DateTime.fromISO(c.from).isValid || !DateTime.fromISO(c.to).isValid) throw invalidField(`/closures/${i}`, 'has an impossible date')
        if (c.from > c.to) throw invalidField(`/closures/${i}`, `must end on or after it starts (${c.from}–${c.to})`)
      })
      return existing ? values : { ...values, centreId: actor.centreId }
    },
  })

  registerReferenceResource(app, {
    path: 'rooms', entityType: 'room', noun: 'room', tag: 'Rooms', table: rooms,
    item: S.Room, create: S.RoomCreate, update: S.RoomUpdate, listFilters: S.RoomFilters,
    readRoles: ['admin', 'staff', 'counsellor'], writeRoles: ['admin'],
    scope: (actor) => inCentre(rooms.centreId, actor),
    filter: (q) => [q.siteId ? eq(rooms.siteId, q.siteId as string) : undefined],
    async prepare(db, actor, values, existing) {
      if (existing) return values
      const [site] = await db.select({ id: sites.id, active: sites.active }).from(sites)
        .where(and(eq(sites.id, values.siteId as string), inCentre(sites.centreId, actor)))
      if (!site) throw notFound('site', values.siteId as string)
      if (!site.active) throw invalidField('/siteId', 'is a deactivated site')
      return { ...values, centreId: actor.centreId }
    },
  })

  registerReferenceResource(app, {
    path: 'counsellors', entityType: 'counsellor', noun: 'counsellor', tag: 'Counsellors', table: counsellors,
    item: S.Counsellor, create: S.CounsellorCreate, update: S.CounsellorUpdate,
    readRoles: ['admin', 'staff', 'counsellor'], writeRoles: ['admin'],
    scope: (actor) => inCentre(counsellors.centreId, actor),
    async prepare(_db, actor, values, existing) {
      checkWeeklyHours('workingHours', values.workingHours as never)
      return existing ? values : { ...values, centreId: actor.centreId }
    },
  })

  registerReferenceResource(app, {
    path: 'courts', entityType: 'court', noun: 'court', tag: 'Courts', table: courts,
    item: S.Court, create: S.CourtCreate, update: S.CourtUpdate,
    // Courts are a shared registry that the operator keeps: every centre refers families from them,
    // so no centre may rename or deactivate one for the others. A clerk sees their own court.
    readRoles: ['operator', 'admin', 'staff', 'counsellor', 'clerk', 'integration'], writeRoles: ['operator'],
    scope: (actor) => (actor.centreId || actor.role === 'operator' ? undefined : inCourt(courts.id, actor)),
    auditScope: (row) => ({ courtId: row.id }),
  })

  // ── Counsellor absences ──────────────────────────────────────────────────────────────────
  app.post('/counsellors/:id/absences', {
    config: { roles: ['admin', 'staff'] },
    schema: {
      operationId: 'createAbsence',
      summary: 'Record a counsellor’s absence (no visits are booked with them then)', tags: ['Counsellors'],
      params: IdParams, body: S.AbsenceCreate, response: { 201: S.Absence, ...problemResponses(404, 413, 415) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const body = request.body as { from: string; until: string; reason?: string }
    const startsAt = new Date(body.from)
    const endsAt = new Date(body.until)
    if (endsAt <= startsAt) throw invalidField('/until', 'must be after from')
    const absence = await app.db.transaction(async (tx) => {
      const counsellor = await counsellorInScope(tx, request.actor, id)
      const [row] = await tx.insert(counsellorAbsences).values({ centreId: counsellor.centreId, counsellorId: id, startsAt, endsAt, reason: body.reason ?? null }).returning()
      await audit(tx, request.actor, { action: 'counsellor_absence.created', entityType: 'counsellor_absence', entityId: row!.id })
      return row!
    })
    return reply.code(201).send(absenceView(absence))
  })

  app.get('/counsellors/:id/absences', {
    config: { roles: ['admin', 'staff', 'counsellor'] },
    schema: { operationId: 'listAbsences', summary: 'List a counsellor’s absences', tags: ['Counsellors'], params: IdParams, querystring: PageQuery, response: { 200: Page(S.Absence), ...problemResponses(404) } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const { limit, cursor } = request.query as PageQuery
    await counsellorInScope(app.db, request.actor, id)
    const rows = await app.db.select().from(counsellorAbsences)
      .where(and(eq(counsellorAbsences.counsellorId, id), afterCursor(counsellorAbsences.id, cursor)))
      .orderBy(asc(counsellorAbsences.id)).limit(limit + 1)
    const page = toPage(rows, limit)
    return { items: page.items.map(absenceView), nextCursor: page.nextCursor }
  })

  // ── Tokens ───────────────────────────────────────────────────────────────────────────────
  // An admin's: the tokens of its centre and those it issued. The operator's: the court-scoped tokens it issues.
  const tokensInScope = (actor: Actor): SQL =>
    actor.role === 'operator'
      ? and(isNotNull(apiTokens.courtId), isNull(apiTokens.issuedByCentreId))!
      : or(eq(apiTokens.centreId, actor.centreId!), eq(apiTokens.issuedByCentreId, actor.centreId!))!

  app.post('/tokens', {
    config: { roles: ['admin', 'operator'] },
    schema: {
      operationId: 'issueToken',
      summary: 'Issue an API token (the secret is returned once)', tags: ['Tokens'],
      description: 'An admin issues admin, staff, counsellor and integration tokens for its own centre; counsellor tokens need counsellorId (one of your counsellors). '
        + 'Court-scoped tokens (clerk, or integration with a courtId) read that court’s referrals in every centre: only the operator issues them. An operator token is never issued here (only by the CLI).',
      body: S.TokenCreate, response: { 201: S.TokenCreated, ...problemResponses(404, 413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { role: Actor['role']; label?: string; courtId?: string; counsellorId?: string }
    const actor = request.actor
    const byOperator = actor.role === 'operator'
    const courtScoped = body.role === 'clerk' || (body.role === 'integration' && (body.courtId !== undefined || byOperator))
    if (courtScoped && !byOperator) throw notAllowed(`A centre's admin may not issue a ${body.role} token for a court. ${OPERATOR_ONLY}`)
    if (!courtScoped && byOperator) throw notAllowed(`The operator issues court-scoped tokens only (clerk, or integration with a courtId); a ${body.role} token is issued by its centre's admin, or with the CLI.`)
    if (courtScoped && !body.courtId) throw invalidField('/courtId', `is required for a ${body.role} token of a court`)
    if (body.courtId && !courtScoped) throw invalidField('/courtId', `does not apply to a ${body.role} token`)
    if (body.role === 'counsellor' && !body.counsellorId) throw invalidField('/counsellorId', 'is required for a counsellor token')
    if (body.counsellorId && body.role !== 'counsellor') throw invalidField('/counsellorId', `does not apply to a ${body.role} token`)
    const created = await app.db.transaction(async (tx) => {
      if (body.courtId) {
        const [court] = await tx.select({ id: courts.id }).from(courts).where(eq(courts.id, body.courtId))
        if (!court) throw notFound('court', body.courtId)
      }
      if (body.counsellorId) await counsellorInScope(tx, actor, body.counsellorId)
      const { row, secret } = await createToken(tx, {
        role: body.role as never, label: body.label,
        centreId: courtScoped ? null : actor.centreId, courtId: courtScoped ? body.courtId! : null,
        counsellorId: body.counsellorId, issuedByCentreId: actor.centreId,
      })
      await audit(tx, request.actor, { action: 'token.created', entityType: 'token', entityId: row.id, courtId: row.courtId })
      return { ...row, token: secret }
    })
    return reply.code(201).send(created)
  })

  app.get('/tokens', {
    config: { roles: ['admin', 'operator'] },
    schema: { operationId: 'listTokens', summary: 'List the tokens your centre issued (the operator: the court-scoped tokens); never their secrets', tags: ['Tokens'], querystring: PageQuery, response: { 200: Page(S.Token), ...problemResponses() } },
  }, async (request) => {
    const { limit, cursor } = request.query as PageQuery
    const rows = await app.db.select().from(apiTokens)
      .where(and(tokensInScope(request.actor), afterCursor(apiTokens.id, cursor))).orderBy(asc(apiTokens.id)).limit(limit + 1)
    return toPage(rows, limit)
  })

  app.delete('/tokens/:id', {
    config: { roles: ['admin', 'operator'] },
    schema: { operationId: 'revokeToken', summary: 'Revoke a token (it stops working at once)', tags: ['Tokens'], params: IdParams, response: { 200: S.Token, ...problemResponses(404) } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    return app.db.transaction(async (tx) => {
      const [row] = await tx.update(apiTokens).set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), tokensInScope(request.actor), isNull(apiTokens.revokedAt))).returning()
      if (row) {
        await audit(tx, request.actor, { action: 'token.revoked', entityType: 'token', entityId: id })
        return row
      }
      // Revoking twice is harmless: answer with the token as it is.
      const [existing] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, id), tokensInScope(request.actor)))
      if (!existing) throw notFound('token', id)
      return existing
    })
  })

  // ── Audit ────────────────────────────────────────────────────────────────────────────────
  app.get('/audit', {
    config: { roles: ['admin'] },
    schema: {
      operationId: 'listAuditEvents',
      summary: 'Audit trail of your centre’s changes, newest first', tags: ['Audit'],
      querystring: Type.Object({ ...PageQuery.properties, ...S.AuditQuery.properties }),
      response: { 200: Page(S.AuditEvent), ...problemResponses() },
    },
  }, async (request) => {
    const q = request.query as PageQuery & { entityType?: string; entityId?: string }
    const rows = await app.db.select().from(auditEvents).where(and(
      eq(auditEvents.centreId, request.actor.centreId!),
      q.entityType ? eq(auditEvents.entityType, q.entityType) : undefined,
      q.entityId ? eq(auditEvents.entityId, q.entityId) : undefined,
      afterCursor(auditEvents.id, q.cursor, 'desc'),
    )).orderBy(desc(auditEvents.id)).limit(q.limit + 1)
    return toPage(rows, q.limit)
  })
}
