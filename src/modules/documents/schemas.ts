import { Type } from '@sinclair/typebox'
import { SIGNATURE_METHODS } from '../../domain/vocabulary.js'
import { DocumentKindSchema, LanguageSchema, LocalDate, NonEmpty, Nullable, StringEnum, Timestamp, Uuid, VisitKindSchema } from '../../http/schemas.js'

export const Document = Type.Object({
  id: Uuid,
  centreId: Uuid,
  kind: DocumentKindSchema,
  language: LanguageSchema,
  version: Type.Integer({ minimum: 1, examples: [2], description: 'Per centre, kind and language; 1, 2, 3, …' }),
  title: Type.String({ examples: ['Huishoudelijk reglement'] }),
  body: Type.String({ examples: ['1. Je komt op het afgesproken uur. …'] }),
  effectiveFrom: Timestamp,
  contentSha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the UTF-8 body', examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'] }),
  createdAt: Timestamp,
})

export const DocumentCreate = Type.Object({
  kind: DocumentKindSchema,
  language: LanguageSchema,
  title: NonEmpty(200, ['Huishoudelijk reglement']),
  body: Type.String({ minLength: 1, maxLength: 200_000, examples: ['1. Je komt op het afgesproken uur. …'] }),
  effectiveFrom: Type.Optional(Type.String({ format: 'date-time', description: 'When this version comes into force; default now', examples: ['2026-04-01T00:00:00+02:00'] })),
}, {
  additionalProperties: false,
  examples: [{ kind: 'house_rules', language: 'nl', title: 'Huishoudelijk reglement', body: '1. Je komt op het afgesproken uur. …', effectiveFrom: '2026-04-01T00:00:00+02:00' }],
})

export const DocumentQuery = Type.Object({
  kind: Type.Optional(DocumentKindSchema),
  language: Type.Optional(LanguageSchema),
  inForce: Type.Optional(Type.Boolean({ description: 'Only the version in force now of each kind and language', examples: [true] })),
})

export const Signature = Type.Object({
  id: Uuid,
  caseId: Uuid,
  partyId: Uuid,
  documentId: Uuid,
  kind: DocumentKindSchema,
  version: Type.Integer({ examples: [1] }),
  method: StringEnum(SIGNATURE_METHODS, { examples: ['paper'] }),
  signedAt: Timestamp,
  recordedByTokenId: Type.Union([Uuid, Type.Null()]),
  createdAt: Timestamp,
})

export const SignatureCreate = Type.Object({
  partyId: Uuid,
  documentId: Uuid,
  method: StringEnum(SIGNATURE_METHODS, { examples: ['paper'] }),
  signedAt: Type.String({ format: 'date-time', examples: ['2026-03-02T14:30:00+01:00'] }),
}, {
  additionalProperties: false,
  examples: [{ partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', documentId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13', method: 'paper', signedAt: '2026-03-02T14:30:00+01:00' }],
})

const AuthorisedVisitor = Type.Object({
  name: NonEmpty(200, ['Maria Janssens']),
  relation: NonEmpty(100, ['grandmother']),
}, { additionalProperties: false })

const agreementFields = {
  kinds: Type.Array(VisitKindSchema, { minItems: 1, maxItems: 4, uniqueItems: true, description: 'Visit kinds the agreement covers', examples: [['supervised_visit']] }),
  frequency: Type.Optional(Type.String({ maxLength: 200, examples: ['every two weeks'] })),
  rrule: Type.Optional(Type.String({ maxLength: 500, description: 'Suggested RRULE (RFC 5545) for the series; advisory', examples: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA'] })),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 480, examples: [90] })),
  validUntil: Type.Optional(LocalDate),
  maxVisits: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'e.g. a block of 3 visits followed by an evaluation', examples: [3] })),
  conditions: Type.Optional(Type.Array(NonEmpty(500), { maxItems: 50, examples: [['No mobile phones during the visit']] })),
  authorisedVisitors: Type.Optional(Type.Array(AuthorisedVisitor, { maxItems: 20, description: 'People besides the parties who may attend' })),
}

export const AgreementPut = Type.Object(agreementFields, {
  additionalProperties: false,
  examples: [{ kinds: ['supervised_visit'], frequency: 'every two weeks', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA', durationMinutes: 90, validUntil: '2026-06-30', maxVisits: 3, conditions: ['No mobile phones during the visit'], authorisedVisitors: [{ name: 'Maria Janssens', relation: 'grandmother' }] }],
})

export const AgreementSignatureView = Type.Object({
  partyId: Uuid,
  signedAt: Timestamp,
  recordedByTokenId: Type.Union([Uuid, Type.Null()]),
})

export const Agreement = Type.Object({
  id: Uuid,
  caseId: Uuid,
  version: Type.Integer({ minimum: 1, examples: [1] }),
  kinds: agreementFields.kinds,
  frequency: Nullable(Type.String({ examples: ['every two weeks'] })),
  rrule: Nullable(Type.String({ examples: ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA'] })),
  durationMinutes: Nullable(Type.Integer({ examples: [90] })),
  validUntil: Nullable(Type.String({ format: 'date', examples: ['2026-06-30'] })),
  maxVisits: Nullable(Type.Integer({ examples: [3] })),
  conditions: Type.Array(Type.String()),
  authorisedVisitors: Type.Array(Type.Object({ name: Type.String(), relation: Type.String() })),
  signatures: Type.Array(AgreementSignatureView),
  createdAt: Timestamp,
})

export const AgreementSignatureCreate = Type.Object({
  partyId: Uuid,
  signedAt: Type.String({ format: 'date-time', examples: ['2026-03-02T14:30:00+01:00'] }),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version the party signed; refused (409) if it is no longer the current one', examples: [1] })),
}, { additionalProperties: false, examples: [{ partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', signedAt: '2026-03-02T14:30:00+01:00', version: 1 }] })

export const AgreementSigned = Type.Object({
  agreementId: Uuid,
  version: Type.Integer({ examples: [1] }),
  partyId: Uuid,
  signedAt: Timestamp,
  recordedByTokenId: Type.Union([Uuid, Type.Null()]),
})
