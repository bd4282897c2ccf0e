import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import type { ErrorObject } from 'ajv'
import { DomainError, invalidFields, type DomainErrorKind, type FieldError } from '../domain/errors.js'
import { Problem, problemType } from './problem.js'
import { isDatabaseUnavailable } from '../db/availability.js'
import { databaseErrorOf, EXCLUSION_VIOLATION } from '../db/errors.js'

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail: string
  [extension: string]: unknown
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

const statusOf: Record<DomainErrorKind, number> = { invalid: 400, not_allowed: 403, not_found: 404, conflict: 409, unprocessable: 422 }

/** The one place a domain refusal becomes an HTTP problem. */
const problemFromDomain = (error: DomainError) => new Problem(statusOf[error.kind], error.code, titles[statusOf[error.kind]]!, error.detail, error.extensions)

const problemOf = (problem: Problem) => ({
  body: { type: problem.type, title: problem.title, status: problem.status, detail: problem.detail, ...problem.extensions } as ProblemBody,
  headers: problem.headers,
})

/** A refusal answered after its transaction commits (a refused check-in keeps its incident): respondOnce stores and sends it. */
export function problemAnswer(error: DomainError): { status: number; body: ProblemBody } {
  const { body } = problemOf(problemFromDomain(error))
  return { status: body.status, body }
}

const listed = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')

/** What a value of a field must look like, in words a person can act on. */
function describe(issue: ErrorObject, where: FieldError['in']): string {
  const params = issue.params as Record<string, unknown>
  if (typeof params.additionalProperty === 'string') {
    // A misspelt filter would otherwise list everything unfiltered, with nothing to say why.
    if (where === 'query' && !issue.instancePath) return `"${params.additionalProperty}" is not a query parameter of this operation`
    return `unknown property "${params.additionalProperty}"`
  }
  if (issue.keyword === 'enum') return `must be one of: ${listed(params.allowedValues as unknown[])}`
  if (issue.keyword === 'format' && params.format === 'date-time') {
    return 'must be a real date and time with its offset (RFC 3339), e.g. 2026-03-07T10:00:00+01:00'
  }
  return issue.message ?? 'is invalid'
}

/**
 * ajv's errors as one entry per field. A union of constants (TypeBox's Union of Literals, or a
 * nullable enum) fails every branch; those branch errors are folded into one list of the values
 * allowed. `if`/`then` repeats its `then` errors, so it is dropped.
 */
export function fieldErrors(issues: ErrorObject[], where: FieldError['in']): FieldError[] {
  const folded = new Map<ErrorObject, string>()
  const hidden = new Set<ErrorObject>()
  for (const union of issues.filter((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf')) {
    // Issues made by hand (in ajv's shape) carry no schemaPath.
    const branches = issues.filter((i) => i !== union && (i.schemaPath ?? '').startsWith(`${union.schemaPath}/`))
    const allowed: unknown[] = []
    const foldable =
      branches.length > 0 &&
      branches.every((b) => {
        const params = b.params as Record<string, unknown>
        if (b.keyword === 'const') allowed.push(params.allowedValue)
        else if (b.keyword === 'enum') allowed.push(...(params.allowedValues as unknown[]))
        else if (b.keyword === 'type' && params.type === 'null') allowed.push(null)
        else return false
        return b.instancePath === union.instancePath
      })
    if (!foldable) continue
    folded.set(union, `must be one of: ${listed(allowed)}`)
    for (const b of branches) hidden.add(b)
  }
  const errors = issues
    .filter((i) => !hidden.has(i) && i.keyword !== 'if')
    .map((issue) => {
      const params = issue.params as Record<string, unknown>
      const property = (params.missingProperty ?? params.additionalProperty) as string | undefined
      const pointer = issue.instancePath + (property ? `/${property}` : '')
      return { in: where, pointer: pointer || '/', detail: folded.get(issue) ?? describe(issue, where) }
    })
  return errors.filter((e, i) => errors.findIndex((o) => o.pointer === e.pointer && o.detail === e.detail) === i)
}

function toProblem(error: FastifyError, request: FastifyRequest): { body: ProblemBody; headers: Record<string, string> } {
  const make = (status: number, slug: string, detail: string, extensions: Record<string, unknown> = {}) => ({
    body: { type: problemType(slug), title: titles[status] ?? 'Error', status, detail, ...extensions },
    headers: {} as Record<string, string>,
  })

  if (error instanceof Problem) return problemOf(error)
  if (error instanceof DomainError) return problemOf(problemFromDomain(error))
  if (error.validation) {
    const part = error.validationContext ?? 'body'
    const where: FieldError['in'] = part === 'querystring' ? 'query' : part === 'params' ? 'path' : part
    return problemOf(problemFromDomain(invalidFields(fieldErrors(error.validation as ErrorObject[], where))))
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
  if (dbError?.code === EXCLUSION_VIOLATION) {
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
  return (
    reply
      .code(body.status)
      .headers(headers)
      .type('application/problem+json')
      // The path only: a query string may carry free text or a token, and a problem is often logged by a proxy.
      .send({ ...body, instance: reply.request.url.split('?')[0], requestId: reply.request.id })
  )
}

/**
 * Errors the router raises before any route or error handler runs (a URL that does not decode, a
 * path segment over the router's length limit): problem+json like every other error.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path segment is too long to be an id (ids are UUIDs); check the URL.'
      : 'The URL is not valid: a path segment does not decode (check its percent-encoding).'
  return sendProblem(reply, { type: problemType('bad-url'), title: 'Bad Request', status: 400, detail })
}

/**
 * Errors Node's HTTP parser raises before there is a request (headers over the size limit, a
 * malformed request line, a timeout): a problem+json answer on the raw socket. The error itself
 * is not logged whole: its raw packet holds the request's headers, tokens included.
 */
export function clientErrors(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [status, slug, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers-too-large', 'The request headers are larger than this service accepts (16 KiB in all).']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'The request was not received in time.']
        : [400, 'malformed-request', 'The request is not valid HTTP.']
  this.log.debug({ code: error.code, status }, 'client error')
  if (socket.writable) {
    const body = JSON.stringify({ type: problemType(slug), title: titles[status], status, detail })
    socket.end(
      `HTTP/1.1 ${status} ${titles[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  } else {
    socket.destroy()
  }
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { body, headers } = toProblem(error, request)
    // An outage is logged once, by the process's DatabaseAvailability, not by each request that meets it.
    if (body.type === problemType('database-unavailable')) app.availability.report(error)
    else if (body.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ status: body.status, problem: body.type }, 'request refused')
    return sendProblem(reply, body, headers)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: problemType('not-found'),
      title: 'Not Found',
      status: 404,
      detail: `There is no route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`,
    }),
  )
}
