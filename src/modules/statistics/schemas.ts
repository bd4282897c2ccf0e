import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { LocalDate, Nullable, StringEnum, Uuid } from '../../http/schemas.js'

/** The schemas of the statistics for the subsidising government; every figure is defined in docs/statistics.md. */

export const GROUP_BYS = ['site', 'district'] as const
export const GROUP_TYPES = ['all', 'centre', 'site', 'district'] as const

export const StatisticsQuery = Type.Object(
  {
    from: { ...LocalDate, description: 'First day of the period (inclusive), in Europe/Brussels', examples: ['2026-01-01'] },
    to: { ...LocalDate, description: 'Last day of the period (inclusive), in Europe/Brussels; before `from` plus three years', examples: ['2026-12-31'] },
    siteId: Type.Optional({ ...Uuid, description: 'Only this site: its cases and visits; referrals (which have no site) are those of its centre' }),
    groupBy: Type.Optional(
      StringEnum(GROUP_BYS, {
        description: 'Split the figures per site (records without a site, referrals included, under their centre) or per judicial district',
        examples: ['site'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type StatisticsQuery = Static<typeof StatisticsQuery>

const Total = (example: number) => Type.Integer({ minimum: 0, examples: [example] })
/** Counts per category; categories of a fixed vocabulary are all listed (zeros included), reason codes and districts only when they occur. */
const Breakdown = (example: Record<string, number>) => Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { examples: [example] })
const Count = <P extends TProperties>(description: string, example: number, breakdowns: P): TObject<P & { total: ReturnType<typeof Total> }> =>
  Type.Object({ total: Total(example), ...breakdowns }, { description, additionalProperties: false })
const Days = (description: string) =>
  Type.Object(
    {
      count: Type.Integer({ minimum: 0, description: 'How many cases the figure is over', examples: [12] }),
      median: Nullable(Type.Number({ description: 'Median in days (percentile_cont); null without data', examples: [23.5] })),
      p90: Nullable(Type.Number({ description: '90th percentile in days (percentile_cont); null without data', examples: [41.2] })),
    },
    { description, additionalProperties: false },
  )

export const Figures = Type.Object(
  {
    referralsReceived: Count('Referrals submitted in the period', 14, {
      bySource: Breakdown({ court: 11, justice_house: 2, lawyer: 1, youth_services: 0, self: 0, other: 0 }),
      byLegalFramework: Breakdown({ court_ordered: 12, voluntary: 2 }),
      byJudicialDistrict: Breakdown({ Antwerpen: 10, Limburg: 1, unknown: 3 }),
    }),
    referralsRefused: Count('Referrals refused with the decision in the period', 2, { byReasonCode: Breakdown({ no_capacity: 2 }) }),
    referralsReturned: Count('Referrals returned with the decision in the period', 1, { byReasonCode: Breakdown({ incomplete_referral: 1 }) }),
    referralsWaitlistedAtEnd: Count('Referrals on the waiting list at the end of the period (put on it before the end, not decided by then)', 6, {}),
    casesStarted: Count('Cases activated in the period', 9, {}),
    casesInIntake: Count('Cases in intake at the end of the period (opened, not activated, not ended)', 4, {}),
    casesActiveAtEnd: Count('Cases activated before the end of the period and not ended by its last day (suspended ones included)', 31, {}),
    casesActiveInPeriod: Count('Cases active at some point in the period (activated before its end, not ended before its first day)', 40, {}),
    casesFeeExempt: Count('Of the cases active at some point in the period, those exempt from the fee', 33, {}),
    casesSuspended: Count('Distinct cases with a suspension overlapping the period', 4, { byReasonCode: Breakdown({ illness: 1, safety_concern: 3 }) }),
    casesEnded: Count('Cases whose ending took effect in the period', 7, { byReasonCode: Breakdown({ goal_reached: 5, moved: 2 }) }),
    onwardReferrals: Count('Cases ended in the period with the reason referred_elsewhere, by the kind of service the family was referred on to', 2, {
      byKind: Breakdown({ court: 0, justice_house: 0, lawyer: 0, youth_care: 1, mental_health: 1, family_support: 0, school: 0, police: 0, other_service: 0 }),
    }),
    visits: Count('Visits starting in the period (entries in error left out)', 120, {
      byKind: Breakdown({ supervised_visit: 90, supervised_handover: 20, outside_visit: 2, conversation: 8 }),
      byOutcome: Breakdown({ held: 95, cancelled: 15, noshow: 6, interrupted: 1, without_outcome: 3 }),
    }),
    visitsCancelled: Count('Cancelled visits of the period, by who cancelled', 15, {
      byCancelledBy: Breakdown({ visiting_party: 6, residing_party: 5, centre: 4, referrer: 0 }),
    }),
    visitsCancelledLate: Count('Cancelled visits of the period cancelled within the notice period, by who cancelled', 5, {
      byCancelledBy: Breakdown({ visiting_party: 3, residing_party: 2, centre: 0, referrer: 0 }),
    }),
    visitsNoShow: Count(
      'Visits of the period whose outcome is a no-show; per adult role, the visits where a party of that role was absent (a child is never counted absent: the adult who was to bring them is)',
      6,
      {
        byPartyRole: Breakdown({ visiting_parent: 4, residing_parent: 2 }),
      },
    ),
    visitsInterrupted: Count('Visits of the period whose outcome is interrupted', 1, {}),
    conversations: Count('Conversations of the period (of visits), by purpose', 8, {
      byPurpose: Breakdown({ intake: 0, evaluation: 5, mediation: 1, pre_visit: 1, post_visit: 1, child_conversation: 0, other: 0 }),
    }),
    visitsWithInterpreter: Count('Visits and conversations of the period with an interpreter (cancelled ones left out), by the language interpreted', 3, {
      byLanguage: Breakdown({ ar: 2, tr: 1 }),
    }),
    counsellingMinutes: Count(
      'Counselling time in minutes: visits and conversations of the period held or interrupted, each one’s minutes (recorded times, else booked) times its counsellors, by kind',
      5400,
      { byKind: Breakdown({ supervised_visit: 4320, supervised_handover: 360, outside_visit: 240, conversation: 480 }) },
    ),
    persons: Count(
      'Distinct persons (counted once across cases by a pseudonymous key) of the cases served in the period: a visit held in it, or in intake during it; by gender, age band on the period’s first day and postcode',
      96,
      {
        byGender: Breakdown({ female: 44, male: 45, x: 0, unknown: 7 }),
        byAgeBand: Breakdown({ '0_2': 3, '3_5': 10, '6_11': 20, '12_17': 8, adult: 55, unknown: 0 }),
        byPostcode: Breakdown({ '2000': 30, '2018': 12, unknown: 54 }),
      },
    ),
    childrenServed: Count('Distinct persons with the role child of the cases served in the period (as persons), by gender and age band', 41, {
      byGender: Breakdown({ female: 20, male: 19, x: 0, unknown: 2 }),
      byAgeBand: Breakdown({ '0_2': 3, '3_5': 10, '6_11': 20, '12_17': 8, adult: 0, unknown: 0 }),
    }),
    adultsServed: Count('Distinct adult persons of the cases served in the period (as persons), by role', 70, {
      byRole: Breakdown({ visiting_parent: 30, residing_parent: 33, visiting_grandparent: 4, visiting_sibling: 0, visiting_third_party: 1, residing_other: 2 }),
    }),
    concernsOpened: Count('Concerns about a child opened in the period (counted only, never their content)', 3, {
      byStepReached: Breakdown({ none: 0, discussed_in_team: 1, vk_consulted: 1, reported: 1 }),
    }),
    daysReferralToIntake: Days('Days from the referral to the first intake, over cases whose first intake was in the period'),
    daysReferralToFirstHeldVisit: Days('Days from the referral to the first held visit, over cases whose first held visit was in the period'),
    daysTrajectory: Days('Days from activation to the end, over activated cases ended in the period'),
  },
  { additionalProperties: false },
)
export type Figures = Static<typeof Figures>

export const StatisticsGroup = Type.Object(
  {
    type: StringEnum(GROUP_TYPES, {
      description: '`all` without groupBy; `site`; `centre` for what has no site (every referral, cases and visits without a site); `district`',
      examples: ['site'],
    }),
    key: Type.String({
      description: "The site's or centre's id, the district's name ('unknown' when none), or 'all'",
      examples: ['0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f10'],
    }),
    name: Type.String({ examples: ['Bezoekruimte Antwerpen'] }),
    figures: Figures,
  },
  { additionalProperties: false },
)
export type StatisticsGroup = Static<typeof StatisticsGroup>

export const Statistics = Type.Object(
  {
    period: Type.Object(
      {
        from: LocalDate,
        to: { ...LocalDate, description: 'Inclusive', examples: ['2026-12-31'] },
        timeZone: Type.String({ description: 'The zone the days are read in', examples: ['Europe/Brussels'] }),
      },
      { additionalProperties: false },
    ),
    scope: Type.Object(
      {
        centreId: Nullable({ ...Uuid, description: 'The centre the figures are of; null for every centre (the operator)' }),
        siteId: Nullable({ ...Uuid, description: 'The site asked for, if any' }),
      },
      { additionalProperties: false },
    ),
    groupBy: StringEnum(['none', ...GROUP_BYS] as const, { examples: ['site'] }),
    groups: Type.Array(StatisticsGroup),
  },
  { additionalProperties: false },
)
export type Statistics = Static<typeof Statistics>

export const STATISTICS_CSV = Type.String({
  description:
    'One row per group, figure and category, with a header row: `from,to,group_type,group_key,group_name,figure,breakdown,key,value`. ' +
    '`breakdown` is `total` (key empty), the name of a breakdown (`source`, `reasonCode`, …) or `statistic` (key `count`, `median` or `p90`); ' +
    '`value` is empty where the JSON has null.',
  examples: [
    'from,to,group_type,group_key,group_name,figure,breakdown,key,value\n' +
      '2026-01-01,2026-12-31,all,all,CAW Antwerpen,referralsReceived,total,,14\n' +
      '2026-01-01,2026-12-31,all,all,CAW Antwerpen,referralsReceived,source,court,11\n',
  ],
})

export const components = named({
  Statistics,
  StatisticsGroup,
  StatisticsFigures: Figures,
})
