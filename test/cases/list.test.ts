import t from 'tap'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { testCentre, call, completeIntake, referralBody, tokenFor } from '../helpers/app.js'

t.test('GET /v1/cases: filters by status, lead counsellor and site; cursor pagination; scope', async (t) => {
  const ctx = await testCentre(t)
  const { app, database, centre } = ctx
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const [an, jonas] = centre.demo.counsellorIds as [string, string]

  // Six cases: three of the court (An, at the demo site), two voluntary (Jonas, no site), one of the court with Jonas.
  const open = async (body: Record<string, unknown>, accept: Record<string, unknown>, token = clerk) => {
    const referral = await call(app, { method: 'POST', url: '/v1/referrals', token, body: referralBody(centre, body) })
    const accepted = await call(app, { method: 'POST', url: `/v1/referrals/${referral.json.id}/accept`, token: staff, body: accept })
    t.equal(accepted.status, 201, accepted.body)
    return {
      caseId: accepted.json.caseId as string,
      referralId: referral.json.id as string,
      parties: accepted.json.case.parties as { id: string; role: string }[],
    }
  }
  const voluntary = { source: 'self', legalFramework: 'voluntary', courtId: undefined, courtReference: undefined, decisionDate: undefined }
  const atSite = { leadCounsellorId: an, siteId: centre.demo.siteId }
  const court = [await open({}, atSite), await open({}, atSite), await open({}, atSite)]
  const selfReferred = [await open(voluntary, { leadCounsellorId: jonas }, staff), await open(voluntary, { leadCounsellorId: jonas }, staff)]
  const withJonas = await open({ courtReference: '25/0042/B' }, { leadCounsellorId: jonas, siteId: centre.demo.siteId })
  const all = [...court, ...selfReferred, withJonas].map((c) => c.caseId)

  // Bring some to other statuses.
  const c0 = court[0]!
  const adult = (c: typeof c0, role: string) => c.parties.find((p) => p.role === role)!.id
  await completeIntake(ctx, { ...c0, staff, clerk, child: adult(c0, 'child'), visiting: adult(c0, 'visiting_parent'), residing: adult(c0, 'residing_parent') })
  t.equal((await call(app, { method: 'POST', url: `/v1/cases/${c0.caseId}/activate`, token: staff })).status, 200)
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `/v1/cases/${selfReferred[1]!.caseId}/end`,
        token: staff,
        body: { reasonCode: 'no_capacity', explanation: 'x', effectiveDate: new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' }) },
      })
    ).status,
    200,
  )

  const ids = async (query: string, token = staff) => {
    const response = await call(app, { url: `/v1/cases${query}`, token })
    t.equal(response.status, 200, `${query}: ${response.body}`)
    return response.json.items.map((c: { id: string }) => c.id)
  }
  t.same(await ids(''), all, 'all, oldest first')
  t.same(
    await ids('?status=intake'),
    all.filter((id) => id !== c0.caseId && id !== selfReferred[1]!.caseId),
  )
  t.same(await ids('?status=active'), [c0.caseId])
  t.same(await ids('?status=ended'), [selfReferred[1]!.caseId])
  t.same(await ids('?status=suspended'), [])
  t.same(
    await ids(`?counsellorId=${jonas}`),
    [...selfReferred, withJonas].map((c) => c.caseId),
  )
  t.same(
    await ids(`?siteId=${centre.demo.siteId}`),
    [...court, withJonas].map((c) => c.caseId),
  )
  t.same(await ids(`?siteId=${centre.demo.siteId}&counsellorId=${jonas}&status=intake`), [withJonas.caseId], 'filters combine')
  for (const bad of ['?status=open', '?counsellorId=nope', '?siteId=1', '?limit=0', '?limit=201', '?cursor=not-ours']) {
    const response = await call(app, { url: `/v1/cases${bad}`, token: staff })
    t.equal(response.status, 400, bad)
    t.match(response.headers['content-type'], /problem\+json/)
  }

  // Pages of four, then two; each page's cursor leads on.
  const first = await call(app, { url: '/v1/cases?limit=4', token: staff })
  t.same(
    first.json.items.map((c: { id: string }) => c.id),
    all.slice(0, 4),
  )
  t.type(first.json.nextCursor, 'string')
  const second = await call(app, { url: `/v1/cases?limit=4&cursor=${first.json.nextCursor}`, token: staff })
  t.same(
    second.json.items.map((c: { id: string }) => c.id),
    all.slice(4),
  )
  t.equal(second.json.nextCursor, null)
  const filteredPage = await call(app, { url: `/v1/cases?limit=1&counsellorId=${jonas}`, token: staff })
  const filteredNext = await call(app, { url: `/v1/cases?limit=5&counsellorId=${jonas}&cursor=${filteredPage.json.nextCursor}`, token: staff })
  t.same(
    [...filteredPage.json.items, ...filteredNext.json.items].map((c: { id: string }) => c.id),
    [...selfReferred, withJonas].map((c) => c.caseId),
    'cursor and filter together',
  )

  // The full summary for the centre.
  const summary = (await call(app, { url: '/v1/cases?limit=1', token: staff })).json.items[0]
  t.match(summary, {
    id: c0.caseId,
    referralId: c0.referralId,
    centreId: centre.centreId,
    siteId: centre.demo.siteId,
    courtId: centre.demo.courtId,
    courtReference: '24/1234/A',
    status: 'active',
    feeExempt: true,
    leadCounsellorId: an,
    activatedAt: String,
    plannedEndDate: String,
  })

  // The clerk: the court's cases only, as the referrer sees them.
  t.same(
    await ids('', clerk),
    [...court, withJonas].map((c) => c.caseId),
  )
  t.same(await ids(`?status=active`, clerk), [c0.caseId])
  const clerkList = await call(app, { url: '/v1/cases', token: clerk })
  for (const field of ['feeExempt', 'leadCounsellorId', 'siteId', 'centreId']) t.notOk(field in clerkList.json.items[0], `no ${field} for the clerk`)
  t.match(clerkList.json.items[0], { status: 'active', courtReference: '24/1234/A', activatedAt: String, plannedEndDate: String })
  const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token
  t.same(
    await ids('', courtIntegration),
    [...court, withJonas].map((c) => c.caseId),
  )
  const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: jonas })).token
  t.same(
    await ids('', counsellor),
    [...selfReferred, withJonas].map((c) => c.caseId),
    'a counsellor reads the cases it leads (test/cases/counsellor-scope.test.ts)',
  )

  // Other scopes: nothing.
  const otherCourt = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: ctx.operator,
    body: { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' },
  })
  const otherClerk = (await tokenFor(database, 'clerk', { courtId: otherCourt.json.id })).token
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const otherStaff = (await tokenFor(database, 'staff', { centreId: other.centreId })).token
  t.same(await ids('', otherClerk), [])
  t.same(await ids('', otherStaff), [])
  t.same(await ids(`?counsellorId=${an}`, otherStaff), [], 'not even by naming our counsellor')
  t.same(await ids(`?siteId=${other.demo!.siteId}`), [], 'another centre’s site has none of ours')
  t.equal((await call(app, { url: '/v1/cases' })).status, 401)
})

t.test('GET /v1/cases/{id}: the full case for the centre, the referrer’s view for the clerk, 404 elsewhere', async (t) => {
  const ctx = await testCentre(t)
  const { app, database, centre } = ctx
  const { acceptedCase } = await import('../helpers/app.js')
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  const full = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })
  t.equal(full.status, 200)
  t.match(full.json, {
    id: c.caseId,
    status: 'intake',
    feeExempt: true,
    leadCounsellorId: centre.demo.counsellorIds[0],
    plannedEndDate: null,
    activatedAt: null,
    agreement: { version: 1, kinds: ['supervised_visit'], signatures: [{ partyId: c.visiting }, { partyId: c.residing }] },
    readiness: { ready: true, missing: [] },
    suspensions: [],
    ending: null,
    allowedActions: ['activate', 'end', 'record'],
  })
  t.equal(full.json.parties.length, 3)
  t.match(
    full.json.parties.find((p: { id: string }) => p.id === c.residing),
    { confidentialAddress: true, contact: { address: 'Geheime Dreef 9, 2018 Antwerpen' } },
  )
  t.equal(full.json.intakes.length, 2)
  t.equal(full.json.intakes[0].summary, 'Intake held.')

  const clerkView = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.clerk })
  t.equal(clerkView.status, 200)
  t.same(Object.keys(clerkView.json).sort(), [
    'activatedAt',
    'courtId',
    'courtReference',
    'createdAt',
    'dossierNumber',
    'endEffectiveDate',
    'endedAt',
    'ending',
    'id',
    'plannedEndDate',
    'referralId',
    'status',
    'suspension',
    'suspensions',
    'view',
  ])
  const events = await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })
  t.same(
    events.json.items.map((e: { type: string }) => e.type),
    ['created'],
    'no intake or signature records for the clerk',
  )

  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const otherCourt = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: ctx.operator,
    body: { name: 'Familierechtbank Brugge', judicialDistrict: 'West-Vlaanderen' },
  })
  const tokens = {
    'another centre’s staff': (await tokenFor(database, 'staff', { centreId: other.centreId })).token,
    'another centre’s admin': other.adminToken,
    'another court’s clerk': (await tokenFor(database, 'clerk', { courtId: otherCourt.json.id })).token,
    'another court’s integration': (await tokenFor(database, 'integration', { courtId: otherCourt.json.id })).token,
    'another centre’s integration': (await tokenFor(database, 'integration', { centreId: other.centreId })).token,
  }
  for (const [name, token] of Object.entries(tokens)) {
    for (const url of [`/v1/cases/${c.caseId}`, `/v1/cases/${c.caseId}/events`, `/v1/referrals/${c.referralId}`]) {
      const response = await call(app, { url, token })
      t.equal(response.status, 404, `${name}: ${url}`)
      t.notOk(response.body.includes('Vermeulen'))
    }
  }
  t.equal((await call(app, { url: '/v1/cases/01a207aa-2853-7399-9beb-4e6a29a64dd6', token: c.staff })).status, 404)
})
