/**
 * Observations, incidents and the child's statements about a visit: written by the centre's roles
 * within their scope, append-only (a correction amends, both are kept), and never shown to a court —
 * every court-readable answer about the case is scanned for their texts and for child protection.
 */
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { visits } from '../../src/db/schema.js'
import { acceptedCase, buildTestApp, call, completeIntake, tokenFor } from '../helpers/app.js'
import { scheduling } from '../scheduling/fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre, operator } = ctx
const s = scheduling(ctx)
const c = await acceptedCase(ctx)
await completeIntake(ctx, c)
const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
if (activated.status !== 200) throw new Error(activated.body)
const booked = await s.series(c.caseId, { start: '2027-03-01T10:00', rrule: 'FREQ=WEEKLY;COUNT=3' })
if (booked.status !== 201) throw new Error(booked.body)
const [first, second, third] = (booked.json.visits as { id: string }[]).map((v) => v.id) as [string, string, string]

const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: s.counsellor1 })).token
const colleague = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: s.counsellor2 })).token
const issue = async (body: Record<string, unknown>) => (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body })).json.token as string
const courtTokens = {
  clerk: c.clerk,
  'court integration': await issue({ role: 'integration', courtId: centre.demo.courtId }),
}
const centreIntegration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token

const MARKER = 'OBSERVED-ONLY-4c1d'
const observe = (visitId: string, body: Record<string, unknown>, token = counsellor) =>
  call(app, { method: 'POST', url: `/v1/visits/${visitId}/observations`, token, body })
const read = (visitId: string, token = counsellor) => call(app, { url: `/v1/visits/${visitId}/observations`, token })

t.test('a counsellor records an observation of a visit it supervises', async (t) => {
  const created = await observe(first, { kind: 'observation', text: `${MARKER} warm start, father brought a drawing` })
  t.equal(created.status, 201, created.body)
  t.match(created.json, {
    visitId: first,
    caseId: c.caseId,
    kind: 'observation',
    reportable: false,
    amends: null,
    amendedBy: [],
    concernIds: [],
    recordedByTokenId: String,
  })
  const refused = await observe(first, { kind: 'child_statement', text: `${MARKER} Lena: "next time my bike"`, reportable: true }, c.staff)
  t.equal(refused.status, 400, 'the child’s words are never reportable')
  t.match(refused.json, { type: 'urn:bezoekruimte:problem:validation', errors: [{ in: 'body', pointer: '/reportable' }] })
  t.match(refused.json.detail, /child/)
  const reportable = await observe(first, { kind: 'child_statement', text: `${MARKER} Lena: "next time my bike"` }, c.staff)
  t.equal(reportable.status, 201, 'staff may write too')
  t.equal(reportable.json.reportable, false)
  const listed = await read(first)
  t.equal(listed.status, 200)
  t.same(
    listed.json.items.map((o: { id: string }) => o.id),
    [created.json.id, reportable.json.id],
    'in creation order',
  )
})

t.test('a correction amends: both are kept and the chain reads both ways', async (t) => {
  const original = await observe(second, { kind: 'observation', text: `${MARKER} mother arrived at 10:20` })
  const amendment = await observe(second, { kind: 'observation', text: `${MARKER} mother arrived at 10:02 (not 10:20)`, amends: original.json.id })
  t.equal(amendment.status, 201, amendment.body)
  t.equal(amendment.json.amends, original.json.id)
  const again = await observe(second, { kind: 'incident', text: `${MARKER} it was an incident after all`, amends: amendment.json.id }, centre.adminToken)
  t.equal(again.status, 201, 'an amendment may be amended, and reclassify')
  const items = (await read(second, c.staff)).json.items as { id: string; text: string; amends: string | null; amendedBy: string[] }[]
  t.same(
    items.map((o) => [o.id, o.amends, o.amendedBy]),
    [
      [original.json.id, null, [amendment.json.id]],
      [amendment.json.id, original.json.id, [again.json.id]],
      [again.json.id, amendment.json.id, []],
    ],
  )
  t.match(items[0], { text: `${MARKER} mother arrived at 10:20` }, 'the original is unchanged')

  const ofAnotherVisit = await observe(first, { kind: 'observation', text: 'x', amends: original.json.id })
  t.equal(ofAnotherVisit.status, 400, 'an observation of another visit')
  t.match(ofAnotherVisit.json.errors, [{ pointer: '/amends' }])
  const unknown = await observe(second, { kind: 'observation', text: 'x', amends: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12' })
  t.equal(unknown.status, 404, 'an unknown observation')
  t.equal((await observe(second, { kind: 'observation', text: 'x', amends: original.json.id }, colleague)).status, 404, 'not its visit at all')

  // The application has no UPDATE path; PostgreSQL refuses one from any other writer too.
  const refused = await database.db.execute(sql`update visit_observations set text = 'rewritten' where id = ${original.json.id}`).then(
    () => 'updated',
    (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
  )
  t.match(refused, /append-only/)
})

t.test('the child-protection shorthand opens a concern resting on the observation, on any kind, dated in the past', async (t) => {
  const childProtection = { action: 'consulted', at: new Date(Date.now() - 3_600_000).toISOString(), by: 'Coordinator An Peeters' }
  const incident = await observe(first, { kind: 'incident', text: `${MARKER} father shouted at the door`, childProtection })
  t.equal(incident.status, 201, incident.body)
  t.equal(incident.json.concernIds.length, 1, 'one concern rests on it')
  t.notOk('childProtection' in incident.json, 'the view has no childProtection')
  const concern = await call(app, { url: `/v1/concerns/${incident.json.concernIds[0]}`, token: counsellor })
  t.equal(concern.status, 200, concern.body)
  t.match(concern.json, {
    caseId: c.caseId,
    summary: `${MARKER} father shouted at the door`,
    childPartyIds: [c.child],
    status: 'open',
    observationIds: [incident.json.id],
    steps: [{ step: 'vk_consulted', reportedTo: null, note: null, author: { name: 'Coordinator An Peeters' } }],
  })
  t.equal(new Date(concern.json.steps[0].at).getTime(), new Date(childProtection.at).getTime())
  const listed = (await read(first)).json.items.find((o: { id: string }) => o.id === incident.json.id)
  t.same(listed.concernIds, incident.json.concernIds, 'the list names the concern too')
  for (const kind of ['observation', 'child_statement']) {
    const reported = await observe(first, { kind, text: 'x', childProtection: { ...childProtection, action: 'reported' } })
    t.equal(reported.status, 201, kind)
    const opened = await call(app, { url: `/v1/concerns/${reported.json.concernIds[0]}`, token: c.staff })
    t.match(opened.json.steps, [{ step: 'reported', reportedTo: 'vk' }])
  }
  await call(app, { method: 'POST', url: `/v1/concerns/${incident.json.concernIds[0]}/close`, token: c.staff, body: { outcome: 'x', note: 'x' } })
  const future = await observe(first, {
    kind: 'incident',
    text: 'x',
    childProtection: { ...childProtection, at: new Date(Date.now() + 86_400_000).toISOString() },
  })
  t.equal(future.status, 400)
  t.match(future.json.errors, [{ pointer: '/childProtection/at' }])
  const bad = await observe(first, { kind: 'incident', text: 'x', childProtection: { action: 'phoned', at: childProtection.at, by: 'x' } })
  t.equal(bad.status, 400)
  t.equal((await observe(first, { kind: 'observation', text: '' })).status, 400, 'an empty text')
  t.equal((await observe(first, { kind: 'observation', text: 'x'.repeat(10_001) })).status, 400, 'a text over 10000 characters')
  t.equal((await observe(first, { kind: 'remark', text: 'x' })).status, 400, 'an unknown kind')
})

t.test('a cancelled visit may have an incident; a visit entered in error none', async (t) => {
  await database.db.update(visits).set({ status: 'cancelled', cancelledBy: 'visiting_party', cancelReasonCode: 'other' }).where(eq(visits.id, third))
  const atTheDoor = await observe(third, { kind: 'incident', text: `${MARKER} came anyway, refused at the door` })
  t.equal(atTheDoor.status, 201, atTheDoor.body)
  await database.db.update(visits).set({ status: 'entered-in-error' }).where(eq(visits.id, third))
  const never = await observe(third, { kind: 'observation', text: 'x' })
  t.equal(never.status, 409)
  t.equal(never.json.type, 'urn:bezoekruimte:problem:visit-entered-in-error')
  t.equal((await read(third)).json.items.length, 1, 'what was written stays readable')
  await database.db.update(visits).set({ status: 'cancelled' }).where(eq(visits.id, third))
})

t.test('the write is audited without its text', async (t) => {
  const created = await observe(first, { kind: 'observation', text: `${MARKER} audited` })
  const trail = await call(app, { url: `/v1/audit?entityId=${created.json.id}`, token: centre.adminToken })
  t.match(trail.json.items, [{ action: 'observation.recorded', entityType: 'visit_observation', entityId: created.json.id, actorRole: 'counsellor' }])
  t.notOk(trail.body.includes(MARKER), 'no text in the audit trail')
})

t.test('who may: centre roles in their scope; clerks and integrations never', async (t) => {
  t.equal((await read(first, colleague)).status, 404, 'a counsellor who does not supervise the visit')
  t.equal((await observe(first, { kind: 'observation', text: 'x' }, colleague)).status, 404)
  t.equal((await read(first, centre.adminToken)).status, 200, 'admin')
  for (const [who, token] of Object.entries({ ...courtTokens, 'centre integration': centreIntegration })) {
    t.equal((await read(first, token)).status, 403, `${who} reads none`)
    t.equal((await observe(first, { kind: 'observation', text: 'x' }, token)).status, 403, `${who} writes none`)
  }
  const other = await call(app, { method: 'POST', url: '/v1/centres', token: operator, body: { name: 'Centre B' } })
  t.equal((await read(first, other.json.adminToken.token)).status, 404, 'another centre')
})

t.test('no route changes or removes an observation', async (t) => {
  const id = (await read(first)).json.items[0].id as string
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    for (const url of [`/v1/visits/${first}/observations`, `/v1/visits/${first}/observations/${id}`]) {
      const response = await call(app, { method, url, token: centre.adminToken, body: { kind: 'observation', text: 'rewritten' } })
      t.ok([404, 405].includes(response.status), `${method} ${url}: ${response.status}`)
      t.match(response.headers['content-type'], /^application\/problem\+json/)
    }
  }
  t.notOk((await read(first)).body.includes('rewritten'))
})

t.test('no court-readable answer carries an observation or child protection', async (t) => {
  // With the centre sharing its visits, so that the courts' visit reads answer and can be searched.
  const shared = await call(app, {
    method: 'PATCH',
    url: `/v1/centres/${centre.centreId}`,
    token: centre.adminToken,
    body: { settings: { courtSeesVisits: true } },
  })
  t.equal(shared.status, 200, shared.body)
  const centreSees = (await Promise.all([first, second, third].map(async (v) => (await read(v, c.staff)).body))).join('\n')
  t.ok(centreSees.includes(MARKER) && centreSees.includes('concernIds'), 'the centre reads them (the markers are there to be found)')
  const urls = [
    '/v1/referrals',
    `/v1/referrals/${c.referralId}`,
    '/v1/cases',
    `/v1/cases/${c.caseId}`,
    `/v1/cases/${c.caseId}/events`,
    '/v1/visits',
    `/v1/visits?caseId=${c.caseId}&status=cancelled`,
    ...[first, second, third].map((v) => `/v1/visits/${v}`),
  ]
  for (const [who, token] of Object.entries(courtTokens)) {
    for (const url of urls) {
      const response = await call(app, { url, token })
      t.equal(response.status, 200, `${who} GET ${url}`)
      for (const secret of [MARKER, 'concernIds', 'Coordinator An Peeters', 'observation'])
        t.notOk(response.body.includes(secret), `${who} GET ${url}: no ${secret}`)
    }
  }
  // A centre integration reads visits in full and cases in the referrer view: no observations there either.
  for (const url of urls) t.notOk((await call(app, { url, token: centreIntegration })).body.includes(MARKER), `centre integration GET ${url}`)
})
