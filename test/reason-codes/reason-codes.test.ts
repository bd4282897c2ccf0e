import t from 'tap'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { REASON_CATALOGUE } from '../../src/domain/reason-codes.js'
import { acceptedCase, testCentre, call, completeIntake, referralBody, tokenFor } from '../helpers/app.js'

const catalogueSize = Object.values(REASON_CATALOGUE).reduce((n, codes) => n + codes.length, 0)
type Code = { category: string; code: string; centreId: string | null; label: { nl: string; fr: string; en: string } }

t.test('GET /v1/reason-codes: the seeded catalogue, by category, for every role', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const all = await call(app, { url: '/v1/reason-codes?limit=200', token: staff })
  t.equal(all.status, 200)
  t.equal(all.json.items.length, catalogueSize)
  t.ok(
    all.json.items.every((r: Code) => r.centreId === null && r.label.nl && r.label.fr && r.label.en),
    'shared codes with three labels',
  )
  for (const [category, codes] of Object.entries(REASON_CATALOGUE)) {
    const response = await call(app, { url: `/v1/reason-codes?category=${category}`, token: staff })
    t.same(
      response.json.items.map((r: Code) => r.code),
      codes,
      `${category}, in catalogue order`,
    )
    t.ok(response.json.items.every((r: Code) => r.category === category))
  }
  t.match((await call(app, { url: '/v1/reason-codes?category=refusal', token: staff })).json.items[1], {
    code: 'no_capacity',
    label: { nl: 'Geen plaats beschikbaar', fr: 'Manque de place', en: 'No place available' },
    active: true,
  })
  const invalid = await call(app, { url: '/v1/reason-codes?category=mood', token: staff })
  t.equal(invalid.status, 400)
  t.match(invalid.json.errors, [{ in: 'query', pointer: '/category' }])

  const first = await call(app, { url: '/v1/reason-codes?limit=20', token: staff })
  const second = await call(app, { url: `/v1/reason-codes?limit=200&cursor=${first.json.nextCursor}`, token: staff })
  t.same(
    [...first.json.items, ...second.json.items].map((r: Code) => `${r.category}/${r.code}`),
    all.json.items.map((r: Code) => `${r.category}/${r.code}`),
  )

  for (const [role, scope] of [
    ['clerk', { courtId: centre.demo.courtId }],
    ['integration', { courtId: centre.demo.courtId }],
    ['counsellor', { centreId: centre.centreId }],
  ] as const) {
    const token = (await tokenFor(database, role, scope)).token
    t.equal((await call(app, { url: '/v1/reason-codes?limit=200', token })).json.items.length, catalogueSize, `${role} reads the catalogue`)
  }
  t.equal((await call(app, { url: '/v1/reason-codes' })).status, 401)
})

t.test('a centre’s own codes: added by its admin, usable in their category by that centre only', async (t) => {
  const ctx = await testCentre(t)
  const { app, database, centre } = ctx
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const otherStaff = (await tokenFor(database, 'staff', { centreId: other.centreId })).token
  const create = (body: Record<string, unknown>, token = centre.adminToken) => call(app, { method: 'POST', url: '/v1/reason-codes', token, body })
  const label = { nl: 'Zitting uitgesteld', fr: 'Audience reportée', en: 'Court hearing postponed' }

  t.equal((await create({ category: 'suspension', code: 'court_hearing_postponed', label }, staff)).status, 403, 'staff may not add codes')
  const created = await create({ category: 'suspension', code: 'court_hearing_postponed', label })
  t.equal(created.status, 201, created.body)
  t.match(created.json, { id: String, category: 'suspension', code: 'court_hearing_postponed', centreId: centre.centreId, label, active: true })
  const refusalCode = await create({
    category: 'refusal',
    code: 'waiting_list_closed',
    label: { nl: 'Wachtlijst afgesloten', fr: 'Liste d’attente fermée', en: 'Waiting list closed' },
  })
  t.equal(refusalCode.status, 201)

  // Duplicates in the same category (own or shared) are refused; another category may reuse a code.
  const duplicate = await create({ category: 'suspension', code: 'court_hearing_postponed', label })
  t.equal(duplicate.status, 409)
  t.match(duplicate.json, { type: 'urn:bezoekruimte:problem:reason-code-exists' })
  t.equal((await create({ category: 'ending', code: 'goal_reached', label })).status, 409, 'a shared code')
  t.equal((await create({ category: 'ending', code: 'court_hearing_postponed', label })).status, 201, 'the same code in another category')
  // Invalid codes, categories and labels.
  for (const [name, bad] of [
    ['upper case', { category: 'suspension', code: 'Postponed', label }],
    ['dashes', { category: 'suspension', code: 'hearing-postponed', label }],
    ['unknown category', { category: 'mood', code: 'grumpy', label }],
    ['missing French label', { category: 'suspension', code: 'x_y', label: { nl: 'a', en: 'b' } }],
  ] as const)
    t.equal((await create(bad)).status, 400, name)
  // Another centre may add the same code for itself.
  t.equal((await create({ category: 'suspension', code: 'court_hearing_postponed', label }, other.adminToken)).status, 201)

  // Listed for the centre (after the catalogue), not for the other centre's staff or for courts.
  const ours = await call(app, { url: '/v1/reason-codes?category=suspension', token: staff })
  t.same(
    ours.json.items.map((r: Code) => r.code),
    [...REASON_CATALOGUE.suspension, 'court_hearing_postponed'],
  )
  t.equal(ours.json.items.at(-1).centreId, centre.centreId)
  const theirs = await call(app, { url: '/v1/reason-codes?category=refusal', token: otherStaff })
  t.same(
    theirs.json.items.map((r: Code) => r.code),
    REASON_CATALOGUE.refusal,
    'the other centre does not see our refusal code',
  )
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  t.equal((await call(app, { url: '/v1/reason-codes?limit=200', token: clerk })).json.items.length, catalogueSize, 'clerks list the shared catalogue')

  // Usable where their category is asked for.
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  t.equal((await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: staff })).status, 200)
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
  const wrongCategory = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/suspend`,
    token: staff,
    body: { reasonCode: 'waiting_list_closed', explanation: 'x', from: today },
  })
  t.equal(wrongCategory.status, 400, 'a refusal code of ours does not suspend')
  t.ok(wrongCategory.json.allowedCodes.includes('court_hearing_postponed'), 'our own suspension code is among the allowed')
  const suspended = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/suspend`,
    token: staff,
    body: { reasonCode: 'court_hearing_postponed', explanation: 'The hearing moved to June.', from: today },
  })
  t.equal(suspended.status, 200, suspended.body)
  t.match(suspended.json.suspensions, [{ reason: { category: 'suspension', code: 'court_hearing_postponed', label } }])
  // The clerk sees our label on the case.
  t.match((await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })).json.items.at(-1), {
    type: 'suspended',
    reason: { code: 'court_hearing_postponed', label: { en: 'Court hearing postponed' } },
    explanation: undefined,
  })

  // Refusing with our own code; the other centre cannot use it.
  const referral = (await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre) })).json.id
  const refused = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${referral}/refuse`,
    token: staff,
    body: { reasonCode: 'waiting_list_closed', explanation: 'Closed until January.' },
  })
  t.equal(refused.status, 200, refused.body)
  t.match((await call(app, { url: `/v1/referrals/${referral}`, token: clerk })).json, {
    statusReason: { category: 'refusal', code: 'waiting_list_closed', label: { nl: 'Wachtlijst afgesloten' } },
    statusExplanation: undefined,
  })
  const elsewhere = (await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre, { centreId: other.centreId }) })).json.id
  const notTheirs = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${elsewhere}/refuse`,
    token: otherStaff,
    body: { reasonCode: 'waiting_list_closed', explanation: 'x' },
  })
  t.equal(notTheirs.status, 400, 'another centre’s own code is unknown here')
  t.notOk(notTheirs.json.allowedCodes.includes('waiting_list_closed'))
})
