import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DrizzleQueryError } from 'drizzle-orm'
import { Problem, problemType } from './problem.js'

interface DatabaseErrorLike { code?: string; constraint?: string; message: string }

/** drizzle wraps driver errors; the SQLSTATE lives on the cause. */
export function databaseErrorOf(error: unknown): DatabaseErrorLike | undefined {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as DatabaseErrorLike & { cause?: unknown }
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate
    current = current instanceof DrizzleQueryError || candidate.cause ? candidate.cause : undefined
  }
  return undefined
}

const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH'])

function isDatabaseUnavailable(error: unknown): boolean {
  const dbError = databaseErrorOf(error)
  if (dbError?.code && /^(08|57P|53)/.test(dbError.code)) return true
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: string; message?: string; cause?: unknown }
    if (e.code && UNAVAILABLE_NETWORK_CODES.has(e.code)) return true
    if (e.message && /Connection terminated|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end/i.test(e.message)) return true
    current = e.cause
  }
  return false
}

interface ProblemBody { type: string; title: string; status: number; detail: string; [extension: string]: unknown }

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
}

function toProblem(error: FastifyError, request: FastifyRequest): { body: ProblemBody; headers: Record<string, string> } {
  const make = (status: number, slug: string, detail: string, extensions: Record<string, unknown> = {}) => ({
    body: { type: problemType(slug), title: titles[status] ?? 'Error', status, detail, ...extensions },
    headers: {} as Record<string, string>,
  })

  if (error instanceof Problem) {
    return {
      body: { type: error.type, title: error.title, status: error.status, detail: error.detail, ...error.extensions },
      headers: error.headers,
    }
  }
  if (error.validation) {
    const part = error.validationContext ?? 'body'
    const where = part === 'querystring' ? 'query' : part === 'params' ? 'path' : part
    const errors = error.validation.map((issue) => {
      const params = issue.params
      const property = (params.missingProperty ?? params.additionalProperty) as string | undefined
      const pointer = issue.instancePath + (property ? `/${property}` : '')
      const detail = params.additionalProperty ? `unknown property "${property}"` : issue.message ?? 'is invalid'
      return { in: where, pointer: pointer || '/', detail }
    })
    const unique = errors.filter((e, i) => errors.findIndex((o) => o.pointer === e.pointer && o.detail === e.detail) === i)
    const summary = unique.map((e) => `${e.pointer} ${e.detail}`).join('; ')
    return make(400, 'validation', `The request ${where} is invalid: ${summary}.`, { errors: unique })
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return make(415, 'unsupported-media-type', `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported; send application/json.`)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make(413, 'body-too-large', 'The request body is larger than this service accepts (1 MiB by default).')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return make(400, 'malformed-json', 'The body is empty but Content-Type is application/json; send a JSON document or no Content-Type.')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return make(400, 'malformed-json', `The body is not valid JSON: ${error.message}`)
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return make(400, 'malformed-json', `The body is not valid JSON: ${error.message}`)
  }
  const dbError = databaseErrorOf(error)
  if (dbError?.code === '23505') {
    return make(409, 'already-exists', 'A record with the same unique values already exists.')
  }
  if (dbError?.code === '23503') {
    return make(409, 'reference-conflict', 'The request refers to a record that does not exist, or removes one that is still referenced.')
  }
  if (dbError?.code === '23P01') {
    return make(409, 'booking-conflict', 'The booking overlaps another reservation of the same room, counsellor or person.')
  }
  if (dbError?.code === '40001' || dbError?.code === '40P01') {
    const problem = make(503, 'retry', 'The request collided with a concurrent change; retry it.')
    problem.headers['retry-after'] = '1'
    return problem
  }
  if (dbError?.code && /^22/.test(dbError.code)) {
    return make(400, 'invalid-value', 'A value in the request is out of range or not in the expected format.')
  }
  if (isDatabaseUnavailable(error)) {
    const problem = make(503, 'database-unavailable', 'The database is unavailable; retry in a few seconds.')
    problem.headers['retry-after'] = '5'
    return problem
  }
  // A 4xx raised by fastify itself (e.g. a bad Accept header) carries its own status.
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return make(error.statusCode, 'request', error.message)
  }
  return make(500, 'internal', 'Something went wrong on our side. The error is logged with this request id; please report it.')
}

export function sendProblem(reply: FastifyReply, body: ProblemBody, headers: Record<string, string> = {}) {
  return reply
    .code(body.status)
    .headers(headers)
    .type('application/problem+json')
    .send({ ...body, instance: reply.request.url, requestId: reply.request.id })
}

/**
 * Errors the router raises before any route or error handler runs (a URL that does not decode, a
 * path segment over the router's length limit): problem+json like every other error.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const detail = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? 'A path segment is too long to be an id (ids are UUIDs); check the URL.'
    : 'The URL is not valid: a path segment does not decode (check its percent-encoding).'
  return sendProblem(reply, { type: problemType('bad-url'), title: 'Bad Request', status: 400, detail })
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { body, headers } = toProblem(error, request)
    if (body.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ status: body.status, problem: body.type }, 'request refused')
    return sendProblem(reply, body, headers)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: problemType('not-found'), title: 'Not Found', status: 404,
      detail: `There is no route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`,
    }))
}
