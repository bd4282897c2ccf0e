import { createHash, randomBytes } from 'node:crypto'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db, Queryable } from '../../db/client.js'
import { apiTokens } from '../../db/schema.js'
import type { Role } from '../../domain/vocabulary.js'

/**
 * API tokens: opaque secrets, stored only as their SHA-256, each with one role and one scope.
 * Issued by the CLI, the seed and the token routes; looked up by the authentication hook.
 */

const TOKEN_PREFIX = 'bzr_'

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** A new opaque secret: 256 random bits behind a recognisable prefix (so leaked tokens can be found by scanners). */
export function newSecret(): { secret: string; secretHash: string } {
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  return { secret, secretHash: hashSecret(secret) }
}

export interface NewToken {
  role: Role
  centreId?: string | null
  courtId?: string | null
  counsellorId?: string | null
  label?: string | null
  issuedByCentreId?: string | null
}

/** Creates a token row; the secret is returned once and only its hash is stored. */
export async function createToken(db: Queryable, token: NewToken) {
  const { secret, secretHash } = newSecret()
  const [row] = await db.insert(apiTokens).values({
    role: token.role,
    centreId: token.centreId ?? null,
    courtId: token.courtId ?? null,
    counsellorId: token.counsellorId ?? null,
    label: token.label ?? null,
    issuedByCentreId: token.issuedByCentreId ?? token.centreId ?? null,
    secretHash,
  }).returning()
  return { row: row!, secret }
}

/** The lookup runs on every request: a named prepared statement spares the planning. */
export const tokenBySecretHash = (db: Db) => db.select().from(apiTokens)
  .where(and(eq(apiTokens.secretHash, sql.placeholder('secretHash')), isNull(apiTokens.revokedAt)))
  .prepare('token_by_secret_hash')

export const markTokenUsed = (db: Queryable, id: string, at: Date) => db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id))
