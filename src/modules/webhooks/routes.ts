import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Page } from '../../http/pagination.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/** HTTP for a centre's webhooks: register, list, read, delete, and read the delivery log. Admin only. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ policy: service.WebhookPolicy }> = async (app, { policy }) => {
  app.post(
    '/webhooks',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'createWebhook',
        summary: 'Register a webhook (the signing secret is returned once)',
        tags: ['Webhooks'],
        description:
          'Events are written to an outbox in the same transaction as the change and POSTed to the URL, signed as in the Standard Webhooks convention ' +
          '(`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`), retried with exponential backoff for a day. ' +
          'The URL must resolve to a public address unless the installation sets WEBHOOK_ALLOW_PRIVATE_URLS=true.',
        headers: IdempotencyHeaders,
        body: S.WebhookCreate,
        response: { 201: S.WebhookCreated, ...problemResponses(413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.createWebhook(tx, request.actor, app.clock.now(), policy, request.body),
      })),
  )

  app.get(
    '/webhooks',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listWebhooks',
        summary: "List the centre's webhooks (never their secrets)",
        tags: ['Webhooks'],
        querystring: S.WebhookQuery,
        response: { 200: Page(S.Webhook), ...problemResponses() },
      },
    },
    async (request) => service.listWebhooks(app.db, request.actor, app.clock.now(), request.query),
  )

  app.get(
    '/webhooks/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'getWebhook',
        summary: 'Read a webhook',
        tags: ['Webhooks'],
        params: IdParams,
        response: { 200: S.Webhook, ...problemResponses(404) },
      },
    },
    async (request) => service.getWebhook(app.db, request.actor, app.clock.now(), request.params.id),
  )

  app.delete(
    '/webhooks/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook: nothing more is sent to it',
        tags: ['Webhooks'],
        description: 'Its pending deliveries are given up (marked failed); the webhook and its delivery log stay readable.',
        params: IdParams,
        response: { 200: S.Webhook, ...problemResponses(404) },
      },
    },
    async (request) => app.db.transaction((tx) => service.deleteWebhook(tx, request.actor, app.clock.now(), request.params.id)),
  )

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: "A webhook's deliveries, newest first, each with the log of its attempts",
        tags: ['Webhooks'],
        params: IdParams,
        querystring: S.DeliveryQuery,
        response: { 200: Page(S.Delivery), ...problemResponses(404) },
      },
    },
    async (request) => service.listDeliveries(app.db, request.actor, request.params.id, request.query),
  )
}
