import { and, asc, eq } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { centres, counsellorAbsences } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { withDefaults } from '../../domain/centre-settings.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import type { PageQuery } from '../../http/pagination.js'
import { inCentre } from '../../db/scope.js'
import { audit } from '../../db/audit.js'
import { issue } from '../tokens/index.js'
import { counsellorResource } from './reference-data.js'
import { findRecord } from './resource.js'
import type { AbsenceCreate, CentreCreate, CentreUpdate } from './schemas.js'

/** Centres (set up by the operator, kept by their admin) and counsellors' absences. */

/** The operator sees every centre (names and settings, never families' records); anyone else their own. */
const centreScope = (actor: Actor) => (actor.role === 'operator' ? undefined : inCentre(centres.id, actor))

/** A new centre with its default settings and its first admin token, whose secret is returned once. */
export async function createCentre(tx: Tx, actor: Actor, _now: Date, input: CentreCreate) {
  const [centre] = await tx
    .insert(centres)
    .values({ name: input.name, settings: withDefaults(input.settings) })
    .returning()
  await audit(tx, actor, { action: 'centre.created', entityType: 'centre', entityId: centre!.id, centreId: centre!.id })
  const { row, secret } = await issue(tx, actor, { role: 'admin', centreId: centre!.id, label: 'initial admin' })
  return { ...centre!, adminToken: { id: row.id, token: secret } }
}

export async function listCentres(db: Queryable, actor: Actor, query: PageQuery) {
  const rows = await db
    .select()
    .from(centres)
    .where(and(centreScope(actor), afterCursor(centres.id, query.cursor)))
    .orderBy(asc(centres.id))
    .limit(query.limit + 1)
  return toPage(rows, query.limit)
}

export async function getCentre(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(centres)
    .where(and(eq(centres.id, id), centreScope(actor)))
  if (!row) throw notFound('centre', id)
  return row
}

/** A centre's admin renames it or changes settings; settings not given keep their value. */
export async function updateCentre(tx: Tx, actor: Actor, _now: Date, id: string, input: CentreUpdate) {
  const [row] = await tx
    .select()
    .from(centres)
    .where(and(eq(centres.id, id), inCentre(centres.id, actor)))
    .for('update')
  if (!row) throw notFound('centre', id)
  const [updated] = await tx
    .update(centres)
    .set({ name: input.name ?? row.name, settings: withDefaults(input.settings, row.settings) })
    .where(eq(centres.id, id))
    .returning()
  await audit(tx, actor, { action: 'centre.updated', entityType: 'centre', entityId: id })
  return updated!
}

const absenceView = (a: typeof counsellorAbsences.$inferSelect) => ({
  id: a.id,
  counsellorId: a.counsellorId,
  from: a.startsAt,
  until: a.endsAt,
  reason: a.reason,
  createdAt: a.createdAt,
})

/** An absence of one of the centre's counsellors: no visits are booked with them then. */
export async function createAbsence(tx: Tx, actor: Actor, _now: Date, counsellorId: string, input: AbsenceCreate) {
  const startsAt = new Date(input.from)
  const endsAt = new Date(input.until)
  if (endsAt <= startsAt) throw invalidInput('body', '/until', 'must be after from')
  const counsellor = await findRecord(tx, actor, counsellorResource, counsellorId)
  const [row] = await tx
    .insert(counsellorAbsences)
    .values({ centreId: counsellor.centreId, counsellorId, startsAt, endsAt, reason: input.reason ?? null })
    .returning()
  await audit(tx, actor, { action: 'counsellor_absence.created', entityType: 'counsellor_absence', entityId: row!.id })
  return absenceView(row!)
}

export async function listAbsences(db: Queryable, actor: Actor, counsellorId: string, query: PageQuery) {
  await findRecord(db, actor, counsellorResource, counsellorId)
  const rows = await db
    .select()
    .from(counsellorAbsences)
    .where(and(eq(counsellorAbsences.counsellorId, counsellorId), afterCursor(counsellorAbsences.id, query.cursor)))
    .orderBy(asc(counsellorAbsences.id))
    .limit(query.limit + 1)
  const page = toPage(rows, query.limit)
  return { items: page.items.map(absenceView), nextCursor: page.nextCursor }
}
