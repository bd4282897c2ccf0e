import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { documents } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { inCentre } from '../../db/scope.js'
import { audit } from '../../db/audit.js'
import type { DocumentCreate, DocumentQuery } from './schemas.js'
import { publishDocument } from './versions.js'

/** A centre's document versions: publishing the next one, and listing them. */

/** The next version of a document, in force from `effectiveFrom` or else from now. */
export async function publishVersion(tx: Tx, actor: Actor, now: Date, input: DocumentCreate) {
  const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : now
  const row = await publishDocument(tx, actor.centreId!, { ...input, effectiveFrom })
  await audit(tx, actor, { action: 'document.created', entityType: 'document', entityId: row.id })
  return row
}

/** The centre's versions, optionally only those in force at `now`. */
export async function listDocuments(db: Queryable, actor: Actor, now: Date, query: DocumentQuery) {
  const scope = and(
    inCentre(documents.centreId, actor),
    query.kind ? eq(documents.kind, query.kind) : undefined,
    query.language ? eq(documents.language, query.language) : undefined,
  )
  // In force: per kind and language, the latest version whose effectiveFrom has passed.
  const inForce = query.inForce
    ? inArray(
        documents.id,
        db
          .selectDistinctOn([documents.kind, documents.language], { id: documents.id })
          .from(documents)
          .where(and(scope, lte(documents.effectiveFrom, now)))
          .orderBy(documents.kind, documents.language, desc(documents.effectiveFrom), desc(documents.version)),
      )
    : undefined
  const rows = await db
    .select()
    .from(documents)
    .where(and(scope, inForce, afterCursor(documents.id, query.cursor)))
    .orderBy(asc(documents.id))
    .limit(query.limit + 1)
  return toPage(rows, query.limit)
}
