import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type TSchema } from '@sinclair/typebox'
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { caseEvents, cases, counsellors, intakes } from '../../db/schema.js'
import { audit } from '../../http/audit.js'
import { afterCursor, Page, PageQuery, toPage } from '../../http/pagination.js'
import { invalidInput, notFound, problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { inCentre } from '../../http/scope.js'
import { seesReferrerView, sendView } from '../referrer-view/view.js'
import { caseScope, findCase, lockCase, lockCaseForRecording, requireAdultParty, type CaseRow } from './access.js'
import { loadReadiness } from './readiness.js'
import * as S from './schemas.js'
import { activateCase, endCase, extendCase, resumeCase, suspendCase, type EndBody, type SuspendBody } from './transitions.js'
import { addEvent, caseSummaries, renderCase, renderEvents } from './views.js'

const READ_ROLES = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
const WRITE_ROLES = ['admin', 'staff'] as const

const CaseViews = { full: S.Case, referrer: S.ReferrerCase }
const CasePageViews = { full: Page(S.CaseSummary), referrer: Page(S.ReferrerCaseSummary) }
const EventPageViews = { full: Page(S.CaseEvent), referrer: Page(S.ReferrerCaseEvent) }
const REFERRER_VIEW_NOTE = 'Centre roles get the full record; clerk and integration tokens get the referrer’s view (statuses, dates and reasons only).'

/** An empty body may be left out entirely. */
const emptyBodyAllowed = async (request: FastifyRequest) => { request.body ??= {} }

/** An instant in the past (a minute of clock difference is tolerated). */
export function requirePast(value: string, pointer: string): Date {
  const instant = new Date(value)
  if (instant.getTime() > Date.now() + 60_000) {
    throw invalidInput('body', pointer, 'must not be in the future')
  }
  return instant
}

export async function caseRoutes(app: FastifyInstance) {
  app.get('/cases', {
    config: { roles: READ_ROLES },
    schema: {
      operationId: 'listCases',
      summary: 'List cases (filter by status, lead counsellor, site)', tags: ['Cases'], description: REFERRER_VIEW_NOTE,
      querystring: Type.Object({ ...PageQuery.properties, ...S.CaseQuery.properties }),
      response: { 200: Type.Union([CasePageViews.full, CasePageViews.referrer]), ...problemResponses() },
    },
  }, async (request, reply) => {
    const q = request.query as PageQuery & { status?: CaseRow['status']; counsellorId?: string; siteId?: string }
    const rows = await app.db.select().from(cases).where(and(
      caseScope(request.actor),
      q.status ? eq(cases.status, q.status) : undefined,
      q.counsellorId ? eq(cases.leadCounsellorId, q.counsellorId) : undefined,
      q.siteId ? eq(cases.siteId, q.siteId) : undefined,
      afterCursor(cases.id, q.cursor),
    )).orderBy(asc(cases.id)).limit(q.limit + 1)
    const page = toPage(rows, q.limit)
    const items = await caseSummaries(app.db, page.items, seesReferrerView(request.actor))
    return sendView(reply, seesReferrerView(request.actor), CasePageViews, { items, nextCursor: page.nextCursor })
  })

  app.get('/cases/:id', {
    config: { roles: READ_ROLES },
    schema: {
      operationId: 'getCase',
      summary: 'Read a case: parties, status, dates, planned end, agreement, readiness', tags: ['Cases'], description: REFERRER_VIEW_NOTE,
      params: IdParams, response: { 200: Type.Union([S.Case, S.ReferrerCase]), ...problemResponses(404) },
    },
  }, async (request, reply) => {
    const row = await findCase(app.db, request.actor, (request.params as { id: string }).id)
    return sendView(reply, seesReferrerView(request.actor), CaseViews, await renderCase(app.db, row, seesReferrerView(request.actor)))
  })

  app.get('/cases/:id/readiness', {
    config: { roles: ['admin', 'staff', 'counsellor'] },
    schema: {
      operationId: 'getCaseReadiness',
      summary: 'What is missing before contact: intakes, signatures of the documents in force, the signed agreement', tags: ['Cases'],
      params: IdParams, response: { 200: S.Readiness, ...problemResponses(404) },
    },
  }, async (request) => {
    const row = await findCase(app.db, request.actor, (request.params as { id: string }).id)
    return loadReadiness(app.db, row)
  })

  app.get('/cases/:id/events', {
    config: { roles: READ_ROLES },
    schema: {
      operationId: 'listCaseEvents',
      summary: 'The case’s history: every transition with actor, time, reason and explanation', tags: ['Cases'],
      description: `Oldest first. ${REFERRER_VIEW_NOTE} Referrers see the transitions (created, activated, extended, suspended, resumed, ended).`,
      params: IdParams, querystring: PageQuery,
      response: { 200: Type.Union([EventPageViews.full, EventPageViews.referrer]), ...problemResponses(404) },
    },
  }, async (request, reply) => {
    const { limit, cursor } = request.query as PageQuery
    const row = await findCase(app.db, request.actor, (request.params as { id: string }).id)
    const referrerView = seesReferrerView(request.actor)
    const rows = await app.db.select().from(caseEvents).where(and(
      eq(caseEvents.caseId, row.id),
      referrerView ? inArray(caseEvents.type, [...S.REFERRER_EVENT_TYPES]) : undefined,
      afterCursor(caseEvents.id, cursor),
    )).orderBy(asc(caseEvents.id)).limit(limit + 1)
    const page = toPage(rows, limit)
    const items = await renderEvents(app.db, row.centreId, page.items, referrerView)
    return sendView(reply, seesReferrerView(request.actor), EventPageViews, { items, nextCursor: page.nextCursor })
  })

  app.post('/cases/:id/intakes', {
    config: { roles: WRITE_ROLES },
    schema: {
      operationId: 'createIntake',
      summary: 'Record an intake held with one adult party', tags: ['Cases'],
      description: 'Each adult party has their own intake; the summary is internal and never shown to referrers.',
      params: IdParams, body: S.IntakeCreate, response: { 201: S.Intake, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { partyId: string; heldAt: string; counsellorId: string; summary?: string }
    const heldAt = requirePast(body.heldAt, '/heldAt')
    const intake = await app.db.transaction(async (tx) => {
      const row = await lockCaseForRecording(tx, request.actor, (request.params as { id: string }).id)
      await requireAdultParty(tx, row, body.partyId)
      const [counsellor] = await tx.select({ id: counsellors.id }).from(counsellors)
        .where(and(eq(counsellors.id, body.counsellorId), inCentre(counsellors.centreId, request.actor)))
      if (!counsellor) throw notFound('counsellor', body.counsellorId)
      const [created] = await tx.insert(intakes).values({
        caseId: row.id, partyId: body.partyId, heldAt, counsellorId: body.counsellorId, summary: body.summary ?? null,
      }).returning()
      await addEvent(tx, request, row.id, { type: 'intake_recorded', data: { intakeId: created!.id, partyId: body.partyId, heldAt: heldAt.toISOString() } })
      await audit(tx, request, { action: 'intake.recorded', entityType: 'intake', entityId: created!.id, centreId: row.centreId })
      return created!
    })
    return reply.code(201).send(intake)
  })

  // ── Transitions: each locks the case row, changes it and renders it in one transaction ─────
  const transition = <B>(path: string, summary: string, description: string, body: TSchema,
    change: (tx: Tx, request: FastifyRequest, row: CaseRow, body: B) => Promise<unknown>, options: { emptyBody?: boolean } = {}) => {
    app.post(`/cases/:id/${path}`, {
      config: { roles: WRITE_ROLES },
      ...(options.emptyBody ? { preValidation: emptyBodyAllowed } : {}),
      schema: {
        operationId: `${path}Case`,
        summary, description, tags: ['Cases'], params: IdParams, body,
        response: { 200: S.Case, ...problemResponses(404, 409, 413, 415) },
      },
    }, async (request) => app.db.transaction(async (tx) => {
      const row = await lockCase(tx, request.actor, (request.params as { id: string }).id)
      await change(tx, request, row, request.body as B)
      const [updated] = await tx.select().from(cases).where(eq(cases.id, row.id))
      return renderCase(tx, updated!, false)
    }))
  }

  transition('activate', 'Activate the case (intake → active)',
    'Needs every adult party’s intake, their signatures of the documents in force and of the current agreement; otherwise 409 with `missing[]`. Sets plannedEndDate to today plus the centre’s planned duration (default 6 months).',
    S.ActivateBody, (tx, request, row) => activateCase(tx, request, row), { emptyBody: true })
  transition('extend', 'Extend the planned end', 'A later plannedEndDate with an explanation, optionally a coded extension reason.',
    S.ExtendBody, (tx, request, row, body: { plannedEndDate: string; explanation: string; reasonCode?: string }) => extendCase(tx, request, row, body))
  transition('suspend', 'Suspend the case (active → suspended)',
    'With a suspension reason and explanation, from a date and optionally until a date (exclusive). Visits in the period are cancelled and none are booked there.',
    S.SuspendBody, (tx, request, row, body: SuspendBody) => suspendCase(tx, request, row, body))
  transition('resume', 'Resume a suspended case (suspended → active)', 'The open suspension ends today.',
    S.ResumeBody, (tx, request, row, body: { explanation: string }) => resumeCase(tx, request, row, body))
  transition('end', 'End the case', 'With an ending reason (from intake also a refusal reason: refusal after intake), an explanation and the effective date.',
    S.EndBody, (tx, request, row, body: EndBody) => endCase(tx, request, row, body))
}
