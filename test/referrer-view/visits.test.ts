/**
 * One referrer view: a clerk and a court-scoped integration see exactly the same of a visit (its
 * date, kind and outcome) and never times, rooms, counsellors, explanations or conversations.
 */
import t from 'tap'
import { eq } from 'drizzle-orm'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { cases, referrals, visits } from '../../src/db/schema.js'
import { ReferrerVisit } from '../../src/modules/referrer-view/schemas.js'
import { REFERRER_VIEW_FIELDS } from '../../src/modules/referrer-view/view.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { scheduling } from '../scheduling/fixtures.js'

const ajv = new Ajv.default({ strict: false })
addFormats.default(ajv)
const isReferrerVisit = ajv.compile(ReferrerVisit)

const ctx = await buildTestApp(t)
const { app, database, centre, operator } = ctx
const s = scheduling(ctx)

const c = await createCase(database, centre)
await database.db.update(cases).set({ courtId: centre.demo.courtId }).where(eq(cases.id, c.caseId))
await database.db
  .update(referrals)
  .set({ source: 'court', courtId: centre.demo.courtId })
  .where(eq(referrals.id, (await database.db.select({ id: cases.referralId }).from(cases).where(eq(cases.id, c.caseId)))[0]!.id))
const booked = await s.series(c.caseId, { start: '2027-03-01T10:00', rrule: 'FREQ=WEEKLY;COUNT=3' })
if (booked.status !== 201) throw new Error(booked.body)
const [first, second] = booked.json.visits as { id: string }[]
await database.db
  .update(visits)
  .set({
    status: 'cancelled',
    cancelledBy: 'residing_party',
    cancelReasonCode: 'illness',
    cancelExplanation: 'Mother called: the child has a fever, she sounded upset.',
  })
  .where(eq(visits.id, second!.id))
const talk = await s.book(c.caseId, { kind: 'conversation', purpose: 'intake', partyIds: [c.visiting], start: '2027-03-03T10:00', durationMinutes: 60 })
if (talk.status !== 201) throw new Error(talk.body)

const issue = async (body: Record<string, unknown>) => (await call(app, { method: 'POST', url: '/v1/tokens', token: operator, body })).json.token as string
const clerk = await issue({ role: 'clerk', courtId: centre.demo.courtId })
const courtIntegration = await issue({ role: 'integration', courtId: centre.demo.courtId })
const centreIntegration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token

t.test('by default the centre does not share its visits: a court finds none', async (t) => {
  for (const token of [clerk, courtIntegration]) {
    t.equal((await call(app, { url: `/v1/visits/${first!.id}`, token })).status, 404, 'a visit is not found')
    t.same((await call(app, { url: '/v1/visits', token })).json.items, [], 'the list leaves them out')
    t.same((await call(app, { url: `/v1/visits?caseId=${c.caseId}`, token })).json.items, [], 'of the case too')
  }
  t.equal((await call(app, { url: `/v1/visits/${first!.id}`, token: centreIntegration })).status, 200, 'the centre reads it')
  const report = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/reports`,
    token: centre.adminToken,
    body: { kind: 'progress', from: '2027-03-01', to: '2027-03-31' },
  })
  t.equal(report.status, 201, report.body)
  t.equal((await call(app, { url: `/v1/reports/${report.json.id}`, token: clerk })).json.visits.planned, 3, 'the court reads the counts in the report')
  const shared = await call(app, {
    method: 'PATCH',
    url: `/v1/centres/${centre.centreId}`,
    token: centre.adminToken,
    body: { settings: { courtSeesVisits: true } },
  })
  t.equal(shared.status, 200, shared.body)
  t.equal(shared.json.settings.courtSeesVisits, true)
})

t.test('the clerk and the court integration get the same view of a visit and of the list', async (t) => {
  const one = await call(app, { url: `/v1/visits/${first!.id}`, token: clerk })
  t.equal(one.status, 200, one.body)
  t.same(one.json, (await call(app, { url: `/v1/visits/${first!.id}`, token: courtIntegration })).json)
  t.same(one.json, {
    view: 'referrer',
    id: first!.id,
    caseId: c.caseId,
    kind: 'supervised_visit',
    date: '2027-03-01',
    status: 'booked',
    cancelledBy: null,
    cancelReason: null,
  })
  const list = await call(app, { url: '/v1/visits', token: clerk })
  t.same(list.json, (await call(app, { url: '/v1/visits', token: courtIntegration })).json)
  t.equal(list.json.items.length, 3, 'the three supervised visits; not the conversation')
  t.match(list.json.items[1], { id: second!.id, status: 'cancelled', cancelledBy: 'residing_party', cancelReason: { code: 'illness', label: { en: String } } })
  for (const item of list.json.items) {
    t.ok(isReferrerVisit(item), `matches ReferrerVisit: ${JSON.stringify(isReferrerVisit.errors)}`)
    t.same(
      Object.keys(item).filter((k) => !(REFERRER_VIEW_FIELDS.visit as readonly string[]).includes(k)),
      [],
      'nothing outside the referrer view',
    )
  }
  for (const text of ['arrivals', 'arriveAt', 'roomId', 'counsellorIds', 'siteId', 'fever', 'cancelExplanation', 'T10:00', s.room1, s.counsellor1]) {
    t.notOk(list.body.includes(text) || one.body.includes(text), `no ${text}`)
  }
  t.notOk(one.headers.etag, 'no version for a reader who cannot change it')
})

t.test('a conversation is invisible to both court tokens', async (t) => {
  for (const token of [clerk, courtIntegration]) {
    t.equal((await call(app, { url: `/v1/visits/${talk.json.id}`, token })).status, 404)
    t.notOk((await call(app, { url: `/v1/visits?caseId=${c.caseId}`, token })).body.includes(talk.json.id))
  }
  t.equal((await call(app, { url: `/v1/visits/${talk.json.id}`, token: centreIntegration })).status, 200, 'the centre sees it')
})

t.test('a centre integration keeps the centre view; a court cannot narrow the list to a time', async (t) => {
  const full = await call(app, { url: `/v1/visits/${first!.id}`, token: centreIntegration })
  t.match(full.json, { roomId: s.room1, counsellorIds: [s.counsellor1], arrivals: [{ arriveAt: String }] })
  for (const filter of [`roomId=${s.room1}`, `counsellorId=${s.counsellor1}`, `siteId=${centre.demo.siteId}`]) {
    t.equal((await call(app, { url: `/v1/visits?${filter}`, token: clerk })).status, 400, filter)
  }
  const narrowed = await call(app, {
    url: `/v1/visits?from=${encodeURIComponent('2027-03-01T09:00:00.000Z')}&to=${encodeURIComponent('2027-03-01T09:01:00.000Z')}`,
    token: clerk,
  })
  t.same(narrowed.json.items, [], 'from and to compare whole days: a one-minute window says nothing')
  t.equal((await call(app, { url: '/v1/visits?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z', token: clerk })).json.items.length, 1)
  const paged = await call(app, { url: '/v1/visits?limit=1', token: clerk })
  t.notOk(Buffer.from(paged.json.nextCursor, 'base64url').toString().includes('2027'), 'the cursor holds no time')
  const next = await call(app, { url: `/v1/visits?limit=5&cursor=${paged.json.nextCursor}`, token: clerk })
  t.same(
    next.json.items.map((v: { id: string }) => v.id),
    booked.json.visits.slice(1).map((v: { id: string }) => v.id),
  )
  t.same(
    (await call(app, { url: '/v1/visits?status=cancelled', token: courtIntegration })).json.items.map((v: { id: string }) => v.id),
    [second!.id],
  )
})

t.test('the referrer schemas hold exactly the listed fields', async (t) => {
  const { ReferrerReferral } = await import('../../src/modules/referrals/schemas.js')
  const { ReferrerCase, ReferrerCaseSummary, ReferrerCaseEvent, ReferrerParty, ReferrerSuspension, ReferrerEnding, ReferrerCaseOutcome } =
    await import('../../src/modules/cases/schemas.js')
  const keys = (schema: { properties: Record<string, unknown> }) => Object.keys(schema.properties).sort()
  const expect = (fields: readonly string[]) => [...fields].sort()
  t.same(keys(ReferrerVisit), expect(REFERRER_VIEW_FIELDS.visit))
  t.same(keys(ReferrerReferral), expect(REFERRER_VIEW_FIELDS.referral))
  t.same(keys(ReferrerParty), expect(REFERRER_VIEW_FIELDS.party))
  t.same(keys(ReferrerCase), expect(REFERRER_VIEW_FIELDS.case))
  t.same(keys(ReferrerCaseSummary), expect(REFERRER_VIEW_FIELDS.caseSummary))
  t.same(keys(ReferrerCaseEvent), expect(REFERRER_VIEW_FIELDS.caseEvent))
  t.same(keys(ReferrerCaseEvent.properties.data), expect(REFERRER_VIEW_FIELDS.caseEventData))
  t.same(keys(ReferrerSuspension), expect(REFERRER_VIEW_FIELDS.suspension))
  t.same(keys(ReferrerEnding), expect(REFERRER_VIEW_FIELDS.ending))
  t.same(keys(ReferrerCaseOutcome), expect(REFERRER_VIEW_FIELDS.caseOutcome))
})
