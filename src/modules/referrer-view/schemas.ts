import { Type } from '@sinclair/typebox'
import { LocalDate, Nullable, StringEnum, Uuid, ViewTag } from '../../http/schemas.js'
import { NullableReason } from '../reason-codes/index.js'

/** Kinds a court is shown: conversations (intakes, evaluations, mediation) are the centre's own work. */
export const REFERRER_VISIT_KINDS = ['supervised_visit', 'supervised_handover', 'outside_visit'] as const
/** Statuses a court is shown: whether parties are at the centre right now is not among them. */
export const REFERRER_VISIT_STATUSES = ['booked', 'fulfilled', 'cancelled', 'noshow', 'interrupted'] as const

/** A visit as a court sees it: when (the date), what, and what came of it. */
export const ReferrerVisit = Type.Object(
  {
    view: ViewTag('referrer'),
    id: Uuid,
    caseId: Uuid,
    kind: StringEnum(REFERRER_VISIT_KINDS, { examples: ['supervised_visit'] }),
    date: { ...LocalDate, description: 'The day of the visit at the site; never the times' },
    status: StringEnum(REFERRER_VISIT_STATUSES, { examples: ['fulfilled'], description: 'booked (planned), fulfilled (held), cancelled, noshow, interrupted' }),
    cancelledBy: Nullable(
      Type.String({
        description: 'visiting_party, residing_party, centre or referrer (never the child: the adult who was to bring them cancels)',
        examples: ['residing_party'],
      }),
    ),
    cancelReason: NullableReason,
  },
  { title: 'A visit in the referrer view (clerk and court-scoped integration tokens)', additionalProperties: false },
)
