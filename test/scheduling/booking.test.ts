import t from 'tap'
import { buildTestApp, call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

t.test('a weekly series is booked with staggered arrivals, DST-correct', async (t) => {
  const { app, database, centre } = await buildTestApp(t)
  const c = await createCase(database, centre)
  const response = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/series`, token: centre.adminToken, body: {
    kind: 'supervised_visit', roomId: centre.demo.roomIds[0], counsellorIds: [centre.demo.counsellorIds[0]],
    start: '2026-03-21T10:00', durationMinutes: 90, rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=3',
  } })
  t.equal(response.status, 201, response.body)
  t.same(response.json.visits.map((v: { start: string }) => v.start), ['2026-03-21T10:00:00+01:00', '2026-03-28T10:00:00+01:00', '2026-04-04T10:00:00+02:00'])
  const first = response.json.visits[0]
  t.same(first.arrivals.find((a: { partyId: string }) => a.partyId === c.visiting), { partyId: c.visiting, arriveAt: '2026-03-21T09:45:00+01:00', leaveAt: '2026-03-21T11:45:00+01:00' })
  t.same(first.arrivals.find((a: { partyId: string }) => a.partyId === c.residing), { partyId: c.residing, arriveAt: '2026-03-21T10:00:00+01:00', leaveAt: '2026-03-21T11:30:00+01:00' })

  const again = await call(app, { method: 'POST', url: `/v1/cases/${(await createCase(database, centre)).caseId}/visits`, token: centre.adminToken, body: {
    kind: 'supervised_visit', roomId: centre.demo.roomIds[0], counsellorIds: [centre.demo.counsellorIds[1]], start: '2026-03-28T10:30', durationMinutes: 60,
  } })
  t.equal(again.status, 409, again.body)
  t.match(again.json.conflicts, [{ code: 'room_busy', resourceKind: 'room', resourceId: centre.demo.roomIds[0], visitId: response.json.visits[1].id }])

  const unsigned = await createCase(database, centre, { signed: false })
  const gated = await call(app, { method: 'POST', url: `/v1/cases/${unsigned.caseId}/visits`, token: centre.adminToken, body: {
    kind: 'supervised_visit', roomId: centre.demo.roomIds[1], counsellorIds: [centre.demo.counsellorIds[1]], start: '2026-03-28T10:30', durationMinutes: 60,
  } })
  t.equal(gated.status, 409)
  t.ok(gated.json.missing.length >= 6, JSON.stringify(gated.json.missing))
})
