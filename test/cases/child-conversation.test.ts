/**
 * The child's own story is heard: an intake conversation with the child is recorded like an adult's,
 * and a conversation with the child alone can be booked. Neither is required for activation, the
 * child signs nothing, and no summary of it reaches a court.
 */
import t from 'tap'
import { acceptedCase, buildTestApp, call, completeIntake, tokenFor } from '../helpers/app.js'
import { scheduling } from '../scheduling/fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)
const c = await acceptedCase(ctx)
const caseUrl = `/v1/cases/${c.caseId}`
const heldAt = new Date(Date.now() - 60_000).toISOString()
const MARKER = 'CHILD-HEARD-91be'
const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token

t.test('an intake with the child: recorded, internal, not a requirement', async (t) => {
  const intake = await call(app, {
    method: 'POST',
    url: `${caseUrl}/intakes`,
    token: c.staff,
    body: { partyId: c.child, heldAt, counsellorId: s.counsellor1, summary: `${MARKER} Lena misses her father's stories.` },
  })
  t.equal(intake.status, 201, intake.body)
  t.match(intake.json, { partyId: c.child, summary: `${MARKER} Lena misses her father's stories.` })

  const readiness = await call(app, { url: `${caseUrl}/readiness`, token: c.staff })
  t.notOk(
    readiness.json.missing.some((m: { partyId: string }) => m.partyId === c.child),
    'nothing is missing of the child: the adults sign and have their intakes',
  )
  t.ok(
    readiness.json.missing.some((m: { partyId: string; requirement: string }) => m.partyId === c.visiting && m.requirement === 'intake'),
    "the adults' intakes are still required",
  )
})

t.test('the child signs nothing', async (t) => {
  const signature = await call(app, {
    method: 'POST',
    url: `${caseUrl}/signatures`,
    token: c.staff,
    body: { partyId: c.child, documentId: centre.demo.documentIds.houseRules, method: 'paper', signedAt: heldAt },
  })
  t.equal(signature.status, 400)
  t.match(signature.json.errors, [{ pointer: '/partyId', detail: 'is a child; signatures and agreements are for the adult parties' }])
  const agreement = await call(app, { method: 'POST', url: `${caseUrl}/agreement/signatures`, token: c.staff, body: { partyId: c.child, signedAt: heldAt } })
  t.equal(agreement.status, 400)
  t.match(agreement.json.errors, [{ pointer: '/partyId', detail: /is a child/ }])
})

t.test('a conversation with the child alone is booked, in intake already, and hidden from the court', async (t) => {
  const talk = await s.book(c.caseId, {
    kind: 'conversation',
    purpose: 'child_conversation',
    partyIds: [c.child],
    start: '2027-03-02T10:00',
    durationMinutes: 45,
  })
  t.equal(talk.status, 201, talk.body)
  t.same(talk.json.partyIds, [c.child])
  t.same(
    talk.json.arrivals,
    [{ partyId: c.child, arriveAt: '2027-03-02T09:00:00.000Z', leaveAt: '2027-03-02T09:45:00.000Z' }],
    'the child is there for the conversation itself',
  )
  const busy = await s.book(c.caseId, {
    kind: 'conversation',
    purpose: 'child_conversation',
    partyIds: [c.child],
    start: '2027-03-02T10:30',
    durationMinutes: 30,
    roomId: s.room2,
    counsellorIds: [s.counsellor2],
  })
  t.equal(busy.status, 409, 'the child is reserved for it')
  t.match(busy.json.conflicts, [{ code: 'party_busy', resourceId: c.child }])
  t.equal((await call(app, { url: `/v1/visits/${talk.json.id}`, token: c.clerk })).status, 404, 'a court sees no conversation')
})

t.test('activation needs the adults only, and no court answer carries the child’s summary', async (t) => {
  await completeIntake(ctx, c)
  const activated = await call(app, { method: 'POST', url: `${caseUrl}/activate`, token: c.staff, body: {} })
  t.equal(activated.status, 200, activated.body)
  const full = await call(app, { url: caseUrl, token: c.staff })
  t.ok(full.body.includes(MARKER), 'the centre reads the summary')
  for (const token of [c.clerk, courtIntegration]) {
    for (const url of ['/v1/referrals', `/v1/referrals/${c.referralId}`, '/v1/cases', caseUrl, `${caseUrl}/events`, '/v1/visits']) {
      const response = await call(app, { url, token })
      t.equal(response.status, 200, url)
      t.notOk(response.body.includes(MARKER), `GET ${url}: no summary`)
    }
  }
})
