import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type TSchema } from '@sinclair/typebox'
import { and, asc, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { cases, centres, counsellors, courts, parties, referrals, sites, type PartyContact, type PartyRole, type RequestedModalities } from '../../db/schema.js'
import { referralTransition, type ReferralAction } from '../../domain/referral-lifecycle.js'
import { audit } from '../../http/audit.js'
import type { Role } from '../../http/auth.js'
import { IdempotencyHeaders, REPLAYED_HEADER, runIdempotent } from '../../http/idempotency.js'
import { afterCursor, Page, PageQuery, toPage } from '../../http/pagination.js'
import { badRequest, notFound, problemResponses, unprocessable } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { inCentre } from '../../http/scope.js'
import { invalidTransition, referralScope } from '../cases/access.js'
import { localDate } from '../cases/transitions.js'
import { addEvent, renderCase } from '../cases/views.js'
import { requireReason } from '../reason-codes/queries.js'
import { seesReferrerView, sendView } from '../referrer-view/view.js'
import * as S from './schemas.js'
import { referralIssues, throwIfInvalid } from './validation.js'
import { renderReferrals, type ReferralRow } from './views.js'

interface ReferralBody {
  centreId: string
  source: ReferralRow['source']
  legalFramework: ReferralRow['legalFramework']
  courtId?: string
  courtReference?: string
  decisionDate?: string
  hearingDate?: string
  requested?: RequestedModalities
  reason: string
  parties: { role: PartyRole; givenName?: string; familyName: string; birthDate?: string; language: string; contact?: PartyContact; confidentialAddress?: boolean }[]
}

const ReferralViews = { full: S.Referral, referrer: S.ReferrerReferral }
const ReferralPageViews = { full: Page(S.Referral), referrer: Page(S.ReferrerReferral) }
const READ_ROLES = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
const CENTRE_WRITE_ROLES = ['admin', 'staff'] as const
const REFERRER_VIEW_NOTE = 'Centre roles get the full referral; clerk and integration tokens get the referrer’s view: no contact details or addresses.'
const BELGIAN_TIME_ZONE = 'Europe/Brussels'

/** A body field naming a record that does not exist or may not be used: 422 on that field. */
const unusable = (slug: string, pointer: string, detail: string) =>
  unprocessable(slug, `${pointer.slice(1)} ${detail}.`, { errors: [{ in: 'body', pointer, detail }] })

const emptyBodyAllowed = async (request: FastifyRequest) => { request.body ??= {} }

async function lockReferral(tx: Tx, request: FastifyRequest, action: ReferralAction) {
  const { id } = request.params as { id: string }
  const [row] = await tx.select().from(referrals).where(and(eq(referrals.id, id), referralScope(request.actor))).for('update')
  if (!row) throw notFound('referral', id)
  const result = referralTransition(row.status, action)
  if (!result.ok) throw invalidTransition(result)
  return { row, next: result.next }
}

const recordAudit = (tx: Tx, request: FastifyRequest, row: ReferralRow, action: string) =>
  audit(tx, request, { action: `referral.${action}`, entityType: 'referral', entityId: row.id, centreId: row.centreId, courtId: row.courtId })

export async function referralRoutes(app: FastifyInstance) {
  app.post('/referrals', {
    config: { roles: ['admin', 'staff', 'clerk'] },
    // The schema's findings and the referral's own checks are reported together (validation.ts).
    attachValidation: true,
    schema: {
      operationId: 'submitReferral',
      summary: 'Submit a referral', tags: ['Referrals'],
      description: 'By a clerk (for their own court; source court) or by centre staff (any source, for their own centre). '
        + 'Requested modalities are advisory. Every defect is listed in one 400 problem. Send an Idempotency-Key to make retries safe. '
        + REFERRER_VIEW_NOTE,
      headers: IdempotencyHeaders, body: S.ReferralCreate,
      response: { 201: Type.Union([S.Referral, S.ReferrerReferral]), ...problemResponses(413, 415, 422) },
    },
  }, async (request, reply) => {
    const actor = request.actor
    const byClerk = actor.role === 'clerk'
    throwIfInvalid(request, referralIssues(request.body, { today: localDate(new Date(), BELGIAN_TIME_ZONE), byClerk }))
    const body = request.body as ReferralBody
    const result = await runIdempotent(app, request, async (tx) => {
      if (actor.centreId && body.centreId !== actor.centreId) throw unusable('centre-not-yours', '/centreId', 'must be your own centre: centre staff register referrals for their own centre')
      const [centre] = await tx.select({ id: centres.id, active: centres.active }).from(centres).where(eq(centres.id, body.centreId))
      if (!centre || !centre.active) throw unusable('unknown-centre', '/centreId', `names no centre that takes referrals (${body.centreId}); check the id`)
      let courtId = body.courtId ?? null
      if (byClerk) {
        if (courtId && courtId !== actor.courtId) throw unusable('court-not-yours', '/courtId', 'must be your own court (or left out): a clerk refers for their own court')
        courtId = actor.courtId
      } else if (courtId) {
        const [court] = await tx.select({ id: courts.id }).from(courts).where(eq(courts.id, courtId))
        if (!court) throw unusable('unknown-court', '/courtId', `names no known court (${courtId})`)
      }
      const [row] = await tx.insert(referrals).values({
        centreId: body.centreId, source: byClerk ? 'court' : body.source, legalFramework: body.legalFramework, courtId,
        courtReference: body.courtReference ?? null, decisionDate: body.decisionDate ?? null, hearingDate: body.hearingDate ?? null,
        requested: body.requested ?? {}, reason: body.reason, submittedAt: new Date(), submittedByTokenId: actor.tokenId,
      }).returning()
      await tx.insert(parties).values(body.parties.map((p) => ({
        centreId: body.centreId, referralId: row!.id, role: p.role, givenName: p.givenName ?? null, familyName: p.familyName,
        birthDate: p.birthDate ?? null, language: p.language, contact: p.contact ?? {}, confidentialAddress: p.confidentialAddress ?? false,
      })))
      await recordAudit(tx, request, row!, 'submitted')
      const [view] = await renderReferrals(tx, [row!], seesReferrerView(actor))
      return { status: 201, body: view }
    })
    if (result.replayed) reply.header(REPLAYED_HEADER, 'true')
    return sendView(reply, seesReferrerView(actor), ReferralViews, result.body, result.status)
  })

  app.get('/referrals', {
    config: { roles: READ_ROLES },
    schema: {
      operationId: 'listReferrals',
      summary: 'List referrals; ?status=waitlisted is the waiting list', tags: ['Referrals'],
      description: `In submission order. Waitlisted referrals carry their place on the centre’s waiting list and the days waiting. ${REFERRER_VIEW_NOTE}`,
      querystring: Type.Object({ ...PageQuery.properties, ...S.ReferralQuery.properties }),
      response: { 200: Type.Union([ReferralPageViews.full, ReferralPageViews.referrer]), ...problemResponses() },
    },
  }, async (request, reply) => {
    const q = request.query as PageQuery & { status?: ReferralRow['status'] }
    const rows = await app.db.select().from(referrals).where(and(
      referralScope(request.actor),
      q.status ? eq(referrals.status, q.status) : undefined,
      afterCursor(referrals.id, q.cursor),
    )).orderBy(asc(referrals.id)).limit(q.limit + 1)
    const page = toPage(rows, q.limit)
    const items = await renderReferrals(app.db, page.items, seesReferrerView(request.actor))
    return sendView(reply, seesReferrerView(request.actor), ReferralPageViews, { items, nextCursor: page.nextCursor })
  })

  app.get('/referrals/:id', {
    config: { roles: READ_ROLES },
    schema: {
      operationId: 'getReferral',
      summary: 'Read a referral, its decision and the resulting case’s status', tags: ['Referrals'], description: REFERRER_VIEW_NOTE,
      params: IdParams, response: { 200: Type.Union([S.Referral, S.ReferrerReferral]), ...problemResponses(404) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const [row] = await app.db.select().from(referrals).where(and(eq(referrals.id, id), referralScope(request.actor)))
    if (!row) throw notFound('referral', id)
    const [view] = await renderReferrals(app.db, [row], seesReferrerView(request.actor))
    return sendView(reply, seesReferrerView(request.actor), ReferralViews, view)
  })

  // ── Decisions ────────────────────────────────────────────────────────────────────────────
  const decision = <B>(action: ReferralAction, options: {
    roles: readonly Role[]; summary: string; description: string; body: TSchema; emptyBody?: boolean
    check?: (body: B) => void
    apply: (tx: Tx, request: FastifyRequest, row: ReferralRow, next: ReferralRow['status'], body: B) => Promise<Partial<typeof referrals.$inferInsert>>
  }) => {
    app.post(`/referrals/:id/${action}`, {
      config: { roles: options.roles },
      ...(options.emptyBody ? { preValidation: emptyBodyAllowed } : {}),
      schema: {
        operationId: `${action}Referral`,
        summary: options.summary, description: options.description, tags: ['Referrals'], params: IdParams, body: options.body,
        response: { 200: options.roles.includes('clerk') ? Type.Union([S.Referral, S.ReferrerReferral]) : S.Referral, ...problemResponses(404, 409, 413, 415) },
      },
    }, async (request, reply) => {
      const body = request.body as B
      options.check?.(body)
      const view = await app.db.transaction(async (tx) => {
        const { row, next } = await lockReferral(tx, request, action)
        const values = await options.apply(tx, request, row, next, body)
        const [updated] = await tx.update(referrals).set({ status: next, ...values }).where(eq(referrals.id, row.id)).returning()
        await recordAudit(tx, request, updated!, next)
        return (await renderReferrals(tx, [updated!], seesReferrerView(request.actor)))[0]
      })
      return sendView(reply, seesReferrerView(request.actor), ReferralViews, view)
    })
  }

  decision<{ explanation?: string }>('waitlist', {
    roles: CENTRE_WRITE_ROLES, emptyBody: true, body: S.WaitlistBody,
    summary: 'Put the referral on the centre’s waiting list', description: 'From submitted; the family keeps its place in submission order.',
    apply: async (_tx, _request, _row, _next, body) => ({ waitlistedAt: new Date(), statusExplanation: body.explanation ?? null }),
  })

  decision<{ reasonCode: string; explanation: string }>('refuse', {
    roles: CENTRE_WRITE_ROLES, body: S.RefuseBody,
    summary: 'Refuse the referral (with a refusal reason)', description: 'The referrer sees the reason code, its label and the explanation.',
    apply: async (tx, _request, row, _next, body) => {
      await requireReason(tx, row.centreId, ['refusal'], body.reasonCode)
      return { statusReasonCode: body.reasonCode, statusExplanation: body.explanation, decidedAt: new Date() }
    },
  })

  decision<{ reasonCode: string; explanation: string; missingItems?: string[] }>('return', {
    roles: CENTRE_WRITE_ROLES, body: S.ReturnBody,
    summary: 'Return the referral to the referrer (with a return reason and what is missing)', description: 'The referrer completes it and submits again.',
    check: (body) => {
      if (body.reasonCode === 'incomplete_referral' && !body.missingItems?.length) {
        throw badRequest('The request body is invalid: /missingItems must list what is missing when the reason is incomplete_referral.',
          { errors: [{ in: 'body', pointer: '/missingItems', detail: 'must list what is missing when the reason is incomplete_referral' }] })
      }
    },
    apply: async (tx, _request, row, _next, body) => {
      await requireReason(tx, row.centreId, ['return'], body.reasonCode)
      return { statusReasonCode: body.reasonCode, statusExplanation: body.explanation, missingItems: body.missingItems ?? [], decidedAt: new Date() }
    },
  })

  decision<{ explanation?: string }>('withdraw', {
    roles: ['admin', 'staff', 'clerk'], emptyBody: true, body: S.WithdrawBody,
    summary: 'Withdraw the referral (the referring court’s clerk, or the centre)', description: 'Before a decision; a case that has started is ended instead.',
    apply: async (_tx, _request, _row, _next, body) => ({ statusExplanation: body.explanation ?? null, decidedAt: new Date() }),
  })

  app.post('/referrals/:id/accept', {
    config: { roles: CENTRE_WRITE_ROLES },
    schema: {
      operationId: 'acceptReferral',
      summary: 'Accept the referral: opens the case in intake', tags: ['Referrals'],
      description: 'Creates the case (status intake) with the referral’s parties and a lead counsellor; court-ordered cases are fee-exempt.',
      params: IdParams, body: S.AcceptBody, response: { 201: S.Accepted, ...problemResponses(404, 409, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const body = request.body as { leadCounsellorId: string; siteId?: string }
    const accepted = await app.db.transaction(async (tx) => {
      const { row } = await lockReferral(tx, request, 'accept')
      const [counsellor] = await tx.select({ id: counsellors.id, active: counsellors.active }).from(counsellors)
        .where(and(eq(counsellors.id, body.leadCounsellorId), inCentre(counsellors.centreId, request.actor)))
      if (!counsellor) throw notFound('counsellor', body.leadCounsellorId)
      if (!counsellor.active) throw unusable('counsellor-inactive', '/leadCounsellorId', 'is a deactivated counsellor')
      if (body.siteId) {
        const [site] = await tx.select({ id: sites.id, active: sites.active }).from(sites)
          .where(and(eq(sites.id, body.siteId), inCentre(sites.centreId, request.actor)))
        if (!site) throw notFound('site', body.siteId)
        if (!site.active) throw unusable('site-inactive', '/siteId', 'is a deactivated site')
      }
      const [caseRow] = await tx.insert(cases).values({
        centreId: row.centreId, referralId: row.id, courtId: row.courtId, siteId: body.siteId ?? null,
        feeExempt: row.legalFramework === 'court_ordered', leadCounsellorId: body.leadCounsellorId,
      }).returning()
      await tx.update(parties).set({ caseId: caseRow!.id }).where(eq(parties.referralId, row.id))
      const [updated] = await tx.update(referrals).set({ status: 'accepted', decidedAt: new Date(), caseId: caseRow!.id }).where(eq(referrals.id, row.id)).returning()
      await addEvent(tx, request, caseRow!.id, { type: 'created', data: { referralId: row.id, leadCounsellorId: body.leadCounsellorId } })
      await recordAudit(tx, request, updated!, 'accepted')
      await audit(tx, request, { action: 'case.created', entityType: 'case', entityId: caseRow!.id, centreId: row.centreId, courtId: row.courtId })
      const [referral] = await renderReferrals(tx, [updated!], false)
      return { caseId: caseRow!.id, referral, case: await renderCase(tx, caseRow!, false) }
    })
    return reply.code(201).send(accepted)
  })
}
