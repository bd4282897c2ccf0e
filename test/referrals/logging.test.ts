import t from 'tap'
import pino from 'pino'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

t.test('no personal data of parties in the logs of a referral’s path', async (t) => {
  const lines: string[] = []
  // The most verbose level, so that nothing a quieter production level might drop goes unchecked.
  const logger = pino({ level: 'trace' }, { write: (line: string) => { lines.push(line) } })
  const ctx = await buildTestApp(t, { logger })
  const { app, database, centre } = ctx
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const body = referralBody(centre)

  const submitted = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body, headers: { 'idempotency-key': 'log-test', 'x-request-id': 'req-referral-1' } })
  t.equal(submitted.status, 201)
  await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body, headers: { 'idempotency-key': 'log-test' } })
  // Refused submissions: a schema defect, a referral rule and a 422 inside the transaction.
  const invalid = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: { ...body, parties: [{ ...body.parties[1], birthDate: '2999-01-01', language: 'xx' }] } })
  t.equal(invalid.status, 400)
  t.equal((await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: { ...body, centreId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' } })).status, 422)
  t.equal((await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: { ...body, courtReference: 'other' }, headers: { 'idempotency-key': 'log-test' } })).status, 422)
  const accepted = await call(app, { method: 'POST', url: `/v1/referrals/${submitted.json.id}/accept`, token: staff, body: { leadCounsellorId: centre.demo.counsellorIds[0] } })
  t.equal(accepted.status, 201)
  await call(app, { url: `/v1/cases/${accepted.json.caseId}`, token: staff })

  t.ok(lines.length > 10, `something was logged (${lines.length} lines)`)
  t.ok(lines.some((l) => l.includes('req-referral-1')), 'requests are logged with their id')
  const log = lines.join('\n')
  const personal = ['Lena', 'Vermeulen', 'Tom', 'Sofie', 'Janssens', '2019-05-02', '1987-01-20', '1989-07-14', '2999-01-01',
    '+32 470', 'tom@example.be', 'Kerkstraat', 'Geheime Dreef', 'Contact broken for two years', 'Start slowly', '24/1234/A']
  for (const value of personal) t.notOk(log.includes(value), `the log does not contain ${value}`)
  t.notOk(log.includes(clerk) || log.includes(staff), 'nor the tokens')
})
