import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Page } from '../../http/pagination.js'
import { Instant, NonEmpty, Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'
import { CONSULTATION_PARTNERS } from '../../domain/vocabulary.js'

/** Consultations with other services about a case, and referrals on to them: internal records of the centre. */

const With = Type.Object(
  {
    kind: StringEnum(CONSULTATION_PARTNERS, { description: 'The kind of service', examples: ['youth_care'] }),
    name: NonEmpty(200, ['OCJ Antwerpen']),
  },
  { additionalProperties: false, description: 'Who was consulted, or who the family is referred to' },
)

export const ConsultationCreate = Type.Object(
  {
    with: With,
    purpose: NonEmpty(500, ['Referral to family therapy after the supervised contacts.']),
    at: { ...Timestamp, description: 'When it took place (not in the future)' },
    note: Type.Optional(Type.String({ maxLength: 5000, description: 'Internal: never shown to a referrer', examples: ['Intake there on 12 May.'] })),
  },
  {
    additionalProperties: false,
    examples: [{ with: { kind: 'youth_care', name: 'OCJ Antwerpen' }, purpose: 'Advice on the child’s refusals.', at: '2026-03-10T14:00:00Z' }],
  },
)
export type ConsultationCreate = Static<typeof ConsultationCreate>

export const Consultation = Type.Object(
  {
    id: Uuid,
    caseId: Uuid,
    with: With,
    purpose: Type.String(),
    at: Instant,
    note: Nullable(Type.String()),
    recordedByTokenId: Nullable(Uuid),
    createdAt: Instant,
  },
  { additionalProperties: false },
)

export const components = named({ Consultation, ConsultationPage: Page(Consultation), ConsultationRequest: ConsultationCreate })
