/**
 * The trust model: a centre's admin speaks for its own centre only. Centres, courts and
 * court-scoped tokens (which read a court's referrals in every centre) are the operator's.
 */
import t from 'tap'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

const ctx = await buildTestApp(t)
const { app, database, centre, operator } = ctx
const centreB = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
const courtBody = { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' }

t.test('a centre admin cannot speak for a court: no court tokens, no courts, no centres', async (t) => {
  const created = await call(app, { method: 'POST', url: '/v1/centres', token: centre.adminToken, body: { name: 'Centre C' } })
  t.equal(created.status, 403, 'POST /v1/centres from an admin')
  t.match(created.json, { status: 403, detail: /installation's operator/ })
  const createdByOperator = await call(app, { method: 'POST', url: '/v1/centres', token: operator, body: { name: 'Centre C' } })
  const admins = {
    'admin of centre A': centre.adminToken,
    'admin of centre B': centreB.adminToken,
    'admin of a centre the operator created': createdByOperator.json.adminToken.token as string,
  }

  for (const [who, token] of Object.entries(admins)) {
    for (const body of [
      { role: 'clerk', courtId: centre.demo.courtId },
      { role: 'integration', courtId: centre.demo.courtId },
      { role: 'clerk', courtId: centreB.demo!.courtId },
    ]) {
      const response = await call(app, { method: 'POST', url: '/v1/tokens', token, body })
      t.equal(response.status, 403, `${who}: ${JSON.stringify(body)}`)
      t.match(response.json.detail, /operator/, 'the problem says who can')
    }
    for (const request of [
      { method: 'POST' as const, url: '/v1/courts', body: courtBody },
      { method: 'PATCH' as const, url: `/v1/courts/${centre.demo.courtId}`, body: { name: 'Renamed' } },
      { method: 'DELETE' as const, url: `/v1/courts/${centre.demo.courtId}` },
    ]) {
      const response = await call(app, { ...request, token })
      t.equal(response.status, 403, `${who}: ${request.method} ${request.url}`)
      t.match(response.json.detail, /installation's operator/)
    }
    t.equal((await call(app, { method: 'POST', url: '/v1/tokens', token, body: { role: 'operator' } })).status, 400, `${who}: never an operator token`)
  }
  const court = await call(app, { url: `/v1/courts/${centre.demo.courtId}`, token: centre.adminToken })
  t.match(court.json, { name: 'Familierechtbank Antwerpen', active: true }, 'the court is unchanged')
  t.same(
    (await call(app, { url: '/v1/tokens', token: centre.adminToken })).json.items.filter((row: { courtId: string | null }) => row.courtId),
    [],
    'no court token was made',
  )
})

t.test('the operator creates centres and courts, edits courts and issues court-scoped tokens', async (t) => {
  const centreC = await call(app, { method: 'POST', url: '/v1/centres', token: operator, body: { name: 'Centre D' } })
  t.equal(centreC.status, 201)
  t.match(centreC.json, { name: 'Centre D', adminToken: { token: /^bzr_/ } })
  const court = await call(app, { method: 'POST', url: '/v1/courts', token: operator, body: courtBody })
  t.equal(court.status, 201)
  t.equal(
    (await call(app, { method: 'PATCH', url: `/v1/courts/${court.json.id}`, token: operator, body: { name: 'Familierechtbank Oost-Vlaanderen' } })).json.name,
    'Familierechtbank Oost-Vlaanderen',
  )
  t.equal((await call(app, { method: 'DELETE', url: `/v1/courts/${court.json.id}`, token: operator })).json.active, false)

  const clerk = await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'clerk', courtId: centre.demo.courtId } })
  t.equal(clerk.status, 201)
  t.match(clerk.json, { role: 'clerk', courtId: centre.demo.courtId, centreId: null, token: /^bzr_/ })
  const integration = await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'integration', courtId: centre.demo.courtId } })
  t.match(integration.json, { role: 'integration', courtId: centre.demo.courtId, centreId: null })
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'integration' } })).json.errors[0].pointer,
    '/courtId',
    'the operator issues integrations for a court',
  )
  for (const role of ['admin', 'staff']) {
    const response = await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role } })
    t.equal(response.status, 403, `a ${role} token is its centre's business`)
  }
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'operator' } })).status,
    400,
    'an operator token only from the CLI',
  )
  t.equal((await call(app, { method: 'DELETE', url: `/v1/tokens/${integration.json.id}`, token: operator })).status, 200, 'and revokes them')

  const centres = await call(app, { url: '/v1/centres?limit=100', token: operator })
  t.ok(
    [centre.centreId, centreB.centreId, centreC.json.id].every((id) => centres.json.items.some((c: { id: string }) => c.id === id)),
    'the operator lists every centre',
  )
  t.equal((await call(app, { url: `/v1/centres/${centreB.centreId}`, token: operator })).status, 200)
  t.ok((await call(app, { url: '/v1/courts?limit=100', token: operator })).json.items.length >= 3, 'and every court')
})

t.test('the operator does not see families', async (t) => {
  for (const url of ['/v1/referrals', '/v1/cases', '/v1/visits', '/v1/sites', '/v1/audit', '/v1/documents']) {
    t.equal((await call(app, { url, token: operator })).status, 403, url)
  }
  t.equal((await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: operator, body: { name: 'x' } })).status, 403, 'nor runs a centre')
})

t.test('a clerk of court 1 (issued by the operator) sees court 1 in every centre, nothing of court 2', async (t) => {
  const court2 = (
    await call(app, { method: 'POST', url: '/v1/courts', token: operator, body: { name: 'Familierechtbank Mechelen', judicialDistrict: 'Antwerpen' } })
  ).json.id as string
  const clerk1 = (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body: { role: 'clerk', courtId: centre.demo.courtId } })).json
    .token as string
  const staffA = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const staffB = (await tokenFor(database, 'staff', { centreId: centreB.centreId })).token
  const submit = async (token: string, overrides: Record<string, unknown>) => {
    const response = await call(app, { method: 'POST', url: '/v1/referrals', token, body: referralBody(centre, overrides) })
    t.equal(response.status, 201, response.body)
    return response.json.id as string
  }
  const inA = await submit(staffA, { courtId: centre.demo.courtId })
  const inB = await submit(staffB, { centreId: centreB.centreId, courtId: centre.demo.courtId })
  const court2InA = await submit(staffA, { courtId: court2 })
  const court2InB = await submit(staffB, { centreId: centreB.centreId, courtId: court2 })

  const listed = (await call(app, { url: '/v1/referrals?limit=100', token: clerk1 })).json.items.map((r: { id: string }) => r.id)
  t.ok(listed.includes(inA) && listed.includes(inB), 'court 1’s referrals in both centres')
  t.notOk(listed.includes(court2InA) || listed.includes(court2InB), 'none of court 2')
  t.equal((await call(app, { url: `/v1/referrals/${inB}`, token: clerk1 })).status, 200)
  for (const id of [court2InA, court2InB]) {
    t.equal((await call(app, { url: `/v1/referrals/${id}`, token: clerk1 })).status, 404, 'a court-2 referral does not exist for court 1')
    t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${id}/withdraw`, token: clerk1 })).status, 404, 'nor can it be withdrawn')
  }
})
