import t from 'tap'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'

const URL = '/v1/recurrence/preview'

t.test('POST /v1/recurrence/preview', async (t) => {
  const { app, database, centre } = await buildTestApp(t)
  const admin = centre.adminToken
  const preview = (body: unknown, token: string = admin) => call(app, { method: 'POST', url: URL, token, body })

  t.test('the API contract example: every two weeks on Saturday, 6 occurrences, one exdate → 5', async (t) => {
    const response = await preview({
      start: '2026-03-07T10:00',
      timeZone: 'Europe/Brussels',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6',
      exdates: ['2026-04-04T10:00'],
    })
    t.equal(response.status, 200)
    t.same(response.json, {
      occurrences: [
        { start: '2026-03-07T09:00:00.000Z', localStart: '2026-03-07T10:00' },
        { start: '2026-03-21T09:00:00.000Z', localStart: '2026-03-21T10:00' },
        { start: '2026-04-18T08:00:00.000Z', localStart: '2026-04-18T10:00' },
        { start: '2026-05-02T08:00:00.000Z', localStart: '2026-05-02T10:00' },
        { start: '2026-05-16T08:00:00.000Z', localStart: '2026-05-16T10:00' },
      ],
      warnings: [],
    })
  })

  t.test('weekly Saturday 10:00 stays 10:00 local across the last Sunday of March', async (t) => {
    const response = await preview({ start: '2026-03-14T10:00', timeZone: 'Europe/Brussels', rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4' })
    t.equal(response.status, 200)
    t.same(
      response.json.occurrences.map((o: { start: string }) => o.start),
      ['2026-03-14T09:00:00.000Z', '2026-03-21T09:00:00.000Z', '2026-03-28T09:00:00.000Z', '2026-04-04T08:00:00.000Z'],
    )
    t.same(response.json.warnings, [])
  })

  t.test('a time in the spring gap moves forward, with a warning', async (t) => {
    const response = await preview({ start: '2026-03-22T02:30', timeZone: 'Europe/Brussels', rrule: 'FREQ=WEEKLY;COUNT=3' })
    t.equal(response.status, 200)
    t.same(
      response.json.occurrences.map((o: { start: string }) => o.start),
      ['2026-03-22T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-04-05T00:30:00.000Z'],
    )
    t.equal(response.json.warnings.length, 1)
    t.match(response.json.warnings[0], { code: 'dst_gap_shifted', local: '2026-03-29T02:30', message: /2026-03-29T03:30:00\+02:00/ })

    const single = await preview({ start: '2026-03-29T02:15', timeZone: 'Europe/Brussels' })
    t.same(single.json.occurrences, [{ start: '2026-03-29T01:15:00.000Z', localStart: '2026-03-29T03:15' }], 'a single occurrence without a rule, too')
    t.match(single.json.warnings, [{ code: 'dst_gap_shifted', local: '2026-03-29T02:15' }])
  })

  t.test('an ambiguous autumn time takes the first instant, with a warning', async (t) => {
    const response = await preview({ start: '2026-10-25T02:30', timeZone: 'Europe/Brussels' })
    t.same(response.json.occurrences, [{ start: '2026-10-25T00:30:00.000Z', localStart: '2026-10-25T02:30' }])
    t.match(response.json.warnings, [{ code: 'dst_ambiguous_first_instant', local: '2026-10-25T02:30' }])
  })

  t.test('rdates are added and an exdate that matches nothing is reported', async (t) => {
    const response = await preview({
      start: '2026-03-07T10:00',
      timeZone: 'Europe/Brussels',
      rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=2',
      rdates: ['2026-03-11T14:00'],
      exdates: ['2026-03-08T10:00'],
    })
    t.equal(response.status, 200)
    t.same(
      response.json.occurrences.map((o: { start: string }) => o.start),
      ['2026-03-07T09:00:00.000Z', '2026-03-11T13:00:00.000Z', '2026-03-14T09:00:00.000Z'],
    )
    t.match(response.json.warnings, [{ code: 'exdate_unmatched', local: '2026-03-08T10:00' }])
  })

  t.test('sub-daily and malformed rules → 400 naming the problem at /rrule', async (t) => {
    for (const freq of ['HOURLY', 'MINUTELY', 'SECONDLY']) {
      const response = await preview({ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', rrule: `FREQ=${freq};COUNT=3` })
      t.equal(response.status, 400, freq)
      t.match(response.headers['content-type'], /^application\/problem\+json/)
      t.match(response.json, { type: 'urn:bezoekruimte:problem:validation', title: 'Bad Request', status: 400, detail: new RegExp(`FREQ=${freq}`) })
      t.match(response.json.errors, [{ in: 'body', pointer: '/rrule', detail: new RegExp(`FREQ=${freq}`) }])
    }
    for (const [rrule, problem] of [
      ['FREQ=WEEKLY;BYDAY=XX', /BYDAY/],
      ['FREQ=WEEKLY;INTERVAL=0', /INTERVAL/],
      ['FREQ=WEEKLY;COUNT=3;UNTIL=20260601', /COUNT and UNTIL/],
      ['BYDAY=SA', /FREQ is required/],
      ['this is not a rule', /NAME=VALUE/],
      ['FREQ=WEEKLY;FOO=1', /unknown rule part 'FOO'/],
    ] as const) {
      const response = await preview({ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', rrule })
      t.equal(response.status, 400, rrule)
      t.match(response.json, { detail: problem, errors: [{ in: 'body', pointer: '/rrule', detail: problem }] }, rrule)
    }
  })

  t.test('an unknown time zone → 400 at /timeZone', async (t) => {
    const response = await preview({ start: '2026-03-07T10:00', timeZone: 'Europe/Atlantis', rrule: 'FREQ=WEEKLY;COUNT=2' })
    t.equal(response.status, 400)
    t.match(response.json, { detail: /IANA time zone/, errors: [{ in: 'body', pointer: '/timeZone', detail: /Europe\/Atlantis/ }] })
  })

  t.test('impossible dates and malformed bodies → 400 naming the field', async (t) => {
    const impossible = await preview({ start: '2026-02-30T10:00', timeZone: 'Europe/Brussels' })
    t.equal(impossible.status, 400)
    t.match(impossible.json.errors, [{ in: 'body', pointer: '/start', detail: /has no day 30/ }])
    const badExdate = await preview({
      start: '2026-03-07T10:00',
      timeZone: 'Europe/Brussels',
      rrule: 'FREQ=WEEKLY',
      exdates: ['2026-03-14T10:00', '2026-13-01T10:00'],
    })
    t.equal(badExdate.status, 400)
    t.match(badExdate.json.errors, [{ pointer: '/exdates/1' }])

    for (const [body, pointer] of [
      [{ start: '2026-03-07T09:00:00.000Z', timeZone: 'Europe/Brussels' }, '/start'],
      [{ start: '2026-03-07', timeZone: 'Europe/Brussels' }, '/start'],
      [{ timeZone: 'Europe/Brussels' }, '/start'],
      [{ start: '2026-03-07T10:00' }, '/timeZone'],
      [{ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', maxOccurrences: 0 }, '/maxOccurrences'],
      [{ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', maxOccurrences: 501 }, '/maxOccurrences'],
      [{ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', exdates: ['tomorrow'] }, '/exdates/0'],
      [{ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', dtstart: '2026-03-07T10:00' }, '/dtstart'],
    ] as const) {
      const response = await preview(body)
      t.equal(response.status, 400, JSON.stringify(body))
      t.equal(response.json.errors?.[0]?.pointer, pointer, JSON.stringify(body))
    }
  })

  t.test('an unbounded rule is capped at 500 occurrences, with a capped warning', async (t) => {
    const response = await preview({ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', rrule: 'FREQ=DAILY' })
    t.equal(response.status, 200)
    t.equal(response.json.occurrences.length, 500)
    t.equal(response.json.occurrences[0].start, '2026-03-07T09:00:00.000Z')
    t.equal(response.json.occurrences[499].start, '2027-07-19T08:00:00.000Z', 'still 10:00 local 500 days on')
    t.match(response.json.warnings, [{ code: 'capped', local: '2027-07-20T10:00', message: /500/ }])

    const fewer = await preview({ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', rrule: 'FREQ=WEEKLY;BYDAY=SA', maxOccurrences: 3 })
    t.equal(fewer.json.occurrences.length, 3)
    t.match(fewer.json.warnings, [{ code: 'capped', message: /first 3/ }], 'a smaller cap on request')
    const within = await preview({ start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=3', maxOccurrences: 3 })
    t.same(within.json.warnings, [], 'exactly the cap is not capped')
  })

  t.test('roles: admin, staff and counsellor may preview; no token → 401; a clerk → 403', async (t) => {
    const body = { start: '2026-03-07T10:00', timeZone: 'Europe/Brussels', rrule: 'FREQ=WEEKLY;COUNT=2' }
    const staff = await tokenFor(database, 'staff', { centreId: centre.centreId })
    const counsellor = await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })
    t.equal((await preview(body, staff.token)).status, 200, 'staff')
    t.equal((await preview(body, counsellor.token)).status, 200, 'counsellor')

    const anonymous = await call(app, { method: 'POST', url: URL, body })
    t.equal(anonymous.status, 401)
    t.match(anonymous.headers['content-type'], /^application\/problem\+json/)

    const clerk = await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })
    const forbidden = await preview(body, clerk.token)
    t.equal(forbidden.status, 403)
    t.match(forbidden.json, { status: 403, title: 'Forbidden' })
    const integration = await tokenFor(database, 'integration', { centreId: centre.centreId })
    t.equal((await preview(body, integration.token)).status, 403, 'integration is read-only and has no use for it')
  })
})
