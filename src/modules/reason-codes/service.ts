import { and, asc, eq, isNull, or } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { reasonCodes } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict } from '../../domain/errors.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { audit } from '../../db/audit.js'
import { usableBy } from './queries.js'
import type { ReasonCodeCreate, ReasonCodeQuery } from './schemas.js'

/** The reason-code catalogue: the shared codes every centre uses, and a centre's own additions. */

const view = (r: typeof reasonCodes.$inferSelect) => ({
  id: r.id,
  category: r.category,
  code: r.code,
  centreId: r.centreId,
  label: { nl: r.labelNl, fr: r.labelFr, en: r.labelEn },
  active: r.active,
  createdAt: r.createdAt,
})

/** The codes the actor may use or will see: the shared catalogue and their centre's own. */
export async function listReasonCodes(db: Queryable, actor: Actor, query: ReasonCodeQuery) {
  const rows = await db
    .select()
    .from(reasonCodes)
    .where(
      and(
        usableBy(actor.centreId),
        eq(reasonCodes.active, true),
        query.category ? eq(reasonCodes.category, query.category) : undefined,
        afterCursor(reasonCodes.id, query.cursor),
      ),
    )
    .orderBy(asc(reasonCodes.id))
    .limit(query.limit + 1)
  const page = toPage(rows, query.limit)
  return { items: page.items.map(view), nextCursor: page.nextCursor }
}

/** A centre's own code; one that exists in its category (shared or the centre's) is a conflict. */
export async function createReasonCode(tx: Tx, actor: Actor, _now: Date, input: ReasonCodeCreate) {
  const centreId = actor.centreId!
  const [existing] = await tx
    .select({ id: reasonCodes.id })
    .from(reasonCodes)
    .where(
      and(eq(reasonCodes.category, input.category), eq(reasonCodes.code, input.code), or(isNull(reasonCodes.centreId), eq(reasonCodes.centreId, centreId))),
    )
  if (existing) throw conflict('reason-code-exists', `The ${input.category} code "${input.code}" already exists; choose another code.`)
  const [row] = await tx
    .insert(reasonCodes)
    .values({
      category: input.category,
      code: input.code,
      centreId,
      labelNl: input.label.nl,
      labelFr: input.label.fr,
      labelEn: input.label.en,
    })
    .returning()
  await audit(tx, actor, { action: 'reason_code.created', entityType: 'reason_code', entityId: row!.id })
  return view(row!)
}
