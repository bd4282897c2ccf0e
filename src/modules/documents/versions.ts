/** Document versions: immutable, numbered per centre, kind and language, each with its content's hash. */
import { createHash } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { centres, documents } from '../../db/schema.js'
import { type DocumentKind, type Language } from '../../domain/vocabulary.js'
import { invalidInput } from '../../domain/errors.js'

export const contentSha256 = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex')

export interface NewVersion {
  kind: DocumentKind
  language: Language
  title: string
  body: string
  effectiveFrom: Date
}

/**
 * Publishes the next immutable version of a centre's document in one language. Run inside a
 * transaction: the centre row is locked so concurrent publications get consecutive numbers.
 */
export async function publishDocument(tx: Queryable, centreId: string, version: NewVersion) {
  await tx.select({ id: centres.id }).from(centres).where(eq(centres.id, centreId)).for('update')
  const [latest] = await tx
    .select()
    .from(documents)
    .where(and(eq(documents.centreId, centreId), eq(documents.kind, version.kind), eq(documents.language, version.language)))
    .orderBy(desc(documents.version))
    .limit(1)
  // Versions come into force in order, so the highest version in force is also the latest.
  if (latest && version.effectiveFrom < latest.effectiveFrom) {
    const detail = `must not be before version ${latest.version}'s (${latest.effectiveFrom.toISOString()})`
    throw invalidInput('body', '/effectiveFrom', detail)
  }
  const [row] = await tx
    .insert(documents)
    .values({
      centreId,
      kind: version.kind,
      language: version.language,
      version: (latest?.version ?? 0) + 1,
      title: version.title,
      body: version.body,
      effectiveFrom: version.effectiveFrom,
      contentSha256: contentSha256(version.body),
    })
    .returning()
  return row!
}
