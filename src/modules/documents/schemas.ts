import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { DocumentKindSchema, Instant, LanguageSchema, NonEmpty, Uuid } from '../../http/schemas.js'

/** A centre's documents as published: the house rules and the information document, in versions. */

export const Document = Type.Object({
  id: Uuid,
  centreId: Uuid,
  kind: DocumentKindSchema,
  language: LanguageSchema,
  version: Type.Integer({ minimum: 1, examples: [2], description: 'Per centre, kind and language; 1, 2, 3, …' }),
  title: Type.String({ examples: ['Huishoudelijk reglement'] }),
  body: Type.String({ examples: ['1. Je komt op het afgesproken uur. …'] }),
  effectiveFrom: Instant,
  contentSha256: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'SHA-256 (hex) of the UTF-8 body',
    examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  }),
  createdAt: Instant,
})

export const DocumentCreate = Type.Object(
  {
    kind: DocumentKindSchema,
    language: LanguageSchema,
    title: NonEmpty(200, ['Huishoudelijk reglement']),
    body: Type.String({ minLength: 1, maxLength: 200_000, examples: ['1. Je komt op het afgesproken uur. …'] }),
    effectiveFrom: Type.Optional(
      Type.String({ format: 'date-time', description: 'When this version comes into force; default now', examples: ['2026-03-31T22:00:00Z'] }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        kind: 'house_rules',
        language: 'nl',
        title: 'Huishoudelijk reglement',
        body: '1. Je komt op het afgesproken uur. …',
        effectiveFrom: '2026-03-31T22:00:00Z',
      },
    ],
  },
)
export type DocumentCreate = Static<typeof DocumentCreate>

export const DocumentQuery = Type.Object({
  ...PageQuery.properties,
  kind: Type.Optional(DocumentKindSchema),
  language: Type.Optional(LanguageSchema),
  inForce: Type.Optional(Type.Boolean({ description: 'Only the version in force now of each kind and language', examples: [true] })),
})
export type DocumentQuery = Static<typeof DocumentQuery>

export const components = named({
  Document,
  DocumentPage: Page(Document),
  DocumentRequest: DocumentCreate,
})
