import { Type, type Static } from '@sinclair/typebox'
import { CHILD_PROTECTION_ACTIONS, OBSERVATION_KINDS } from '../../domain/vocabulary.js'
import { named } from '../../http/components.js'
import { Page } from '../../http/pagination.js'
import { Instant, NonEmpty, Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

/** What a counsellor writes about a visit, and how it is read back: append-only, corrections as amendments. */

const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'
const AMENDED_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13'

export const ObservationKindSchema = StringEnum(OBSERVATION_KINDS, {
  description:
    '`observation`: what the counsellor saw of the contact; `incident`: something that went wrong or endangered someone (at the door too); `child_statement`: what the child said, in their words',
  examples: ['observation'],
})

const ObservationText = Type.String({
  minLength: 1,
  maxLength: 10_000,
  description: 'Factual, as the counsellor wrote it. Internal: never shown to a referrer (unless reportable, by a report built for that)',
  examples: ['Father brought a drawing; Lena showed him her school photos. Warm goodbye at the end.'],
})

export const ChildProtection = Type.Object(
  {
    action: StringEnum(CHILD_PROTECTION_ACTIONS, {
      description:
        'Whether the centre consulted the Vertrouwenscentrum Kindermishandeling (VK) or reported to it: the step `vk_consulted`, or `reported` to the VK, of the concern it opens',
      examples: ['consulted'],
    }),
    at: Timestamp,
    by: NonEmpty(200, ['Coordinator An Peeters']),
  },
  {
    additionalProperties: false,
    description:
      'A shorthand that opens a concern (see POST /v1/cases/{id}/concerns) resting on this observation, about the case’s children, with the one step it names (`by` as its author). Internal: never shown to a referrer',
    examples: [{ action: 'consulted', at: '2026-03-07T11:30:00Z', by: 'Coordinator An Peeters' }],
  },
)

export const ObservationCreate = Type.Object(
  {
    kind: ObservationKindSchema,
    text: ObservationText,
    reportable: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'May appear in a report to the referrer; false (the default) keeps it within the centre. Never on a `child_statement` (400): the child’s words never go to court. No observation of a visit with an observation a concern rests on appears in a report',
        examples: [false],
      }),
    ),
    amends: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'An earlier observation of the same visit that this one corrects; both are kept',
        examples: [ID_EXAMPLE],
      }),
    ),
    childProtection: Type.Optional(ChildProtection),
  },
  {
    additionalProperties: false,
    examples: [
      { kind: 'observation', text: 'Father brought a drawing; Lena showed him her school photos. Warm goodbye at the end.' },
      {
        kind: 'incident',
        text: 'Father raised his voice at the door when the mother arrived early; the counsellor ended the handover.',
        childProtection: { action: 'consulted', at: '2026-03-07T11:30:00Z', by: 'Coordinator An Peeters' },
      },
      { kind: 'child_statement', text: 'Lena: "I want to show papa my new bike next time."', amends: ID_EXAMPLE },
    ],
  },
)
export type ObservationCreate = Static<typeof ObservationCreate>

export const Observation = Type.Object(
  {
    id: Uuid,
    visitId: Uuid,
    caseId: Uuid,
    kind: ObservationKindSchema,
    text: ObservationText,
    reportable: Type.Boolean({ examples: [false] }),
    amends: Nullable(Type.String({ format: 'uuid', description: 'The earlier observation this one corrects', examples: [ID_EXAMPLE] })),
    amendedBy: Type.Array(Type.String({ format: 'uuid', examples: [AMENDED_EXAMPLE] }), {
      description: 'Later observations that correct this one, oldest first: the current account is at the end of the chain',
    }),
    concernIds: Type.Array(Type.String({ format: 'uuid', examples: [ID_EXAMPLE] }), { description: 'The concerns that rest on this observation' }),
    recordedByTokenId: Nullable(Uuid),
    createdAt: Instant,
  },
  {
    examples: [
      {
        id: ID_EXAMPLE,
        visitId: ID_EXAMPLE,
        caseId: ID_EXAMPLE,
        kind: 'observation',
        text: 'Father brought a drawing; Lena showed him her school photos.',
        reportable: false,
        amends: null,
        amendedBy: [AMENDED_EXAMPLE],
        concernIds: [],
        recordedByTokenId: ID_EXAMPLE,
        createdAt: '2026-03-07T11:45:00Z',
      },
    ],
  },
)

/** A visit's observations, oldest first, a page at a time like every list. */
export const ObservationPage = Page(Observation)

export const components = named({
  ChildProtection,
  ObservationRequest: ObservationCreate,
  Observation,
  ObservationPage,
})
