import t from 'tap'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { acceptedCase, testCentre, call, completeIntake, tokenFor, type AcceptedCase, type TestContext } from '../helpers/app.js'

const activate = (ctx: TestContext, c: AcceptedCase) => call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff })
const readiness = async (ctx: TestContext, c: AcceptedCase) => (await call(ctx.app, { url: `/v1/cases/${c.caseId}/readiness`, token: c.staff })).json

t.test('activation is refused (409 with missing[]) for each missing requirement in turn', async (t) => {
  const ctx = await testCentre(t)
  const { centre } = ctx
  const { houseRules, information } = centre.demo.documentIds
  type Skip = Parameters<typeof completeIntake>[2]
  const scenarios: { name: string; skip: (c: AcceptedCase) => Skip; missing: (c: AcceptedCase) => unknown[] }[] = [
    { name: 'the visiting parent’s intake', skip: (c) => ({ intakeOf: c.visiting }), missing: (c) => [{ partyId: c.visiting, requirement: 'intake' }] },
    { name: 'the residing parent’s intake', skip: (c) => ({ intakeOf: c.residing }), missing: (c) => [{ partyId: c.residing, requirement: 'intake' }] },
    {
      name: 'the visiting parent’s house rules',
      skip: (c) => ({ documentOf: { partyId: c.visiting, kind: 'houseRules' } }),
      missing: (c) => [{ partyId: c.visiting, requirement: 'house_rules', documentId: houseRules, version: 1 }],
    },
    {
      name: 'the residing parent’s information document',
      skip: (c) => ({ documentOf: { partyId: c.residing, kind: 'information' } }),
      missing: (c) => [{ partyId: c.residing, requirement: 'information', documentId: information, version: 1 }],
    },
    {
      name: 'the residing parent’s agreement signature',
      skip: (c) => ({ agreementOf: c.residing }),
      missing: (c) => [{ partyId: c.residing, requirement: 'agreement', version: 1 }],
    },
    {
      name: 'any agreement',
      skip: () => ({ agreement: true }),
      missing: (c) => [
        { partyId: c.visiting, requirement: 'agreement' },
        { partyId: c.residing, requirement: 'agreement' },
      ],
    },
  ]
  for (const scenario of scenarios) {
    const c = await acceptedCase(ctx)
    await completeIntake(ctx, c, scenario.skip(c))
    const refused = await activate(ctx, c)
    t.equal(refused.status, 409, scenario.name)
    t.match(refused.headers['content-type'], /application\/problem\+json/)
    t.match(refused.json, {
      type: 'urn:bezoekruimte:problem:case-not-ready',
      status: 409,
      detail: /cannot be activated: 1 requirement is missing|2 requirements are missing/,
    })
    t.same(refused.json.missing, scenario.missing(c), `${scenario.name}: missing[] names exactly it`)
    t.same(await readiness(ctx, c), { ready: false, missing: scenario.missing(c) }, `${scenario.name}: readiness says the same`)
    const read = await call(ctx.app, { url: `/v1/cases/${c.caseId}`, token: c.staff })
    t.match(read.json, { status: 'intake', activatedAt: null, plannedEndDate: null, readiness: { ready: false } }, 'still in intake')
    t.notOk((await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.some((e: { type: string }) => e.type === 'activated'))
  }

  // Nothing done at all: every requirement of both adults.
  const bare = await acceptedCase(ctx)
  const nothing = await activate(ctx, bare)
  t.equal(nothing.status, 409)
  t.equal(nothing.json.missing.length, 8)
  t.match(nothing.json.detail, /8 requirements are missing/)
  // The child is never asked for anything.
  t.notOk(nothing.json.missing.some((m: { partyId: string }) => m.partyId === bare.child))

  // Complete: activated.
  const complete = await acceptedCase(ctx)
  await completeIntake(ctx, complete)
  t.same(await readiness(ctx, complete), { ready: true, missing: [] })
  t.equal((await activate(ctx, complete)).status, 200)
})

t.test('a new house-rules version in force makes earlier signatures insufficient', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  t.same(await readiness(ctx, c), { ready: true, missing: [] })

  // A version that comes into force later changes nothing yet.
  const later = await call(app, {
    method: 'POST',
    url: '/v1/documents',
    token: centre.adminToken,
    body: {
      kind: 'house_rules',
      language: 'nl',
      title: 'Huishoudelijk reglement',
      body: 'Versie 2.',
      effectiveFrom: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
  })
  t.equal(later.status, 201, later.body)
  t.same(await readiness(ctx, c), { ready: true, missing: [] }, 'a future version is not in force yet')

  const other = await acceptedCase(ctx)
  await completeIntake(ctx, other)
  const now = await call(app, {
    method: 'POST',
    url: '/v1/documents',
    token: centre.adminToken,
    body: { kind: 'information', language: 'nl', title: 'Informatie', body: 'Versie 2.' },
  })
  t.equal(now.status, 201, now.body)
  t.match(now.json, { kind: 'information', language: 'nl', version: 2 })
  const expected = [
    { partyId: c.visiting, requirement: 'information', documentId: now.json.id, version: 2 },
    { partyId: c.residing, requirement: 'information', documentId: now.json.id, version: 2 },
  ]
  t.same(await readiness(ctx, c), { ready: false, missing: expected }, 'readiness reports the missing signature of version 2')
  const refused = await activate(ctx, c)
  t.equal(refused.status, 409)
  t.same(refused.json.missing, expected)
  t.match((await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.readiness, { ready: false, missing: expected }, 'also on the case')

  // Signing version 2 makes the case ready again.
  for (const partyId of [c.visiting, c.residing]) {
    const signed = await call(app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/signatures`,
      token: c.staff,
      body: { partyId, documentId: now.json.id, method: 'in_person', signedAt: new Date().toISOString() },
    })
    t.equal(signed.status, 201, signed.body)
    t.match(signed.json, { kind: 'information', version: 2, method: 'in_person' })
  }
  t.same(await readiness(ctx, c), { ready: true, missing: [] })
  t.equal((await activate(ctx, c)).status, 200)

  // The other case was ready before version 2, and is not any more.
  const otherRefused = await activate(ctx, other)
  t.equal(otherRefused.status, 409)
  t.same(
    otherRefused.json.missing.map((m: { requirement: string; version: number }) => `${m.requirement}@${m.version}`),
    ['information@2', 'information@2'],
  )

  // An active case, too, needs the next version signed (the booking gate uses the same readiness).
  const version3 = await call(app, {
    method: 'POST',
    url: '/v1/documents',
    token: centre.adminToken,
    body: { kind: 'information', language: 'nl', title: 'Informatie', body: 'Versie 3.' },
  })
  t.equal(version3.status, 201)
  t.same(
    (await readiness(ctx, c)).missing.map((m: { partyId: string; version: number }) => [m.partyId, m.version]),
    [
      [c.visiting, 3],
      [c.residing, 3],
    ],
  )
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.status, 'active', 'the case stays active')

  // Versions come into force in order: none may start before the one already scheduled.
  const early = await call(app, {
    method: 'POST',
    url: '/v1/documents',
    token: centre.adminToken,
    body: { kind: 'house_rules', language: 'nl', title: 'Huishoudelijk reglement', body: 'Versie 3.' },
  })
  t.equal(early.status, 400)
  t.match(early.json.errors, [{ pointer: '/effectiveFrom', detail: /version 2/ }])
})

t.test('readiness follows each party’s language; the centre’s setting sets the planned end', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const c = await acceptedCase(ctx, {
    parties: [
      { role: 'child', givenName: 'Noah', familyName: 'Dubois', birthDate: '2018-03-01', language: 'fr' },
      { role: 'visiting_parent', givenName: 'Marc', familyName: 'Dubois', birthDate: '1985-02-02', language: 'fr' },
      { role: 'residing_parent', givenName: 'Eva', familyName: 'Peeters', birthDate: '1986-04-04', language: 'nl' },
    ],
  })
  await completeIntake(ctx, c)
  t.same(await readiness(ctx, c), { ready: true, missing: [] }, 'without a French version, the Dutch one is in force for everyone')
  const fr = await call(app, {
    method: 'POST',
    url: '/v1/documents',
    token: centre.adminToken,
    body: { kind: 'house_rules', language: 'fr', title: 'Règlement d’ordre intérieur', body: '1. Vous arrivez à l’heure.' },
  })
  t.equal(fr.status, 201)
  t.same(
    await readiness(ctx, c),
    { ready: false, missing: [{ partyId: c.visiting, requirement: 'house_rules', documentId: fr.json.id, version: 1 }] },
    'the French-speaking parent signs the French version',
  )
  await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/signatures`,
    token: c.staff,
    body: { partyId: c.visiting, documentId: fr.json.id, method: 'paper', signedAt: new Date().toISOString() },
  })

  // Planned end: the centre's planned duration (default 6 months, here 3).
  const patched = await call(app, {
    method: 'PATCH',
    url: `/v1/centres/${centre.centreId}`,
    token: centre.adminToken,
    body: { settings: { plannedDurationMonths: 3 } },
  })
  t.equal(patched.status, 200, patched.body)
  const activated = await activate(ctx, c)
  t.equal(activated.status, 200, activated.body)
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y, m - 1 + 3, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, lastDay))
  t.equal(activated.json.plannedEndDate, target.toISOString().slice(0, 10), 'three months from today (clamped to the month’s end)')
  t.match((await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.at(-1), {
    type: 'activated',
    data: { plannedEndDate: target.toISOString().slice(0, 10) },
  })

  // Readiness is for the centre: another centre's staff get 404, referrers and integrations 403.
  const other = await setupCentre(ctx.database.db, { centreName: 'Centre B', demo: true })
  const otherStaff = (await tokenFor(ctx.database, 'staff', { centreId: other.centreId })).token
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}/readiness`, token: otherStaff })).status, 404)
  t.equal((await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: otherStaff })).status, 404)
  for (const [role, scope] of [
    ['clerk', { courtId: centre.demo.courtId }],
    ['integration', { centreId: centre.centreId }],
  ] as const) {
    const token = (await tokenFor(ctx.database, role, scope)).token
    t.equal((await call(app, { url: `/v1/cases/${c.caseId}/readiness`, token })).status, 403, `${role}: readiness is internal`)
  }
  const counsellor = (await tokenFor(ctx.database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
  t.same((await call(app, { url: `/v1/cases/${c.caseId}/readiness`, token: counsellor })).json, { ready: true, missing: [] }, 'counsellors read it')
})
