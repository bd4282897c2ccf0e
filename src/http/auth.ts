import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { OPERATOR_ONLY, type Actor } from '../domain/actor.js'
import type { Role } from '../domain/vocabulary.js'
import { hashSecret, markTokenUsed, tokenBySecretHash } from '../db/tokens.js'
import { notAllowed } from '../domain/errors.js'
import { Problem, unauthorized } from './problem.js'
import { MINUTE_MS } from '../domain/time.js'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor
  }
  interface FastifyContextConfig {
    /**
     * Roles allowed on this route; every /v1 route must declare them. `public` takes no bearer
     * token: the route authenticates its caller itself (a calendar feed by the key in its URL).
     */
    roles?: readonly Role[] | 'public'
  }
}

// lastUsedAt is kept to the minute: a write per request would double the cost of every read.
const LAST_USED_RESOLUTION_MS = MINUTE_MS

const tooManyFailures = (retryAfterSeconds: number) =>
  new Problem(
    429,
    'too-many-failed-authentications',
    'Too Many Requests',
    `Too many unknown or revoked tokens from this address; try again in ${retryAfterSeconds} s with a valid token.`,
    {},
    { 'retry-after': String(retryAfterSeconds) },
  )

/**
 * Throttles guessing: each unknown or revoked token counts against the client's address
 * (@fastify/rate-limit's counter), and an address over the limit is refused before any token of
 * it is looked up, so a right guess cannot be told from a wrong one until the minute is over. The
 * count is per process: with several processes an address gets that many per process.
 */
function failureThrottle(app: FastifyInstance, failuresPerMinute: number) {
  const count = app.createRateLimit({ max: failuresPerMinute, timeWindow: MINUTE_MS, keyGenerator: (request) => request.ip })
  const blockedUntil = new Map<string, number>()
  return {
    check(request: FastifyRequest, now: number) {
      const until = blockedUntil.get(request.ip)
      if (until === undefined) return
      if (until > now) throw tooManyFailures(Math.ceil((until - now) / 1000))
      blockedUntil.delete(request.ip)
    },
    async failed(request: FastifyRequest, now: number, problem: Problem): Promise<Problem> {
      const limit = await count(request)
      // isAllowed means an allow-listed address (none are): never throttled.
      if (limit.isAllowed || !limit.isExceeded) return problem
      blockedUntil.set(request.ip, now + limit.ttl)
      return tooManyFailures(Math.ceil(limit.ttl / 1000))
    },
  }
}

async function authenticate(
  app: FastifyInstance,
  lookup: ReturnType<typeof tokenBySecretHash>,
  throttle: ReturnType<typeof failureThrottle>,
  request: FastifyRequest,
): Promise<Actor> {
  const header = request.headers.authorization
  if (!header) throw unauthorized('Send an API token as "Authorization: Bearer <token>".')
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".')
  throttle.check(request, Date.now())
  const [token] = await lookup.execute({ secretHash: hashSecret(match[1]!) })
  if (!token) throw await throttle.failed(request, Date.now(), unauthorized('The token is unknown or has been revoked.'))
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await markTokenUsed(app.db, token.id, new Date())
  }
  return { tokenId: token.id, role: token.role, centreId: token.centreId, courtId: token.courtId, counsellorId: token.counsellorId, requestId: request.id }
}

/**
 * Bearer authentication and role checks. Runs before the body is read, so an unauthenticated
 * caller cannot make us parse a large body. Scope (centre or court) is enforced by each query.
 */
export const authPlugin = fp<{ failuresPerMinute: number }>(
  async (app, options) => {
    await app.register(rateLimit, { global: false })
    const throttle = failureThrottle(app, options.failuresPerMinute)
    app.decorateRequest('actor', null as unknown as Actor)
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/v1/') && !route.config?.roles) {
        throw new Error(`Route ${String(route.method)} ${route.url} declares no roles`)
      }
    })
    const lookup = tokenBySecretHash(app.db)
    app.addHook('onRequest', async (request) => {
      const roles = request.routeOptions.config.roles
      if (!roles || roles === 'public') return
      request.actor = await authenticate(app, lookup, throttle, request)
      if (!roles.includes(request.actor.role as Role)) {
        const denied = `${/^[aeiou]/.test(request.actor.role) ? 'An' : 'A'} ${request.actor.role} token may not ${request.method} ${request.routeOptions.url}`
        throw notAllowed(roles.length === 1 && roles[0] === 'operator' ? `${denied}. ${OPERATOR_ONLY}` : `${denied}; this needs one of: ${roles.join(', ')}.`)
      }
    })
  },
  { name: 'auth', dependencies: ['database'] },
)
