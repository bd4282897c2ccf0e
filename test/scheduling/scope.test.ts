/**
 * Scope and roles on every scheduling route: another centre's token sees nothing (404, or an empty
 * list), a clerk reads only its court's visits in the referrer view, an integration token reads but never writes, a counsellor
 * reads the visits it supervises and no other.
 */
import t from 'tap'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { scheduling } from './fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)

const a = await createCase(database, centre)
const booked = await s.series(a.caseId, { start: '2027-03-01T10:00', rrule: 'FREQ=WEEKLY;COUNT=2' })
const visitId: string = booked.json.visits[0].id
const seriesId: string = booked.json.seriesId
const other = await call(app, { method: 'POST', url: '/v1/centres', token: ctx.operator, body: { name: 'Centre B' } })
const tokens = {
  otherAdmin: other.json.adminToken.token as string,
  otherStaff: (await tokenFor(database, 'staff', { centreId: other.json.id })).token,
  clerk: (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token,
  integration: (await tokenFor(database, 'integration', { centreId: centre.centreId })).token,
  courtIntegration: (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token,
  counsellor: (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: s.counsellor1 })).token,
  staff: (await tokenFor(database, 'staff', { centreId: centre.centreId })).token,
}
const visitBody = { kind: 'supervised_visit', roomId: s.room2, counsellorIds: [s.counsellor2], durationMinutes: 60, start: '2027-03-02T10:00' }

const reads = [
  { name: 'GET /v1/visits/{id}', url: `/v1/visits/${visitId}` },
  { name: 'GET /v1/series/{id}', url: `/v1/series/${seriesId}` },
  { name: 'GET /v1/availability', url: `/v1/availability?siteId=${centre.demo.siteId}&from=2027-03-01&to=2027-03-02&durationMinutes=60` },
]
const writes = [
  { name: 'POST /v1/cases/{id}/visits', method: 'POST' as const, url: `/v1/cases/${a.caseId}/visits`, body: visitBody },
  { name: 'POST /v1/cases/{id}/series', method: 'POST' as const, url: `/v1/cases/${a.caseId}/series`, body: { ...visitBody, rrule: 'FREQ=DAILY;COUNT=1' } },
  { name: 'PATCH /v1/visits/{id}', method: 'PATCH' as const, url: `/v1/visits/${visitId}`, body: { durationMinutes: 60 }, headers: { 'if-match': '"1"' } },
  { name: 'DELETE /v1/series/{id}', method: 'DELETE' as const, url: `/v1/series/${seriesId}?from=2027-03-01` },
]

t.test('another centre: 404 on every record, an empty list', async (t) => {
  for (const token of [tokens.otherAdmin, tokens.otherStaff]) {
    for (const read of reads) t.equal((await call(app, { url: read.url, token })).status, 404, read.name)
    const list = await call(app, { url: '/v1/visits?limit=200', token })
    t.equal(list.status, 200)
    t.same(list.json.items, [], 'GET /v1/visits lists none of them')
    const filtered = await call(app, { url: `/v1/visits?caseId=${a.caseId}`, token })
    t.same(filtered.json.items, [], 'not even when asked by case')
    for (const write of writes) t.equal((await call(app, { ...write, token })).status, 404, write.name)
  }
  t.equal((await call(app, { url: `/v1/visits/${visitId}`, token: centre.adminToken })).json.version, 1, 'nothing was changed')
})

t.test("clerk: reads its court's visits in the referrer view only; no other scheduling route", async (t) => {
  t.equal((await call(app, { url: reads[0]!.url, token: tokens.clerk })).status, 404, 'this case has no court')
  t.same((await call(app, { url: '/v1/visits', token: tokens.clerk })).json.items, [])
  for (const read of reads.slice(1)) t.equal((await call(app, { url: read.url, token: tokens.clerk })).status, 403, read.name)
  for (const write of writes) t.equal((await call(app, { ...write, token: tokens.clerk })).status, 403, write.name)
})

t.test("integration: reads its centre's (or court's) visits, never writes", async (t) => {
  const one = await call(app, { url: `/v1/visits/${visitId}`, token: tokens.integration })
  t.equal(one.status, 200)
  t.equal(one.headers.etag, '"1"')
  t.equal((await call(app, { url: '/v1/visits', token: tokens.integration })).json.items.length, 2)
  t.same(
    (await call(app, { url: '/v1/visits', token: tokens.courtIntegration })).json.items,
    [],
    "a court integration sees its court's cases only (this case has no court)",
  )
  t.equal((await call(app, { url: `/v1/visits/${visitId}`, token: tokens.courtIntegration })).status, 404)
  for (const path of [`/v1/series/${seriesId}`, reads[2]!.url]) t.equal((await call(app, { url: path, token: tokens.integration })).status, 403, path)
  for (const write of writes) t.equal((await call(app, { ...write, token: tokens.integration })).status, 403, write.name)
})

t.test('counsellor: reads, plans, does not book; staff books', async (t) => {
  for (const read of reads) t.equal((await call(app, { url: read.url, token: tokens.counsellor })).status, 200, read.name)
  for (const write of writes) t.equal((await call(app, { ...write, token: tokens.counsellor })).status, 403, write.name)
  t.equal((await call(app, { ...writes[0]!, token: tokens.staff })).status, 201, 'staff may book')
})

t.test('GET /v1/visits filters and pages', async (t) => {
  const b = await createCase(database, centre)
  const more = await s.series(b.caseId, { start: '2027-04-05T14:00', rrule: 'FREQ=DAILY;COUNT=5', roomId: s.room2, counsellorIds: [s.counsellor2] })
  t.equal(more.status, 201, more.body)
  const token = centre.adminToken
  const list = (q: string) => call(app, { url: `/v1/visits?${q}`, token })
  t.equal((await list(`caseId=${b.caseId}`)).json.items.length, 5)
  t.equal((await list(`roomId=${s.room2}&from=2027-04-06T00:00:00%2B02:00&to=2027-04-08T00:00:00%2B02:00`)).json.items.length, 2)
  t.equal((await list(`counsellorId=${s.counsellor1}`)).json.items.length, 2)
  t.equal((await list(`siteId=${centre.demo.siteId}&status=cancelled`)).json.items.length, 0)
  const page1 = await list(`caseId=${b.caseId}&limit=2`)
  const page2 = await list(`caseId=${b.caseId}&limit=2&cursor=${page1.json.nextCursor}`)
  const page3 = await list(`caseId=${b.caseId}&limit=2&cursor=${page2.json.nextCursor}`)
  t.same(
    [...page1.json.items, ...page2.json.items, ...page3.json.items].map((v: { id: string }) => v.id),
    more.json.visits.map((v: { id: string }) => v.id),
  )
  t.equal(page3.json.nextCursor, null)
  t.equal((await list('cursor=garbage')).status, 400)
})

t.test('a counsellor reads only the visits it supervises; staff and admin the whole centre', async (t) => {
  const c = await createCase(database, centre)
  const theirs = await s.book(c.caseId, { roomId: s.room2, counsellorIds: [s.counsellor2], durationMinutes: 60, start: '2027-03-03T10:00' })
  t.equal(theirs.status, 201, theirs.body)
  const shared = await s.book(c.caseId, { roomId: s.room2, counsellorIds: [s.counsellor2, s.counsellor1], durationMinutes: 60, start: '2027-03-04T10:00' })
  t.equal(shared.status, 201, shared.body)
  const other = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: s.counsellor2 })).token
  const ids = async (token: string, query = '') =>
    ((await call(app, { url: `/v1/visits?limit=200${query}`, token })).json.items as { id: string }[]).map((v) => v.id)

  t.equal((await call(app, { url: `/v1/visits/${theirs.json.id}`, token: tokens.counsellor })).status, 404, "another counsellor's visit does not exist for it")
  t.equal((await call(app, { url: `/v1/visits/${visitId}`, token: tokens.counsellor })).status, 200, 'its own visit it reads')
  t.equal((await call(app, { url: `/v1/visits/${shared.json.id}`, token: tokens.counsellor })).status, 200, 'a visit it supervises with a colleague too')
  t.equal((await call(app, { url: `/v1/visits/${theirs.json.id}`, token: other })).status, 200, 'the supervising counsellor reads it')
  t.equal((await call(app, { url: `/v1/visits/${visitId}`, token: other })).status, 404)

  const mine = await ids(tokens.counsellor)
  t.ok(mine.includes(visitId) && mine.includes(shared.json.id), 'listed: what it supervises')
  t.notOk(mine.includes(theirs.json.id), 'not listed: what it does not')
  t.same(await ids(tokens.counsellor, `&caseId=${c.caseId}`), [shared.json.id], 'not even when asked by case')
  t.same(await ids(tokens.counsellor, `&counsellorId=${s.counsellor2}`), [shared.json.id], 'nor by the other counsellor')
  t.notOk((await ids(other)).includes(visitId))

  for (const token of [tokens.staff, centre.adminToken]) {
    t.equal((await call(app, { url: `/v1/visits/${theirs.json.id}`, token })).status, 200)
    t.same(await ids(token, `&caseId=${c.caseId}`), [theirs.json.id, shared.json.id], 'the centre sees every visit')
  }
})
