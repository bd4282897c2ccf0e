import t from 'tap'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { acceptedCase, buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

t.test('writes: integration tokens never (403); clerks and counsellors not on cases (403); other centres 404', async (t) => {
  const ctx = await buildTestApp(t)
  const { app, database, centre } = ctx
  const c = await acceptedCase(ctx)
  const referral = (await call(app, { method: 'POST', url: '/v1/referrals', token: c.clerk, body: referralBody(centre) })).json.id as string
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const signedAt = new Date(Date.now() - 60_000).toISOString()
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
  const caseUrl = `/v1/cases/${c.caseId}`
  const writes = [
    { method: 'POST', url: '/v1/referrals', body: referralBody(centre) },
    { method: 'POST', url: `/v1/referrals/${referral}/waitlist`, body: {} },
    { method: 'POST', url: `/v1/referrals/${referral}/accept`, body: { leadCounsellorId: centre.demo.counsellorIds[0] } },
    { method: 'POST', url: `/v1/referrals/${referral}/refuse`, body: { reasonCode: 'no_capacity', explanation: 'x' } },
    { method: 'POST', url: `/v1/referrals/${referral}/return`, body: { reasonCode: 'wrong_district', explanation: 'x' } },
    { method: 'POST', url: `/v1/referrals/${referral}/withdraw`, body: {} },
    { method: 'POST', url: `${caseUrl}/intakes`, body: { partyId: c.visiting, heldAt: signedAt, counsellorId: centre.demo.counsellorIds[0] } },
    { method: 'POST', url: `${caseUrl}/signatures`, body: { partyId: c.visiting, documentId: centre.demo.documentIds.houseRules, method: 'paper', signedAt } },
    { method: 'PUT', url: `${caseUrl}/agreement`, body: { kinds: ['supervised_visit'] } },
    { method: 'POST', url: `${caseUrl}/agreement/signatures`, body: { partyId: c.visiting, signedAt } },
    { method: 'POST', url: `${caseUrl}/activate`, body: {} },
    { method: 'POST', url: `${caseUrl}/extend`, body: { plannedEndDate: '2030-01-01', explanation: 'x' } },
    { method: 'POST', url: `${caseUrl}/suspend`, body: { reasonCode: 'illness', explanation: 'x', from: today } },
    { method: 'POST', url: `${caseUrl}/resume`, body: { explanation: 'x' } },
    { method: 'POST', url: `${caseUrl}/end`, body: { reasonCode: 'moved', explanation: 'x', effectiveDate: today } },
    { method: 'POST', url: '/v1/documents', body: { kind: 'house_rules', language: 'nl', title: 'x', body: 'x' } },
    { method: 'POST', url: '/v1/reason-codes', body: { category: 'suspension', code: 'own_code', label: { nl: 'x', fr: 'x', en: 'x' } } },
  ] as const
  const integrations = {
    'centre integration': (await tokenFor(database, 'integration', { centreId: centre.centreId })).token,
    'court integration': (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token,
  }
  for (const [name, token] of Object.entries(integrations)) {
    for (const write of writes) {
      const response = await call(app, { ...write, token })
      t.equal(response.status, 403, `${name}: ${write.method} ${write.url}`)
      t.match(response.json, { type: 'urn:bezoekruimte:problem:forbidden', detail: /integration token may not/ })
    }
  }
  // Case and document writes are the centre's: clerks and counsellors are refused.
  const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
  for (const write of writes.slice(6)) {
    t.equal((await call(app, { ...write, token: c.clerk })).status, 403, `clerk: ${write.method} ${write.url}`)
    t.equal((await call(app, { ...write, token: counsellor })).status, 403, `counsellor: ${write.method} ${write.url}`)
  }
  // Another centre's staff: the referral and the case do not exist for them.
  const otherStaff = (await tokenFor(database, 'staff', { centreId: other.centreId })).token
  for (const write of writes.slice(1, 15)) {
    t.equal((await call(app, { ...write, token: otherStaff })).status, 404, `another centre’s staff: ${write.method} ${write.url}`)
  }
  // Nothing changed.
  t.equal((await call(app, { url: caseUrl, token: c.staff })).json.status, 'intake')
  t.same(
    (await call(app, { url: `${caseUrl}/events`, token: c.staff })).json.items.map((e: { type: string }) => e.type),
    ['created'],
  )
  t.equal((await call(app, { url: `/v1/referrals/${referral}`, token: c.staff })).json.status, 'submitted')

  // A party, counsellor or document of another case or centre is unknown here.
  const second = await acceptedCase(ctx)
  const wrongParty = await call(app, {
    method: 'POST',
    url: `${caseUrl}/intakes`,
    token: c.staff,
    body: { partyId: second.visiting, heldAt: signedAt, counsellorId: centre.demo.counsellorIds[0] },
  })
  t.equal(wrongParty.status, 404, 'a party of another case')
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `${caseUrl}/intakes`,
        token: c.staff,
        body: { partyId: c.visiting, heldAt: signedAt, counsellorId: other.demo!.counsellorIds[0] },
      })
    ).status,
    404,
    'another centre’s counsellor',
  )
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `${caseUrl}/signatures`,
        token: c.staff,
        body: { partyId: c.visiting, documentId: other.demo!.documentIds.houseRules, method: 'paper', signedAt },
      })
    ).status,
    404,
    'another centre’s document',
  )
  const child = await call(app, {
    method: 'POST',
    url: `${caseUrl}/signatures`,
    token: c.staff,
    body: { partyId: c.child, documentId: centre.demo.documentIds.houseRules, method: 'paper', signedAt },
  })
  t.equal(child.status, 400, 'the child signs nothing (their own intake is allowed: test/cases/child-conversation.test.ts)')
  t.match(child.json.errors, [{ pointer: '/partyId', detail: /is a child/ }])
  const future = await call(app, {
    method: 'POST',
    url: `${caseUrl}/intakes`,
    token: c.staff,
    body: { partyId: c.visiting, heldAt: new Date(Date.now() + 3_600_000).toISOString(), counsellorId: centre.demo.counsellorIds[0] },
  })
  t.equal(future.status, 400, 'an intake in the future')
  t.match(future.json.errors, [{ pointer: '/heldAt' }])
})
