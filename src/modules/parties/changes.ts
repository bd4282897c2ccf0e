import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { cases, parties, type PartyContact } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput, notFound } from '../../domain/errors.js'
import { DEFAULT_TIME_ZONE, localDate } from '../../domain/time.js'
import { inCentre } from '../../db/scope.js'
import { audit } from '../../db/audit.js'
import { lockCase, partyView, type PartyChange, type PartyCreate } from '../cases/index.js'
import { personKeyOf } from '../../db/person-key.js'
import { isNationalNumber, nationalNumberDigits } from '../../domain/person-key.js'

/** A national number as stored (its eleven digits), refused when its check digits do not match. */
function nationalNumberOf(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value
  const digits = nationalNumberDigits(value)
  if (!isNationalNumber(digits))
    throw invalidInput('body', '/nationalNumber', 'is not a national register number: its check digits do not match; check it against the identity card')
  return digits
}

/**
 * Keeping a family's record right after the referral: correcting a party's data and adding a person
 * to a running case. The audit trail names the fields changed and who changed them, never the values.
 */

const IDENTITY_FIELDS = ['givenName', 'familyName', 'birthDate'] as const

/** The fields a change really alters, by name (`contact.phone`, `language`, …). */
function changedFields(party: typeof parties.$inferSelect, input: PartyChange): string[] {
  const fields: string[] = []
  for (const name of [...IDENTITY_FIELDS, 'language', 'confidentialAddress', 'gender', 'postcode', 'nationalNumber'] as const) {
    if (input[name] !== undefined && input[name] !== party[name]) fields.push(name)
  }
  for (const [name, value] of Object.entries(input.contact ?? {})) {
    if ((value ?? undefined) !== party.contact[name as keyof PartyContact]) fields.push(`contact.${name}`)
  }
  if (input.interpreter !== undefined && JSON.stringify(input.interpreter) !== JSON.stringify(party.interpreter)) fields.push('interpreter')
  return fields
}

/** Corrects a party of the actor's centre; a name or birth date changes only with a reason. */
export async function changeParty(tx: Tx, actor: Actor, now: Date, id: string, input: PartyChange) {
  const [party] = await tx
    .select()
    .from(parties)
    .where(and(eq(parties.id, id), inCentre(parties.centreId, actor)))
    .for('update')
  if (!party) throw notFound('party', id)
  if (party.caseId) {
    const [row] = await tx.select({ pseudonymisedAt: cases.pseudonymisedAt }).from(cases).where(eq(cases.id, party.caseId))
    if (row?.pseudonymisedAt) throw conflict('pseudonymised', 'The case was pseudonymised under the retention policy: its people’s data can no longer change.')
  }
  input = { ...input, nationalNumber: nationalNumberOf(input.nationalNumber) }
  const fields = changedFields(party, input)
  if (!input.reason && fields.some((f) => (IDENTITY_FIELDS as readonly string[]).includes(f))) {
    throw invalidInput('body', '/reason', 'is required to change a name or a birth date: say why (kept in the audit trail)')
  }
  if (input.birthDate !== undefined && input.birthDate > localDate(now, DEFAULT_TIME_ZONE))
    throw invalidInput('body', '/birthDate', 'must not be in the future')
  if (fields.length === 0) return partyView(party)
  const contact: PartyContact = { ...party.contact }
  for (const [name, value] of Object.entries(input.contact ?? {})) {
    if (value === null) delete contact[name as keyof PartyContact]
    else contact[name as keyof PartyContact] = value
  }
  const identity = {
    givenName: input.givenName !== undefined ? input.givenName : party.givenName,
    familyName: input.familyName ?? party.familyName,
    birthDate: input.birthDate ?? party.birthDate,
    nationalNumber: input.nationalNumber !== undefined ? input.nationalNumber : party.nationalNumber,
  }
  const [updated] = await tx
    .update(parties)
    .set({
      ...identity,
      // The person key follows the identity it is computed from.
      personKey: await personKeyOf(tx, identity),
      language: input.language ?? party.language,
      contact,
      confidentialAddress: input.confidentialAddress ?? party.confidentialAddress,
      interpreter: input.interpreter !== undefined ? input.interpreter : party.interpreter,
      gender: input.gender ?? party.gender,
      postcode: input.postcode !== undefined ? input.postcode : party.postcode,
    })
    .where(eq(parties.id, party.id))
    .returning()
  await audit(tx, actor, { action: 'party.changed', entityType: 'party', entityId: party.id, centreId: party.centreId, reason: input.reason, fields })
  return partyView(updated!)
}

/**
 * Adds a person to a case that has not ended (a grandparent, a new partner, a sibling). An adult
 * attends visits once their intake, signatures and agreement signature are recorded: the booking
 * gate leaves them out until then (scheduling).
 */
export async function addParty(tx: Tx, actor: Actor, now: Date, caseId: string, input: PartyCreate) {
  const row = await lockCase(tx, actor, caseId)
  if (row.status === 'ended') throw conflict('case-ended', 'The case has ended: no one can be added to it.')
  if (input.role === 'child' && input.birthDate === undefined) throw invalidInput('body', '/birthDate', 'is required for a child')
  if (input.birthDate !== undefined && input.birthDate > localDate(now, DEFAULT_TIME_ZONE))
    throw invalidInput('body', '/birthDate', 'must not be in the future')
  const identity = {
    givenName: input.givenName ?? null,
    familyName: input.familyName,
    birthDate: input.birthDate ?? null,
    nationalNumber: nationalNumberOf(input.nationalNumber) ?? null,
  }
  const [created] = await tx
    .insert(parties)
    .values({
      centreId: row.centreId,
      referralId: row.referralId,
      caseId: row.id,
      role: input.role,
      ...identity,
      personKey: await personKeyOf(tx, identity),
      gender: input.gender ?? 'unknown',
      postcode: input.postcode ?? null,
      language: input.language,
      contact: input.contact ?? {},
      confidentialAddress: input.confidentialAddress ?? false,
      interpreter: input.interpreter ?? null,
      joinedAt: now,
    })
    .returning()
  await audit(tx, actor, { action: 'party.added', entityType: 'party', entityId: created!.id, centreId: row.centreId })
  return partyView(created!)
}
