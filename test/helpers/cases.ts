import { and, desc, eq } from 'drizzle-orm'
import { createHash } from 'node:crypto'
import type { Database } from '../../src/db/client.js'
import { agreementSignatures, agreements, cases, documents, parties, referrals, signatures } from '../../src/db/schema.js'
import type { CaseStatus, VisitKind } from '../../src/domain/vocabulary.js'

export interface CaseFixture {
  caseId: string
  child: string
  visiting: string
  residing: string
  agreementId: string
}

/** The centre's latest version of a document kind, created when the centre has none. */
async function documentOf(database: Database, centreId: string, kind: 'house_rules' | 'information') {
  const [existing] = await database.db
    .select()
    .from(documents)
    .where(and(eq(documents.centreId, centreId), eq(documents.kind, kind)))
    .orderBy(desc(documents.version))
    .limit(1)
  if (existing) return existing
  const body = `${kind} text`
  const [created] = await database.db
    .insert(documents)
    .values({
      centreId,
      kind,
      language: 'nl',
      version: 1,
      title: kind,
      body,
      effectiveFrom: new Date('2020-01-01T00:00:00Z'),
      contentSha256: createHash('sha256').update(body).digest('hex'),
    })
    .returning()
  return created!
}

/**
 * A case straight in the database, ready for booking unless told otherwise: a child, a visiting
 * and a residing parent who signed the documents in force and the agreement. Scheduling tests use
 * this so that they do not depend on the referral flow (tested on its own).
 */
export async function createCase(
  database: Database,
  centre: { centreId: string; demo: { counsellorIds: string[]; siteId: string } },
  options: {
    status?: CaseStatus
    plannedEndDate?: string | null
    signed?: boolean
    agreement?: { kinds?: VisitKind[]; validUntil?: string | null; maxVisits?: number | null }
  } = {},
): Promise<CaseFixture> {
  const db = database.db
  const [referral] = await db
    .insert(referrals)
    .values({
      centreId: centre.centreId,
      source: 'self',
      legalFramework: 'voluntary',
      reason: 'test',
      status: 'accepted',
    })
    .returning()
  const [caseRow] = await db
    .insert(cases)
    .values({
      centreId: centre.centreId,
      referralId: referral!.id,
      siteId: centre.demo.siteId,
      status: options.status ?? 'active',
      feeExempt: false,
      leadCounsellorId: centre.demo.counsellorIds[0]!,
      activatedAt: new Date(),
      plannedEndDate: options.plannedEndDate === undefined ? '2027-12-31' : options.plannedEndDate,
    })
    .returning()
  const caseId = caseRow!.id
  await db.update(referrals).set({ caseId }).where(eq(referrals.id, referral!.id))
  const party = async (role: 'child' | 'visiting_parent' | 'residing_parent') => {
    const [row] = await db
      .insert(parties)
      .values({ centreId: centre.centreId, referralId: referral!.id, caseId, role, familyName: 'Test', language: 'nl' })
      .returning()
    return row!.id
  }
  const child = await party('child')
  const visiting = await party('visiting_parent')
  const residing = await party('residing_parent')
  const [agreement] = await db
    .insert(agreements)
    .values({
      caseId,
      version: 1,
      kinds: options.agreement?.kinds ?? ['supervised_visit', 'supervised_handover', 'outside_visit'],
      validUntil: options.agreement?.validUntil ?? null,
      maxVisits: options.agreement?.maxVisits ?? null,
      durationMinutes: 90,
    })
    .returning()
  if (options.signed !== false) {
    for (const partyId of [visiting, residing]) {
      for (const kind of ['house_rules', 'information'] as const) {
        const document = await documentOf(database, centre.centreId, kind)
        await db.insert(signatures).values({ caseId, partyId, documentId: document.id, method: 'paper', signedAt: new Date() })
      }
      await db.insert(agreementSignatures).values({ agreementId: agreement!.id, partyId, signedAt: new Date() })
    }
  }
  return { caseId, child, visiting, residing, agreementId: agreement!.id }
}
