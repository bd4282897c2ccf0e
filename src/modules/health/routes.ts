import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Problem, problemResponses } from '../../http/problem.js'

/** Liveness and readiness for the orchestrator: no token, no /v1 prefix. */

export const Health = Type.Object({ status: Type.Literal('ok', { examples: ['ok'] }) })

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    {
      schema: { operationId: 'checkLiveness', summary: 'Liveness: the process answers', tags: ['Health'], security: [], response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'checkReadiness',
        summary: 'Readiness: the database answers',
        tags: ['Health'],
        security: [],
        response: { 200: Health, 503: problemResponses(503)[503]! },
      },
    },
    async () => {
      try {
        await app.database.ping()
      } catch (error) {
        app.availability.report(error)
        // Not a domain error: this is about the service's own state, and a client should retry.
        throw new Problem(
          503,
          'database-unavailable',
          'Service Unavailable',
          'The database does not answer; retry in a few seconds.',
          {},
          { 'retry-after': '5' },
        )
      }
      return { status: 'ok' as const }
    },
  )
}
