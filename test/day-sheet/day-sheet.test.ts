/**
 * GET /v1/sites/{id}/day-sheet as JSON: one site's visits of one local day, in time order, with
 * rooms, counsellors, first names and staggered arrivals, and nothing that identifies or reaches a
 * family; a counsellor sees its own visits; scope, roles and the date are checked.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { utcOf } from '../helpers/wall-clock.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { visits } from '../../src/db/schema.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { keysOf } from '../helpers/openapi-harness.js'
import { dayWithVisits, PRIVATE, PRIVATE_KEYS } from './fixtures.js'

t.test('the JSON sheet lists the day’s visits in time order, with first names and arrivals only', async (t) => {
  const day = await dayWithVisits(t)
  const { app, centre } = day.ctx
  const { tenAm, twoPm, halfPastFour } = day.booked
  const { a, b } = day.families
  const url = `/v1/sites/${centre.demo.siteId}/day-sheet?date=${day.date}`

  const response = await call(app, { url, token: day.staff })
  t.equal(response.status, 200, response.body)
  t.match(response.headers['content-type'], /^application\/json/)
  t.equal(response.headers.vary, 'Accept')
  t.match(response.headers['cache-control'], /no-store/)
  const sheet = response.json
  t.same(sheet.site, { id: centre.demo.siteId, name: 'Bezoekruimte Demo', timeZone: 'Europe/Brussels' })
  t.equal(sheet.date, day.date)
  t.equal(Date.parse(sheet.generatedAt), day.ctx.app.clock.now().getTime(), 'dated by the clock')
  t.same(
    sheet.visits.map((v: { id: string }) => v.id),
    [tenAm.id, twoPm.id, halfPastFour.id],
    'the three visits of the day in time order: not the cancelled one, not the next day’s',
  )

  const first = sheet.visits[0]
  t.same(
    { start: first.start, end: first.end, kind: first.kind, status: first.status, caseId: first.caseId, courtReference: first.courtReference },
    { start: tenAm.start, end: tenAm.end, kind: 'supervised_visit', status: 'booked', caseId: a.caseId, courtReference: '24/1234/A' },
  )
  t.equal(first.start, utcOf(`${day.date}T10:00`), 'an RFC 3339 instant in UTC')
  t.same(first.room, { id: centre.demo.roomIds[0], name: 'Speelkamer' })
  t.same(first.counsellors, [{ id: centre.demo.counsellorIds[0], name: 'An Peeters' }])
  const arrivalOf = (visit: { arrivals: { partyId: string; arriveAt: string; leaveAt: string }[] }, partyId: string) =>
    visit.arrivals.find((x) => x.partyId === partyId)!
  t.same(
    first.parties,
    [
      { partyId: a.visiting, role: 'visiting_parent', givenName: 'Tom', ...without(arrivalOf(tenAm, a.visiting)) },
      { partyId: a.residing, role: 'residing_parent', givenName: 'Sofie', ...without(arrivalOf(tenAm, a.residing)) },
      { partyId: a.child, role: 'child', givenName: 'Lena', arriveAt: null, leaveAt: null },
    ],
    'by arrival, the child (no arrival of its own) last',
  )
  t.equal(first.parties[0].arriveAt, utcOf(`${day.date}T09:45`), 'the visiting side comes first (the centre’s stagger)')

  t.same(sheet.visits[1].room, { id: centre.demo.roomIds[1], name: 'Grote zaal' })
  t.same(sheet.visits[1].courtReference, '24/5678/B')
  t.same(
    sheet.visits[1].parties.map((p: { givenName: string }) => p.givenName),
    ['Karel', 'Mila', '<b>x</b>'],
    'JSON carries the name as given',
  )
  t.same(sheet.visits[2].counsellors, [{ id: centre.demo.counsellorIds[1], name: 'Jonas Claes' }])

  t.same(
    PRIVATE.filter((text) => response.body.includes(text)),
    [],
    'no family name, birth date, phone, e-mail or address',
  )
  t.same(
    PRIVATE_KEYS.filter((key) => keysOf(sheet.visits).has(key)),
    [],
    'no field for them either (the sheet’s own language is the centre’s)',
  )
  t.equal(sheet.language, 'nl', 'the centre’s language')
  t.equal(sheet.title, 'Dagoverzicht')
  t.match(
    sheet.visits.map((v: { dossierNumber: string }) => v.dossierNumber),
    sheet.visits.map(() => /^\d{4}-\d{4}$/),
    'each visit with its case’s dossier number',
  )
  t.notOk(response.body.includes(b.referralId), 'nor the referral')

  const nextDay = await call(app, { url: `/v1/sites/${centre.demo.siteId}/day-sheet?date=${day.nextDate}`, token: day.staff })
  t.same(
    nextDay.json.visits.map((v: { id: string }) => v.id),
    [day.nextDayId],
  )
  const admin = await call(app, { url, token: centre.adminToken })
  t.equal(admin.status, 200)
  t.equal(admin.json.visits.length, 3, 'the admin sees the same sheet')
})

const without = (arrival: { arriveAt: string; leaveAt: string }) => ({ arriveAt: arrival.arriveAt, leaveAt: arrival.leaveAt })

t.test('a counsellor sees the visits it supervises; roles, scope and the date are checked', async (t) => {
  const day = await dayWithVisits(t)
  const { app, database, centre } = day.ctx
  const { tenAm, twoPm, halfPastFour } = day.booked
  const url = (siteId: string, date = day.date) => `/v1/sites/${siteId}/day-sheet?date=${date}`
  const site = centre.demo.siteId
  const counsellor = async (counsellorId: string) => (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId })).token

  const an = await call(app, { url: url(site), token: await counsellor(centre.demo.counsellorIds[0]!) })
  t.equal(an.status, 200, 'a counsellor reads the sheet')
  t.same(
    an.json.visits.map((v: { id: string }) => v.id),
    [tenAm.id],
    'An Peeters supervises only the 10:00 visit',
  )
  const jonas = await call(app, { url: url(site), token: await counsellor(centre.demo.counsellorIds[1]!) })
  t.same(
    jonas.json.visits.map((v: { id: string }) => v.id),
    [twoPm.id, halfPastFour.id],
  )
  const nobody = await call(app, { url: url(site), token: (await tokenFor(database, 'counsellor', { centreId: centre.centreId })).token })
  t.same(nobody.json.visits, [], 'a counsellor token bound to no counsellor supervises nothing')

  for (const role of ['integration'] as const) {
    const denied = await call(app, { url: url(site), token: (await tokenFor(database, role, { centreId: centre.centreId })).token })
    t.equal(denied.status, 403, `${role}: ${denied.body}`)
  }
  const clerk = await call(app, { url: url(site), token: day.families.a.clerk })
  t.equal(clerk.status, 403, 'a clerk may not read a centre’s day')
  t.match(clerk.headers['content-type'], /^application\/problem\+json/)
  t.equal((await call(app, { url: url(site) })).status, 401)

  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const foreign = await call(app, { url: url(other.demo!.siteId), token: day.staff })
  t.equal(foreign.status, 404, 'another centre’s site is not found')
  t.match(foreign.headers['content-type'], /^application\/problem\+json/)
  t.equal((await call(app, { url: url(other.demo!.siteId), token: other.adminToken })).json.visits.length, 0, 'and its own sheet is empty')
  t.equal((await call(app, { url: url('0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'), token: day.staff })).status, 404)

  for (const date of ['2026-02-30', '2026-13-01', 'tomorrow', '07-03-2026', '1800-01-01', '']) {
    const bad = await call(app, { url: url(site, date), token: day.staff, headers: { accept: 'text/html' } })
    t.equal(bad.status, 400, `date=${date}`)
    t.match(bad.headers['content-type'], /^application\/problem\+json/, 'a problem, even to a browser')
    t.match(bad.json, { status: 400, errors: [{ in: 'query', pointer: '/date' }] })
  }
  const missing = await call(app, { url: `/v1/sites/${site}/day-sheet`, token: day.staff })
  t.equal(missing.status, 400, 'the date is required')
})

t.test('a visit belongs to the local day it starts on, also across midnight UTC and on a 25-hour day', async (t) => {
  const { app, database, centre } = await buildTestApp(t)
  const c = await createCase(database, centre)
  const zone = 'Europe/Brussels'
  // Straight in the database: no booking rule allows visits around midnight, but the day's edges must hold.
  const insert = async (local: string) => {
    const start = DateTime.fromISO(local, { zone }).toJSDate()
    const end = new Date(start.getTime() + 30 * 60_000)
    const [row] = await database.db
      .insert(visits)
      .values({
        centreId: centre.centreId,
        caseId: c.caseId,
        siteId: centre.demo.siteId,
        roomId: centre.demo.roomIds[0],
        counsellorIds: [centre.demo.counsellorIds[0]!],
        partyIds: [c.child, c.visiting, c.residing],
        kind: 'supervised_visit',
        timeZone: zone,
        startsAt: start,
        endsAt: end,
        spanStart: start,
        spanEnd: end,
      })
      .returning()
    return row!.id
  }
  // 25 October 2026: clocks go back at 03:00, the day has 25 hours.
  const before = await insert('2026-10-24T23:30')
  const early = await insert('2026-10-25T00:15')
  const late = await insert('2026-10-25T23:30')
  const after = await insert('2026-10-26T00:15')
  const sheetOf = async (date: string) =>
    (await call(app, { url: `/v1/sites/${centre.demo.siteId}/day-sheet?date=${date}`, token: centre.adminToken })).json as {
      visits: { id: string; start: string; parties: { arriveAt: null }[] }[]
    }
  const sheet = await sheetOf('2026-10-25')
  t.same(
    sheet.visits.map((v) => v.id),
    [early, late],
  )
  t.same(
    sheet.visits.map((v) => v.start),
    ['2026-10-24T22:15:00.000Z', '2026-10-25T22:30:00.000Z'],
    'each in the offset of its own instant',
  )
  t.same(
    (await sheetOf('2026-10-24')).visits.map((v) => v.id),
    [before],
    '23:30 local is 21:30 UTC: still the 24th',
  )
  t.same(
    (await sheetOf('2026-10-26')).visits.map((v) => v.id),
    [after],
    '00:15 local is the 25th in UTC, but the 26th at the site',
  )
  t.same(
    sheet.visits[0]!.parties.map((p) => p.arriveAt),
    [null, null, null],
    'a visit without arrivals lists its people without times',
  )
})
