import { and, eq, inArray } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { concernObservations, concernSteps, concerns, parties, visitObservations } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidFields, invalidInput, type FieldError } from '../../domain/errors.js'
import type { ChildProtectionAction, ConcernRecipient, ConcernStep } from '../../domain/vocabulary.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import type { PageQuery } from '../../http/pagination.js'
import { audit } from '../../db/audit.js'
import { requirePast } from '../cases/index.js'
import { findCase, lockCase } from '../cases/index.js'
import { concernsOfCase, concernViews, findConcern, type ConcernRow } from './queries.js'
import type { ConcernClose, ConcernCreate, ConcernStepCreate } from './schemas.js'

/**
 * Concerns about a child's safety, along the kindreflex. Everything here is internal: the audit trail
 * names what happened, never what was written, and no court-scoped route reads these tables.
 */

const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

/** The children of a case, by id. */
async function childrenOf(db: Queryable, caseId: string) {
  const rows = await db
    .select({ id: parties.id })
    .from(parties)
    .where(and(eq(parties.caseId, caseId), eq(parties.role, 'child')))
    .orderBy(parties.id)
  return rows.map((r) => r.id)
}

async function insertConcern(
  tx: Tx,
  actor: Actor,
  now: Date,
  values: { centreId: string; caseId: string; summary: string; childPartyIds: string[]; observedAt: Date; observationIds: string[] },
) {
  const [created] = await tx
    .insert(concerns)
    .values({
      centreId: values.centreId,
      caseId: values.caseId,
      summary: values.summary,
      childPartyIds: values.childPartyIds,
      observedAt: values.observedAt,
      createdByTokenId: actor.tokenId,
      createdAt: now,
    })
    .returning()
  if (values.observationIds.length) {
    await tx.insert(concernObservations).values(values.observationIds.map((observationId) => ({ concernId: created!.id, observationId })))
  }
  await audit(tx, actor, { action: 'concern.opened', entityType: 'concern', entityId: created!.id, centreId: values.centreId })
  return created!
}

/**
 * Opens a concern on a case in the actor's scope. The case row is locked, so a progress report issued
 * at the same moment either sees the concern or was issued before it.
 */
export async function createConcern(tx: Tx, actor: Actor, now: Date, caseId: string, input: ConcernCreate) {
  const observedAt = requirePast(input.observedAt, '/observedAt', now)
  const caseRow = await lockCase(tx, actor, caseId)
  const errors: FieldError[] = []
  const children = new Set(await childrenOf(tx, caseRow.id))
  input.childPartyIds.forEach((id, i) => {
    if (!children.has(id)) errors.push({ in: 'body', pointer: `/childPartyIds/${i}`, detail: 'is not a child of this case' })
  })
  const observationIds = input.observationIds ?? []
  if (observationIds.length) {
    const found = await tx
      .select({ id: visitObservations.id })
      .from(visitObservations)
      .where(and(inArray(visitObservations.id, observationIds), eq(visitObservations.caseId, caseRow.id)))
    const ofCase = new Set(found.map((o) => o.id))
    observationIds.forEach((id, i) => {
      if (!ofCase.has(id)) errors.push({ in: 'body', pointer: `/observationIds/${i}`, detail: 'is not an observation of this case' })
    })
  }
  if (errors.length) throw invalidFields(errors)
  const created = await insertConcern(tx, actor, now, {
    centreId: caseRow.centreId,
    caseId: caseRow.id,
    summary: input.summary,
    childPartyIds: input.childPartyIds,
    observedAt,
    observationIds,
  })
  return (await concernViews(tx, [created]))[0]!
}

const requireOpen = (row: ConcernRow) => {
  if (row.status !== 'open') {
    throw conflict('concern-closed', `Concern ${row.id} was closed on ${row.closedAt?.toISOString()}; open a new concern for what happened since.`, {
      currentStatus: row.status,
    })
  }
}

async function insertStep(
  tx: Tx,
  actor: Actor,
  now: Date,
  row: ConcernRow,
  step: { step: ConcernStep; reportedTo: ConcernRecipient | null; at: Date; note: string | null; authorName?: string },
) {
  const [created] = await tx
    .insert(concernSteps)
    .values({
      concernId: row.id,
      step: step.step,
      reportedTo: step.reportedTo,
      at: step.at,
      note: step.note,
      authorTokenId: actor.tokenId,
      authorName: step.authorName ?? null,
      createdAt: now,
    })
    .returning()
  await audit(tx, actor, { action: `concern.${step.step}`, entityType: 'concern', entityId: row.id, centreId: row.centreId })
  return created!
}

/** Records a step of the kindreflex on an open concern; the author is the token. */
export async function addStep(tx: Tx, actor: Actor, now: Date, id: string, input: ConcernStepCreate) {
  if (input.step === 'reported' && !input.reportedTo) {
    throw invalidField('/reportedTo', 'is required when the step is `reported`: name where it was reported (vk, ocj, prosecutor or police)')
  }
  if (input.step !== 'reported' && input.reportedTo) {
    throw invalidField('/reportedTo', 'only applies to the step `reported`')
  }
  const at = requirePast(input.at, '/at', now)
  const row = await findConcern(tx, actor, id, { lock: true })
  requireOpen(row)
  await insertStep(tx, actor, now, row, { step: input.step, reportedTo: input.reportedTo ?? null, at, note: input.note })
  return (await concernViews(tx, [row]))[0]!
}

/** Closes an open concern with its outcome; a closed concern stays as it was closed (409). */
export async function closeConcern(tx: Tx, actor: Actor, now: Date, id: string, input: ConcernClose) {
  const row = await findConcern(tx, actor, id, { lock: true })
  requireOpen(row)
  const [closed] = await tx
    .update(concerns)
    .set({ status: 'closed', outcome: input.outcome, closeNote: input.note, closedAt: now, closedByTokenId: actor.tokenId })
    .where(eq(concerns.id, row.id))
    .returning()
  await audit(tx, actor, { action: 'concern.closed', entityType: 'concern', entityId: row.id, centreId: row.centreId })
  return (await concernViews(tx, [closed!]))[0]!
}

export async function getConcern(db: Queryable, actor: Actor, id: string) {
  const row = await findConcern(db, actor, id)
  await audit(db, actor, { action: 'concern.read', entityType: 'concern', entityId: row.id, centreId: row.centreId })
  return (await concernViews(db, [row]))[0]!
}

/** A case's concerns, newest first. */
export async function listConcerns(db: Queryable, actor: Actor, caseId: string, query: PageQuery) {
  const caseRow = await findCase(db, actor, caseId)
  const rows = await concernsOfCase(db, caseRow.id, afterCursor(concerns.id, query.cursor, 'desc'), query.limit)
  const page = toPage(rows, query.limit)
  // Each concern read, by its own id: an entry on the case would tell a party's export that there are concerns.
  await audit(
    db,
    actor,
    page.items.map((row) => ({ action: 'concern.read', entityType: 'concern', entityId: row.id, centreId: row.centreId })),
  )
  return { items: await concernViews(db, page.items), nextCursor: page.nextCursor }
}

/** The old shorthand on an observation: what it named, as a step of the kindreflex. */
const SHORTHAND_STEP: Record<ChildProtectionAction, { step: ConcernStep; reportedTo: ConcernRecipient | null }> = {
  consulted: { step: 'vk_consulted', reportedTo: null },
  reported: { step: 'reported', reportedTo: 'vk' },
}

/**
 * An observation's `childProtection` shorthand: a concern about the case's children, resting on the
 * observation, with the one step the shorthand named (its `by` as the step's author's name).
 */
export async function openConcernFromObservation(
  tx: Tx,
  actor: Actor,
  now: Date,
  observation: { id: string; caseId: string; text: string },
  centreId: string,
  shorthand: { action: ChildProtectionAction; at: Date; by: string },
) {
  const created = await insertConcern(tx, actor, now, {
    centreId,
    caseId: observation.caseId,
    summary: observation.text,
    childPartyIds: await childrenOf(tx, observation.caseId),
    observedAt: now,
    observationIds: [observation.id],
  })
  await insertStep(tx, actor, now, created, { ...SHORTHAND_STEP[shorthand.action], at: shorthand.at, note: null, authorName: shorthand.by })
  return created
}
