/**
 * The registration fields through the API (issue 26): gender, postcode and national number in a
 * referral's parties, the gender at intake, shown to the centre and never to the court; the same
 * child and father referred twice count once among the persons, until a correction makes them two.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { call, referralBody, testCentre, tokenFor } from '../helpers/app.js'

t.test('registration fields, and the same child referred twice counted once', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const staff = (await tokenFor(ctx.database, 'staff', { centreId: centre.centreId })).token
  const clerk = (await tokenFor(ctx.database, 'clerk', { courtId: centre.demo.courtId })).token
  const body = referralBody(centre)
  const parties = (child: Record<string, unknown>, father: Record<string, unknown>) => [
    { ...body.parties[0], gender: 'female', postcode: '2000', ...child },
    { ...body.parties[1], gender: 'male', ...father },
    body.parties[2],
  ]
  const refer = async (child: Record<string, unknown>, father: Record<string, unknown>) => {
    const submitted = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: { ...body, parties: parties(child, father) } })
    t.equal(submitted.status, 201, submitted.body)
    const accepted = await call(app, {
      method: 'POST',
      url: `/v1/referrals/${submitted.json.id}/accept`,
      token: staff,
      body: { leadCounsellorId: centre.demo.counsellorIds[0], siteId: centre.demo.siteId },
    })
    t.equal(accepted.status, 201, accepted.body)
    return { referralId: submitted.json.id as string, caseId: accepted.json.caseId as string }
  }

  const wrong = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: clerk,
    body: { ...body, parties: parties({}, { nationalNumber: '87.01.20-123.45' }) },
  })
  t.equal(wrong.status, 400, 'a national number whose check digits do not match')
  t.match(wrong.json.errors, [{ pointer: '/parties/1/nationalNumber' }])

  const first = await refer({}, { nationalNumber: '87.01.20-123.44' })
  const view = await call(app, { url: `/v1/cases/${first.caseId}`, token: staff })
  const father = view.json.parties.find((p: { role: string }) => p.role === 'visiting_parent')
  const mother = view.json.parties.find((p: { role: string }) => p.role === 'residing_parent')
  t.match(father, { gender: 'male', postcode: null, nationalNumber: '87012012344' }, 'the centre sees the fields, the number as its digits')
  t.notOk('personKey' in father, 'the person key is never shown')
  const court = await call(app, { url: `/v1/referrals/${first.referralId}`, token: clerk })
  t.equal(court.status, 200)
  t.notMatch(court.body, /87012012344|"gender"|"postcode"|"nationalNumber"/, 'the court sees none of them')

  const intake = await call(app, {
    method: 'POST',
    url: `/v1/cases/${first.caseId}/intakes`,
    token: staff,
    body: { partyId: mother.id, heldAt: new Date(Date.now() - 60_000).toISOString(), counsellorId: centre.demo.counsellorIds[0], gender: 'female' },
  })
  t.equal(intake.status, 201, intake.body)
  const after = await call(app, { url: `/v1/cases/${first.caseId}`, token: staff })
  t.equal(after.json.parties.find((p: { id: string }) => p.id === mother.id).gender, 'female', 'the gender recorded at intake')

  // Referred again: the child spelled otherwise, the father's number written bare.
  const second = await refer({ givenName: 'LÉNA', familyName: 'VERMEULEN' }, { givenName: 'Thomas', nationalNumber: '87012012344' })
  const year = DateTime.now().setZone('Europe/Brussels').year
  const stats = async () => (await call(app, { url: `/v1/statistics?from=${year}-01-01&to=${year}-12-31`, token: centre.adminToken })).json.groups[0].figures
  const figures = await stats()
  t.same(
    [figures.casesInIntake.total, figures.childrenServed.total, figures.adultsServed.total, figures.persons.total],
    [2, 1, 2, 3],
    'two cases in intake; one child, one father, one mother',
  )
  t.same(figures.childrenServed.byGender, { female: 1, male: 0, x: 0, unknown: 0 })
  t.equal(figures.persons.byPostcode['2000'], 1)

  // A correction of the second child's name makes her another person.
  const child = (await call(app, { url: `/v1/cases/${second.caseId}`, token: staff })).json.parties.find((p: { role: string }) => p.role === 'child')
  const patched = await call(app, {
    method: 'PATCH',
    url: `/v1/parties/${child.id}`,
    token: staff,
    body: { givenName: 'Lise', reason: 'Another child of the family.', postcode: '2018', gender: 'x' },
  })
  t.equal(patched.status, 200, patched.body)
  t.match(patched.json, { givenName: 'Lise', postcode: '2018', gender: 'x' })
  t.equal((await stats()).childrenServed.total, 2, 'the person key follows the corrected identity')
  const bad = await call(app, { method: 'PATCH', url: `/v1/parties/${child.id}`, token: staff, body: { postcode: '0999' } })
  t.equal(bad.status, 400, 'a postcode is four digits, not starting with 0')
})
