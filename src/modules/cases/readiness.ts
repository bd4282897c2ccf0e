import { and, desc, eq, lte, ne } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { agreementSignatures, agreements, cases, documents, intakes, parties, signatures } from '../../db/schema.js'
import { type DocumentKind } from '../../domain/vocabulary.js'
import { assessReadiness, type MissingRequirement } from '../../domain/readiness.js'

type DocumentRow = Pick<typeof documents.$inferSelect, 'id' | 'kind' | 'language' | 'version' | 'effectiveFrom'>

/**
 * The version of a kind in force for a reader of `language`: the latest in their language whose
 * effectiveFrom has passed, else (the centre has none in that language) the latest in any language.
 * `inForce` is ordered latest first.
 */
export function documentInForceFor<T extends DocumentRow>(inForce: T[], kind: DocumentKind, language: string): T | undefined {
  return inForce.find((d) => d.kind === kind && d.language === language) ?? inForce.find((d) => d.kind === kind)
}

/** A centre's document versions with effectiveFrom <= at, latest first. */
export async function documentsEffectiveAt(db: Queryable, centreId: string, at: Date) {
  return db.select().from(documents)
    .where(and(eq(documents.centreId, centreId), lte(documents.effectiveFrom, at)))
    .orderBy(desc(documents.effectiveFrom), desc(documents.version))
}

/** The case's latest agreement version, with the parties who signed it. */
export async function currentAgreement(db: Queryable, caseId: string) {
  const [agreement] = await db.select().from(agreements).where(eq(agreements.caseId, caseId)).orderBy(desc(agreements.version)).limit(1)
  if (!agreement) return null
  const signed = await db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, agreement.id)).orderBy(agreementSignatures.id)
  return { ...agreement, signatures: signed }
}

export type CurrentAgreement = Awaited<ReturnType<typeof currentAgreement>>

/**
 * Loads what a case needs before contact and assesses it (see domain/readiness.ts). Documents are
 * those in force at `at` (default now), so a new version in force makes earlier signatures
 * insufficient. The booking gate calls this inside its transaction with checkIntake false. A caller
 * that already read the current agreement passes it, so it is not read twice.
 */
export async function loadReadiness(db: Queryable, caseRow: Pick<typeof cases.$inferSelect, 'id' | 'centreId'>, options: { at?: Date; checkIntake?: boolean; agreement?: CurrentAgreement } = {}): Promise<{ ready: boolean; missing: MissingRequirement[] }> {
  const at = options.at ?? new Date()
  const caseId = caseRow.id
  // Sequential on purpose: inside a transaction these share one connection.
  const adults = await db.select({ id: parties.id, language: parties.language }).from(parties)
    .where(and(eq(parties.caseId, caseId), ne(parties.role, 'child'))).orderBy(parties.id)
  const intakeRows = await db.select({ partyId: intakes.partyId }).from(intakes).where(eq(intakes.caseId, caseId))
  const inForce = await documentsEffectiveAt(db, caseRow.centreId, at)
  const signed = await db.select({ partyId: signatures.partyId, documentId: signatures.documentId }).from(signatures).where(eq(signatures.caseId, caseId))
  const agreement = options.agreement !== undefined ? options.agreement : await currentAgreement(db, caseId)
  const documentsInForce = adults.flatMap((party) => (['house_rules', 'information'] as const).flatMap((kind) => {
    const document = documentInForceFor(inForce, kind, party.language)
    return document ? [{ partyId: party.id, kind, documentId: document.id, version: document.version }] : []
  }))
  return assessReadiness({
    adultPartyIds: adults.map((p) => p.id),
    intakePartyIds: intakeRows.map((i) => i.partyId),
    documentsInForce,
    signedDocumentIds: signed,
    agreement: agreement && { id: agreement.id, version: agreement.version, signedPartyIds: agreement.signatures.map((s) => s.partyId) },
    checkIntake: options.checkIntake ?? true,
  })
}
