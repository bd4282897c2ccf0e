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
import {
  CANCELLED_BY,
  CONVERSATION_PURPOSES,
  LEGAL_FRAMEWORKS,
  PARTY_ROLES,
  REFERRAL_SOURCES,
  VISIT_KINDS,
  type CancelledBy,
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
}
export interface CaseSpec {
  site: SiteKey | null
  feeExempt: boolean
  parties: PartyRole[]
  intakes?: string[]
  activatedAt?: string
  ended?: { effectiveDate: string; reason: string; at: string }
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
      })
      .returning()
    const caseId = caseRow!.id
    const partyIds: string[] = []
    for (const role of c.parties) {
      const [party] = await db
        .insert(parties)
        .values({ centreId: ids.centres[r.centre], referralId: referral!.id, caseId, role, familyName: 'Peeters', language: 'nl' })
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
          counsellorIds: [counsellor[r.centre]],
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
            absentPartyIds: (o.absent ?? []).map((role) => partyIds[c.parties.indexOf(role)]!),
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
  // Distinct parties: a case's party is its index in the case's list.
  const served = new Map<string, PartyRole>()
  for (const v of held) v.case.spec.parties.forEach((role, i) => served.set(`${v.case.index}/${i}`, role))
  const servedRoles = [...served.values()]

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
    childrenServed: { total: servedRoles.filter((r) => r === 'child').length },
    concernsOpened: { total: 0, byStepReached: { none: 0, discussed_in_team: 0, vk_consulted: 0, reported: 0 } },
    adultsServed: {
      total: servedRoles.filter((r) => r !== 'child').length,
      byRole: tally(
        servedRoles.filter((r) => r !== 'child'),
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
