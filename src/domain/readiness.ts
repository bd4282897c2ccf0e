/**
 * Readiness of a case (docs/domain.md): no contact before every adult party has had their intake,
 * signed the version in force of the house rules and of the information document, and signed the
 * case's current agreement. Used by activation and by the booking gate (with checkIntake false).
 */
import { DOCUMENT_KINDS, type DocumentKind } from './vocabulary.js'

export type Requirement = 'intake' | DocumentKind | 'agreement'

export interface MissingRequirement {
  partyId: string
  requirement: Requirement
  documentId?: string
  version?: number
}

export function assessReadiness(input: {
  adultPartyIds: string[]
  intakePartyIds: string[]
  /** Per adult party, the version of each kind in force for them (their language, else any). */
  documentsInForce: { partyId: string; kind: 'house_rules' | 'information'; documentId: string; version: number }[]
  signedDocumentIds: { partyId: string; documentId: string }[]
  /** The case's current (latest) agreement version, or null when none was drawn up yet. */
  agreement: { id: string; version: number; signedPartyIds: string[] } | null
  checkIntake: boolean
}): { ready: boolean; missing: MissingRequirement[] } {
  const intakes = new Set(input.intakePartyIds)
  const signed = new Set(input.signedDocumentIds.map((s) => `${s.partyId}/${s.documentId}`))
  const agreementSigned = new Set(input.agreement?.signedPartyIds ?? [])
  const missing: MissingRequirement[] = []
  for (const partyId of input.adultPartyIds) {
    if (input.checkIntake && !intakes.has(partyId)) missing.push({ partyId, requirement: 'intake' })
    for (const kind of DOCUMENT_KINDS) {
      const document = input.documentsInForce.find((d) => d.partyId === partyId && d.kind === kind)
      // No version in force at all: there is nothing to sign yet, and still no contact without it.
      if (!document) missing.push({ partyId, requirement: kind })
      else if (!signed.has(`${partyId}/${document.documentId}`)) {
        missing.push({ partyId, requirement: kind, documentId: document.documentId, version: document.version })
      }
    }
    if (!input.agreement) missing.push({ partyId, requirement: 'agreement' })
    else if (!agreementSigned.has(partyId)) missing.push({ partyId, requirement: 'agreement', version: input.agreement.version })
  }
  return { ready: missing.length === 0, missing }
}
