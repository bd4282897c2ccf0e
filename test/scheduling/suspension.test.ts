/**
 * Suspension and ending over HTTP (POST /v1/cases/{id}/suspend, /resume, /end): booked visits inside
 * a suspension are cancelled (case_suspended) and their reservations freed, new ones there are
 * refused; ending cancels every future visit (case_ended) and nothing more can be booked.
 */
import t from 'tap'
import { buildTestApp, call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { codesOf, scheduling } from './fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)
const admin = centre.adminToken
const transition = (caseId: string, action: string, body: unknown) => call(app, { method: 'POST', url: `/v1/cases/${caseId}/${action}`, token: admin, body })

t.test('a suspension cancels the visits inside it, frees them and blocks new ones there', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const series = await s.series(a.caseId, { start: '2027-03-03T10:00', rrule: 'FREQ=WEEKLY;COUNT=6' })
  t.equal(series.status, 201, series.body)
  const outside = await s.book(a.caseId, { start: '2027-03-20T10:00', kind: 'supervised_handover', durationMinutes: 15 })
  t.equal(outside.status, 201, outside.body)

  const suspended = await transition(a.caseId, 'suspend', {
    reasonCode: 'safety_concern',
    explanation: 'Incident in the waiting room.',
    from: '2027-03-17',
    until: '2027-04-07',
  })
  t.equal(suspended.status, 200, suspended.body)
  t.match(suspended.json, { status: 'active', suspension: { scheduled: { from: '2027-03-17' } } }, 'decided ahead: active until from')

  const visits = await s.visitsOf(a.caseId)
  t.same(
    visits.map((v) => [v.start, v.status, v.cancelReasonCode]),
    [
      ['2027-03-03T09:00:00.000Z', 'booked', null],
      ['2027-03-10T09:00:00.000Z', 'booked', null],
      ['2027-03-17T09:00:00.000Z', 'cancelled', 'case_suspended'],
      ['2027-03-20T09:00:00.000Z', 'cancelled', 'case_suspended'],
      ['2027-03-24T09:00:00.000Z', 'cancelled', 'case_suspended'],
      ['2027-03-31T08:00:00.000Z', 'cancelled', 'case_suspended'],
      ['2027-04-07T08:00:00.000Z', 'booked', null], // `until` is the first day visits take place again
    ],
  )
  t.ok(
    visits.filter((v) => v.status === 'cancelled').every((v) => v.version === 2),
    'each cancellation bumps the ETag',
  )
  t.ok(
    (visits as { status: string; cancelExplanation?: string | null }[])
      .filter((v) => v.status === 'cancelled')
      .every((v) => v.cancelExplanation === 'De begeleiding is opgeschort van 2027-03-17 tot 2027-04-07.'),
    'the service writes why, in the centre’s language',
  )

  // The freed slot is another case's to take.
  const taken = await s.book(b.caseId, { start: '2027-03-24T10:00' })
  t.equal(taken.status, 201, taken.body)

  // Nothing is booked inside the suspension, even in a free room; outside it the case books again.
  const inside = await s.book(a.caseId, { start: '2027-03-25T10:00', roomId: s.room2, counsellorIds: [s.counsellor2] })
  t.equal(inside.status, 409)
  t.match(inside.json.conflicts, [{ code: 'case_suspended', detail: 'the case is suspended from 2027-03-17 until 2027-04-07' }])
  t.same(codesOf(inside.json.conflicts), ['case_suspended'])
  t.equal((await s.book(a.caseId, { start: '2027-04-08T10:00' })).status, 201, 'after the suspension')

  const skipping = await s.series(a.caseId, {
    start: '2027-04-01T14:00',
    rrule: 'FREQ=DAILY;COUNT=8;BYDAY=MO,TU,WE,TH,FR',
    onConflict: 'skip',
    counsellorIds: [s.counsellor2],
  })
  t.equal(skipping.status, 201)
  t.same(
    skipping.json.skipped.map((k: { start: string; reasons: { code: string }[] }) => [k.start, codesOf(k.reasons)]),
    [
      ['2027-04-01T12:00:00.000Z', ['case_suspended']],
      ['2027-04-02T12:00:00.000Z', ['case_suspended']],
      ['2027-04-05T12:00:00.000Z', ['case_suspended']],
      ['2027-04-06T12:00:00.000Z', ['case_suspended']],
    ],
  )
  t.same(
    skipping.json.visits.map((v: { start: string }) => v.start.slice(0, 10)),
    ['2027-04-07', '2027-04-08', '2027-04-09', '2027-04-12'],
  )

  // An open-ended suspension, then resumed: from the day of resumption visits can be booked again.
  const c = await createCase(database, centre)
  t.equal((await s.book(c.caseId, { start: '2027-05-04T10:00', roomId: s.room2, counsellorIds: [s.counsellor2] })).status, 201)
  const open = await transition(c.caseId, 'suspend', { reasonCode: 'illness', explanation: 'Parent in hospital.', from: '2027-05-01' })
  t.equal(open.status, 200, open.body)
  t.same(
    (await s.visitsOf(c.caseId)).map((v) => v.status),
    ['cancelled'],
  )
  const refused = await s.book(c.caseId, { start: '2027-09-01T10:00' })
  t.match(refused.json.conflicts, [{ code: 'case_suspended', detail: 'the case is suspended from 2027-05-01' }])
})

t.test('ending cancels every future visit and closes the case to bookings', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const series = await s.series(a.caseId, { start: '2027-06-02T10:00', rrule: 'FREQ=WEEKLY;COUNT=3' })
  t.equal(series.status, 201, series.body)
  const talk = await s.book(a.caseId, { kind: 'conversation', purpose: 'intake', partyIds: [a.visiting], start: '2027-06-03T10:00', durationMinutes: 60 })
  t.equal(talk.status, 201, talk.body)

  const ended = await transition(a.caseId, 'end', {
    reasonCode: 'goal_reached',
    explanation: 'The parents arrange contact themselves now.',
    effectiveDate: '2027-05-31',
  })
  t.equal(ended.status, 200, ended.body)
  t.equal(ended.json.status, 'ended')
  t.same(
    (await s.visitsOf(a.caseId)).map((v) => [v.status, v.cancelReasonCode]),
    [
      ['cancelled', 'case_ended'],
      ['cancelled', 'case_ended'],
      ['cancelled', 'case_ended'],
      ['cancelled', 'case_ended'],
    ],
  )
  t.equal((await s.book(b.caseId, { start: '2027-06-09T10:00' })).status, 201, 'its reservations are free')

  const closed = await s.book(a.caseId, { start: '2027-06-10T10:00' })
  t.equal(closed.status, 409)
  t.equal(closed.json.type, 'urn:bezoekruimte:problem:case-ended')
  const noTalk = await s.book(a.caseId, { kind: 'conversation', purpose: 'intake', partyIds: [a.visiting], start: '2027-06-10T10:00', durationMinutes: 60 })
  t.equal(noTalk.status, 409, 'not even a conversation')
  const dry = await s.series(a.caseId, { start: '2027-06-16T10:00', rrule: 'FREQ=WEEKLY;COUNT=2', dryRun: true })
  t.equal(dry.status, 409, 'nor a dry run')
})

t.test('a suspension dated back leaves visits already past alone and cancels the ones to come', async (t) => {
  const c = await createCase(database, centre)
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  // The nearest past and future days the site is open and no holiday falls on.
  // A past visit is booked by the admin as recorded after the fact (a start in the past is refused otherwise).
  const bookFirstFree = async (offsets: number[]) => {
    for (const offset of offsets) {
      const afterTheFact = offset < 0 ? { recordedAfterTheFact: true } : {}
      const response = await s.book(c.caseId, { start: `${day(offset)}T14:00`, roomId: s.room2, counsellorIds: [s.counsellor2], ...afterTheFact })
      if (response.status === 201) return response.json
    }
    throw new Error('no bookable day found')
  }
  const past = await bookFirstFree([-3, -4, -5, -6, -7, -8, -9])
  const future = await bookFirstFree([5, 6, 7, 8, 9, 10, 11])

  const suspended = await transition(c.caseId, 'suspend', { reasonCode: 'illness', explanation: 'Recorded late.', from: day(-14), until: day(30) })
  t.equal(suspended.status, 200, suspended.body)
  t.same(suspended.json.status, 'suspended')
  const byId = new Map((await s.visitsOf(c.caseId)).map((v) => [v.id, v]))
  t.equal(byId.get(past.id)?.status, 'booked', 'the past visit is history, not cancelled')
  t.equal(byId.get(future.id)?.status, 'cancelled')
  t.equal(byId.get(future.id)?.cancelReasonCode, 'case_suspended')
})
