/**
 * GET /v1/statistics as JSON over a data set with known numbers (test/statistics/dataset.ts): every
 * figure equals the count made in TypeScript from the seeded arrays, for one centre, every centre,
 * one site, per site and per judicial district; who may ask, scope, the period's checks, and that a
 * past period's figures stay the same when data outside it is added.
 */
import t from 'tap'
import { buildTestApp, call } from '../helpers/app.js'
import { courtDistrict, expectedFigures, FROM, REFERRALS, S2_NAME, seed, siteDistrict, TO, type ReferralSpec, type Selection, YEAR_2026 } from './dataset.js'

const url = (query = '', from = FROM, to = TO) => `/v1/statistics?from=${from}&to=${to}${query}`

const ofCentre = (centre: 'A' | 'B'): Selection => ({
  referral: (r) => r.centre === centre,
  case: (c) => c.referral.centre === centre,
  visit: (v) => v.case.referral.centre === centre,
})

t.test('statistics over a seeded data set', async (t) => {
  const ctx = await buildTestApp(t, { ownDatabase: true }) // the operator's figures count every centre
  const s = await seed(ctx)
  const { app } = ctx

  t.test('an admin gets its own centre, every figure as counted from the data set', async (t) => {
    const r = await call(app, { url: url(), token: s.tokens.adminA })
    t.equal(r.status, 200, r.body)
    t.match(r.headers['content-type'], /^application\/json/)
    t.equal(r.headers.vary, 'Accept')
    t.same(r.json.period, { from: FROM, to: TO, timeZone: 'Europe/Brussels' })
    t.same(r.json.scope, { centreId: s.centres.A, siteId: null })
    t.equal(r.json.groupBy, 'none')
    t.equal(r.json.groups.length, 1)
    t.same({ ...r.json.groups[0], figures: undefined }, { type: 'all', key: 'all', name: 'Centre A', figures: undefined })
    const figures = r.json.groups[0].figures
    t.strictSame(figures, expectedFigures(ofCentre('A')))
    // A few of the numbers by hand, so the counting in TypeScript is checked too.
    t.equal(figures.referralsReceived.total, 12, 'the referral of 00:30 on 1 January counts, the one of 00:30 on 1 January 2026 does not')
    t.same(figures.referralsRefused, { total: 2, byReasonCode: { no_capacity: 1, safety_risk_unmanageable: 1 } }, 'refusals decided in the period')
    t.same(figures.referralsReturned, { total: 1, byReasonCode: { incomplete_referral: 1 } })
    t.equal(figures.casesStarted.total, 3)
    t.equal(figures.casesActiveAtEnd.total, 2, 'the suspended case counts as active; the one ended on 1 January does not')
    t.same([figures.casesActiveInPeriod.total, figures.casesFeeExempt.total], [5, 4])
    t.same(figures.casesSuspended, { total: 3, byReasonCode: { illness: 1, child_refuses: 1, safety_concern: 1 } })
    t.same(figures.casesEnded, {
      total: 4,
      byReasonCode: { goal_reached: 1, parties_do_not_consent: 1, max_duration_reached: 1, referred_elsewhere: 1 },
    })
    t.equal(figures.visits.total, 14, 'the entry in error and the visits outside the period are left out')
    t.same(figures.visits.byOutcome, { held: 6, cancelled: 3, noshow: 2, interrupted: 1, without_outcome: 2 }, 'the correcting outcome counts')
    t.same(figures.visitsNoShow.byPartyRole, { ...figures.visitsNoShow.byPartyRole, visiting_parent: 1, residing_parent: 1, residing_other: 1 })
    t.same(figures.visitsCancelledLate.total, 2)
    t.same(figures.daysReferralToFirstHeldVisit, { count: 3, median: 41, p90: 47.4 })
    t.same(figures.daysTrajectory, { count: 3, median: 184, p90: 229.6 })
    // The registration figures (issue 26).
    t.same(
      [figures.childrenServed.total, figures.adultsServed.total, figures.persons.total],
      [9, 12, 21],
      'the same child (Lena, spelled LÉNA PEETERS the second time) and the same father (by his national number) in two cases count once; cases in intake count',
    )
    t.same(figures.persons.byGender, { female: 2, male: 2, x: 1, unknown: 16 })
    t.same(figures.persons.byAgeBand, { '0_2': 1, '3_5': 1, '6_11': 0, '12_17': 1, adult: 2, unknown: 16 }, 'ages on 1 January 2025')
    t.same(figures.persons.byPostcode, { '2000': 2, '2018': 1, '3500': 1, unknown: 17 })
    t.same(figures.childrenServed.byGender, { female: 2, male: 1, x: 0, unknown: 6 })
    t.same(figures.referralsWaitlistedAtEnd.total, 1, 'the referral waitlisted in November; not the one accepted from the list in August')
    t.same(figures.casesInIntake.total, 2)
    t.same(
      figures.counsellingMinutes,
      { total: 450, byKind: { supervised_visit: 300, supervised_handover: 60, outside_visit: 30, conversation: 60 } },
      'two counsellors count twice; an interrupted visit until its interruption',
    )
    t.same(figures.onwardReferrals.total, 1)
    t.same(figures.onwardReferrals.byKind.mental_health, 1)
  })

  t.test('staff get the same; counsellor, clerk and integration tokens are refused', async (t) => {
    const admin = await call(app, { url: url(), token: s.tokens.adminA })
    const staff = await call(app, { url: url(), token: s.tokens.staffA })
    t.equal(staff.status, 200)
    t.strictSame(staff.json, admin.json)
    for (const token of [s.tokens.counsellorA, s.tokens.clerkA, s.tokens.integrationA]) {
      const refused = await call(app, { url: url(), token })
      t.equal(refused.status, 403, refused.body)
      t.match(refused.headers['content-type'], /^application\/problem\+json/)
    }
    t.equal((await call(app, { url: url() })).status, 401)
  })

  t.test('the operator sees every centre; another centre’s data does not change an admin’s numbers', async (t) => {
    const operator = await call(app, { url: url(), token: ctx.operator })
    t.equal(operator.status, 200, operator.body)
    t.same(operator.json.scope, { centreId: null, siteId: null })
    t.equal(operator.json.groups[0].name, 'All centres')
    t.strictSame(operator.json.groups[0].figures, expectedFigures({ referral: () => true, case: () => true, visit: () => true }))
    const b = await call(app, { url: url(), token: s.tokens.adminB })
    t.strictSame(b.json.groups[0].figures, expectedFigures(ofCentre('B')))
    t.equal(b.json.groups[0].figures.visits.total, 3)
    t.not(operator.json.groups[0].figures.visits.total, (await call(app, { url: url(), token: s.tokens.adminA })).json.groups[0].figures.visits.total)
  })

  t.test('one site: its cases and visits, and its centre’s referrals; a site outside the scope is not found', async (t) => {
    const r = await call(app, { url: url(`&siteId=${s.sites.S2}`), token: s.tokens.adminA })
    t.equal(r.status, 200, r.body)
    t.same(r.json.scope, { centreId: s.centres.A, siteId: s.sites.S2 })
    t.equal(r.json.groups[0].name, S2_NAME)
    t.strictSame(
      r.json.groups[0].figures,
      expectedFigures({ referral: (x) => x.centre === 'A', case: (c) => c.spec.site === 'S2', visit: (v) => v.site === 'S2' }),
    )
    t.equal((await call(app, { url: url(`&siteId=${s.sites.B1}`), token: s.tokens.adminA })).status, 404, 'another centre’s site')
    t.equal((await call(app, { url: url('&siteId=00000000-0000-4000-8000-000000000000'), token: s.tokens.adminA })).status, 404, 'an unknown site')
    const operator = await call(app, { url: url(`&siteId=${s.sites.B1}`), token: ctx.operator })
    t.equal(operator.status, 200)
    t.same(operator.json.scope, { centreId: s.centres.B, siteId: s.sites.B1 })
    t.strictSame(operator.json.groups[0].figures, expectedFigures({ ...ofCentre('B'), case: (c) => c.spec.site === 'B1', visit: (v) => v.site === 'B1' }))
  })

  t.test('per site: each site, and under its centre what has no site (every referral)', async (t) => {
    const r = await call(app, { url: url('&groupBy=site'), token: ctx.operator })
    t.equal(r.status, 200, r.body)
    t.same(
      r.json.groups.map((g: { type: string; key: string }) => `${g.type}:${g.key}`),
      [`centre:${s.centres.A}`, `site:${s.sites.S2}`, `site:${s.sites.S1}`, `centre:${s.centres.B}`, `site:${s.sites.B1}`],
      'each centre, then its sites by name',
    )
    const groupOf = (type: string, key: string) => r.json.groups.find((g: { type: string; key: string }) => g.type === type && g.key === key)?.figures
    for (const centre of ['A', 'B'] as const) {
      t.strictSame(
        groupOf('centre', s.centres[centre]),
        expectedFigures({
          referral: (x) => x.centre === centre,
          case: (c) => c.referral.centre === centre && c.spec.site === null,
          visit: (v) => v.case.referral.centre === centre && v.site === null,
        }),
        `centre ${centre}: its referrals, the case and the visit without a site`,
      )
    }
    for (const site of ['S1', 'S2', 'B1'] as const) {
      t.strictSame(
        groupOf('site', s.sites[site]),
        expectedFigures({ referral: () => false, case: (c) => c.spec.site === site, visit: (v) => v.site === site }),
        `site ${site}`,
      )
    }
    t.equal(groupOf('centre', s.centres.A).visits.total, 1, 'the visit outside the centre (no site) sits with its centre')
    t.same(
      [groupOf('centre', s.centres.A), groupOf('site', s.sites.S1), groupOf('site', s.sites.S2)].map((f) => f.childrenServed.total),
      [1, 5, 4],
      'Lena counts at both sites of her two cases (10 over the groups), once in the centre’s total (9): persons are not additive',
    )
  })

  t.test('per judicial district: a court’s for referrals, a site’s for cases and visits, unknown without', async (t) => {
    const r = await call(app, { url: url('&groupBy=district'), token: s.tokens.adminA })
    t.equal(r.status, 200, r.body)
    t.same(
      r.json.groups.map((g: { key: string }) => g.key),
      ['Antwerpen', 'Gent', 'Limburg', 'unknown'],
    )
    for (const group of r.json.groups) {
      t.equal(group.type, 'district')
      t.strictSame(
        group.figures,
        expectedFigures({
          referral: (x) => x.centre === 'A' && courtDistrict(x) === group.key,
          case: (c) => c.referral.centre === 'A' && siteDistrict(c.spec.site) === group.key,
          visit: (v) => v.case.referral.centre === 'A' && siteDistrict(v.site) === group.key,
        }),
        group.key,
      )
    }
  })

  t.test('the period: both days included, at most three years, real days; other input refused', async (t) => {
    const get = (query: string) => call(app, { url: `/v1/statistics?${query}`, token: s.tokens.adminA })
    const oneDay = await get('from=2025-01-01&to=2025-01-01')
    t.equal(oneDay.status, 200, 'a period of one day')
    t.equal(oneDay.json.groups[0].figures.referralsReceived.total, 1, 'the referral of 00:30 on 1 January in Brussels')
    t.equal((await get('from=2023-01-01&to=2025-12-31')).status, 200, 'three years')
    for (const query of [
      'from=2023-01-01&to=2026-01-01',
      'from=2025-02-01&to=2025-01-31',
      'from=2025-02-30&to=2025-03-01',
      'from=0000-01-01&to=0001-01-01',
      'from=2025-01-01',
      'from=2025-01-01&to=2025-02-01&groupBy=centre',
      'from=2025-01-01&to=2025-02-01&siteId=x',
      'from=2025-01-01&to=2025-02-01&unknown=1',
    ]) {
      const r = await get(query)
      t.equal(r.status, 400, `${query}: ${r.body}`)
      t.match(r.headers['content-type'], /^application\/problem\+json/)
    }
  })

  t.test('a past period’s figures stay the same when data outside it is added', async (t) => {
    const before = await call(app, { url: url('&groupBy=site'), token: ctx.operator })
    const later: ReferralSpec[] = [
      { centre: 'A', source: 'court', legalFramework: 'court_ordered', court: 'gent', submittedAt: '2026-02-01T10:00:00Z', status: 'submitted' },
      {
        centre: 'A',
        source: 'self',
        legalFramework: 'voluntary',
        court: null,
        submittedAt: '2026-01-20T10:00:00Z',
        status: 'refused',
        reason: 'no_capacity',
        decidedAt: '2026-01-21T10:00:00Z',
      },
      {
        centre: 'A',
        source: 'court',
        legalFramework: 'court_ordered',
        court: 'antwerpen',
        submittedAt: '2026-01-02T10:00:00Z',
        status: 'accepted',
        decidedAt: '2026-01-03T10:00:00Z',
        case: {
          site: 'S1',
          feeExempt: true,
          parties: ['child', 'visiting_parent', 'residing_parent'],
          intakes: ['2026-01-10T10:00:00Z'],
          activatedAt: '2026-01-20T10:00:00Z',
          suspensions: [{ from: '2026-03-01', until: null, reason: 'illness' }],
          ended: { effectiveDate: '2026-06-30', reason: 'goal_reached', at: '2026-06-30T10:00:00Z' },
          visits: [
            { kind: 'supervised_visit', startsAt: '2026-02-01T10:00:00Z', outcomes: [{ outcome: 'fulfilled' }] },
            { kind: 'supervised_visit', startsAt: '2026-02-08T10:00:00Z', status: 'cancelled', cancelledBy: 'residing_party', late: true },
          ],
        },
      },
    ]
    await seed(ctx, later, s)
    const after = await call(app, { url: url('&groupBy=site'), token: ctx.operator })
    t.strictSame(after.json, before.json, '2025 is unchanged')
    const next = await call(app, { url: url('', '2026-01-01', '2026-12-31'), token: ctx.operator })
    t.strictSame(
      next.json.groups[0].figures,
      expectedFigures({ referral: () => true, case: () => true, visit: () => true }, [...REFERRALS, ...later], YEAR_2026),
    )
    t.equal(next.json.groups[0].figures.casesStarted.total, 2, 'the new data is there, in 2026')
  })
})
