import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { Instant, Uuid } from '../../http/schemas.js'

/** The audit trail as a centre's admin reads it: who changed what, by ids and action names only. */

export const AuditEvent = Type.Object({
  id: Uuid,
  at: Instant,
  actorTokenId: Type.Union([Uuid, Type.Null()]),
  actorRole: Type.String({ examples: ['admin'] }),
  action: Type.String({ examples: ['site.created'] }),
  entityType: Type.String({ examples: ['site'] }),
  entityId: Type.Union([Uuid, Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'The recorded reason, where the act needs one (an access request released in full)' }),
  fields: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'The names of the fields a change touched (a party’s corrected data), never their values',
    examples: [['contact.phone', 'language']],
  }),
})

export const AuditQuery = Type.Object({
  ...PageQuery.properties,
  entityType: Type.Optional(Type.String({ maxLength: 60 })),
  entityId: Type.Optional(Uuid),
})
export type AuditQuery = Static<typeof AuditQuery>

export const components = named({
  AuditEvent,
  AuditEventPage: Page(AuditEvent),
})
