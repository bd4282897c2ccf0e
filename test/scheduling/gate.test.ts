/**
 * The booking gate over HTTP, through the real referral → intake → signatures → activation flow:
 * no visit before every adult signed the documents in force and the agreement; a new house-rules
 * version in force refuses the next booking until re-signed; the agreement's maxVisits and
 * validUntil hold; intake conversations with one party need no signatures.
 */
import t from 'tap'
import { acceptedCase, buildTestApp, call, completeIntake } from '../helpers/app.js'
import { codesOf, scheduling } from './fixtures.js'

const ctx = await buildTestApp(t)
const { app, centre } = ctx
const s = scheduling(ctx)

t.test('from intake to booked visits, and back behind the gate', async (t) => {
  const c = await acceptedCase(ctx)
  const post = (url: string, body: unknown) => call(app, { method: url.endsWith('/agreement') ? 'PUT' : 'POST', url, token: c.staff, body })
  const signedAt = new Date(Date.now() - 60_000).toISOString()
  const sign = (partyId: string, documentId: string) => post(`/v1/cases/${c.caseId}/signatures`, { partyId, documentId, method: 'paper', signedAt })

  // Intake, nothing signed: a visit is refused, naming every adult and every document and the agreement.
  const early = await s.book(c.caseId, { start: '2027-03-01T10:00' })
  t.equal(early.status, 409)
  t.equal(early.json.type, 'urn:bezoekruimte:problem:booking-gate')
  t.equal(early.json.caseStatus, 'intake')
  t.same(
    early.json.missing.map((m: { partyId: string; requirement: string }) => `${m.partyId === c.visiting ? 'visiting' : 'residing'}:${m.requirement}`).sort(),
    ['residing:agreement', 'residing:house_rules', 'residing:information', 'visiting:agreement', 'visiting:house_rules', 'visiting:information'],
  )
  t.match(early.json.missing, [{ requirement: 'house_rules', documentId: centre.demo.documentIds.houseRules, version: 1 }])
  t.same(await s.visitsOf(c.caseId), [])

  // An intake conversation with one party at a time needs no signature (that is where they sign).
  const talk = await s.book(c.caseId, { kind: 'conversation', purpose: 'intake', partyIds: [c.visiting], start: '2027-03-01T10:00', durationMinutes: 60 })
  t.equal(talk.status, 201, talk.body)
  t.same(talk.json.partyIds, [c.visiting])
  t.same(talk.json.arrivals, [{ partyId: c.visiting, arriveAt: '2027-03-01T09:00:00.000Z', leaveAt: '2027-03-01T10:00:00.000Z' }], 'one side: no staggering')
  const other = await s.book(c.caseId, {
    kind: 'conversation',
    purpose: 'intake',
    partyIds: [c.residing],
    start: '2027-03-01T10:00',
    durationMinutes: 60,
    roomId: s.room2,
    counsellorIds: [s.counsellor2],
  })
  t.equal(other.status, 201, 'the other parent at the same time, elsewhere: their people do not overlap')
  const child = await s.book(c.caseId, {
    kind: 'conversation',
    purpose: 'child_conversation',
    partyIds: [c.child],
    start: '2027-03-02T10:00',
    durationMinutes: 60,
  })
  t.equal(child.status, 201, 'a conversation may name any party of the case')
  const stranger = await s.book(c.caseId, {
    kind: 'conversation',
    purpose: 'intake',
    partyIds: [centre.demo.counsellorIds[0]],
    start: '2027-03-02T12:00',
    durationMinutes: 60,
  })
  t.equal(stranger.status, 400)
  t.match(stranger.json.errors, [{ pointer: '/partyIds/0' }])

  // Everything but the residing parent's house rules.
  await completeIntake(ctx, c, { documentOf: { partyId: c.residing, kind: 'houseRules' } })
  const notReady = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
  t.equal(notReady.status, 409)
  const oneMissing = await s.book(c.caseId, { start: '2027-03-03T10:00' })
  t.equal(oneMissing.status, 409)
  t.same(oneMissing.json.missing, [{ partyId: c.residing, requirement: 'house_rules', documentId: centre.demo.documentIds.houseRules, version: 1 }])

  t.equal((await sign(c.residing, centre.demo.documentIds.houseRules)).status, 201)
  const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
  t.equal(activated.status, 200, activated.body)
  const first = await s.book(c.caseId, { start: '2027-03-03T10:00' })
  t.equal(first.status, 201, first.body)

  // A new version of the house rules comes into force: the next booking waits for both signatures.
  const v2 = await call(app, {
    method: 'POST',
    url: '/v1/documents',
    token: c.staff,
    body: { kind: 'house_rules', language: 'nl', title: 'Huishoudelijk reglement', body: 'Nieuwe versie: ook geen smartwatches.' },
  })
  t.equal(v2.status, 201, v2.body)
  t.equal(v2.json.version, 2)
  const gated = await s.book(c.caseId, { start: '2027-03-10T10:00' })
  t.equal(gated.status, 409)
  t.equal(gated.json.caseStatus, 'active')
  t.same(
    gated.json.missing,
    [c.visiting, c.residing].sort().map((partyId) => ({ partyId, requirement: 'house_rules', documentId: v2.json.id, version: 2 })),
  )
  t.match(gated.json.detail, /house rules \(version 2\)/)
  t.equal((await sign(c.visiting, v2.json.id)).status, 201)
  const half = await s.book(c.caseId, { start: '2027-03-10T10:00' })
  t.same(half.json.missing, [{ partyId: c.residing, requirement: 'house_rules', documentId: v2.json.id, version: 2 }], 'until every adult signed')
  t.equal((await sign(c.residing, v2.json.id)).status, 201)
  t.equal((await s.book(c.caseId, { start: '2027-03-10T10:00' })).status, 201, 're-signed: booking again')

  // The agreement of completeIntake allows 3 visits (conversations do not count).
  t.equal((await s.book(c.caseId, { start: '2027-03-17T10:00' })).status, 201)
  const fourth = await s.book(c.caseId, { start: '2027-03-24T10:00' })
  t.equal(fourth.status, 409)
  t.same(codesOf(fourth.json.conflicts), ['not_covered_by_agreement'])
  t.match(fourth.json.conflicts[0].detail, 'the agreement allows 3 visits and 3 are booked or held')

  // A new agreement version (valid until 30 April, no visit limit) must be signed before it covers anything.
  const agreement = await post(`/v1/cases/${c.caseId}/agreement`, {
    kinds: ['supervised_visit'],
    frequency: 'weekly',
    durationMinutes: 90,
    validUntil: '2027-04-30',
  })
  t.equal(agreement.status, 200, agreement.body)
  const unsignedAgreement = await s.book(c.caseId, { start: '2027-03-24T10:00' })
  t.equal(unsignedAgreement.status, 409)
  t.same(
    unsignedAgreement.json.missing.map((m: { requirement: string; version: number }) => [m.requirement, m.version]),
    [
      ['agreement', 2],
      ['agreement', 2],
    ],
  )
  for (const partyId of [c.visiting, c.residing]) t.equal((await post(`/v1/cases/${c.caseId}/agreement/signatures`, { partyId, signedAt })).status, 201)
  t.equal((await s.book(c.caseId, { start: '2027-03-24T10:00' })).status, 201, 'the new agreement has no visit limit')
  t.equal((await s.book(c.caseId, { start: '2027-04-30T10:00' })).status, 201, 'on validUntil itself')
  const late = await s.book(c.caseId, { start: '2027-05-03T10:00' })
  t.equal(late.status, 409)
  t.match(late.json.conflicts, [{ code: 'not_covered_by_agreement', detail: 'the agreement is valid until 2027-04-30' }])
  const handover = await s.book(c.caseId, { start: '2027-04-28T10:00', kind: 'supervised_handover', durationMinutes: 15 })
  t.match(handover.json.conflicts, [{ code: 'not_covered_by_agreement', detail: 'the agreement allows supervised_visit, not supervised_handover' }])

  const statuses = (await s.visitsOf(c.caseId)).map((v) => v.status)
  t.equal(statuses.length, 8, '3 conversations and 5 visits')
})
