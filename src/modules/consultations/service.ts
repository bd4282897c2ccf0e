import { and, desc, eq, type SQL } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { audit } from '../../db/audit.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { consultations } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import type { PageQuery } from '../../http/pagination.js'
import { findCase, requirePast } from '../cases/index.js'
import type { ConsultationCreate } from './schemas.js'

/**
 * Consultations with other services about a case, and referrals of the family on to them. Internal:
 * the audit trail names what happened, never what was written, and no court route reads them.
 */

type ConsultationRow = typeof consultations.$inferSelect

const view = (row: ConsultationRow) => ({
  id: row.id,
  caseId: row.caseId,
  with: { kind: row.withKind, name: row.withName },
  purpose: row.purpose,
  at: row.at,
  note: row.note,
  recordedByTokenId: row.recordedByTokenId,
  createdAt: row.createdAt,
})

/** Records a consultation on a case in the actor's scope, whatever the case's status (a referral on may follow its end). */
export async function recordConsultation(tx: Tx, actor: Actor, now: Date, caseId: string, input: ConsultationCreate) {
  const at = requirePast(input.at, '/at', now)
  const caseRow = await findCase(tx, actor, caseId)
  const [created] = await tx
    .insert(consultations)
    .values({
      centreId: caseRow.centreId,
      caseId: caseRow.id,
      withKind: input.with.kind,
      withName: input.with.name,
      purpose: input.purpose,
      at,
      note: input.note ?? null,
      recordedByTokenId: actor.tokenId,
      createdAt: now,
    })
    .returning()
  await audit(tx, actor, { action: 'consultation.recorded', entityType: 'consultation', entityId: created!.id, centreId: caseRow.centreId })
  return view(created!)
}

function consultationsOf(db: Queryable, caseId: string, after: SQL | undefined, limit: number) {
  return db
    .select()
    .from(consultations)
    .where(and(eq(consultations.caseId, caseId), after))
    .orderBy(desc(consultations.id))
    .limit(limit + 1)
}

/** A case's consultations, newest first. */
export async function listConsultations(db: Queryable, actor: Actor, caseId: string, query: PageQuery) {
  const caseRow = await findCase(db, actor, caseId)
  const page = toPage(await consultationsOf(db, caseRow.id, afterCursor(consultations.id, query.cursor, 'desc'), query.limit), query.limit)
  return { items: page.items.map(view), nextCursor: page.nextCursor }
}
