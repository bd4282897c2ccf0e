import { and, desc, eq, lte } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { documents } from '../../db/schema.js'
import { primaryLanguage, type DocumentKind } from '../../domain/vocabulary.js'

/** Which document versions are in force: what a party must have signed before contact. */

type DocumentRow = Pick<typeof documents.$inferSelect, 'id' | 'kind' | 'language' | 'version' | 'effectiveFrom'>

/**
 * The version of a kind in force for a reader of `language` (a BCP 47 tag): the latest in their
 * language whose effectiveFrom has passed, else (the centre has none in that language, say Arabic)
 * the latest in any language: the counsellor reads it with them or an interpreter translates.
 * `inForce` is ordered latest first.
 */
export function documentInForceFor<T extends DocumentRow>(inForce: T[], kind: DocumentKind, language: string): T | undefined {
  const wanted = primaryLanguage(language)
  return inForce.find((d) => d.kind === kind && d.language === wanted) ?? inForce.find((d) => d.kind === kind)
}

/** A centre's document versions with effectiveFrom <= at, latest first. */
export async function documentsEffectiveAt(db: Queryable, centreId: string, at: Date) {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.centreId, centreId), lte(documents.effectiveFrom, at)))
    .orderBy(desc(documents.effectiveFrom), desc(documents.version))
}
