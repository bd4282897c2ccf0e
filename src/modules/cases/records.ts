import { and, desc, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { agreementSignatures, agreements, counsellors, documents, intakes, parties, signatures } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, notFound } from '../../domain/errors.js'
import { expandRecurrence } from '../../domain/recurrence.js'
import { RecurrenceError } from '../../domain/recurrence-rule.js'
import { inCentre } from '../../db/scope.js'
import { audit } from '../../db/audit.js'
import { caseTimeZone, currentAgreement, lockCaseForRecording, requireAdultParty, requireParty } from './queries.js'
import type { AgreementPut, AgreementSignatureCreate, IntakeCreate, SignatureCreate } from './schemas.js'
import { localDate, MINUTE_MS } from '../../domain/time.js'
import { addEvent, agreementView } from './views.js'

/**
 * What is recorded on a case before contact: each party's intake (a child's own conversation too),
 * the adults' signatures of the document versions in force, the agreement and its signatures. Each locks the case row first
 * (lockCaseForRecording), so a record never lands on a case that is ending at the same moment.
 */

const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

/** An instant in the past (a minute of clock difference is tolerated). */
export function requirePast(value: string, pointer: string, now: Date): Date {
  const instant = new Date(value)
  if (instant.getTime() > now.getTime() + MINUTE_MS) throw invalidField(pointer, 'must not be in the future')
  return instant
}

/**
 * An intake held with one party alone, by a counsellor of the centre. With a child it is the
 * child's own conversation: heard, never required (readiness asks for the adults' intakes only),
 * and, like every intake summary, internal.
 */
export async function recordIntake(tx: Tx, actor: Actor, now: Date, caseId: string, input: IntakeCreate) {
  const heldAt = requirePast(input.heldAt, '/heldAt', now)
  const row = await lockCaseForRecording(tx, actor, caseId)
  await requireParty(tx, row, input.partyId)
  // The party's gender may be recorded at the intake (for the registration figures).
  if (input.gender) {
    await tx.update(parties).set({ gender: input.gender }).where(eq(parties.id, input.partyId))
    await audit(tx, actor, { action: 'party.changed', entityType: 'party', entityId: input.partyId, centreId: row.centreId, fields: ['gender'] })
  }
  const [counsellor] = await tx
    .select({ id: counsellors.id })
    .from(counsellors)
    .where(and(eq(counsellors.id, input.counsellorId), inCentre(counsellors.centreId, actor)))
  if (!counsellor) throw notFound('counsellor', input.counsellorId)
  const [created] = await tx
    .insert(intakes)
    .values({
      caseId: row.id,
      partyId: input.partyId,
      heldAt,
      counsellorId: input.counsellorId,
      summary: input.summary ?? null,
    })
    .returning()
  await addEvent(tx, actor, now, row.id, { type: 'intake_recorded', data: { intakeId: created!.id, partyId: input.partyId, heldAt: heldAt.toISOString() } })
  await audit(tx, actor, { action: 'intake.recorded', entityType: 'intake', entityId: created!.id, centreId: row.centreId })
  return created!
}

/** An adult party's signature of one version of a centre document; once per party and version. */
export async function recordSignature(tx: Tx, actor: Actor, now: Date, caseId: string, input: SignatureCreate) {
  const signedAt = requirePast(input.signedAt, '/signedAt', now)
  const row = await lockCaseForRecording(tx, actor, caseId)
  await requireAdultParty(tx, row, input.partyId)
  const [document] = await tx
    .select()
    .from(documents)
    .where(and(eq(documents.id, input.documentId), eq(documents.centreId, row.centreId)))
  if (!document) throw notFound('document', input.documentId)
  const [existing] = await tx
    .select({ id: signatures.id })
    .from(signatures)
    .where(and(eq(signatures.caseId, row.id), eq(signatures.partyId, input.partyId), eq(signatures.documentId, document.id)))
  if (existing) throw conflict('already-signed', `This party already signed ${document.kind} version ${document.version} (signature ${existing.id}).`)
  const [created] = await tx
    .insert(signatures)
    .values({
      caseId: row.id,
      partyId: input.partyId,
      documentId: document.id,
      method: input.method,
      signedAt,
      recordedByTokenId: actor.tokenId,
    })
    .returning()
  await addEvent(tx, actor, now, row.id, {
    type: 'document_signed',
    data: { signatureId: created!.id, partyId: input.partyId, documentId: document.id, kind: document.kind, version: document.version },
  })
  await audit(tx, actor, { action: 'signature.recorded', entityType: 'signature', entityId: created!.id, centreId: row.centreId })
  return { ...created!, kind: document.kind, version: document.version }
}

/** The next version of the case's agreement; it has no signatures yet. */
export async function putAgreement(tx: Tx, actor: Actor, now: Date, caseId: string, input: AgreementPut) {
  const row = await lockCaseForRecording(tx, actor, caseId)
  const timeZone = await caseTimeZone(tx, row)
  const today = localDate(now, timeZone)
  if (input.validUntil !== undefined && input.validUntil < today) throw invalidField('/validUntil', `must not be in the past (today is ${today})`)
  if (input.rrule !== undefined) {
    // Only to check the rule: the series itself is planned when visits are booked.
    try {
      expandRecurrence({ start: `${today}T10:00`, timeZone, rrule: input.rrule, maxOccurrences: 1 })
    } catch (error) {
      if (error instanceof RecurrenceError) throw invalidField('/rrule', error.message)
      throw error
    }
  }
  const [latest] = await tx
    .select({ version: agreements.version })
    .from(agreements)
    .where(eq(agreements.caseId, row.id))
    .orderBy(desc(agreements.version))
    .limit(1)
  const [created] = await tx
    .insert(agreements)
    .values({
      caseId: row.id,
      version: (latest?.version ?? 0) + 1,
      kinds: input.kinds,
      frequency: input.frequency ?? null,
      rrule: input.rrule ?? null,
      durationMinutes: input.durationMinutes ?? null,
      validUntil: input.validUntil ?? null,
      maxVisits: input.maxVisits ?? null,
      conditions: input.conditions ?? [],
      authorisedVisitors: input.authorisedVisitors ?? [],
    })
    .returning()
  await addEvent(tx, actor, now, row.id, { type: 'agreement_updated', data: { agreementId: created!.id, version: created!.version } })
  await audit(tx, actor, { action: 'agreement.created', entityType: 'agreement', entityId: created!.id, centreId: row.centreId })
  return agreementView({ ...created!, signatures: [] })
}

/** An adult party's signature of the current agreement; a stale `version` is a conflict. */
export async function signAgreement(tx: Tx, actor: Actor, now: Date, caseId: string, input: AgreementSignatureCreate) {
  const signedAt = requirePast(input.signedAt, '/signedAt', now)
  const row = await lockCaseForRecording(tx, actor, caseId)
  await requireAdultParty(tx, row, input.partyId)
  const agreement = await currentAgreement(tx, row.id)
  if (!agreement) throw conflict('no-agreement', 'The case has no agreement yet; draw one up with PUT /v1/cases/{id}/agreement first.')
  if (input.version !== undefined && input.version !== agreement.version) {
    throw conflict('agreement-version-changed', `Version ${input.version} is not the current agreement; the current version is ${agreement.version}.`, {
      currentVersion: agreement.version,
    })
  }
  if (agreement.signatures.some((s) => s.partyId === input.partyId)) {
    throw conflict('already-signed', `This party already signed agreement version ${agreement.version}.`)
  }
  const [created] = await tx
    .insert(agreementSignatures)
    .values({ agreementId: agreement.id, partyId: input.partyId, signedAt, recordedByTokenId: actor.tokenId })
    .returning()
  await addEvent(tx, actor, now, row.id, { type: 'agreement_signed', data: { agreementId: agreement.id, version: agreement.version, partyId: input.partyId } })
  await audit(tx, actor, { action: 'agreement.signed', entityType: 'agreement', entityId: agreement.id, centreId: row.centreId })
  return {
    agreementId: agreement.id,
    version: agreement.version,
    partyId: input.partyId,
    signedAt: created!.signedAt,
    recordedByTokenId: created!.recordedByTokenId,
  }
}
