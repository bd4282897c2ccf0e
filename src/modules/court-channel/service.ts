import { createHash } from 'node:crypto'
import { and, asc, eq, getTableColumns, inArray, isNull, ne, type SQL } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { audit } from '../../db/audit.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { attachments, courtMessages, referrals } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, notAllowed, notFound } from '../../domain/errors.js'
import type { MessageSender } from '../../domain/vocabulary.js'
import { referralScope } from '../cases/index.js'
import { enqueueEvent } from '../webhooks/index.js'
import type { MessageCreate, MessageQuery } from './schemas.js'

/**
 * The court channel: after the referral, the referring court tells the centre of a new decision, a
 * new hearing date or a request for a report, and sends its documents; the centre answers with
 * facts. Each side reads the referral's messages in the referral's scope (another court, or a
 * counsellor not on the case: 404) and marks read what the other side wrote.
 */

type MessageRow = typeof courtMessages.$inferSelect

/** The side an actor speaks for: a court's tokens, or the centre's. */
const sideOf = (actor: Actor): MessageSender => (actor.courtId ? 'court' : 'centre')

const view = (row: MessageRow, caseId: string | null) => ({
  id: row.id,
  referralId: row.referralId,
  caseId,
  sender: row.sender,
  kind: row.kind,
  text: row.text,
  hearingDate: row.hearingDate,
  dueDate: row.dueDate,
  attachmentIds: row.attachmentIds,
  createdAt: row.createdAt,
  readAt: row.readAt,
})

/** The referral in the actor's scope (its court's tokens, its centre's, a counsellor on its case), locked when asked. */
async function referralInScope(db: Queryable, actor: Actor, id: string, lock = false) {
  const query = db
    .select({ id: referrals.id, centreId: referrals.centreId, courtId: referrals.courtId, caseId: referrals.caseId, hearingDate: referrals.hearingDate })
    .from(referrals)
    .where(and(eq(referrals.id, id), referralScope(actor)))
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw notFound('referral', id)
  return row
}

/** A message to the other side of a referral; a court's new hearing date becomes the referral's. */
export async function sendMessage(tx: Tx, actor: Actor, now: Date, referralId: string, input: MessageCreate) {
  // A centre's integration reads; the court's integration speaks for the court.
  if (actor.role === 'integration' && !actor.courtId) throw notAllowed('A centre’s integration reads; its staff answer the court.')
  const sender = sideOf(actor)
  if (sender === 'centre' && input.kind !== 'information') {
    throw invalidInput('body', '/kind', 'is information for the centre: new decisions, hearing dates and report requests come from the court')
  }
  if (sender === 'court' && input.kind === 'information')
    throw invalidInput('body', '/kind', 'is the centre’s answer; a court sends new_decision, hearing_date, report_request or other')
  if (input.kind === 'hearing_date' && !input.hearingDate) throw invalidInput('body', '/hearingDate', 'is required for a hearing_date message')
  if (input.kind === 'report_request' && !input.dueDate)
    throw invalidInput('body', '/dueDate', 'is required for a report_request: by when is the report needed?')
  if (input.kind !== 'hearing_date' && input.hearingDate) throw invalidInput('body', '/hearingDate', 'only goes with a hearing_date message')
  if (input.kind !== 'report_request' && input.dueDate) throw invalidInput('body', '/dueDate', 'only goes with a report_request')

  const referral = await referralInScope(tx, actor, referralId, true)
  const attachmentIds = input.attachmentIds ?? []
  if (attachmentIds.length) {
    const found = await tx
      .select({ id: attachments.id })
      .from(attachments)
      .where(and(inArray(attachments.id, attachmentIds), eq(attachments.referralId, referral.id)))
    const missing = attachmentIds.findIndex((id) => !found.some((f) => f.id === id))
    if (missing >= 0) throw invalidInput('body', `/attachmentIds/${missing}`, 'is not a document of this referral')
  }
  const [row] = await tx
    .insert(courtMessages)
    .values({
      referralId: referral.id,
      centreId: referral.centreId,
      courtId: referral.courtId,
      sender,
      kind: input.kind,
      text: input.text,
      hearingDate: input.hearingDate ?? null,
      previousHearingDate: input.kind === 'hearing_date' ? referral.hearingDate : null,
      dueDate: input.dueDate ?? null,
      attachmentIds,
      sentByTokenId: actor.tokenId,
      sentByRole: actor.role,
      createdAt: now,
    })
    .returning()
  await audit(tx, actor, { action: 'message.sent', entityType: 'message', entityId: row!.id, centreId: referral.centreId, courtId: referral.courtId })
  if (input.kind === 'hearing_date') {
    await tx.update(referrals).set({ hearingDate: input.hearingDate! }).where(eq(referrals.id, referral.id))
    await audit(tx, actor, {
      action: 'referral.hearing_date_changed',
      entityType: 'referral',
      entityId: referral.id,
      centreId: referral.centreId,
      courtId: referral.courtId,
      fields: ['hearingDate'],
    })
  }
  // The centre's systems hear of a court's message: ids and kind, never its text.
  if (sender === 'court') {
    await enqueueEvent(tx, now, referral.centreId, 'message.received', {
      messageId: row!.id,
      referralId: referral.id,
      caseId: referral.caseId,
      kind: row!.kind,
    })
  }
  return view(row!, referral.caseId)
}

/** A referral's messages, oldest first. */
export async function referralMessages(db: Queryable, actor: Actor, referralId: string, query: MessageQuery) {
  const referral = await referralInScope(db, actor, referralId)
  const rows = await db
    .select()
    .from(courtMessages)
    .where(and(eq(courtMessages.referralId, referral.id), unreadFilter(actor, query), afterCursor(courtMessages.id, query.cursor)))
    .orderBy(asc(courtMessages.id))
    .limit(query.limit + 1)
  const page = toPage(rows, query.limit)
  return { items: page.items.map((row) => view(row, referral.caseId)), nextCursor: page.nextCursor }
}

/** With `unread`: the messages the other side wrote that this side has not marked read. */
const unreadFilter = (actor: Actor, query: MessageQuery): SQL | undefined =>
  query.unread ? and(ne(courtMessages.sender, sideOf(actor)), isNull(courtMessages.readAt)) : undefined

/** Every message of the referrals in the actor's scope, oldest first: with `unread`, the worklist. */
export async function listMessages(db: Queryable, actor: Actor, query: MessageQuery) {
  const rows = await db
    .select({ message: courtMessages, caseId: referrals.caseId })
    .from(courtMessages)
    .innerJoin(referrals, eq(referrals.id, courtMessages.referralId))
    .where(and(referralScope(actor), unreadFilter(actor, query), afterCursor(courtMessages.id, query.cursor)))
    .orderBy(asc(courtMessages.id))
    .limit(query.limit + 1)
  const page = toPage(
    rows.map((r) => ({ ...r, id: r.message.id })),
    query.limit,
  )
  return { items: page.items.map((r) => view(r.message, r.caseId)), nextCursor: page.nextCursor }
}

/** Marks a message of the other side read (once; again is a no-op that answers the same). */
export async function markRead(tx: Tx, actor: Actor, now: Date, id: string) {
  const [found] = await tx
    .select({ message: courtMessages, caseId: referrals.caseId })
    .from(courtMessages)
    .innerJoin(referrals, eq(referrals.id, courtMessages.referralId))
    .where(and(eq(courtMessages.id, id), referralScope(actor)))
    .for('update', { of: courtMessages })
  if (!found) throw notFound('message', id)
  if (found.message.sender === sideOf(actor)) throw conflict('own-message', 'This message was written by your side: the other side marks it read.')
  // Marked once: again answers the same (and is recorded as the read it is).
  const [row] = found.message.readAt
    ? [found.message]
    : await tx.update(courtMessages).set({ readAt: now, readByTokenId: actor.tokenId }).where(eq(courtMessages.id, id)).returning()
  await audit(tx, actor, { action: 'message.read', entityType: 'message', entityId: id, centreId: row!.centreId, courtId: row!.courtId })
  return view(row!, found.caseId)
}

// ── Attachments ─────────────────────────────────────────────────────────────────────────────────

type AttachmentRow = typeof attachments.$inferSelect
const attachmentView = (row: Omit<AttachmentRow, 'content'>) => ({
  id: row.id,
  referralId: row.referralId,
  filename: row.filename,
  contentType: 'application/pdf' as const,
  sizeBytes: row.sizeBytes,
  sha256: row.sha256,
  createdAt: row.createdAt,
})

/** The SHA-256 of a file, hex: what an upload is known by (its idempotency fingerprint too). */
export const sha256Of = (content: Buffer) => createHash('sha256').update(content).digest('hex')

/** A court's document for its referral (the route has checked it is a PDF). */
export async function storeAttachment(tx: Tx, actor: Actor, now: Date, referralId: string, file: { filename: string; content: Buffer }) {
  if (!actor.courtId) throw notAllowed('Documents are sent by the referring court.')
  const referral = await referralInScope(tx, actor, referralId)
  const [row] = await tx
    .insert(attachments)
    .values({
      referralId: referral.id,
      centreId: referral.centreId,
      courtId: referral.courtId,
      filename: file.filename,
      contentType: 'application/pdf',
      sizeBytes: file.content.length,
      sha256: sha256Of(file.content),
      content: file.content,
      uploadedByTokenId: actor.tokenId,
      uploadedByRole: actor.role,
      createdAt: now,
    })
    .returning({ id: attachments.id })
  await audit(tx, actor, { action: 'attachment.uploaded', entityType: 'attachment', entityId: row!.id, centreId: referral.centreId, courtId: referral.courtId })
  return attachmentView({ ...(await attachmentMeta(tx, row!.id))! })
}

const attachmentMeta = async (db: Queryable, id: string) => {
  const { content: _, ...columns } = getTableColumns(attachments)
  const [row] = await db.select(columns).from(attachments).where(eq(attachments.id, id))
  return row
}

/** A document and its bytes, for the referral's court and the centre's admin and staff; reading it is audited. */
export async function readAttachment(tx: Tx, actor: Actor, id: string) {
  if (actor.role === 'integration' && !actor.courtId) throw notAllowed('A centre’s integration reads reports, not the court’s documents.')
  const [row] = await tx
    .select({ attachment: attachments })
    .from(attachments)
    .innerJoin(referrals, eq(referrals.id, attachments.referralId))
    .where(and(eq(attachments.id, id), referralScope(actor)))
  if (!row) throw notFound('attachment', id)
  const a = row.attachment
  await audit(tx, actor, { action: 'attachment.read', entityType: 'attachment', entityId: a.id, centreId: a.centreId, courtId: a.courtId })
  return { ...attachmentView(a), content: a.content }
}
