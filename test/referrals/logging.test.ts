import t from 'tap'
import pino from 'pino'
import { acceptedCase, testCentre, call, completeIntake, referralBody, tokenFor } from '../helpers/app.js'
import { scheduling } from '../scheduling/fixtures.js'

t.test('no personal data of parties in the logs of a referral’s path', async (t) => {
  const lines: string[] = []
  // The most verbose level, so that nothing a quieter production level might drop goes unchecked.
  const logger = pino(
    { level: 'trace' },
    {
      write: (line: string) => {
        lines.push(line)
      },
    },
  )
  const ctx = await testCentre(t, { logger })
  const { app, database, centre } = ctx
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const body = referralBody(centre)

  const submitted = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: clerk,
    body,
    headers: { 'idempotency-key': 'log-test', 'x-request-id': 'req-referral-1' },
  })
  t.equal(submitted.status, 201)
  await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body, headers: { 'idempotency-key': 'log-test' } })
  // Refused submissions: a schema defect, a referral rule and a 422 inside the transaction.
  const invalid = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: clerk,
    body: { ...body, parties: [{ ...body.parties[1], birthDate: '2999-01-01', language: 'Dutch!' }] },
  })
  t.equal(invalid.status, 400)
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: { ...body, centreId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' } })).status,
    422,
  )
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: '/v1/referrals',
        token: clerk,
        body: { ...body, courtReference: 'other' },
        headers: { 'idempotency-key': 'log-test' },
      })
    ).status,
    422,
  )
  const accepted = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${submitted.json.id}/accept`,
    token: staff,
    body: { leadCounsellorId: centre.demo.counsellorIds[0] },
  })
  t.equal(accepted.status, 201)
  await call(app, { url: `/v1/cases/${accepted.json.caseId}`, token: staff })

  t.ok(lines.length > 10, `something was logged (${lines.length} lines)`)
  t.ok(
    lines.some((l) => l.includes('req-referral-1')),
    'requests are logged with their id',
  )
  const log = lines.join('\n')
  const personal = [
    'Lena',
    'Vermeulen',
    'Tom',
    'Sofie',
    'Janssens',
    '2019-05-02',
    '1987-01-20',
    '1989-07-14',
    '2999-01-01',
    '+32 470',
    'tom@example.be',
    'Kerkstraat',
    'Geheime Dreef',
    'Contact broken for two years',
    'Start slowly',
    '24/1234/A',
  ]
  for (const value of personal) t.notOk(log.includes(value), `the log does not contain ${value}`)
  t.notOk(log.includes(clerk) || log.includes(staff), 'nor the tokens')
})

t.test('a day’s work at trace level: no token, no personal data, no query text in the log', async (t) => {
  const lines: string[] = []
  const logger = pino(
    { level: 'trace' },
    {
      write: (line: string) => {
        lines.push(line)
      },
    },
  )
  const ctx = await testCentre(t, { logger })
  const { app, database, centre } = ctx
  const admin = centre.adminToken
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  t.equal((await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })).status, 200, 'the case is active')
  const s = scheduling(ctx, c.staff)
  const booked = await s.series(c.caseId, { start: '2027-03-03T10:00', rrule: 'FREQ=WEEKLY;COUNT=2' })
  t.equal(booked.status, 201, booked.body.slice(0, 300))
  const integration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token
  const tokens = [admin, c.staff, c.clerk, integration]

  // Free text and personal data in query strings, where a client may well put them.
  const queryTexts = ['Vader belde om 21u, dronken', '0470 99 88 77', 'Marleen De Smet']
  const ended = await call(app, {
    method: 'DELETE',
    token: c.staff,
    url: `/v1/series/${booked.json.seriesId}?from=2027-03-01&reasonCode=other&explanation=${encodeURIComponent(`${queryTexts[0]}; ${queryTexts[1]}`)}`,
  })
  t.equal(ended.status, 200, ended.body.slice(0, 300))
  t.equal((await call(app, { url: `/v1/visits?caseId=${c.caseId}&from=2027-01-01T00:00:00Z&limit=5`, token: integration })).status, 200)
  t.equal(
    (await call(app, { url: `/v1/referrals?status=${encodeURIComponent(queryTexts[2]!)}`, token: c.clerk })).status,
    400,
    'a free text where an enum belongs',
  )
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}/${encodeURIComponent('Tom Vermeulen')}`, token: c.staff })).status, 404)

  // A token in the query string is refused, and not logged either.
  const leaked = await call(app, { url: `/v1/cases/${c.caseId}?access_token=${c.staff}` })
  t.equal(leaked.status, 401)
  t.match(leaked.headers['content-type'], /^application\/problem\+json/)
  t.equal(leaked.json.type, 'urn:bezoekruimte:problem:unauthorized')
  t.notOk(leaked.body.includes(c.staff), 'the answer does not echo the token')
  const evenWithHeader = await call(app, { url: `/v1/cases/${c.caseId}?access_token=${c.staff}`, token: c.staff })
  t.equal(evenWithHeader.status, 401, 'refused even next to a valid Authorization header')

  // Refused bodies carry personal data too.
  const bad = referralBody(centre, { parties: [{ role: 'child', givenName: 'Lena', familyName: 'Vermeulen\u0000', birthDate: '2019-05-02', language: 'nl' }] })
  t.equal((await call(app, { method: 'POST', url: '/v1/referrals', token: c.clerk, body: bad })).status, 400)

  const log = lines.join('\n')
  t.ok(
    lines.some((l) => l.includes('"url":"/v1/series/:id"')),
    'requests are logged by route pattern',
  )
  t.ok(
    lines.some((l) => l.includes('"explanation":"(hidden)"')),
    'a query key is logged, its free-text value is not',
  )
  t.ok(
    lines.some((l) => l.includes('"from":"2027-01-01T00:00:00Z"') && l.includes('"limit":"5"')),
    'dates and page sizes in a query are kept',
  )
  t.ok(
    lines.some((l) => l.includes(`"url":"/v1/cases/${c.caseId}/…"`)),
    'an unmatched path keeps its route words and ids, masks the rest',
  )
  for (const token of tokens) t.notOk(log.includes(token), 'no token in the log')
  t.notOk(/bzr_[\w-]{8,}/.test(log), 'nothing that looks like a token')
  const personal = [
    'Lena',
    'Vermeulen',
    'Tom',
    'Sofie',
    'Janssens',
    '2019-05-02',
    '1987-01-20',
    '1989-07-14',
    '+32 470',
    '470 11 22 33',
    '470 44 55 66',
    'tom@example.be',
    'Kerkstraat',
    'Geheime Dreef',
    'Antwerpen',
    'Contact broken for two years',
    'Start slowly',
    '24/1234/A',
    'Intake held',
  ]
  for (const value of [...personal, ...queryTexts, ...queryTexts.map(encodeURIComponent), 'Vader', 'dronken', 'Marleen']) {
    t.notOk(log.includes(value), `the log does not contain ${value}`)
  }
})
