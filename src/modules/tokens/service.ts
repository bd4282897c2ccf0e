import { randomBytes } from 'node:crypto'
import { hashSecret } from '../../db/tokens.js'
import { and, asc, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Queryable, Tx } from '../../db/client.js'
import { apiTokens, centres, counsellors, courts } from '../../db/schema.js'
import { OPERATOR_ONLY, type Actor } from '../../domain/actor.js'
import { invalidInput, notAllowed, notFound } from '../../domain/errors.js'
import type { Role } from '../../domain/vocabulary.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import { audit } from '../../db/audit.js'
import type { TokenCreate, TokenQuery } from './schemas.js'

/**
 * API tokens: opaque secrets, stored only as their SHA-256, each with one role and one scope.
 * Issued by the CLI, the seed and the token routes (with the rules of who may issue which);
 * looked up by the authentication hook.
 */

const TOKEN_PREFIX = 'bzr_'

/** A new opaque secret: 256 random bits behind a recognisable prefix (so leaked tokens can be found by scanners). */
export function newSecret(prefix = TOKEN_PREFIX): { secret: string; secretHash: string } {
  const secret = prefix + randomBytes(32).toString('base64url')
  return { secret, secretHash: hashSecret(secret) }
}

export interface NewToken {
  role: Role
  centreId?: string | null
  courtId?: string | null
  counsellorId?: string | null
  label?: string | null
  name?: string | null
  function?: string | null
  issuedByCentreId?: string | null
}

/** Creates a token row; the secret is returned once and only its hash is stored. */
export async function createToken(db: Queryable, token: NewToken) {
  const { secret, secretHash } = newSecret()
  const [row] = await db
    .insert(apiTokens)
    .values({
      role: token.role,
      centreId: token.centreId ?? null,
      courtId: token.courtId ?? null,
      counsellorId: token.counsellorId ?? null,
      label: token.label ?? null,
      name: token.name ?? null,
      function: token.function ?? null,
      issuedByCentreId: token.issuedByCentreId ?? token.centreId ?? null,
      secretHash,
    })
    .returning()
  return { row: row!, secret }
}

/** The audit entry of an issued token, under the centre or court it is scoped to. */
const recordIssued = (tx: Queryable, actor: Actor, row: typeof apiTokens.$inferSelect) =>
  audit(tx, actor, { action: 'token.created', entityType: 'token', entityId: row.id, centreId: row.centreId, courtId: row.courtId })

/** Creates a token and records it in the audit trail; the secret is returned once. */
export async function issue(tx: Queryable, actor: Actor, token: NewToken) {
  const created = await createToken(tx, token)
  await recordIssued(tx, actor, created.row)
  return created
}

/** The first record a token's scope names that does not exist (a counsellor: not in the token's centre), or null. */
export async function missingScope(
  db: Queryable,
  scope: Pick<NewToken, 'centreId' | 'courtId' | 'counsellorId'>,
): Promise<'centre' | 'court' | 'counsellor' | null> {
  if (scope.centreId && !(await db.select({ id: centres.id }).from(centres).where(eq(centres.id, scope.centreId))).length) return 'centre'
  if (scope.courtId && !(await db.select({ id: courts.id }).from(courts).where(eq(courts.id, scope.courtId))).length) return 'court'
  if (scope.counsellorId) {
    const [row] = await db
      .select({ id: counsellors.id })
      .from(counsellors)
      .where(and(eq(counsellors.id, scope.counsellorId), scope.centreId ? eq(counsellors.centreId, scope.centreId) : sql`false`))
    if (!row) return 'counsellor'
  }
  return null
}

/**
 * A token the installation itself issues (the CLI): any role and scope, the operator's included.
 * The scope must exist; the CLI checks it first with `missingScope` to say so in its own words.
 */
export async function issueInstallationToken(tx: Tx, actor: Actor, _now: Date, token: NewToken) {
  const missing = await missingScope(tx, token)
  if (missing) throw notFound(missing, (missing === 'centre' ? token.centreId : missing === 'court' ? token.courtId : token.counsellorId) ?? undefined)
  return issue(tx, actor, token)
}

/**
 * A token issued over HTTP. An admin issues admin, staff, counsellor and integration tokens for its
 * own centre. A court-scoped token (clerk, or integration with a court) reads that court's referrals
 * in every centre, so only the operator issues one, and the operator issues nothing else here.
 */
export async function issueToken(tx: Tx, actor: Actor, _now: Date, input: TokenCreate) {
  const byOperator = actor.role === 'operator'
  const courtScoped = input.role === 'clerk' || (input.role === 'integration' && (input.courtId !== undefined || byOperator))
  if (courtScoped && !byOperator) throw notAllowed(`A centre's admin may not issue a ${input.role} token for a court. ${OPERATOR_ONLY}`)
  if (!courtScoped && byOperator)
    throw notAllowed(
      `The operator issues court-scoped tokens only (clerk, or integration with a courtId); a ${input.role} token is issued by its centre's admin, or with the CLI.`,
    )
  if (courtScoped && !input.courtId) throw invalidInput('body', '/courtId', `is required for a ${input.role} token of a court`)
  if (input.courtId && !courtScoped) throw invalidInput('body', '/courtId', `does not apply to a ${input.role} token`)
  if (input.role === 'counsellor' && !input.counsellorId) throw invalidInput('body', '/counsellorId', 'is required for a counsellor token')
  if (input.counsellorId && input.role !== 'counsellor') throw invalidInput('body', '/counsellorId', `does not apply to a ${input.role} token`)
  const token: NewToken = {
    role: input.role,
    label: input.label,
    name: input.name,
    function: input.function,
    centreId: courtScoped ? null : actor.centreId,
    courtId: courtScoped ? input.courtId! : null,
    counsellorId: input.counsellorId,
    issuedByCentreId: actor.centreId,
  }
  const missing = await missingScope(tx, { courtId: token.courtId, counsellorId: token.counsellorId, centreId: token.centreId })
  if (missing === 'court') throw notFound('court', input.courtId)
  if (missing === 'counsellor') throw notFound('counsellor', input.counsellorId)
  const { row, secret } = await issue(tx, actor, token)
  return { ...row, token: secret }
}

/**
 * The tokens an actor manages. An admin's: those of its centre and those it issued. The
 * operator's: the court-scoped tokens it issues. The installation's (CLI): every token.
 */
function tokensInScope(actor: Actor): SQL | undefined {
  if (actor.role === 'system') return undefined
  if (actor.role === 'operator') return and(isNotNull(apiTokens.courtId), isNull(apiTokens.issuedByCentreId))
  return or(eq(apiTokens.centreId, actor.centreId!), eq(apiTokens.issuedByCentreId, actor.centreId!))
}

/** The tokens in the actor's scope, never their secrets. */
export async function listTokens(db: Queryable, actor: Actor, query: TokenQuery) {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(and(tokensInScope(actor), afterCursor(apiTokens.id, query.cursor)))
    .orderBy(asc(apiTokens.id))
    .limit(query.limit + 1)
  return toPage(rows, query.limit)
}

/** A token in the actor's scope, or undefined. */
export async function findToken(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), tokensInScope(actor)))
  return row
}

/** Revokes a token at `now`; it stops working at once. Revoking twice is harmless: the token is returned as it is. */
export async function revokeToken(tx: Tx, actor: Actor, now: Date, id: string) {
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), tokensInScope(actor), isNull(apiTokens.revokedAt)))
    .returning()
  if (row) {
    await audit(tx, actor, { action: 'token.revoked', entityType: 'token', entityId: id, centreId: row.centreId, courtId: row.courtId })
    return row
  }
  const existing = await findToken(tx, actor, id)
  if (!existing) throw notFound('token', id)
  return existing
}
