import { systemClock, type Clock } from './clock.js'
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { randomUUID } from 'node:crypto'
import { DatabaseAvailability } from './db/availability.js'
import type { Database } from './db/client.js'
import { databasePlugin } from './db/plugin.js'
import helmet from '@fastify/helmet'
import { authPlugin } from './http/auth.js'
import { ATTACHMENT_MAX_BYTES, AUTH_FAILURES_PER_MINUTE, IDEMPOTENCY_KEY_HOURS } from './config.js'
import { clientErrors, frameworkErrors, registerErrorHandling } from './http/errors.js'
import { loggingPlugin, requestLogger } from './http/logging.js'
import { registerComponents } from './http/components.js'
import { componentSchemas } from './components.js'
import { registerValidation, serializersCompiledAtFirstUse } from './http/validation.js'
import { openapiPlugin } from './http/openapi.js'
import { healthRoutes } from './modules/health/routes.js'
import { adminRoutes } from './modules/admin/routes.js'
import { tokenRoutes } from './modules/tokens/routes.js'
import { auditRoutes } from './modules/audit/routes.js'
import { reasonCodeRoutes } from './modules/reason-codes/routes.js'
import { referralRoutes } from './modules/referrals/routes.js'
import { agreementRoutes } from './modules/cases/agreement-routes.js'
import { caseRoutes } from './modules/cases/routes.js'
import { caseTransitionRoutes } from './modules/case-transitions/routes.js'
import { documentRoutes } from './modules/documents/routes.js'
import { recurrencePreviewRoutes } from './modules/scheduling/preview-routes.js'
import { availabilityRoutes } from './modules/scheduling/availability-routes.js'
import { schedulingRoutes } from './modules/scheduling/routes.js'
import { visitReadRoutes } from './modules/visits/read-routes.js'
import { visitChangeRoutes } from './modules/visits/changes-routes.js'
import { daySheetRoutes } from './modules/day-sheet/routes.js'
import { webhookRoutes } from './modules/webhooks/routes.js'
import { statisticsRoutes } from './modules/statistics/routes.js'
import { calendarRoutes } from './modules/calendars/routes.js'
import type { WebhookPolicy } from './modules/webhooks/service.js'
import { visitRoutes } from './modules/visits/routes.js'
import { observationRoutes } from './modules/visits/observation-routes.js'
import { concernRoutes } from './modules/concerns/routes.js'
import { consultationRoutes } from './modules/consultations/routes.js'
import { courtChannelRoutes } from './modules/court-channel/routes.js'
import { reportRoutes } from './modules/reports/routes.js'
import { partyRoutes } from './modules/parties/routes.js'
import { backupRoutes } from './modules/backup/routes.js'
import { HOUR_MS } from './domain/time.js'

declare module 'fastify' {
  interface FastifyInstance {
    clock: Clock
    /** Notes database outages (one log line down, one up); shared with the process's background jobs. */
    availability: DatabaseAvailability
  }
}

export interface AppOptions {
  database: Database
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance']
  bodyLimitBytes?: number
  /** The largest document a court may upload (ATTACHMENT_MAX_BYTES, default 10 MiB). */
  attachmentMaxBytes?: number
  /** What "now" is for the services; the system clock unless a test sets one. */
  clock?: Clock
  /** Where webhooks may point (WEBHOOK_ALLOW_PRIVATE_URLS); public addresses only by default. */
  webhookPolicy?: WebhookPolicy
  /** Unknown tokens a client address may present per minute before it is refused (429) for the rest of it. */
  authFailuresPerMinute?: number
  /** How long an Idempotency-Key is remembered (IDEMPOTENCY_KEY_HOURS, default 24). */
  idempotencyKeyHours?: number
  /** The process's; an app of its own (a test's) makes one. */
  availability?: DatabaseAvailability
  /**
   * On close, how long requests are still read and served (each answer closing its connection)
   * before idle connections are closed: a request a client has already sent on an idle keep-alive
   * connection, still unread in a busy process's socket, is answered rather than reset.
   */
  drainMs?: number
}

const REQUEST_ID = /^[\w.:-]{1,128}$/

/** Builds the HTTP application on an open database. Never listens: the server (or a test's inject) does. */
export async function buildApp(options: AppOptions) {
  const loggerOption =
    options.logger && typeof (options.logger as { child?: unknown }).child === 'function'
      ? { loggerInstance: options.logger as FastifyServerOptions['loggerInstance'] }
      : { logger: (options.logger ?? false) as FastifyServerOptions['logger'] }
  const app = Fastify({
    ...loggerOption,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // A client's own request id is kept (when it looks like one) so logs can be joined across systems.
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: serializersCompiledAtFirstUse,
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- it returns the reply (a thenable), which fastify ignores
    frameworkErrors,
    clientErrorHandler: clientErrors,
    // Every request's log lines go through the serializers of src/http/logging.ts, whichever logger this is.
    childLoggerFactory: requestLogger as unknown as FastifyServerOptions['childLoggerFactory'],
    // On close, idle keep-alive connections are closed at once and busy ones after their response
    // (the Connection: close below); a request that still arrives on one is served, not refused,
    // since the database stays open until the server has closed.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>()

  let closing = false
  app.addHook('preClose', async () => {
    closing = true
    if (options.drainMs) await new Promise((resolve) => setTimeout(resolve, options.drainMs))
  })

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    // Every answer of the API holds someone's data or a decision about it: no cache may keep a copy.
    if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    // A keep-alive connection would otherwise stay open after the last response and hold the close up.
    if (closing) reply.header('connection', 'close')
  })
  // Security headers on every answer; the pages (report, day sheet) get a policy that allows no script
  // at all, only their own inline styles, and may not be framed. The API docs page runs Swagger UI's
  // scripts, so it keeps the browser's defaults (this hook runs before helmet's, which reads the flag).
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.helmet = false
  })
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['data:'],
        frameAncestors: ["'none'"],
        formAction: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    // The API is called from other origins' servers, not embedded in their pages.
    crossOriginResourcePolicy: { policy: 'same-site' },
  })
  // JSON only: a text/plain body is refused with 415 rather than parsed into a string.
  app.removeContentTypeParser('text/plain')
  await app.register(loggingPlugin)
  registerValidation(app)
  registerErrorHandling(app)
  registerComponents(app, componentSchemas)

  app.decorate('clock', options.clock ?? systemClock)
  app.decorate('idempotencyKeyMs', (options.idempotencyKeyHours ?? IDEMPOTENCY_KEY_HOURS) * HOUR_MS)
  app.decorate('availability', options.availability ?? new DatabaseAvailability(() => options.database.ping(), app.log))
  await app.register(databasePlugin, { database: options.database })
  await app.register(openapiPlugin)
  await app.register(authPlugin, { failuresPerMinute: options.authFailuresPerMinute ?? AUTH_FAILURES_PER_MINUTE })
  await app.register(healthRoutes)
  await app.register(adminRoutes, { prefix: '/v1' })
  await app.register(tokenRoutes, { prefix: '/v1' })
  await app.register(auditRoutes, { prefix: '/v1' })
  await app.register(reasonCodeRoutes, { prefix: '/v1' })
  await app.register(referralRoutes, { prefix: '/v1' })
  await app.register(caseRoutes, { prefix: '/v1' })
  await app.register(caseTransitionRoutes, { prefix: '/v1' })
  await app.register(documentRoutes, { prefix: '/v1' })
  await app.register(agreementRoutes, { prefix: '/v1' })
  await app.register(recurrencePreviewRoutes, { prefix: '/v1' })
  await app.register(availabilityRoutes, { prefix: '/v1' })
  await app.register(schedulingRoutes, { prefix: '/v1' })
  await app.register(visitReadRoutes, { prefix: '/v1' })
  await app.register(visitChangeRoutes, { prefix: '/v1' })
  await app.register(daySheetRoutes, { prefix: '/v1' })
  await app.register(statisticsRoutes, { prefix: '/v1' })
  await app.register(calendarRoutes, { prefix: '/v1' })
  await app.register(webhookRoutes, { prefix: '/v1', policy: options.webhookPolicy ?? { allowPrivateUrls: false } })
  await app.register(visitRoutes, { prefix: '/v1' })
  await app.register(observationRoutes, { prefix: '/v1' })
  await app.register(concernRoutes, { prefix: '/v1' })
  await app.register(consultationRoutes, { prefix: '/v1' })
  await app.register(courtChannelRoutes, { prefix: '/v1', attachmentMaxBytes: options.attachmentMaxBytes ?? ATTACHMENT_MAX_BYTES })
  await app.register(reportRoutes, { prefix: '/v1' })
  await app.register(partyRoutes, { prefix: '/v1' })
  await app.register(backupRoutes, { prefix: '/v1' })
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
