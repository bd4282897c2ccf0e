import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../../domain/vocabulary.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { Instant, Nullable, StringEnum, Uuid } from '../../http/schemas.js'

/** A centre's webhooks and their delivery log, as the admin sends and reads them. */

const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'
const WebhookEventSchema = StringEnum(WEBHOOK_EVENTS, { examples: ['report.issued'] })

export const Webhook = Type.Object({
  id: Uuid,
  centreId: Uuid,
  url: Type.String({ examples: ['https://dossiers.example.be/hooks/bezoekruimte'] }),
  events: Type.Array(WebhookEventSchema, { examples: [['report.issued']] }),
  description: Nullable(Type.String({ examples: ['Case management system'] })),
  active: Type.Boolean({ description: 'false once deleted: nothing more is delivered to it', examples: [true] }),
  createdAt: Instant,
  deactivatedAt: Nullable(Instant),
  failingSince: Nullable({ ...Instant, description: 'The first failed attempt since the last delivery; null while deliveries get through' }),
  failing: Type.Boolean({
    description: 'Nothing has got through for a day: deliveries keep being retried, but the receiver needs looking at',
    examples: [false],
  }),
})
export type Webhook = Static<typeof Webhook>

export const WebhookCreated = Type.Object({
  ...Webhook.properties,
  secret: Type.String({
    description: 'The signing secret (Standard Webhooks, `whsec_<base64>`), shown this once: keep it to verify `webhook-signature`',
    examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  }),
})

export const WebhookCreate = Type.Object(
  {
    url: Type.String({
      format: 'uri',
      pattern: '^https?://',
      maxLength: 2000,
      description: 'http(s) URL of the receiver; it must resolve to a public address (unless the installation allows private ones)',
      examples: ['https://dossiers.example.be/hooks/bezoekruimte'],
    }),
    events: Type.Array(WebhookEventSchema, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, uniqueItems: true, examples: [['report.issued']] }),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['Case management system'] })),
  },
  {
    additionalProperties: false,
    examples: [{ url: 'https://dossiers.example.be/hooks/bezoekruimte', events: ['report.issued'], description: 'Case management system' }],
  },
)
export type WebhookCreate = Static<typeof WebhookCreate>

export const WebhookQuery = PageQuery
export type WebhookQuery = Static<typeof WebhookQuery>

export const DeliveryAttempt = Type.Object({
  attempt: Type.Integer({ minimum: 1, examples: [1] }),
  at: Instant,
  responseStatus: Nullable(Type.Integer({ description: "The receiver's HTTP status; null when no answer came", examples: [503] })),
  error: Nullable(Type.String({ examples: ['the receiver answered 503'] })),
  durationMs: Type.Integer({ examples: [42] }),
})

export const Delivery = Type.Object({
  id: Type.String({ description: 'The `webhook-id` header, the same on every attempt', examples: [ID_EXAMPLE] }),
  webhookId: Uuid,
  eventType: WebhookEventSchema,
  status: StringEnum(DELIVERY_STATUSES, { examples: ['delivered'] }),
  attempts: Type.Integer({ examples: [3] }),
  nextAttemptAt: Nullable(Instant),
  deliveredAt: Nullable(Instant),
  createdAt: Instant,
  payload: Type.Object(
    {},
    { additionalProperties: true, description: 'The body as sent', examples: [{ type: 'report.issued', data: { reportId: ID_EXAMPLE } }] },
  ),
  log: Type.Array(DeliveryAttempt),
})

export const DeliveryQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(StringEnum(DELIVERY_STATUSES, { examples: ['failed'] })),
})
export type DeliveryQuery = Static<typeof DeliveryQuery>

export const components = named({
  Webhook,
  WebhookPage: Page(Webhook),
  WebhookRequest: WebhookCreate,
  WebhookCreated,
  DeliveryAttempt,
  Delivery,
  DeliveryPage: Page(Delivery),
})
