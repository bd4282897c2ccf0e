import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import pino from 'pino'
import { unauthorized } from './problem.js'

/**
 * What the request log may hold: the route's pattern (never the path a client typed: it can hold
 * free text), the query's keys, and the values of a few keys that can only be ids, dates, page
 * sizes or cursors. Query values are otherwise free text (`?explanation=` of a cancellation) or
 * secrets (a calendar `key`); headers are never logged.
 */

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/
const SHOWN: Record<string, RegExp> = {
  limit: /^\d{1,6}$/,
  cursor: /^[\w-]{1,200}$/,
  after: /^[\w.:-]{1,200}$/,
  from: DATE_OR_TIME,
  to: DATE_OR_TIME,
  date: DATE_OR_TIME,
}

/** The fixed words of every route's path (`v1`, `cases`, `check-in`, …), gathered as routes are added. */
const routeWords = new Set<string>()

/** An unmatched path as far as it is made of route words and ids; anything else (a name typed into a URL) is masked. */
const maskedPath = (path: string) =>
  path
    .slice(0, 300)
    .split('/')
    .map((segment) => (segment === '' || routeWords.has(segment) || ID.test(segment) ? segment : '…'))
    .join('/')

function shownValue(key: string, value: string): string {
  const allowed = SHOWN[key] ?? (key.endsWith('Id') ? ID : undefined)
  return allowed?.test(value) ? value : '(hidden)'
}

/** The log's view of a request: method, route, query keys; no header, no free text. */
function requestForLog(request: FastifyRequest) {
  const [path = '', search] = (request.url ?? '').split('?', 2)
  const query: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(search ?? '')) query[key.slice(0, 64)] = shownValue(key, value)
  return {
    method: request.method,
    url: request.routeOptions?.url ?? maskedPath(path),
    ...(search !== undefined ? { query } : {}),
    remoteAddress: request.ip,
  }
}

/** A failed query's message lists its parameters (names, phone numbers): those stay out of the log. */
const HIDDEN_KEYS = new Set(['params', 'parameters', 'detail'])
const PARAMS = /\nparams: [\s\S]*?(?=\n {4}at |$)/g
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(PARAMS, '\nparams: (hidden)')
  if (!value || typeof value !== 'object' || depth > 5) return value
  const copy: Record<string, unknown> = Array.isArray(value) ? ([] as never) : {}
  for (const [key, item] of Object.entries(value)) {
    // drizzle keeps the values in `params`; PostgreSQL's `detail` repeats them ("Key (email)=(…) already exists").
    if (!HIDDEN_KEYS.has(key)) copy[key] = scrub(item, depth + 1)
  }
  return copy
}

const logSerializers = {
  req: requestForLog,
  err: (error: Error) => scrub(pino.stdSerializers.err(error)),
}

/**
 * Installs the serializers on every request's logger (whatever logger the app was given: the
 * server's, or a test's), and refuses tokens in the query string before anything else runs.
 */
export const loggingPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      for (const segment of route.url.split('/')) if (segment && !segment.startsWith(':') && !segment.includes('*')) routeWords.add(segment)
    })
    app.addHook('onRequest', async (request) => {
      if (new URLSearchParams(request.url.split('?', 2)[1] ?? '').has('access_token')) {
        // A URL ends up in proxies' logs and browser histories: a token there must be replaced, so it is not accepted.
        throw unauthorized(
          'A token in the query string (access_token) is not accepted; send it as "Authorization: Bearer <token>", and revoke this one: it has been exposed.',
        )
      }
    })
  },
  { name: 'logging' },
)

/** For fastify's childLoggerFactory: each request's logger uses the serializers above. */
export function requestLogger(logger: pino.Logger, bindings: pino.Bindings, options: pino.ChildLoggerOptions) {
  return logger.child(bindings, { ...options, serializers: { ...options.serializers, ...logSerializers } })
}
