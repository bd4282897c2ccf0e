/** PATCH /v1/visits/{id} (If-Match, moves, conflicts) and DELETE /v1/series/{id}?from= over HTTP. */
import t from 'tap'
import { buildTestApp, call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { codesOf, scheduling, useShortWeekend } from './fixtures.js'

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const s = scheduling(ctx)
// The demo is open every day; these tests need a closed Sunday and a short Saturday.
await useShortWeekend(ctx)
const admin = centre.adminToken
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  call(app, { method: 'PATCH', url: `/v1/visits/${id}`, token: admin, body, headers })
const read = (id: string) => call(app, { method: 'GET', url: `/v1/visits/${id}`, token: admin })

t.test('PATCH: If-Match is required and must be current', async (t) => {
  const a = await createCase(database, centre)
  const booked = await s.book(a.caseId, { start: '2027-03-01T10:00' })
  t.equal(booked.status, 201)
  t.equal(booked.headers.etag, '"1"')
  const got = await read(booked.json.id)
  t.equal(got.headers.etag, '"1"')

  const none = await patch(booked.json.id, { start: '2027-03-01T14:00' })
  t.equal(none.status, 428)
  t.equal(none.json.type, 'urn:bezoekruimte:problem:precondition-required')
  const stale = await patch(booked.json.id, { start: '2027-03-01T14:00' }, { 'if-match': '"0"' })
  t.equal(stale.status, 412)
  t.equal(stale.json.currentVersion, 1)
  t.equal(stale.headers.etag, '"1"')

  const moved = await patch(booked.json.id, { start: '2027-03-01T14:00' }, { 'if-match': got.headers.etag as string })
  t.equal(moved.status, 200, moved.body)
  t.equal(moved.headers.etag, '"2"')
  t.equal(moved.json.version, 2)
  t.equal(moved.json.start, '2027-03-01T13:00:00.000Z')
  t.same(
    moved.json.arrivals.map((a: { arriveAt: string }) => a.arriveAt).sort(),
    ['2027-03-01T12:45:00.000Z', '2027-03-01T13:00:00.000Z'],
    'the staggering moves along',
  )

  const again = await patch(booked.json.id, { start: '2027-03-01T15:00' }, { 'if-match': '"1"' })
  t.equal(again.status, 412, 'the ETag read before the move is stale now')
  t.equal((await read(booked.json.id)).json.start, '2027-03-01T13:00:00.000Z')
  t.equal((await patch(booked.json.id, { durationMinutes: 60 }, { 'if-match': 'W/"2"' })).status, 200, 'a weak ETag matches too')
})

t.test('PATCH: a move frees the old slot; a move into a conflict changes nothing', async (t) => {
  const [a, b, c] = [await createCase(database, centre), await createCase(database, centre), await createCase(database, centre)]
  const visit = await s.book(a.caseId, { start: '2027-03-02T10:00' })
  const moved = await patch(visit.json.id, { start: '2027-03-02T14:00' }, { 'if-match': '"1"' })
  t.equal(moved.status, 200, moved.body)
  const taker = await s.book(b.caseId, { start: '2027-03-02T10:00' })
  t.equal(taker.status, 201, 'another case books the freed slot')

  const clash = await patch(visit.json.id, { start: '2027-03-02T10:30' }, { 'if-match': '"2"' })
  t.equal(clash.status, 409)
  t.same(codesOf(clash.json.conflicts), ['counsellor_busy', 'room_busy'])
  t.same(
    clash.json.conflicts.map((x: { visitId: string }) => x.visitId),
    [taker.json.id, taker.json.id],
  )
  t.equal(clash.json.conflicts[0].start, '2027-03-02T09:30:00.000Z')
  const after = await read(visit.json.id)
  t.same([after.json.start, after.json.version, after.headers.etag], ['2027-03-02T13:00:00.000Z', 2, '"2"'], 'nothing changed')
  const blocked = await s.book(c.caseId, { start: '2027-03-02T14:00' })
  t.equal(blocked.status, 409, 'the visit still holds its own slot')
  t.same(
    blocked.json.conflicts.map((x: { visitId: string }) => x.visitId),
    [visit.json.id, visit.json.id],
  )

  const closed = await patch(visit.json.id, { start: '2027-03-07T12:00' }, { 'if-match': '"2"' })
  t.equal(closed.status, 409, 'every rule applies to a move (Sunday: the counsellor does not work)')
  t.same(codesOf(closed.json.conflicts), ['counsellor_absent'])

  const otherRoom = await patch(visit.json.id, { roomId: s.room2, counsellorIds: [s.counsellor2], start: '2027-03-02T10:00' }, { 'if-match': '"2"' })
  t.equal(otherRoom.status, 200, 'room 2 has a second place and counsellor 2 is free')
  t.same([otherRoom.json.roomId, otherRoom.json.counsellorIds], [s.room2, [s.counsellor2]])
  t.equal((await s.book(c.caseId, { start: '2027-03-02T14:00' })).status, 201, 'the 14:00 slot in room 1 is free again')

  const cancelledSeries = await s.series(c.caseId, { start: '2027-03-03T10:00', rrule: 'FREQ=DAILY;COUNT=1' })
  await call(app, { method: 'DELETE', url: `/v1/series/${cancelledSeries.json.seriesId}?from=2027-03-01`, token: admin })
  const notBooked = await patch(cancelledSeries.json.visits[0].id, { start: '2027-03-03T12:00' }, { 'if-match': '"2"' })
  t.equal(notBooked.status, 409)
  t.equal(notBooked.json.currentStatus, 'cancelled')
  t.equal((await patch('01a00000-0000-7000-8000-000000000000', { start: '2027-03-03T12:00' }, { 'if-match': '"1"' })).status, 404)
})

t.test('DELETE /v1/series/{id}?from=: cancels the booked visits from then on, frees them, idempotent', async (t) => {
  const [a, b] = [await createCase(database, centre), await createCase(database, centre)]
  const series = await s.series(a.caseId, { start: '2027-04-07T10:00', rrule: 'FREQ=WEEKLY;COUNT=4' })
  t.equal(series.status, 201, series.body)
  const ids = series.json.visits.map((v: { id: string }) => v.id)

  const ended = await call(app, {
    method: 'DELETE',
    url: `/v1/series/${series.json.seriesId}?from=2027-04-14&reasonCode=counsellor_unavailable&explanation=${encodeURIComponent('The counsellor leaves.')}`,
    token: admin,
  })
  t.equal(ended.status, 200, ended.body)
  t.same(ended.json, { seriesId: series.json.seriesId, endedFrom: '2027-04-13T22:00:00.000Z', cancelled: ids.slice(1) })
  const read = await call(app, { method: 'GET', url: `/v1/series/${series.json.seriesId}`, token: admin })
  t.same(
    read.json.visits.map((v: { status: string; cancelReasonCode: string | null; cancelledBy: string | null }) => [v.status, v.cancelReasonCode, v.cancelledBy]),
    [
      ['booked', null, null],
      ['cancelled', 'counsellor_unavailable', 'centre'],
      ['cancelled', 'counsellor_unavailable', 'centre'],
      ['cancelled', 'counsellor_unavailable', 'centre'],
    ],
  )
  t.equal(Date.parse(read.json.endedFrom), Date.parse('2027-04-13T22:00:00.000Z'))
  t.equal(read.json.visits[1].cancelExplanation, 'The counsellor leaves.')

  const repeat = await call(app, {
    method: 'DELETE',
    url: `/v1/series/${series.json.seriesId}?from=2027-04-14&reasonCode=counsellor_unavailable`,
    token: admin,
  })
  t.equal(repeat.status, 200)
  t.same(repeat.json.cancelled, [], 'nothing more to cancel')

  const taken = await s.book(b.caseId, { start: '2027-04-21T10:00' })
  t.equal(taken.status, 201, 'another case books a freed slot')
  t.equal((await s.book(b.caseId, { start: '2027-04-07T10:00' })).status, 409, 'the visit before `from` keeps its reservations')

  const badReason = await call(app, { method: 'DELETE', url: `/v1/series/${series.json.seriesId}?from=2027-04-14&reasonCode=goal_reached`, token: admin })
  t.equal(badReason.status, 400, 'only a cancellation reason')
  t.match(badReason.json.errors, [{ pointer: '/reasonCode' }])
  t.equal((await call(app, { method: 'DELETE', url: `/v1/series/${series.json.seriesId}?from=2027-02-30`, token: admin })).status, 400)
  t.equal((await call(app, { method: 'DELETE', url: '/v1/series/01a00000-0000-7000-8000-000000000000', token: admin })).status, 404)
})
