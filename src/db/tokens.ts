import { createHash } from 'node:crypto'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db, Queryable } from './client.js'
import { apiTokens } from './schema.js'

/**
 * Finding the token a request presents, for the authentication hook: infrastructure below the
 * modules. Tokens are stored only as the SHA-256 of their secret; the tokens module issues them.
 */

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** The lookup runs on every request: a named prepared statement spares the planning. */
export const tokenBySecretHash = (db: Db) =>
  db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.secretHash, sql.placeholder('secretHash')), isNull(apiTokens.revokedAt)))
    .prepare('token_by_secret_hash')

export const markTokenUsed = (db: Queryable, id: string, at: Date) => db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id))
