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

/** A problem only HTTP knows of (no or bad token, ETag mismatch, …); domain refusals are DomainErrors. */
export const unauthorized = (detail: string) =>
  new Problem(401, 'unauthorized', 'Unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="bezoekruimte"' })

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ examples: ['urn:bezoekruimte:problem:validation'] }),
    title: Type.String({ examples: ['Bad Request'] }),
    status: Type.Integer({ examples: [400] }),
    detail: Type.String({ examples: ['The request body is invalid: /capacity must be >= 1.'] }),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          in: Type.String({ examples: ['body'] }),
          pointer: Type.String({ examples: ['/capacity'] }),
          detail: Type.String({ examples: ['must be >= 1'] }),
        }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true, title: 'RFC 9457 problem details' },
)

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
  429: 'Too many unknown tokens from this address; retry after `Retry-After` seconds',
  500: 'Unexpected error on our side; logged with the request id',
  503: 'Database unavailable; retry later',
}

const responseNames: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
}

/**
 * The document's shared problem responses (`#/components/responses/NotFound`): an operation refers
 * to the one of its status rather than repeating it. Returns the reference for a response that is
 * exactly the shared one, and undefined for any other.
 */
export function sharedProblemResponse(status: string, response: { description?: string; content?: Record<string, { schema?: unknown }> }) {
  const name = responseNames[Number(status)]
  const content = Object.keys(response.content ?? {})
  const schema = response.content?.['application/problem+json']?.schema as { $ref?: string } | undefined
  if (!name || response.description !== statusDescriptions[Number(status)] || content.length !== 1 || schema?.$ref !== '#/components/schemas/Problem') {
    return undefined
  }
  return {
    name,
    definition: { description: response.description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
  }
}

/** The `default` response: the problems of `statuses`, which any operation may answer, described once. */
export function generalProblemResponse(statuses: string[]) {
  return {
    description: ['A problem any operation may answer:', ...statuses.map((status) => `- ${status}: ${statusDescriptions[Number(status)]}`)].join('\n'),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  }
}

/** One documented problem response: the shared schema, under its own media type. */
export const problemResponse = (status: number) => ({
  description: statusDescriptions[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: problemRef } },
})

/** Problem responses for a route's schema, keyed by status; every route gets 400/401/403/429/500/503. */
export function problemResponses(...statuses: number[]): Record<number, ReturnType<typeof problemResponse>> {
  const all = new Set([400, 401, 403, 429, 500, 503, ...statuses])
  return Object.fromEntries([...all].sort((a, b) => a - b).map((status) => [status, problemResponse(status)]))
}
