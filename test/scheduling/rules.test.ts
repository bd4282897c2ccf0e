/**
 * Every booking rule over HTTP, each reported with its own code in conflicts[] (single visits) or
 * skipped[].reasons (series), and onConflict reject / skip / dryRun. One app for the file; each
 * subtest books on its own dates. The demo site with SHORT_WEEKEND's hours (fixtures.ts): Mon–Fri 09:00–20:00, Sat 09:00–18:00, Sun 10:00–17:00;
 * counsellors work Mon–Fri 09:00–20:00 and Sat 09:00–18:00, not on Sunday.
 */
import t from 'tap'
import { buildTestApp, call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { codesOf, scheduling, type Reason, useShortWeekend } from './fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)
// The demo is open every day; these tests need a closed Sunday and a short Saturday.
await useShortWeekend(ctx)
const admin = centre.adminToken

t.test('room_busy: the room (capacity 1) is taken by another case', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const first = await s.book(a.caseId, { start: '2027-03-01T10:00' })
  t.equal(first.status, 201, first.body)
  const second = await s.book(b.caseId, { start: '2027-03-01T11:00', counsellorIds: [s.counsellor2] })
  t.equal(second.status, 409)
  t.equal(second.json.type, 'urn:bezoekruimte:problem:booking-conflict')
  t.same(second.json.conflicts, [
    {
      start: '2027-03-01T10:00:00.000Z',
      code: 'room_busy',
      resourceKind: 'room',
      resourceId: s.room1,
      visitId: first.json.id,
      detail: 'the room is booked then',
    },
  ])
  // Half-open spans: the first span ends 11:45 (15 minutes after the contact), the next may start its span then.
  t.equal((await s.book(b.caseId, { start: '2027-03-01T12:00', counsellorIds: [s.counsellor2] })).status, 201)
})

t.test('capacity: a room of capacity 2 takes two families at once, not three', async (t) => {
  const cases = [await createCase(database, centre), await createCase(database, centre), await createCase(database, centre)]
  const booked = []
  for (const [i, c] of cases.slice(0, 2).entries()) {
    const response = await s.book(c.caseId, { start: '2027-03-02T10:00', roomId: s.room2, counsellorIds: [centre.demo.counsellorIds[i]!] })
    t.equal(response.status, 201, response.body)
    booked.push(response.json.id)
  }
  const extra = await createCounsellor()
  const third = await s.book(cases[2]!.caseId, { start: '2027-03-02T10:30', roomId: s.room2, counsellorIds: [extra] })
  t.equal(third.status, 409)
  t.same(codesOf(third.json.conflicts), ['room_busy', 'room_busy'], 'both places named')
  t.same(third.json.conflicts.map((c: Reason) => c.visitId).sort(), [...booked].sort())
})

t.test('counsellor_busy: the counsellor supervises another visit then', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const first = await s.book(a.caseId, { start: '2027-03-03T10:00' })
  t.equal(first.status, 201, first.body)
  const clash = await s.book(b.caseId, { start: '2027-03-03T11:00', roomId: s.room2 })
  t.equal(clash.status, 409)
  t.same(clash.json.conflicts, [
    {
      start: '2027-03-03T10:00:00.000Z',
      code: 'counsellor_busy',
      resourceKind: 'counsellor',
      resourceId: s.counsellor1,
      visitId: first.json.id,
      detail: 'the counsellor supervises another visit then',
    },
  ])
})

t.test("party_busy: the case's people cannot be in two visits at once", async (t) => {
  const a = await createCase(database, centre)
  const first = await s.book(a.caseId, { start: '2027-03-04T10:00' })
  t.equal(first.status, 201, first.body)
  const clash = await s.book(a.caseId, { start: '2027-03-04T11:00', roomId: s.room2, counsellorIds: [s.counsellor2] })
  t.equal(clash.status, 409)
  t.same(codesOf(clash.json.conflicts), ['party_busy', 'party_busy', 'party_busy'], 'the child and both parents')
  t.same(clash.json.conflicts.map((c: Reason) => c.resourceId).sort(), [a.child, a.visiting, a.residing].sort())
  t.ok(clash.json.conflicts.every((c: { resourceKind: string; visitId: string }) => c.resourceKind === 'party' && c.visitId === first.json.id))
})

t.test('site_closed: a closure of the site', async (t) => {
  const a = await createCase(database, centre)
  const patched = await call(app, {
    method: 'PATCH',
    url: `/v1/sites/${centre.demo.siteId}`,
    token: admin,
    body: { closures: [{ from: '2027-03-08', to: '2027-03-09', reason: 'renovation' }] },
  })
  t.equal(patched.status, 200, patched.body)
  const closed = await s.book(a.caseId, { start: '2027-03-09T10:00' })
  t.equal(closed.status, 409)
  t.match(closed.json.conflicts, [{ code: 'site_closed', detail: /closed 2027-03-08–2027-03-09 \(renovation\)/ }])
  t.equal(closed.json.conflicts.length, 1)
  t.equal((await s.book(a.caseId, { start: '2027-03-10T10:00' })).status, 201, 'the day after the closure')
})

t.test('site_closed: a Belgian public holiday, unless the centre opted out', async (t) => {
  const a = await createCase(database, centre)
  // Ascension Day 2027 is Thursday 6 May.
  const holiday = await s.book(a.caseId, { start: '2027-05-06T10:00' })
  t.equal(holiday.status, 409)
  t.match(holiday.json.conflicts, [{ code: 'site_closed', detail: '2027-05-06 is a public holiday (Ascension Day)' }])
  const optOut = await call(app, {
    method: 'PATCH',
    url: `/v1/centres/${centre.centreId}`,
    token: admin,
    body: { settings: { holidayOptOuts: ['ascension'] } },
  })
  t.equal(optOut.status, 200, optOut.body)
  t.equal((await s.book(a.caseId, { start: '2027-05-06T10:00' })).status, 201, 'the centre stays open on Ascension Day')
  await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { holidayOptOuts: [] } } })
})

t.test('outside_opening_hours: the whole staggered span must fit', async (t) => {
  const a = await createCase(database, centre)
  // Contact 18:15–19:45 fits 09:00–20:00, but the visiting parent leaves at 20:00 — fits; 18:30 does not.
  t.equal((await s.book(a.caseId, { start: '2027-03-11T18:15' })).status, 201)
  const late = await s.book(a.caseId, { start: '2027-03-12T18:30' })
  t.equal(late.status, 409)
  t.same(codesOf(late.json.conflicts), ['counsellor_absent', 'outside_opening_hours'], "the counsellor's day ends at 20:00 too")
  const early = await s.book(a.caseId, { start: '2027-03-12T09:00' })
  t.same(codesOf(early.json.conflicts), ['counsellor_absent', 'outside_opening_hours'], 'the first arrival would be 08:45')
})

t.test('counsellor_absent: outside working hours, and during a recorded absence', async (t) => {
  const a = await createCase(database, centre)
  // Sunday: the site is open 10:00–17:00, the counsellors do not work.
  const sunday = await s.book(a.caseId, { start: '2027-03-14T12:00' })
  t.equal(sunday.status, 409)
  t.match(sunday.json.conflicts, [
    { code: 'counsellor_absent', resourceKind: 'counsellor', resourceId: s.counsellor1, detail: "outside the counsellor's working hours" },
  ])
  t.equal(sunday.json.conflicts.length, 1)

  const absence = await call(app, {
    method: 'POST',
    url: `/v1/counsellors/${s.counsellor2}/absences`,
    token: admin,
    body: { from: '2027-03-14T23:00:00.000Z', until: '2027-03-15T23:00:00.000Z', reason: 'Verlof' },
  })
  t.equal(absence.status, 201, absence.body)
  const absent = await s.book(a.caseId, { start: '2027-03-15T10:00', counsellorIds: [s.counsellor2] })
  t.equal(absent.status, 409)
  t.same(
    absent.json.conflicts.map((c: Reason) => [c.code, c.resourceId, c.detail]),
    [['counsellor_absent', s.counsellor2, 'the counsellor is absent']],
  )
  t.equal((await s.book(a.caseId, { start: '2027-03-16T10:00', counsellorIds: [s.counsellor2] })).status, 201, 'back the next day')
})

t.test("after_planned_end: nothing is booked after the case's planned end (inclusive, local date)", async (t) => {
  const a = await createCase(database, centre, { plannedEndDate: '2027-03-17' })
  t.equal((await s.book(a.caseId, { start: '2027-03-17T10:00' })).status, 201, 'on the planned end date itself')
  const after = await s.book(a.caseId, { start: '2027-03-18T10:00' })
  t.equal(after.status, 409)
  t.match(after.json.conflicts, [{ code: 'after_planned_end', detail: "after the case's planned end on 2027-03-17" }])
  // A series is bounded by the planned end: it stops there, with a warning, rather than failing.
  const series = await s.series(a.caseId, { start: '2027-03-10T14:00', rrule: 'FREQ=WEEKLY;COUNT=4', durationMinutes: 60 })
  t.equal(series.status, 201, series.body)
  t.same(
    series.json.visits.map((v: { start: string }) => v.start),
    ['2027-03-10T13:00:00.000Z', '2027-03-17T13:00:00.000Z'],
  )
  t.match(series.json.warnings, [{ code: 'bounded_by_planned_end' }])
})

t.test('not_covered_by_agreement: kind, validUntil and maxVisits of the agreement', async (t) => {
  const kinds = await createCase(database, centre, { agreement: { kinds: ['supervised_visit'] } })
  const handover = await s.book(kinds.caseId, { start: '2027-03-19T10:00', kind: 'supervised_handover', durationMinutes: 15 })
  t.equal(handover.status, 409)
  t.match(handover.json.conflicts, [{ code: 'not_covered_by_agreement', detail: 'the agreement allows supervised_visit, not supervised_handover' }])

  const valid = await createCase(database, centre, { agreement: { validUntil: '2027-03-22' } })
  t.equal((await s.book(valid.caseId, { start: '2027-03-22T10:00' })).status, 201, 'on validUntil itself')
  const late = await s.book(valid.caseId, { start: '2027-03-23T10:00' })
  t.match(late.json.conflicts, [{ code: 'not_covered_by_agreement', detail: 'the agreement is valid until 2027-03-22' }])

  const limited = await createCase(database, centre, { agreement: { maxVisits: 2 } })
  const series = await s.series(limited.caseId, { start: '2027-03-24T16:00', rrule: 'FREQ=WEEKLY;COUNT=4', onConflict: 'skip' })
  t.equal(series.status, 201, series.body)
  t.equal(series.json.visits.length, 2)
  t.same(
    series.json.skipped.map((k: { start: string; reasons: Reason[] }) => [k.start, codesOf(k.reasons)]),
    [
      ['2027-04-07T14:00:00.000Z', ['not_covered_by_agreement']],
      ['2027-04-14T14:00:00.000Z', ['not_covered_by_agreement']],
    ],
  )
  t.match(series.json.skipped[0].reasons[0].detail, 'the agreement allows 2 visits and 2 are booked or held')
  const more = await s.book(limited.caseId, { start: '2027-04-21T16:00' })
  t.equal(more.status, 409, 'a single visit counts against maxVisits too')
})

t.test('onConflict reject: nothing is booked and every conflicting occurrence is listed', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  // Case a holds room 1 on two of four Wednesdays; on 5 May also counsellor 2.
  t.equal((await s.book(a.caseId, { start: '2027-04-28T09:30' })).status, 201)
  t.equal((await s.book(a.caseId, { start: '2027-05-05T09:30', counsellorIds: [s.counsellor2] })).status, 201)
  const body = { start: '2027-04-21T10:00', rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=4', counsellorIds: [s.counsellor2] }
  const rejected = await s.series(b.caseId, { ...body, onConflict: 'reject' })
  t.equal(rejected.status, 409)
  t.match(rejected.json.detail, /^2 of 4 occurrence\(s\) cannot be booked; nothing was booked\./)
  t.same(
    rejected.json.conflicts.map((c: Reason & { start: string }) => [c.start, c.code]),
    [
      ['2027-04-28T08:00:00.000Z', 'room_busy'],
      ['2027-05-05T08:00:00.000Z', 'room_busy'],
      ['2027-05-05T08:00:00.000Z', 'counsellor_busy'],
    ],
  )
  t.same(await s.visitsOf(b.caseId), [], 'nothing booked')
  const seriesList = await call(app, { method: 'GET', url: `/v1/visits?caseId=${b.caseId}`, token: admin })
  t.same(seriesList.json.items, [])

  // skip: the free ones are booked, each skipped one listed with all its reasons.
  const skipped = await s.series(b.caseId, { ...body, onConflict: 'skip' })
  t.equal(skipped.status, 201, skipped.body)
  t.same(
    skipped.json.visits.map((v: { start: string }) => v.start),
    ['2027-04-21T08:00:00.000Z', '2027-05-12T08:00:00.000Z'],
  )
  t.same(
    skipped.json.skipped.map((k: { start: string; reasons: Reason[] }) => [k.start, codesOf(k.reasons)]),
    [
      ['2027-04-28T08:00:00.000Z', ['room_busy']],
      ['2027-05-05T08:00:00.000Z', ['counsellor_busy', 'room_busy']],
    ],
  )
  t.ok(skipped.json.seriesId)
  t.same(
    (await s.visitsOf(b.caseId)).map((v) => v.start),
    ['2027-04-21T08:00:00.000Z', '2027-05-12T08:00:00.000Z'],
  )
  const series = await call(app, { method: 'GET', url: `/v1/series/${skipped.json.seriesId}`, token: admin })
  t.equal(series.status, 200)
  t.equal(series.json.visits.length, 2)
})

t.test('dryRun: the answer a booking would give, nothing written', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  t.equal((await s.book(a.caseId, { start: '2027-05-26T10:00' })).status, 201)
  const dry = await s.series(b.caseId, { start: '2027-05-19T10:00', rrule: 'FREQ=WEEKLY;COUNT=3', onConflict: 'skip', dryRun: true })
  t.equal(dry.status, 200, dry.body)
  t.equal(dry.json.dryRun, true)
  t.equal(dry.json.seriesId, null)
  t.same(
    dry.json.visits.map((v: { id: null; start: string; arrivals: unknown[] }) => [v.id, v.start, v.arrivals.length]),
    [
      [null, '2027-05-19T08:00:00.000Z', 2],
      [null, '2027-06-02T08:00:00.000Z', 2],
    ],
  )
  t.same(
    dry.json.skipped.map((k: { reasons: Reason[] }) => codesOf(k.reasons)),
    [['counsellor_busy', 'room_busy']],
  )
  t.same(await s.visitsOf(b.caseId), [], 'no visit written')
  const again = await s.series(b.caseId, { start: '2027-05-19T10:00', rrule: 'FREQ=WEEKLY;COUNT=3', onConflict: 'skip' })
  t.equal(again.status, 201, 'no reservation was left behind by the dry run')
  t.equal(again.json.visits.length, 2)
  const dryReject = await s.series(b.caseId, { start: '2027-06-09T10:00', rrule: 'FREQ=WEEKLY;COUNT=2', dryRun: true })
  t.equal(dryReject.status, 200, 'reject without conflicts')
  t.equal(dryReject.json.visits.length, 2)
})

/** A third counsellor with the demo working hours. */
async function createCounsellor() {
  const hours = { from: '09:00', to: '20:00' }
  const response = await call(app, {
    method: 'POST',
    url: '/v1/counsellors',
    token: admin,
    body: {
      name: 'Extra',
      workingHours: { mon: [hours], tue: [hours], wed: [hours], thu: [hours], fri: [hours] },
    },
  })
  if (response.status !== 201) throw new Error(response.body)
  return response.json.id as string
}
