/**
 * A data set with known numbers for the statistics: two centres, three sites in two judicial
 * districts, referrals of every kind of decision, cases started, suspended and ended, and visits of
 * each kind and fate — including outcomes corrected by a later row. It is written straight into the
 * database, and the expected figures are counted here, in TypeScript, from the same arrays.
 *
 * The period is the year 2025 in Europe/Brussels: from 2024-12-31T23:00Z to 2025-12-31T23:00Z.
 */
import { DateTime } from 'luxon'
import { caseEvents, cases, courts, intakes, parties, referrals, sites, suspensions, visitOutcomes, visits } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { personKeyOf } from '../../src/db/person-key.js'
import { nationalNumberDigits, personKeyInput } from '../../src/domain/person-key.js'
import {
  CANCELLED_BY,
  CONSULTATION_PARTNERS,
  CONVERSATION_PURPOSES,
  GENDERS,
  LEGAL_FRAMEWORKS,
  PARTY_ROLES,
  REFERRAL_SOURCES,
  VISIT_KINDS,
  type CancelledBy,
  type ConsultationPartner,
  type Gender,
  type LegalFramework,
  type PartyRole,
  type ReferralSource,
  type ReferralStatus,
  type VisitKind,
} from '../../src/domain/vocabulary.js'
import { tokenFor, type TestContext } from '../helpers/app.js'

export const FROM = '2025-01-01'
export const TO = '2025-12-31'
/** A period as its days and, written out by hand, its bounds as instants in Brussels. */
export interface Period {
  from: string
  to: string
  start: string
  end: string
}
export const YEAR_2025: Period = { from: FROM, to: TO, start: '2024-12-31T23:00:00Z', end: '2025-12-31T23:00:00Z' }
export const YEAR_2026: Period = { from: '2026-01-01', to: '2026-12-31', start: '2025-12-31T23:00:00Z', end: '2026-12-31T23:00:00Z' }
const ZONE = 'Europe/Brussels'
/** As the API lists them (src/modules/statistics/service.ts). */
const AGE_BANDS = ['0_2', '3_5', '6_11', '12_17', 'adult', 'unknown']

type CentreKey = 'A' | 'B'
type CourtKey = 'antwerpen' | 'gent' | 'antwerpenB'
export type SiteKey = 'S1' | 'S2' | 'B1'
const COURT_DISTRICT: Record<CourtKey, string> = { antwerpen: 'Antwerpen', gent: 'Gent', antwerpenB: 'Antwerpen' }
export const SITE_DISTRICT: Record<SiteKey, string> = { S1: 'Antwerpen', S2: 'Limburg', B1: 'Antwerpen' }
export const SITE_CENTRE: Record<SiteKey, CentreKey> = { S1: 'A', S2: 'A', B1: 'B' }

interface OutcomeSpec {
  outcome: 'fulfilled' | 'noshow' | 'interrupted'
  absent?: PartyRole[]
}
export interface VisitSpec {
  kind: VisitKind
  startsAt: string
  status?: 'booked' | 'cancelled' | 'entered-in-error'
  cancelledBy?: CancelledBy
  late?: boolean
  /** A chain: each later outcome supersedes the one before. */
  outcomes?: OutcomeSpec[]
  /** Undefined: the case's site; null: none (a visit outside the centre). */
  site?: SiteKey | null
  /** How many of the centre's counsellors are on it (1 unless said). */
  counsellors?: number
}
/** A party named in full (the data set's parties are otherwise a role, family name Peeters, nothing else). */
export interface PartySpec {
  role: PartyRole
  givenName?: string
  familyName?: string
  birthDate?: string
  gender?: Gender
  postcode?: string
  nationalNumber?: string
}
export const partySpec = (p: PartyRole | PartySpec): PartySpec => (typeof p === 'string' ? { role: p } : p)
export interface CaseSpec {
  site: SiteKey | null
  feeExempt: boolean
  parties: (PartyRole | PartySpec)[]
  intakes?: string[]
  activatedAt?: string
  ended?: { effectiveDate: string; reason: string; at: string; referredTo?: ConsultationPartner }
  suspensions?: { from: string; until: string | null; reason: string }[]
  visits?: VisitSpec[]
}
export interface ReferralSpec {
  centre: CentreKey
  source: ReferralSource
  legalFramework: LegalFramework
  court: CourtKey | null
  submittedAt: string
  status: ReferralStatus
  reason?: string
  decidedAt?: string
  waitlistedAt?: string
  case?: CaseSpec
}

const adults: PartyRole[] = ['child', 'visiting_parent', 'residing_parent']

export const REFERRALS: ReferralSpec[] = [
  // 00:30 on 1 January in Brussels: inside the period although still 2024 in UTC.
  { centre: 'A', source: 'court', legalFramework: 'court_ordered', court: 'antwerpen', submittedAt: '2024-12-31T23:30:00Z', status: 'submitted' },
  {
    centre: 'A',
    source: 'lawyer',
    legalFramework: 'voluntary',
    court: null,
    submittedAt: '2025-03-01T10:00:00Z',
    status: 'refused',
    reason: 'no_capacity',
    decidedAt: '2025-03-10T10:00:00Z',
  },
  {
    centre: 'A',
    source: 'justice_house',
    legalFramework: 'court_ordered',
    court: 'gent',
    submittedAt: '2025-02-01T10:00:00Z',
    status: 'returned',
    reason: 'incomplete_referral',
    decidedAt: '2025-02-05T10:00:00Z',
  },
  // Received before the period, refused in it.
  {
    centre: 'A',
    source: 'self',
    legalFramework: 'voluntary',
    court: null,
    submittedAt: '2024-11-01T10:00:00Z',
    status: 'refused',
    reason: 'safety_risk_unmanageable',
    decidedAt: '2025-01-15T10:00:00Z',
  },
  // 00:30 on 1 January 2026 in Brussels: after the period.
  { centre: 'A', source: 'court', legalFramework: 'court_ordered', court: 'antwerpen', submittedAt: '2025-12-31T23:30:00Z', status: 'submitted' },
  // Received in the period, refused after it.
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpen',
    submittedAt: '2025-06-01T10:00:00Z',
    status: 'refused',
    reason: 'no_capacity',
    decidedAt: '2026-01-10T10:00:00Z',
  },
  {
    centre: 'A',
    source: 'youth_services',
    legalFramework: 'voluntary',
    court: 'gent',
    submittedAt: '2025-04-01T10:00:00Z',
    status: 'withdrawn',
    decidedAt: '2025-04-02T10:00:00Z',
  },
  {
    centre: 'B',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpenB',
    submittedAt: '2025-05-01T10:00:00Z',
    status: 'refused',
    reason: 'no_capacity',
    decidedAt: '2025-05-02T10:00:00Z',
  },
  { centre: 'B', source: 'other', legalFramework: 'voluntary', court: null, submittedAt: '2025-05-03T10:00:00Z', status: 'submitted' },

  // ── Accepted referrals and their cases ──
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpen',
    submittedAt: '2024-10-01T09:00:00Z',
    status: 'accepted',
    decidedAt: '2024-10-05T09:00:00Z',
    case: {
      site: 'S1',
      feeExempt: true,
      parties: adults,
      intakes: ['2024-10-20T09:00:00Z', '2024-10-25T09:00:00Z'],
      activatedAt: '2024-11-15T10:00:00Z',
      suspensions: [{ from: '2025-03-01', until: '2025-04-01', reason: 'illness' }],
      visits: [
        { kind: 'supervised_visit', startsAt: '2025-01-10T09:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
        { kind: 'supervised_visit', startsAt: '2025-02-10T09:00:00Z', status: 'cancelled', cancelledBy: 'visiting_party', late: true },
        // A no-show corrected to held: the correction counts.
        {
          kind: 'supervised_handover',
          startsAt: '2025-05-10T09:00:00Z',
          outcomes: [{ outcome: 'noshow', absent: ['visiting_parent'] }, { outcome: 'fulfilled' }],
        },
        // Held, corrected to a no-show of the parent and the child.
        {
          kind: 'supervised_visit',
          startsAt: '2025-06-10T09:00:00Z',
          outcomes: [{ outcome: 'fulfilled' }, { outcome: 'noshow', absent: ['visiting_parent', 'residing_parent'] }],
        },
        { kind: 'supervised_visit', startsAt: '2025-07-10T09:00:00Z' },
        { kind: 'supervised_visit', startsAt: '2025-08-10T09:00:00Z', status: 'entered-in-error' },
        { kind: 'supervised_visit', startsAt: '2024-12-20T09:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
        { kind: 'supervised_visit', startsAt: '2026-01-05T09:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
      ],
    },
  },
  {
    centre: 'A',
    source: 'lawyer',
    legalFramework: 'voluntary',
    court: null,
    submittedAt: '2025-01-05T10:00:00Z',
    status: 'accepted',
    decidedAt: '2025-01-08T10:00:00Z',
    case: {
      site: 'S1',
      feeExempt: false,
      parties: ['child', 'child', 'visiting_grandparent', 'residing_parent'],
      intakes: ['2025-01-20T10:00:00Z'],
      activatedAt: '2025-02-01T10:00:00Z',
      ended: { effectiveDate: '2025-09-30', reason: 'goal_reached', at: '2025-09-30T15:00:00Z' },
      suspensions: [{ from: '2025-06-01', until: '2025-06-15', reason: 'child_refuses' }],
      visits: [
        { kind: 'supervised_visit', startsAt: '2025-02-15T10:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
        { kind: 'outside_visit', startsAt: '2025-03-15T10:00:00Z', site: null, outcomes: [{ outcome: 'interrupted' }] },
        { kind: 'conversation', startsAt: '2025-04-15T10:00:00Z', status: 'cancelled', cancelledBy: 'centre', late: false },
        { kind: 'supervised_visit', startsAt: '2025-05-15T10:00:00Z', status: 'cancelled', cancelledBy: 'residing_party', late: true },
      ],
    },
  },
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'gent',
    submittedAt: '2025-03-01T10:00:00Z',
    status: 'accepted',
    decidedAt: '2025-03-02T10:00:00Z',
    case: {
      site: 'S2',
      feeExempt: true,
      parties: ['child', 'visiting_parent', 'residing_other'],
      intakes: ['2025-03-20T10:00:00Z'],
      activatedAt: '2025-04-01T08:00:00Z',
      suspensions: [{ from: '2025-12-15', until: null, reason: 'safety_concern' }],
      visits: [
        { kind: 'supervised_visit', startsAt: '2025-04-10T10:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
        { kind: 'supervised_handover', startsAt: '2025-04-17T10:00:00Z', outcomes: [{ outcome: 'noshow', absent: ['residing_other'] }] },
        // 23:30 on 31 December in Brussels: the last visit of the period, still without outcome.
        { kind: 'supervised_visit', startsAt: '2025-12-31T22:30:00Z' },
        // 00:30 on 1 January 2026 in Brussels: after the period.
        { kind: 'supervised_visit', startsAt: '2025-12-31T23:30:00Z' },
      ],
    },
  },
  // Ended after the intake (never activated), without a site.
  {
    centre: 'A',
    source: 'self',
    legalFramework: 'voluntary',
    court: null,
    submittedAt: '2025-07-01T10:00:00Z',
    status: 'accepted',
    decidedAt: '2025-07-02T10:00:00Z',
    case: {
      site: null,
      feeExempt: false,
      parties: ['child', 'visiting_parent'],
      intakes: ['2025-07-10T10:00:00Z'],
      ended: { effectiveDate: '2025-08-01', reason: 'parties_do_not_consent', at: '2025-08-01T09:00:00Z' },
    },
  },
  // Ended before the period.
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpen',
    submittedAt: '2023-01-10T10:00:00Z',
    status: 'accepted',
    decidedAt: '2023-01-12T10:00:00Z',
    case: {
      site: 'S1',
      feeExempt: true,
      parties: adults,
      intakes: ['2023-01-20T10:00:00Z'],
      activatedAt: '2023-02-01T10:00:00Z',
      ended: { effectiveDate: '2024-12-31', reason: 'moved', at: '2024-12-31T12:00:00Z' },
      visits: [{ kind: 'supervised_visit', startsAt: '2024-06-01T10:00:00Z', outcomes: [{ outcome: 'fulfilled' }] }],
    },
  },
  // Ended on the period's first day: active in the period, not at its end.
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpen',
    submittedAt: '2024-06-01T10:00:00Z',
    status: 'accepted',
    decidedAt: '2024-06-03T10:00:00Z',
    case: {
      site: 'S1',
      feeExempt: true,
      parties: adults,
      intakes: ['2024-06-15T10:00:00Z'],
      activatedAt: '2024-07-01T10:00:00Z',
      ended: { effectiveDate: '2025-01-01', reason: 'max_duration_reached', at: '2025-01-02T10:00:00Z' },
    },
  },
  // Intake in the period, activated after it.
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpen',
    submittedAt: '2025-11-01T10:00:00Z',
    status: 'accepted',
    decidedAt: '2025-11-03T10:00:00Z',
    case: { site: 'S2', feeExempt: false, parties: adults, intakes: ['2025-11-20T10:00:00Z'], activatedAt: '2026-01-05T10:00:00Z' },
  },
  {
    centre: 'B',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpenB',
    submittedAt: '2025-02-01T10:00:00Z',
    status: 'accepted',
    decidedAt: '2025-02-02T10:00:00Z',
    case: {
      site: 'B1',
      feeExempt: true,
      parties: adults,
      intakes: ['2025-02-10T10:00:00Z'],
      activatedAt: '2025-03-01T10:00:00Z',
      ended: { effectiveDate: '2025-10-01', reason: 'safety', at: '2025-10-01T10:00:00Z' },
      visits: [
        { kind: 'supervised_visit', startsAt: '2025-03-10T10:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
        { kind: 'supervised_visit', startsAt: '2025-03-17T10:00:00Z', status: 'cancelled', cancelledBy: 'referrer', late: false },
        { kind: 'supervised_handover', startsAt: '2025-03-24T10:00:00Z', outcomes: [{ outcome: 'noshow', absent: ['residing_parent'] }] },
      ],
    },
  },

  // ── The registration figures: the same child (and the same father) in two cases ──
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpen',
    submittedAt: '2025-01-20T10:00:00Z',
    status: 'accepted',
    decidedAt: '2025-02-01T10:00:00Z',
    case: {
      site: 'S1',
      feeExempt: true,
      parties: [
        { role: 'child', givenName: 'Lena', birthDate: '2019-05-02', gender: 'female', postcode: '2000' },
        { role: 'visiting_parent', givenName: 'Jan', birthDate: '1985-07-30', gender: 'male', postcode: '2018', nationalNumber: '85.07.30-033.28' },
        { role: 'residing_parent', givenName: 'An', birthDate: '1987-01-15', gender: 'x' },
        { role: 'child', givenName: 'Noor', birthDate: '2012-03-01', gender: 'female', postcode: '2000' },
      ],
      intakes: ['2025-02-10T10:00:00Z'],
      activatedAt: '2025-03-01T10:00:00Z',
      ended: { effectiveDate: '2025-06-30', reason: 'referred_elsewhere', at: '2025-06-30T10:00:00Z', referredTo: 'mental_health' },
      visits: [
        // Two counsellors: twice the counselling time.
        { kind: 'supervised_visit', startsAt: '2025-03-10T09:00:00Z', counsellors: 2, outcomes: [{ outcome: 'fulfilled' }] },
        { kind: 'conversation', startsAt: '2025-04-10T09:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
      ],
    },
  },
  // Referred again, spelled otherwise, to another site: on the waiting list first, in intake at the period's end.
  {
    centre: 'A',
    source: 'self',
    legalFramework: 'voluntary',
    court: null,
    submittedAt: '2025-07-01T10:00:00Z',
    status: 'accepted',
    waitlistedAt: '2025-07-02T10:00:00Z',
    decidedAt: '2025-08-01T10:00:00Z',
    case: {
      site: 'S2',
      feeExempt: false,
      parties: [
        { role: 'child', givenName: 'LÉNA ', familyName: 'PEETERS', birthDate: '2019-05-02', gender: 'female', postcode: '2000' },
        { role: 'child', givenName: 'Mil', birthDate: '2023-06-01', gender: 'male', postcode: '3500' },
        {
          role: 'visiting_parent',
          givenName: 'Jan',
          familyName: 'Peters',
          birthDate: '1985-07-30',
          gender: 'male',
          postcode: '2018',
          nationalNumber: '85073003328',
        },
        { role: 'residing_other', familyName: 'Pleeggezin' },
      ],
      intakes: ['2025-08-20T10:00:00Z'],
    },
  },
  // On the waiting list at the period's end; and one taken off it (refused) before the end.
  {
    centre: 'A',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'gent',
    submittedAt: '2025-11-10T10:00:00Z',
    status: 'waitlisted',
    waitlistedAt: '2025-11-12T10:00:00Z',
  },
  {
    centre: 'B',
    source: 'court',
    legalFramework: 'court_ordered',
    court: 'antwerpenB',
    submittedAt: '2025-09-01T10:00:00Z',
    status: 'refused',
    reason: 'no_capacity',
    waitlistedAt: '2025-09-02T10:00:00Z',
    decidedAt: '2025-10-01T10:00:00Z',
  },
]

export interface Seeded {
  centres: Record<CentreKey, string>
  sites: Record<SiteKey, string>
  courts: Record<CourtKey, string>
  counsellorB: string
  tokens: { adminA: string; adminB: string; staffA: string; counsellorA: string; clerkA: string; integrationA: string }
}

/** A second site in centre A, named so that a spreadsheet would read it as a formula if the CSV did not guard it. */
export const S2_NAME = '=Hasselt'

/** Writes the data set into the test's database (centre A is the test app's demo centre). */
export async function seed(ctx: TestContext, data: ReferralSpec[] = REFERRALS, existing?: Seeded): Promise<Seeded> {
  const db = ctx.database.db
  const ids = existing ?? (await baseRecords(ctx))
  const counsellor = { A: ctx.centre.demo.counsellorIds[0]!, B: ids.counsellorB }
  const counsellorsOf = { A: ctx.centre.demo.counsellorIds, B: [ids.counsellorB] }
  for (const r of data) {
    const [referral] = await db
      .insert(referrals)
      .values({
        centreId: ids.centres[r.centre],
        source: r.source,
        legalFramework: r.legalFramework,
        courtId: r.court ? ids.courts[r.court] : null,
        reason: 'Statistics data set.',
        status: r.status,
        statusReasonCode: r.reason ?? null,
        submittedAt: new Date(r.submittedAt),
        waitlistedAt: r.waitlistedAt ? new Date(r.waitlistedAt) : null,
        decidedAt: r.decidedAt ? new Date(r.decidedAt) : null,
      })
      .returning()
    const c = r.case
    if (!c) continue
    const ended = c.ended
    const [caseRow] = await db
      .insert(cases)
      .values({
        centreId: ids.centres[r.centre],
        referralId: referral!.id,
        courtId: r.court ? ids.courts[r.court] : null,
        siteId: c.site ? ids.sites[c.site] : null,
        status: ended ? 'ended' : c.activatedAt ? 'active' : 'intake',
        feeExempt: c.feeExempt,
        leadCounsellorId: counsellor[r.centre],
        activatedAt: c.activatedAt ? new Date(c.activatedAt) : null,
        endedAt: ended ? new Date(ended.at) : null,
        endEffectiveDate: ended?.effectiveDate ?? null,
        // Opened when the referral was accepted.
        createdAt: new Date(r.decidedAt!),
      })
      .returning()
    const caseId = caseRow!.id
    const partyIds: string[] = []
    for (const p of c.parties.map(partySpec)) {
      const identity = {
        givenName: p.givenName ?? null,
        familyName: p.familyName ?? 'Peeters',
        birthDate: p.birthDate ?? null,
        nationalNumber: p.nationalNumber ? nationalNumberDigits(p.nationalNumber) : null,
      }
      const [party] = await db
        .insert(parties)
        .values({
          centreId: ids.centres[r.centre],
          referralId: referral!.id,
          caseId,
          role: p.role,
          ...identity,
          personKey: await personKeyOf(db, identity),
          gender: p.gender ?? 'unknown',
          postcode: p.postcode ?? null,
          language: 'nl',
        })
        .returning()
      partyIds.push(party!.id)
    }
    for (const heldAt of c.intakes ?? [])
      await db.insert(intakes).values({ caseId, partyId: partyIds[1]!, heldAt: new Date(heldAt), counsellorId: counsellor[r.centre] })
    for (const s of c.suspensions ?? [])
      await db.insert(suspensions).values({ caseId, fromDate: s.from, untilDate: s.until, reasonCode: s.reason, explanation: 'Statistics data set.' })
    if (ended)
      await db.insert(caseEvents).values({
        caseId,
        type: 'ended',
        at: new Date(ended.at),
        actorRole: 'staff',
        reasonCategory: c.activatedAt ? 'ending' : 'refusal',
        reasonCode: ended.reason,
        data: ended.referredTo ? { referredTo: ended.referredTo } : {},
      })
    for (const v of c.visits ?? []) {
      const startsAt = new Date(v.startsAt)
      const endsAt = new Date(startsAt.getTime() + 3_600_000)
      const site = v.site === undefined ? c.site : v.site
      const [visit] = await db
        .insert(visits)
        .values({
          centreId: ids.centres[r.centre],
          caseId,
          siteId: site ? ids.sites[site] : null,
          counsellorIds: v.counsellors ? counsellorsOf[r.centre].slice(0, v.counsellors) : [counsellor[r.centre]],
          partyIds,
          kind: v.kind,
          purpose: v.kind === 'conversation' ? 'evaluation' : null,
          timeZone: ZONE,
          startsAt,
          endsAt,
          spanStart: startsAt,
          spanEnd: endsAt,
          status: v.status ?? (v.outcomes?.length ? v.outcomes[v.outcomes.length - 1]!.outcome : 'booked'),
          cancelledBy: v.cancelledBy ?? null,
          cancelledLate: v.status === 'cancelled' ? (v.late ?? false) : null,
          cancelledAt: v.status === 'cancelled' ? new Date(startsAt.getTime() - 86_400_000) : null,
        })
        .returning()
      let previous: string | null = null
      for (const o of v.outcomes ?? []) {
        const [row]: { id: string }[] = await db
          .insert(visitOutcomes)
          .values({
            visitId: visit!.id,
            outcome: o.outcome,
            actualStart: o.outcome === 'fulfilled' ? startsAt : null,
            actualEnd: o.outcome === 'fulfilled' ? endsAt : null,
            absentPartyIds: (o.absent ?? []).map((role) => partyIds[c.parties.map(partySpec).findIndex((p) => p.role === role)]!),
            reasonCode: o.outcome === 'interrupted' ? 'child_wellbeing' : null,
            interruptedAt: o.outcome === 'interrupted' ? new Date(startsAt.getTime() + 1_800_000) : null,
            supersedes: previous,
          })
          .returning({ id: visitOutcomes.id })
        previous = row!.id
      }
    }
  }
  return ids
}

async function baseRecords(ctx: TestContext): Promise<Seeded> {
  const db = ctx.database.db
  const b = await setupCentre(db, { centreName: 'Centre B', demo: true })
  const [s2] = await db
    .insert(sites)
    .values({ centreId: ctx.centre.centreId, name: S2_NAME, timeZone: ZONE, judicialDistrict: 'Limburg', openingHours: {} })
    .returning()
  const [gent] = await db.insert(courts).values({ name: 'Familierechtbank Gent', judicialDistrict: 'Gent' }).returning()
  const A = ctx.centre.centreId
  return {
    centres: { A, B: b.centreId },
    sites: { S1: ctx.centre.demo.siteId, S2: s2!.id, B1: b.demo!.siteId },
    courts: { antwerpen: ctx.centre.demo.courtId, gent: gent!.id, antwerpenB: b.demo!.courtId },
    counsellorB: b.demo!.counsellorIds[0]!,
    tokens: {
      adminA: ctx.centre.adminToken,
      adminB: b.adminToken,
      staffA: (await tokenFor(ctx.database, 'staff', { centreId: A })).token,
      counsellorA: (await tokenFor(ctx.database, 'counsellor', { centreId: A, counsellorId: ctx.centre.demo.counsellorIds[0]! })).token,
      clerkA: (await tokenFor(ctx.database, 'clerk', { courtId: ctx.centre.demo.courtId })).token,
      integrationA: (await tokenFor(ctx.database, 'integration', { centreId: A })).token,
    },
  }
}

// ── The expected figures, counted from the arrays ─────────────────────────────────────────────

type CaseOf = { referral: ReferralSpec; spec: CaseSpec; index: number }
type VisitOf = { visit: VisitSpec; case: CaseOf; site: SiteKey | null }

/** Which records belong to a group. */
export interface Selection {
  referral: (r: ReferralSpec) => boolean
  case: (c: CaseOf) => boolean
  visit: (v: VisitOf) => boolean
}

const localDay = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate()!
const daysBetween = (from: string, to: string) => DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days
const tally = (keys: string[], into: Record<string, number> = {}) => {
  for (const k of keys) into[k] = (into[k] ?? 0) + 1
  return into
}
const zeroed = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]))

/** percentile_cont: linear interpolation between the closest ranks; rounded to one decimal as the API does. */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const position = p * (sorted.length - 1)
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  const value = sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower)
  return Math.round(value * 10) / 10
}
const durations = (values: number[]) => ({ count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) })

export const allCases = (data: ReferralSpec[] = REFERRALS): CaseOf[] =>
  data.flatMap((referral, index) => (referral.case ? [{ referral, spec: referral.case, index }] : []))
export const allVisits = (data: ReferralSpec[] = REFERRALS): VisitOf[] =>
  allCases(data).flatMap((c) => (c.spec.visits ?? []).map((visit) => ({ visit, case: c, site: visit.site === undefined ? c.spec.site : visit.site })))

export const courtDistrict = (r: ReferralSpec) => (r.court ? COURT_DISTRICT[r.court] : 'unknown')
export const siteDistrict = (site: SiteKey | null) => (site ? SITE_DISTRICT[site] : 'unknown')

/** Where a visit ended up: a cancellation first, then the last outcome of its chain. */
function fate(v: VisitSpec): string {
  if (v.status === 'cancelled') return 'cancelled'
  const last = v.outcomes?.[v.outcomes.length - 1]?.outcome
  return last === 'fulfilled' ? 'held' : (last ?? 'without_outcome')
}

/** The figures of one group, counted from the arrays. */
export function expectedFigures(select: Selection, data: ReferralSpec[] = REFERRALS, period: Period = YEAR_2025) {
  const { from: FROM, to: TO } = period
  const START = Date.parse(period.start)
  const END = Date.parse(period.end)
  const inPeriod = (iso: string) => Date.parse(iso) >= START && Date.parse(iso) < END
  const refs = data.filter(select.referral)
  const received = refs.filter((r) => inPeriod(r.submittedAt))
  const decided = (status: ReferralStatus) => refs.filter((r) => r.status === status && r.decidedAt && inPeriod(r.decidedAt))
  const caseList = allCases(data).filter(select.case)
  const activatedBeforeEnd = caseList.filter((c) => c.spec.activatedAt && Date.parse(c.spec.activatedAt) < END)
  const activeInPeriod = activatedBeforeEnd.filter((c) => !c.spec.ended || c.spec.ended.effectiveDate >= FROM)
  const endedInPeriod = caseList.filter((c) => c.spec.ended && c.spec.ended.effectiveDate >= FROM && c.spec.ended.effectiveDate <= TO)
  const suspendedReasons = caseList.map((c) => [
    ...new Set((c.spec.suspensions ?? []).filter((s) => s.from <= TO && (s.until === null || (s.until > FROM && s.until > s.from))).map((s) => s.reason)),
  ])
  const visitList = allVisits(data).filter(select.visit)
  const periodVisits = visitList.filter((v) => v.visit.status !== 'entered-in-error' && inPeriod(v.visit.startsAt))
  const cancelled = periodVisits.filter((v) => fate(v.visit) === 'cancelled')
  const noShows = periodVisits.filter((v) => fate(v.visit) === 'noshow')
  const held = periodVisits.filter((v) => fate(v.visit) === 'held')
  // Cases served: a visit of the group held in the period, or a case of the group in intake during it.
  const inIntakeDuring = (c: CaseOf) =>
    Date.parse(c.referral.decidedAt!) < END &&
    (!c.spec.activatedAt || Date.parse(c.spec.activatedAt) >= START) &&
    (!c.spec.ended || c.spec.ended.effectiveDate >= FROM)
  const servedCases = new Map<number, CaseOf>()
  for (const v of held) servedCases.set(v.case.index, v.case)
  for (const c of caseList.filter(inIntakeDuring)) servedCases.set(c.index, c)
  // Persons: a person key's input (the same child in two cases is one), or the party itself; the last recorded party's data wins.
  const ageBand = (birthDate?: string) => {
    if (!birthDate) return 'unknown'
    const age = Math.floor(DateTime.fromISO(FROM).diff(DateTime.fromISO(birthDate), 'years').years)
    return age < 3 ? '0_2' : age < 6 ? '3_5' : age < 12 ? '6_11' : age < 18 ? '12_17' : 'adult'
  }
  type Person = { role: PartyRole; gender: string; postcode: string; ageBand: string }
  const persons = new Map<string, Person>()
  const children = new Map<string, Person>()
  const adultRoles = new Set<string>()
  for (const c of [...servedCases.values()].sort((a, b) => a.index - b.index)) {
    c.spec.parties.map(partySpec).forEach((p, i) => {
      const key =
        personKeyInput({
          givenName: p.givenName ?? null,
          familyName: p.familyName ?? 'Peeters',
          birthDate: p.birthDate ?? null,
          nationalNumber: p.nationalNumber ? nationalNumberDigits(p.nationalNumber) : null,
        }) ?? `${c.index}/${i}`
      const person = { role: p.role, gender: p.gender ?? 'unknown', postcode: p.postcode ?? 'unknown', ageBand: ageBand(p.birthDate) }
      persons.set(key, person)
      if (p.role === 'child') children.set(key, person)
      else adultRoles.add(`${p.role}|${key}`)
    })
  }
  const adultPersons = new Set([...adultRoles].map((r) => r.split('|').slice(1).join('|')))
  const personList = [...persons.values()]
  const childList = [...children.values()]
  const minutes = (v: VisitOf) => (fate(v.visit) === 'held' ? 60 : fate(v.visit) === 'interrupted' ? 30 : 0) * (v.visit.counsellors ?? 1)
  const onward = endedInPeriod.filter((c) => c.spec.ended!.reason === 'referred_elsewhere')

  const firstIntake = (c: CaseOf) => [...(c.spec.intakes ?? [])].sort()[0]
  const firstHeld = (c: CaseOf) =>
    allVisits(data)
      .filter((v) => v.case.index === c.index && v.visit.status !== 'entered-in-error' && fate(v.visit) === 'held')
      .map((v) => v.visit.startsAt)
      .sort()[0]

  return {
    referralsReceived: {
      total: received.length,
      bySource: tally(
        received.map((r) => r.source),
        zeroed(REFERRAL_SOURCES),
      ),
      byLegalFramework: tally(
        received.map((r) => r.legalFramework),
        zeroed(LEGAL_FRAMEWORKS),
      ),
      byJudicialDistrict: tally(received.map(courtDistrict)),
    },
    referralsRefused: { total: decided('refused').length, byReasonCode: tally(decided('refused').map((r) => r.reason!)) },
    referralsReturned: { total: decided('returned').length, byReasonCode: tally(decided('returned').map((r) => r.reason!)) },
    referralsWaitlistedAtEnd: {
      total: refs.filter((r) => r.waitlistedAt && Date.parse(r.waitlistedAt) < END && (!r.decidedAt || Date.parse(r.decidedAt) >= END)).length,
    },
    casesInIntake: {
      total: caseList.filter(
        (c) =>
          Date.parse(c.referral.decidedAt!) < END &&
          (!c.spec.activatedAt || Date.parse(c.spec.activatedAt) >= END) &&
          (!c.spec.ended || c.spec.ended.effectiveDate > TO),
      ).length,
    },
    onwardReferrals: {
      total: onward.length,
      byKind: tally(
        onward.map((c) => c.spec.ended!.referredTo ?? 'unknown'),
        zeroed(CONSULTATION_PARTNERS),
      ),
    },
    counsellingMinutes: {
      total: periodVisits.reduce((sum, v) => sum + minutes(v), 0),
      byKind: periodVisits.reduce((into, v) => ((into[v.visit.kind] = into[v.visit.kind]! + minutes(v)), into), zeroed(VISIT_KINDS)),
    },
    persons: {
      total: personList.length,
      byGender: tally(
        personList.map((p) => p.gender),
        zeroed(GENDERS),
      ),
      byAgeBand: tally(
        personList.map((p) => p.ageBand),
        zeroed(AGE_BANDS),
      ),
      byPostcode: tally(personList.map((p) => p.postcode)),
    },
    casesStarted: { total: caseList.filter((c) => c.spec.activatedAt && inPeriod(c.spec.activatedAt)).length },
    casesActiveAtEnd: { total: activatedBeforeEnd.filter((c) => !c.spec.ended || c.spec.ended.effectiveDate > TO).length },
    casesActiveInPeriod: { total: activeInPeriod.length },
    casesFeeExempt: { total: activeInPeriod.filter((c) => c.spec.feeExempt).length },
    casesSuspended: { total: suspendedReasons.filter((r) => r.length).length, byReasonCode: tally(suspendedReasons.flat()) },
    casesEnded: { total: endedInPeriod.length, byReasonCode: tally(endedInPeriod.map((c) => c.spec.ended!.reason)) },
    visits: {
      total: periodVisits.length,
      byKind: tally(
        periodVisits.map((v) => v.visit.kind),
        zeroed(VISIT_KINDS),
      ),
      byOutcome: tally(
        periodVisits.map((v) => fate(v.visit)),
        zeroed(['held', 'cancelled', 'noshow', 'interrupted', 'without_outcome']),
      ),
    },
    visitsCancelled: {
      total: cancelled.length,
      byCancelledBy: tally(
        cancelled.map((v) => v.visit.cancelledBy!),
        zeroed(CANCELLED_BY),
      ),
    },
    visitsCancelledLate: {
      total: cancelled.filter((v) => v.visit.late).length,
      byCancelledBy: tally(
        cancelled.filter((v) => v.visit.late).map((v) => v.visit.cancelledBy!),
        zeroed(CANCELLED_BY),
      ),
    },
    visitsNoShow: {
      total: noShows.length,
      byPartyRole: tally(
        noShows.flatMap((v) => [...new Set(v.visit.outcomes![v.visit.outcomes!.length - 1]!.absent)]),
        zeroed(PARTY_ROLES.filter((r) => r !== 'child')),
      ),
    },
    visitsInterrupted: { total: periodVisits.filter((v) => fate(v.visit) === 'interrupted').length },
    // The data set's conversations are evaluations; none has an interpreter.
    conversations: {
      total: periodVisits.filter((v) => v.visit.kind === 'conversation').length,
      byPurpose: { ...zeroed(CONVERSATION_PURPOSES), evaluation: periodVisits.filter((v) => v.visit.kind === 'conversation').length },
    },
    visitsWithInterpreter: { total: 0, byLanguage: {} },
    childrenServed: {
      total: childList.length,
      byGender: tally(
        childList.map((p) => p.gender),
        zeroed(GENDERS),
      ),
      byAgeBand: tally(
        childList.map((p) => p.ageBand),
        zeroed(AGE_BANDS),
      ),
    },
    concernsOpened: { total: 0, byStepReached: { none: 0, discussed_in_team: 0, vk_consulted: 0, reported: 0 } },
    adultsServed: {
      total: adultPersons.size,
      byRole: tally(
        [...adultRoles].map((r) => r.split('|')[0]!),
        zeroed(PARTY_ROLES.filter((r) => r !== 'child')),
      ),
    },
    daysReferralToIntake: durations(
      caseList.flatMap((c) => {
        const first = firstIntake(c)
        return first && inPeriod(first) ? [daysBetween(localDay(c.referral.submittedAt), localDay(first))] : []
      }),
    ),
    daysReferralToFirstHeldVisit: durations(
      caseList.flatMap((c) => {
        const first = firstHeld(c)
        return first && inPeriod(first) ? [daysBetween(localDay(c.referral.submittedAt), localDay(first))] : []
      }),
    ),
    daysTrajectory: durations(
      endedInPeriod.filter((c) => c.spec.activatedAt).map((c) => daysBetween(localDay(c.spec.activatedAt!), c.spec.ended!.effectiveDate)),
    ),
  }
}
