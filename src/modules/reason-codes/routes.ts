import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { and, asc, eq, isNull, or } from 'drizzle-orm'
import { reasonCodes, type ReasonCategory } from '../../db/schema.js'
import { audit } from '../../http/audit.js'
import { ROLES } from '../../http/auth.js'
import { afterCursor, Page, PageQuery, toPage } from '../../http/pagination.js'
import { conflict, problemResponses } from '../../http/problem.js'
import { usableBy } from './queries.js'
import * as S from './schemas.js'

const view = (r: typeof reasonCodes.$inferSelect) => ({
  id: r.id, category: r.category, code: r.code, centreId: r.centreId,
  label: { nl: r.labelNl, fr: r.labelFr, en: r.labelEn }, active: r.active, createdAt: r.createdAt,
})

export async function reasonCodeRoutes(app: FastifyInstance) {
  app.get('/reason-codes', {
    config: { roles: ROLES },
    schema: {
      operationId: 'listReasonCodes',
      summary: 'List the coded reasons you can use or will see (shared catalogue and your centre’s own)', tags: ['Reason codes'],
      description: 'Categories: refusal and return (of a referral), suspension, ending and extension (of a case), cancellation (of a visit). Every reason is given with a free-text explanation.',
      querystring: Type.Object({ ...PageQuery.properties, ...S.ReasonCodeQuery.properties }),
      response: { 200: Page(S.ReasonCode), ...problemResponses() },
    },
  }, async (request) => {
    const q = request.query as PageQuery & { category?: ReasonCategory }
    const rows = await app.db.select().from(reasonCodes).where(and(
      usableBy(request.actor.centreId), eq(reasonCodes.active, true),
      q.category ? eq(reasonCodes.category, q.category) : undefined,
      afterCursor(reasonCodes.id, q.cursor),
    )).orderBy(asc(reasonCodes.id)).limit(q.limit + 1)
    const page = toPage(rows, q.limit)
    return { items: page.items.map(view), nextCursor: page.nextCursor }
  })

  app.post('/reason-codes', {
    config: { roles: ['admin'] },
    schema: {
      operationId: 'createReasonCode',
      summary: 'Add a reason code of your centre’s own', tags: ['Reason codes'],
      description: 'The code must not exist yet in its category, neither in the shared catalogue nor among your own.',
      body: S.ReasonCodeCreate, response: { 201: S.ReasonCode, ...problemResponses(409, 413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { category: ReasonCategory; code: string; label: { nl: string; fr: string; en: string } }
    const centreId = request.actor.centreId!
    const created = await app.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: reasonCodes.id }).from(reasonCodes).where(and(
        eq(reasonCodes.category, body.category), eq(reasonCodes.code, body.code),
        or(isNull(reasonCodes.centreId), eq(reasonCodes.centreId, centreId)),
      ))
      if (existing) throw conflict('reason-code-exists', `The ${body.category} code "${body.code}" already exists; choose another code.`)
      const [row] = await tx.insert(reasonCodes).values({
        category: body.category, code: body.code, centreId,
        labelNl: body.label.nl, labelFr: body.label.fr, labelEn: body.label.en,
      }).returning()
      await audit(tx, request, { action: 'reason_code.created', entityType: 'reason_code', entityId: row!.id })
      return row!
    })
    return reply.code(201).send(view(created))
  })
}
