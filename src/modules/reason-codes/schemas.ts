import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { REASON_CATEGORIES } from '../../domain/vocabulary.js'
import { REASON_CODE_PATTERN } from '../../domain/reason-codes.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { Instant, NonEmpty, StringEnum, Uuid } from '../../http/schemas.js'

export const ReasonCategorySchema = StringEnum(REASON_CATEGORIES, { examples: ['suspension'] })

const LabelText = (example: string) => NonEmpty(200, [example])
export const Labels = Type.Object(
  {
    nl: LabelText('Geen plaats beschikbaar'),
    fr: LabelText('Manque de place'),
    en: LabelText('No place available'),
  },
  { additionalProperties: false },
)

/** A coded reason as shown with a decision: the code, its category and its labels. */
export const Reason = Type.Object({
  category: ReasonCategorySchema,
  code: Type.String({ examples: ['no_capacity'] }),
  label: Labels,
})
export const NullableReason = Type.Union([Reason, Type.Null()])

export const ReasonCode = Type.Object({
  id: Uuid,
  category: ReasonCategorySchema,
  code: Type.String({ examples: ['no_capacity'] }),
  centreId: Type.Union([Uuid, Type.Null()], { description: 'null for the shared catalogue; else the centre that added it' }),
  label: Labels,
  active: Type.Boolean({ examples: [true] }),
  createdAt: Instant,
})

export const ReasonCodeQuery = Type.Object({
  ...PageQuery.properties,
  category: Type.Optional(ReasonCategorySchema),
})
export type ReasonCodeQuery = Static<typeof ReasonCodeQuery>

export const ReasonCodeCreate = Type.Object(
  {
    category: ReasonCategorySchema,
    code: Type.String({ pattern: REASON_CODE_PATTERN, minLength: 2, maxLength: 60, examples: ['court_hearing_postponed'] }),
    label: Labels,
  },
  {
    additionalProperties: false,
    examples: [
      { category: 'suspension', code: 'court_hearing_postponed', label: { nl: 'Zitting uitgesteld', fr: 'Audience reportée', en: 'Court hearing postponed' } },
    ],
  },
)
export type ReasonCodeCreate = Static<typeof ReasonCodeCreate>

export const components = named({
  ReasonLabels: Labels,
  Reason,
  ReasonCode,
  ReasonCodePage: Page(ReasonCode),
  ReasonCodeRequest: ReasonCodeCreate,
})
