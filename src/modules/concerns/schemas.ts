import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Page } from '../../http/pagination.js'
import { CONCERN_RECIPIENTS, CONCERN_STATUSES, CONCERN_STEPS } from '../../domain/vocabulary.js'
import { Instant, Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js'

/**
 * A concern about a child's safety, followed along the kindreflex: the signal, discussed in the team,
 * the Vertrouwenscentrum Kindermishandeling (VK) consulted, and where needed reported. Internal to
 * the centre: no report, feed, webhook, calendar, day sheet or default export carries it.
 */

const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'

const FreeText = (description: string, example: string, maxLength = 10_000) =>
  Type.String({ minLength: 1, maxLength, description: `${description}. Internal: never shown to a referrer`, examples: [example] })

export const ConcernStepSchema = StringEnum(CONCERN_STEPS, {
  description:
    'The kindreflex after the signal: `discussed_in_team`; `vk_consulted`, the Vertrouwenscentrum Kindermishandeling (VK) consulted; `reported`, to `reportedTo`',
  examples: ['vk_consulted'],
})

export const ConcernRecipientSchema = StringEnum(CONCERN_RECIPIENTS, {
  description:
    'Where the concern was reported: `vk`, the Vertrouwenscentrum Kindermishandeling; `ocj`, the Ondersteuningscentrum Jeugdzorg; `prosecutor`, the public prosecutor (art. 458bis Sw.); `police`',
  examples: ['vk'],
})

export const ConcernCreate = Type.Object(
  {
    summary: FreeText('What was seen or heard that gives concern, factual', 'Lena had a bruise on her arm and flinched when the father reached for her.'),
    childPartyIds: Type.Array(Uuid, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'The children of the case the concern is about' }),
    observedAt: { ...Timestamp, description: 'When it was seen or heard; not in the future' },
    observationIds: Type.Optional(
      Type.Array(Uuid, {
        maxItems: 50,
        uniqueItems: true,
        description:
          'Observations of this case the concern rests on. Every observation of their visits stays out of every report to the referrer, open concern or closed',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        summary: 'Lena had a bruise on her arm and flinched when the father reached for her.',
        childPartyIds: [ID_EXAMPLE],
        observedAt: '2026-03-07T10:40:00Z',
        observationIds: [ID_EXAMPLE],
      },
    ],
  },
)
export type ConcernCreate = Static<typeof ConcernCreate>

export const ConcernStepCreate = Type.Object(
  {
    step: ConcernStepSchema,
    reportedTo: Type.Optional(ConcernRecipientSchema),
    at: { ...Timestamp, description: 'When the step was taken; not in the future' },
    note: FreeText('What was discussed, advised or reported', 'Discussed with the VK: they advise a conversation with the mother first.'),
  },
  {
    additionalProperties: false,
    description: '`reportedTo` is required with `reported` and only there',
    examples: [
      { step: 'vk_consulted', at: '2026-03-08T09:00:00Z', note: 'The VK advises a conversation with the mother first.' },
      { step: 'reported', reportedTo: 'prosecutor', at: '2026-03-09T08:00:00Z', note: 'Reported under art. 458bis Sw.' },
    ],
  },
)
export type ConcernStepCreate = Static<typeof ConcernStepCreate>

export const ConcernClose = Type.Object(
  {
    outcome: FreeText('How the concern ended', 'Concern not confirmed after the VK consultation', 500),
    note: FreeText('The coordinator’s closing note', 'The mother explained the bruise (a fall at school); the VK sees no further action.'),
  },
  { additionalProperties: false, examples: [{ outcome: 'Concern not confirmed', note: 'The VK sees no further action.' }] },
)
export type ConcernClose = Static<typeof ConcernClose>

export const ConcernStepView = Type.Object({
  id: Uuid,
  step: ConcernStepSchema,
  reportedTo: Nullable(ConcernRecipientSchema),
  at: Instant,
  note: Nullable(
    Type.String({ description: 'Null on a step carried over from an observation’s child-protection record', examples: ['The VK advises a conversation.'] }),
  ),
  author: Type.Object(
    {
      tokenId: Nullable(Uuid),
      name: Nullable(Type.String({ description: 'The token’s name (or label), or the name a carried-over record gave', examples: ['Coordinator An Peeters'] })),
    },
    { description: 'Who recorded the step' },
  ),
  createdAt: Instant,
})

export const Concern = Type.Object(
  {
    id: Uuid,
    caseId: Uuid,
    summary: Type.String({ examples: ['Lena had a bruise on her arm.'] }),
    childPartyIds: Type.Array(Uuid),
    observedAt: Instant,
    status: StringEnum(CONCERN_STATUSES, { description: 'Open until a coordinator closes it with its outcome', examples: ['open'] }),
    outcome: Nullable(Type.String({ examples: ['Concern not confirmed'] })),
    closeNote: Nullable(Type.String({ examples: ['The VK sees no further action.'] })),
    closedAt: Nullable(Instant),
    closedByTokenId: Nullable(Uuid),
    createdByTokenId: Nullable(Uuid),
    createdAt: Instant,
    observationIds: Type.Array(Uuid, { description: 'The observations the concern rests on' }),
    steps: Type.Array(ConcernStepView, { description: 'Oldest first' }),
  },
  {
    examples: [
      {
        id: ID_EXAMPLE,
        caseId: ID_EXAMPLE,
        summary: 'Lena had a bruise on her arm and flinched when the father reached for her.',
        childPartyIds: [ID_EXAMPLE],
        observedAt: '2026-03-07T10:40:00Z',
        status: 'open',
        outcome: null,
        closeNote: null,
        closedAt: null,
        closedByTokenId: null,
        createdByTokenId: ID_EXAMPLE,
        createdAt: '2026-03-07T11:45:00Z',
        observationIds: [ID_EXAMPLE],
        steps: [
          {
            id: ID_EXAMPLE,
            step: 'discussed_in_team',
            reportedTo: null,
            at: '2026-03-07T15:00:00Z',
            note: 'Team: consult the VK.',
            author: { tokenId: ID_EXAMPLE, name: 'Coordinator An Peeters' },
            createdAt: '2026-03-07T15:05:00Z',
          },
        ],
      },
    ],
  },
)
export type Concern = Static<typeof Concern>

export const components = named({
  Concern,
  ConcernPage: Page(Concern),
  ConcernStep: ConcernStepView,
  ConcernRequest: ConcernCreate,
  ConcernStepRequest: ConcernStepCreate,
  CloseConcernRequest: ConcernClose,
})
