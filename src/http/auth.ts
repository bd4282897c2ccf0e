import { createHash, randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { and, eq, isNull, sql } from 'drizzle-orm'
import { apiTokens } from '../db/schema.js'
import type { Queryable } from '../db/client.js'
import { Problem, forbidden } from './problem.js'

export const ROLES = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
export type Role = (typeof ROLES)[number]

/** Who is calling, and the one centre or court their token is scoped to. */
export interface Actor {
  tokenId: string | null
  role: Role | 'system'
  centreId: string | null
  courtId: string | null
  counsellorId: string | null
}

/** The actor for work done outside HTTP (CLI, seed). */
export const systemActor: Actor = { tokenId: null, role: 'system', centreId: null, courtId: null, counsellorId: null }

declare module 'fastify' {
  interface FastifyRequest { actor: Actor }
  interface FastifyContextConfig {
    /** Roles allowed on this route; every /v1 route must declare them. */
    roles?: readonly Role[]
  }
}

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

const unauthorized = (detail: string) =>
  new Problem(401, 'unauthorized', 'Unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="bezoekruimte"' })

// lastUsedAt is kept to the minute: a write per request would double the cost of every read.
const LAST_USED_RESOLUTION_MS = 60_000

/** The token lookup runs on every request: a named prepared statement spares the planning. */
const tokenByHash = (app: FastifyInstance) => app.db.select().from(apiTokens)
  .where(and(eq(apiTokens.secretHash, sql.placeholder('secretHash')), isNull(apiTokens.revokedAt)))
  .prepare('token_by_secret_hash')

async function authenticate(app: FastifyInstance, lookup: ReturnType<typeof tokenByHash>, request: FastifyRequest): Promise<Actor> {
  const header = request.headers.authorization
  if (!header) throw unauthorized('Send an API token as "Authorization: Bearer <token>".')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".')
  const [token] = await lookup.execute({ secretHash: hashSecret(match[1]!) })
  if (!token) throw unauthorized('The token is unknown or has been revoked.')
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await app.db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, token.id))
  }
  return { tokenId: token.id, role: token.role, centreId: token.centreId, courtId: token.courtId, counsellorId: token.counsellorId }
}

/**
 * Bearer authentication and role checks. Runs before the body is read, so an unauthenticated
 * caller cannot make us parse a large body. Scope (centre or court) is enforced by each query.
 */
export const authPlugin = fp(async (app) => {
  app.decorateRequest('actor', null as unknown as Actor)
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/') && !route.config?.roles) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no roles`)
    }
  })
  const lookup = tokenByHash(app)
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.roles
    if (!roles) return
    request.actor = await authenticate(app, lookup, request)
    if (!roles.includes(request.actor.role as Role)) {
      throw forbidden(`A ${request.actor.role} token may not ${request.method} ${request.routeOptions.url}; this needs one of: ${roles.join(', ')}.`)
    }
  })
}, { name: 'auth', dependencies: ['database'] })

