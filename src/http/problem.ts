import { Type } from '@sinclair/typebox'

/**
 * An RFC 9457 problem. Thrown anywhere in a request, rendered as application/problem+json by the
 * error handler. `detail` is written for the person reading it: what is wrong and what to do.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
  }

  get type(): string {
    return problemType(this.slug)
  }
}

export const problemType = (slug: string) => `urn:bezoekruimte:problem:${slug}`

export type FieldError = { in: 'body' | 'query' | 'path' | 'headers'; pointer: string; detail: string }

/**
 * A 400 naming each bad field by JSON pointer. Schema errors, hand-made checks and the input
 * hygiene checks all answer this one type, so a client handles every field error one way.
 */
export const validationProblem = (errors: FieldError[], extensions: Record<string, unknown> = {}) => {
  const where = [...new Set(errors.map((e) => e.in))].join(' and ')
  const summary = errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')
  return new Problem(400, 'validation', 'Bad Request', `The request ${where} is invalid: ${summary}.`, { errors, ...extensions })
}

/** A 400 that is not about one field (or whose fields are listed in `errors`: then it is a validation problem). */
export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  new Problem(400, extensions?.errors ? 'validation' : 'bad-request', 'Bad Request', detail, extensions)
/** A 400 naming one field of the body or query by JSON pointer, in the words every validation error uses. */
export const invalidInput = (where: 'body' | 'query', pointer: string, detail: string, extensions: Record<string, unknown> = {}) =>
  validationProblem([{ in: where, pointer, detail }], extensions)
export const forbidden = (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail)
/** Unknown, or outside the caller's scope: the two are indistinguishable on purpose. */
export const notFound = (what: string, id?: string) =>
  new Problem(404, 'not-found', 'Not Found', id ? `No ${what} with id ${id} exists in your scope.` : `No such ${what} in your scope.`)
export const conflict = (slug: string, detail: string, extensions?: Record<string, unknown>) =>
  new Problem(409, slug, 'Conflict', detail, extensions)
export const unprocessable = (slug: string, detail: string, extensions?: Record<string, unknown>) =>
  new Problem(422, slug, 'Unprocessable Content', detail, extensions)

export const ProblemSchema = Type.Object({
  type: Type.String({ examples: ['urn:bezoekruimte:problem:validation'] }),
  title: Type.String({ examples: ['Bad Request'] }),
  status: Type.Integer({ examples: [400] }),
  detail: Type.String({ examples: ['The request body is invalid: /capacity must be >= 1.'] }),
  instance: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({
    in: Type.String({ examples: ['body'] }),
    pointer: Type.String({ examples: ['/capacity'] }),
    detail: Type.String({ examples: ['must be >= 1'] }),
  }))),
}, { $id: 'Problem', additionalProperties: true, title: 'RFC 9457 problem details' })

const problemRef = Type.Ref(ProblemSchema)

const statusDescriptions: Record<number, string> = {
  400: 'Invalid input (`errors[]` names each field)',
  401: 'Missing, unknown or revoked token',
  403: 'Role not allowed',
  404: 'Unknown, or not in your scope',
  409: 'Conflict with the current state',
  412: 'ETag does not match (If-Match)',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Well-formed but not allowed',
  428: 'If-Match required',
  500: 'Unexpected error on our side; logged with the request id',
  503: 'Database unavailable; retry later',
}

/** One documented problem response: the shared schema, under its own media type. */
export const problemResponse = (status: number) => ({
  description: statusDescriptions[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: problemRef } },
})

/** Problem responses for a route's schema, keyed by status; every route gets 400/401/403/500/503. */
export function problemResponses(...statuses: number[]): Record<number, ReturnType<typeof problemResponse>> {
  const all = new Set([400, 401, 403, 500, 503, ...statuses])
  return Object.fromEntries([...all].sort((a, b) => a - b).map((status) => [status, problemResponse(status)]))
}
