/**
 * Centres serve judicial districts: a referral from a court whose district none of the centre's
 * sites serves is flagged for the staff, who may return it (wrong_district); the operator may move
 * an undecided referral to a centre that does serve it, and the court follows it as before.
 */
import t from 'tap'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

const ctx = await buildTestApp(t)
const { app, database, centre, operator } = ctx
const staffA = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token

// A court in Gent, and a second centre with a site in that district.
const gent = await call(app, {
  method: 'POST',
  url: '/v1/courts',
  token: operator,
  body: { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' },
})
const clerkGent = (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'clerk', courtId: gent.json.id } })).json.token as string
const centreB = await call(app, { method: 'POST', url: '/v1/centres', token: operator, body: { name: 'CAW Oost-Vlaanderen' } })
const adminB = centreB.json.adminToken.token as string
const siteB = await call(app, {
  method: 'POST',
  url: '/v1/sites',
  token: adminB,
  body: { name: 'Bezoekruimte Gent', timeZone: 'Europe/Brussels', judicialDistrict: ' oost-vlaanderen ', openingHours: {} },
})

const submit = async (courtId: string, clerk: string) =>
  (await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre, { courtId, courtReference: '26/77/B' }) })).json
    .id as string

t.test('the set-up worked', async (t) => {
  t.equal(gent.status, 201)
  t.equal(centreB.status, 201)
  t.equal(siteB.status, 201)
})

t.test("a referral from a court outside the centre's districts is flagged for the staff only", async (t) => {
  const local = await submit(centre.demo.courtId, (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token)
  const foreign = await submit(gent.json.id, clerkGent)
  t.equal((await call(app, { url: `/v1/referrals/${local}`, token: staffA })).json.districtMismatch, false, 'Antwerpen is served by the site in Antwerpen')
  const flagged = await call(app, { url: `/v1/referrals/${foreign}`, token: staffA })
  t.equal(flagged.json.districtMismatch, true)
  const listed = await call(app, { url: '/v1/referrals?status=submitted', token: staffA })
  t.equal(listed.json.items.find((r: { id: string }) => r.id === foreign).districtMismatch, true, 'in the list too')
  const byClerk = await call(app, { url: `/v1/referrals/${foreign}`, token: clerkGent })
  t.equal(byClerk.status, 200)
  t.notOk('districtMismatch' in byClerk.json, 'a warning for the centre, not part of the referrer view')
  t.notOk('transfers' in byClerk.json)

  const returned = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${foreign}/return`,
    token: staffA,
    body: { reasonCode: 'wrong_district', explanation: 'Gent is not ours.', courtNote: 'The centre does not serve the district of Oost-Vlaanderen.' },
  })
  t.equal(returned.status, 200)
  const seen = await call(app, { url: `/v1/referrals/${foreign}`, token: clerkGent })
  t.match(seen.json, {
    status: 'returned',
    statusReason: { code: 'wrong_district', label: { nl: 'Verkeerd gerechtelijk arrondissement' } },
    courtNote: 'The centre does not serve the district of Oost-Vlaanderen.',
  })
})

t.test('the operator moves an undecided referral to another centre; the court keeps following it', async (t) => {
  const referral = await submit(gent.json.id, clerkGent)
  await call(app, { method: 'POST', url: `/v1/referrals/${referral}/waitlist`, token: staffA, body: {} })
  const moved = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${referral}/transfer`,
    token: operator,
    body: { centreId: centreB.json.id, explanation: 'Oost-Vlaanderen is served by CAW Oost-Vlaanderen.' },
  })
  t.equal(moved.status, 200)
  t.same(Object.keys(moved.json).sort(), ['centreId', 'id', 'previousCentreId', 'status', 'transferredAt'], 'the operator learns nothing of the family')
  t.match(moved.json, { id: referral, centreId: centreB.json.id, previousCentreId: centre.centreId, status: 'submitted' })

  t.equal((await call(app, { url: `/v1/referrals/${referral}`, token: staffA })).status, 404, 'the sending centre no longer sees it')
  const received = await call(app, { url: `/v1/referrals/${referral}`, token: adminB })
  t.equal(received.status, 200)
  t.match(received.json, {
    centreId: centreB.json.id,
    status: 'submitted',
    waitlistedAt: null,
    districtMismatch: false,
    transfers: [{ fromCentreId: centre.centreId, toCentreId: centreB.json.id, explanation: /Oost-Vlaanderen/ }],
  })
  t.equal(received.json.parties.length, 3, 'with its parties')
  const followed = await call(app, { url: `/v1/referrals/${referral}`, token: clerkGent })
  t.match(followed.json, { id: referral, centreId: centreB.json.id, status: 'submitted' })

  // The receiving centre decides as on any submission: it accepts the family.
  const counsellors = await call(app, { method: 'POST', url: '/v1/counsellors', token: adminB, body: { name: 'An', workingHours: {} } })
  const accepted = await call(app, { method: 'POST', url: `/v1/referrals/${referral}/accept`, token: adminB, body: { leadCounsellorId: counsellors.json.id } })
  t.equal(accepted.status, 201)

  const trailA = await call(app, { url: `/v1/audit?entityId=${referral}`, token: centre.adminToken })
  t.ok(
    trailA.json.items.some((e: { action: string }) => e.action === 'referral.transferred_out'),
    "the sending centre's trail records the move",
  )
  const trailB = await call(app, { url: `/v1/audit?entityId=${referral}`, token: adminB })
  t.ok(trailB.json.items.some((e: { action: string }) => e.action === 'referral.transferred_in'))
})

t.test('only the operator moves referrals, and only undecided ones', async (t) => {
  const referral = await submit(gent.json.id, clerkGent)
  const to = { centreId: centreB.json.id }
  for (const token of [centre.adminToken, staffA, clerkGent]) {
    t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${referral}/transfer`, token, body: to })).status, 403)
  }
  const same = await call(app, { method: 'POST', url: `/v1/referrals/${referral}/transfer`, token: operator, body: { centreId: centre.centreId } })
  t.match(same, { status: 400, json: { errors: [{ pointer: '/centreId' }] } })
  const unknown = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${referral}/transfer`,
    token: operator,
    body: { centreId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12' },
  })
  t.match(unknown, { status: 422, json: { errors: [{ pointer: '/centreId' }] } })
  t.equal((await call(app, { method: 'POST', url: '/v1/referrals/0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12/transfer', token: operator, body: to })).status, 404)
  await call(app, { method: 'POST', url: `/v1/referrals/${referral}/refuse`, token: staffA, body: { reasonCode: 'no_capacity', explanation: 'Full.' } })
  const decided = await call(app, { method: 'POST', url: `/v1/referrals/${referral}/transfer`, token: operator, body: to })
  t.equal(decided.status, 409)
  t.match(decided.json.detail, /refused; only a referral that is submitted or waitlisted/)
})
