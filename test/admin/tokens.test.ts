import t from 'tap'
import { eq } from 'drizzle-orm'
import { apiTokens } from '../../src/db/schema.js'
import { hashSecret } from '../../src/db/tokens.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { buildTestApp, testCentre, call, tokenFor } from '../helpers/app.js'

t.test('tokens: issued once, stored hashed, scoped, revocable', async (t) => {
  const { app, database, centre, operator } = await buildTestApp(t, { ownDatabase: true }) // the operator lists every court token
  const admin = centre.adminToken

  const staff = await call(app, { method: 'POST', url: '/v1/tokens', token: admin, body: { role: 'staff', label: 'Front desk' } })
  t.equal(staff.status, 201)
  t.match(staff.json, { role: 'staff', centreId: centre.centreId, courtId: null, label: 'Front desk', token: /^bzr_[A-Za-z0-9_-]{43}$/ })
  const [stored] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, staff.json.id))
  t.equal(stored!.secretHash, hashSecret(staff.json.token), 'only the SHA-256 is stored')
  t.notOk(JSON.stringify(stored).includes(staff.json.token), 'the secret itself is nowhere in the row')

  const clerk = await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'clerk', courtId: centre.demo.courtId } })
  t.match(clerk.json, { role: 'clerk', centreId: null, courtId: centre.demo.courtId })
  const integration = await call(app, { method: 'POST', url: '/v1/tokens', token: admin, body: { role: 'integration' } })
  t.match(integration.json, { role: 'integration', centreId: centre.centreId })
  const counsellor = await call(app, {
    method: 'POST',
    url: '/v1/tokens',
    token: admin,
    body: { role: 'counsellor', counsellorId: centre.demo.counsellorIds[0] },
  })
  t.match(counsellor.json, { role: 'counsellor', counsellorId: centre.demo.counsellorIds[0], centreId: centre.centreId })

  for (const [body, pointer] of [
    [{ role: 'staff', courtId: centre.demo.courtId }, '/courtId'],
    [{ role: 'counsellor' }, '/counsellorId'],
    [{ role: 'staff', counsellorId: centre.demo.counsellorIds[0] }, '/counsellorId'],
    [{ role: 'root' }, '/role'],
  ] as const) {
    const response = await call(app, { method: 'POST', url: '/v1/tokens', token: admin, body })
    t.equal(response.status, 400, JSON.stringify(body))
    t.equal(response.json.errors[0].pointer, pointer)
  }
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'clerk' } })).json.errors[0].pointer,
    '/courtId',
    'a clerk token needs its court',
  )
  const other = await setupCentre(database.db, { centreName: 'B', demo: true })
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/tokens', token: admin, body: { role: 'counsellor', counsellorId: other.demo!.counsellorIds[0] } })).status,
    404,
    'not for another centre’s counsellor',
  )
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'clerk', courtId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' } })).status,
    404,
    'unknown court',
  )

  // lastUsedAt is kept
  t.equal(stored!.lastUsedAt, null)
  await call(app, { url: '/v1/sites', token: staff.json.token })
  const [used] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, staff.json.id))
  t.ok(used!.lastUsedAt, 'lastUsedAt set on use')

  const list = await call(app, { url: '/v1/tokens', token: admin })
  t.ok(
    list.json.items.some((row: { id: string }) => row.id === counsellor.json.id),
    'an admin lists the tokens their centre issued',
  )
  t.notOk(
    list.json.items.some((row: { id: string }) => row.id === clerk.json.id),
    'not the operator’s court tokens',
  )
  const operatorList = await call(app, { url: '/v1/tokens', token: operator })
  t.same(
    operatorList.json.items.map((row: { id: string }) => row.id),
    [clerk.json.id],
    'the operator lists the court-scoped tokens, no centre’s',
  )
  t.notOk(list.body.includes(staff.json.token) || list.body.includes('secretHash'), 'never secrets or hashes')
  const listB = await call(app, { url: '/v1/tokens', token: other.adminToken })
  t.notOk(
    listB.json.items.some((row: { id: string }) => row.id === staff.json.id),
    'another centre does not see them',
  )
  t.equal((await call(app, { method: 'DELETE', url: `/v1/tokens/${staff.json.id}`, token: other.adminToken })).status, 404)

  const revoked = await call(app, { method: 'DELETE', url: `/v1/tokens/${staff.json.id}`, token: admin })
  t.ok(revoked.json.revokedAt)
  t.equal((await call(app, { method: 'DELETE', url: `/v1/tokens/${staff.json.id}`, token: admin })).status, 200, 'revoking twice is harmless')
  t.equal((await call(app, { url: '/v1/sites', token: staff.json.token })).status, 401)
})

t.test('401 for missing, malformed and unknown tokens; 403 for a role not allowed', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const url = `/v1/sites/${centre.demo.siteId}`
  const missing = await call(app, { url })
  t.equal(missing.status, 401)
  t.match(missing.json.detail, /Bearer/)
  t.equal((await call(app, { url, headers: { authorization: 'Basic abc' } })).status, 401)
  t.equal((await call(app, { url, token: 'bzr_unknown' })).status, 401)
  const integration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token
  const write = await call(app, { method: 'POST', url: '/v1/courts', token: integration, body: { name: 'x', judicialDistrict: 'y' } })
  t.equal(write.status, 403, 'integration tokens are read-only')
  t.match(write.json.detail, /operator/)
  const unauthenticatedBig = await call(app, {
    method: 'POST',
    url: '/v1/sites',
    body: JSON.stringify({ name: 'x'.repeat(1000) }),
    headers: { 'content-type': 'application/json' },
  })
  t.equal(unauthenticatedBig.status, 401, 'authentication comes before the body')
})

t.test('POST /v1/centres (the operator) sets up a separate centre with its own admin token', async (t) => {
  const { app, centre, operator } = await testCentre(t)
  const created = await call(app, { method: 'POST', url: '/v1/centres', token: operator, body: { name: 'CAW Gent', settings: { plannedDurationMonths: 12 } } })
  t.equal(created.status, 201)
  t.match(created.json, { name: 'CAW Gent', settings: { plannedDurationMonths: 12, stagger: { arrivalGapMinutes: 15 } }, adminToken: { token: /^bzr_/ } })
  t.equal((await call(app, { url: `/v1/centres/${created.json.id}`, token: centre.adminToken })).status, 404, 'another centre does not see it')
  const own = await call(app, { url: '/v1/centres', token: created.json.adminToken.token })
  t.same(
    own.json.items.map((c: { id: string }) => c.id),
    [created.json.id],
  )
})
