/**
 * A counsellor works on some of its centre's cases, not all: it reads the cases it leads and those
 * with a visit it supervises — with their events, readiness, referral, series and visits — and
 * nothing else of the centre (404, as if the rest did not exist). Staff and admin read everything.
 */
import t from 'tap'
import { eq } from 'drizzle-orm'
import { cases } from '../../src/db/schema.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { scheduling } from '../scheduling/fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)
const [an, jonas] = [s.counsellor1, s.counsellor2]
const leadBy = async (caseId: string, counsellorId: string) => {
  await database.db.update(cases).set({ leadCounsellorId: counsellorId }).where(eq(cases.id, caseId))
}

// An leads `ofAn`; Jonas leads `ofJonas` and `shared`, but An supervises a visit of `shared`; `nobodys` is Jonas's without visits.
const ofAn = await createCase(database, centre)
const ofJonas = await createCase(database, centre)
const shared = await createCase(database, centre)
const jonasOnly = await createCase(database, centre)
for (const c of [ofJonas, shared, jonasOnly]) await leadBy(c.caseId, jonas)
const jonasSeries = await s.series(ofJonas.caseId, { start: '2027-03-01T10:00', rrule: 'FREQ=WEEKLY;COUNT=2', counsellorIds: [jonas], roomId: s.room2 })
const anVisit = await s.book(shared.caseId, { start: '2027-03-02T10:00', counsellorIds: [an] })
const anSeries = await s.series(ofAn.caseId, { start: '2027-03-03T10:00', rrule: 'FREQ=WEEKLY;COUNT=2', counsellorIds: [an] })
for (const r of [jonasSeries, anVisit, anSeries]) if (r.status !== 201) throw new Error(r.body)
const jonasVisit = jonasSeries.json.visits[0].id as string

const tokens = {
  an: (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: an })).token,
  jonas: (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: jonas })).token,
  staff: (await tokenFor(database, 'staff', { centreId: centre.centreId })).token,
}
const referralOf = async (caseId: string) => (await call(app, { url: `/v1/cases/${caseId}`, token: tokens.staff })).json.referralId as string

const caseIds = async (token: string) => ((await call(app, { url: '/v1/cases?limit=200', token })).json.items as { id: string }[]).map((c) => c.id).sort()
const referralIds = async (token: string) =>
  ((await call(app, { url: '/v1/referrals?limit=200', token })).json.items as { id: string }[]).map((r) => r.id).sort()
const caseReads = (caseId: string) => [
  `/v1/cases/${caseId}`,
  `/v1/cases/${caseId}/events`,
  `/v1/cases/${caseId}/readiness`,
  `/v1/availability?siteId=${centre.demo.siteId}&from=2027-03-08&to=2027-03-09&durationMinutes=60&caseId=${caseId}&kind=supervised_visit`,
]
const sorted = (...ids: string[]) => [...ids].sort()

t.test('each counsellor reads the cases it leads or supervises a visit of', async (t) => {
  t.same(await caseIds(tokens.an), sorted(ofAn.caseId, shared.caseId), 'An: its own case and the one where it supervises a visit')
  t.same(await caseIds(tokens.jonas), sorted(ofJonas.caseId, shared.caseId, jonasOnly.caseId), 'Jonas: the cases it leads')
  t.same(await caseIds(tokens.staff), sorted(ofAn.caseId, ofJonas.caseId, shared.caseId, jonasOnly.caseId), 'staff: the whole centre')

  for (const c of [ofAn, shared]) for (const url of caseReads(c.caseId)) t.equal((await call(app, { url, token: tokens.an })).status, 200, `An: ${url}`)
  for (const c of [ofJonas, jonasOnly]) for (const url of caseReads(c.caseId)) t.equal((await call(app, { url, token: tokens.an })).status, 404, `An: ${url}`)
  for (const url of caseReads(ofAn.caseId)) t.equal((await call(app, { url, token: tokens.jonas })).status, 404, `Jonas: ${url}`)
})

t.test('referrals: only those of its cases', async (t) => {
  t.same(await referralIds(tokens.an), sorted(await referralOf(ofAn.caseId), await referralOf(shared.caseId)))
  t.equal((await call(app, { url: `/v1/referrals/${await referralOf(ofAn.caseId)}`, token: tokens.an })).status, 200)
  t.equal((await call(app, { url: `/v1/referrals/${await referralOf(ofJonas.caseId)}`, token: tokens.an })).status, 404)
  t.equal((await referralIds(tokens.staff)).length, 4, 'staff: every referral of the centre')
})

t.test('series and visits: those it supervises', async (t) => {
  t.equal((await call(app, { url: `/v1/series/${anSeries.json.seriesId}`, token: tokens.an })).status, 200)
  t.equal((await call(app, { url: `/v1/series/${jonasSeries.json.seriesId}`, token: tokens.an })).status, 404)
  t.equal((await call(app, { url: `/v1/series/${jonasSeries.json.seriesId}`, token: tokens.jonas })).json.visits.length, 2)
  t.equal((await call(app, { url: `/v1/visits/${jonasVisit}`, token: tokens.an })).status, 404)
  t.equal(
    (await call(app, { url: `/v1/visits/${anVisit.json.id}`, token: tokens.jonas })).status,
    404,
    'Jonas leads the case but does not supervise that visit',
  )
  const anSees = ((await call(app, { url: '/v1/visits?limit=200', token: tokens.an })).json.items as { id: string }[]).map((v) => v.id)
  t.same(anSees.sort(), sorted(anVisit.json.id, ...anSeries.json.visits.map((v: { id: string }) => v.id)))
})

t.test('observations: those of the visits it supervises', async (t) => {
  const write = (visitId: string, token: string) =>
    call(app, { method: 'POST', url: `/v1/visits/${visitId}/observations`, token, body: { kind: 'observation', text: 'Calm.' } })
  t.equal((await write(anVisit.json.id, tokens.an)).status, 201)
  t.equal((await write(jonasVisit, tokens.an)).status, 404)
  t.equal((await write(anVisit.json.id, tokens.jonas)).status, 404)
  t.equal((await call(app, { url: `/v1/visits/${jonasVisit}/observations`, token: tokens.an })).status, 404)
  t.equal((await call(app, { url: `/v1/visits/${anVisit.json.id}/observations`, token: tokens.an })).json.items.length, 1)
})

t.test('a counsellor that leads nothing and supervises nothing sees no case', async (t) => {
  const created = await call(app, {
    method: 'POST',
    url: '/v1/counsellors',
    token: centre.adminToken,
    body: { name: 'Nieuwe begeleider', workingHours: { mon: [{ from: '09:00', to: '17:00' }] } },
  })
  t.equal(created.status, 201, created.body)
  const newcomer = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: created.json.id })).token
  const withoutCounsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId })).token
  for (const token of [newcomer, withoutCounsellor]) {
    t.same(await caseIds(token), [])
    t.same(await referralIds(token), [])
    t.same((await call(app, { url: '/v1/visits', token })).json.items, [])
    for (const url of caseReads(ofAn.caseId)) t.equal((await call(app, { url, token })).status, 404, url)
    t.equal((await call(app, { url: `/v1/series/${anSeries.json.seriesId}`, token })).status, 404)
  }
})
