import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { and, eq, lt } from 'drizzle-orm'
import type { Tx } from '../db/client.js'
import { idempotencyKeys } from '../db/schema.js'
import { unprocessable } from '../domain/errors.js'
import { sendProblem, type ProblemBody } from './errors.js'

/** The request header, documented on the routes that honour it. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'A key of your choosing (e.g. a UUID). Retrying with the same key and body returns the first response (with `idempotent-replayed: true`) instead of acting twice; the same key with another body is refused (422). Keys are per token and kept for 24 hours.',
      examples: ['5f0c8f6e-2b7a-4d0e-9a43-0d1c4c2b9f10'],
    }),
  ),
})

const REPLAYED_HEADER = 'idempotent-replayed'

declare module 'fastify' {
  interface FastifyInstance {
    /** How long an Idempotency-Key is remembered, in milliseconds. */
    idempotencyKeyMs: number
  }
}

/** JSON with object keys sorted, so that key order does not make two equal bodies differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

const requestHash = (body: unknown) =>
  createHash('sha256')
    .update(canonical(body ?? null))
    .digest('hex')

export interface IdempotentResult {
  status: number
  body: unknown
  replayed: boolean
}

/**
 * Runs a creating request at most once per (token, Idempotency-Key). The key row is inserted first,
 * in the same transaction as the work, so:
 * - a retry after commit finds the row and replays the stored response (same status and body);
 * - a concurrent duplicate blocks on the unique index until the first commits, then finds the row
 *   (ON CONFLICT DO NOTHING) and replays; if the first rolled back, it does the work itself;
 * - a failed request (4xx thrown inside) stores nothing and may be retried with the same key.
 * Without the header the work simply runs in a transaction.
 */
async function runIdempotent(
  app: FastifyInstance,
  request: FastifyRequest,
  work: (tx: Tx) => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentResult> {
  const key = request.headers['idempotency-key']
  const tokenId = request.actor.tokenId
  if (typeof key !== 'string' || !tokenId) {
    const result = await app.db.transaction(work)
    return { ...result, replayed: false }
  }
  const route = `${request.method} ${request.routeOptions.url}`
  // The path's ids are part of the request: the same body sent to another visit is another request.
  const params = (request.params ?? {}) as Record<string, unknown>
  const hash = requestHash(Object.keys(params).length ? { params, body: request.body } : request.body)
  return app.db.transaction(async (tx) => {
    // A key past its time is forgotten, so its next use acts anew (the retention job removes the rest).
    const now = app.clock.now()
    await tx
      .delete(idempotencyKeys)
      .where(
        and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.createdAt, new Date(now.getTime() - app.idempotencyKeyMs))),
      )
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ tokenId, key, route, requestSha256: hash, status: 0, response: {}, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })
    if (claimed.length === 0) {
      const [first] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key)))
      if (!first || first.route !== route || first.requestSha256 !== hash) {
        throw unprocessable(
          'idempotency-key-reused',
          `The Idempotency-Key "${key}" was already used with a different request. Use a new key for a new request; retry with the same body to get the first response.`,
        )
      }
      return { status: first.status, body: first.response, replayed: true }
    }
    const result = await work(tx)
    // Stored as JSON (dates as ISO strings), exactly as it will be sent.
    const body = JSON.parse(JSON.stringify(result.body)) as unknown
    await tx
      .update(idempotencyKeys)
      .set({ status: result.status, response: body })
      .where(and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key)))
    return { status: result.status, body, replayed: false }
  })
}

/** What a state-changing request answers: its status and body (a problem's body when the status is 4xx). */
export interface Answer {
  status: number
  body: unknown
}

export interface AnswerOptions {
  /** Headers that follow from the body (an ETag), so that a replay carries them too. */
  headersOf?: (body: never) => Record<string, string>
  /** How the body is sent when not by the route's own serializer (a view chosen by the caller's role). */
  send?: (reply: FastifyReply, body: unknown, status: number) => FastifyReply
}

/**
 * The one way a POST that changes state answers: its work runs in one transaction, at most once per
 * (token, Idempotency-Key); a replay answers the stored status and body with `idempotent-replayed:
 * true`. A work that commits and still refuses (a check-in refused, its incident kept) answers its
 * problem as a 4xx Answer, stored and replayed like any other.
 */
export async function respondOnce(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Tx) => Promise<Answer>,
  options: AnswerOptions = {},
): Promise<FastifyReply> {
  const result = await runIdempotent(app, request, work)
  if (result.replayed) reply.header(REPLAYED_HEADER, 'true')
  if (result.status >= 400) return sendProblem(reply, result.body as ProblemBody)
  if (options.headersOf) reply.headers(options.headersOf(result.body as never))
  return options.send ? options.send(reply, result.body, result.status) : reply.code(result.status).send(result.body)
}
