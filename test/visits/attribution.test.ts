/**
 * Acts are attributed to adults: a child never cancels or fails to come. The adult who was to bring
 * the child cancels (reason child_refuses) or is the one absent; the API refuses a child in either
 * place, and no report, day sheet or statistics row names a child as the one who acted.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { buildTestApp, call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

t.test('cancellations and no-shows name adults only', async (t) => {
  const clock = fixedClock('2026-03-01T08:00:00.000Z')
  const ctx = await buildTestApp(t, { clock })
  const { app, database, centre } = ctx
  const token = centre.adminToken
  const c = await createCase(database, centre)
  const series = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/series`,
    token,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[0],
      counsellorIds: [centre.demo.counsellorIds[0]],
      start: '2026-03-07T14:00',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4',
    },
  })
  t.equal(series.status, 201, series.body)
  const [v1, v2, v3] = series.json.visits.map((v: { id: string }) => v.id) as string[]
  const post = (visitId: string, action: string, body: unknown) => call(app, { method: 'POST', url: `/v1/visits/${visitId}/${action}`, token, body })
  const cancel = (body: Record<string, unknown>) => post(v1!, 'cancel', { reasonCode: 'child_refuses', explanation: 'She does not want to go.', ...body })

  const byChild = await cancel({ cancelledBy: 'child' })
  t.equal(byChild.status, 400, 'the child is not a side that cancels')
  t.match(byChild.json.errors, [{ pointer: '/cancelledBy' }])
  t.match(byChild.json.errors[0].detail, /visiting_party.*residing_party.*centre.*referrer/, 'the detail names the allowed sides')
  t.notMatch(byChild.json.errors[0].detail, /child/)

  const childNamed = await cancel({ cancelledBy: 'residing_party', cancelledByPartyId: c.child })
  t.equal(childNamed.status, 400, 'a child named as the one who cancelled')
  t.match(childNamed.json.errors, [{ pointer: '/cancelledByPartyId', detail: /is a child: a child never cancels/ }])

  const wrongSide = await cancel({ cancelledBy: 'residing_party', cancelledByPartyId: c.visiting })
  t.equal(wrongSide.status, 400)
  t.match(wrongSide.json.errors, [{ pointer: '/cancelledByPartyId', detail: /visiting side, not the side that cancelled/ }])

  const centreNamesParty = await cancel({ cancelledBy: 'centre', cancelledByPartyId: c.residing })
  t.equal(centreNamesParty.status, 400, 'the centre calling off a visit names no party')

  const inferred = await cancel({ cancelledBy: 'residing_party' })
  t.equal(inferred.status, 200, inferred.body)
  t.match(inferred.json, { status: 'cancelled', cancelledBy: 'residing_party', cancelledByPartyId: c.residing, reasonCode: 'child_refuses' })

  const named = await post(v2!, 'cancel', { cancelledBy: 'visiting_party', cancelledByPartyId: c.visiting, reasonCode: 'illness', explanation: 'Flu.' })
  t.equal(named.status, 200, named.body)
  t.equal(named.json.cancelledByPartyId, c.visiting)

  clock.set('2026-03-21T15:00:00.000Z')
  const childAbsent = await post(v3!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting, c.child] })
  t.equal(childAbsent.status, 400, 'a child is never the one absent')
  t.match(childAbsent.json.errors, [{ pointer: '/absentPartyIds/1', detail: /is a child/ }])
  const residingAbsent = await post(v3!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.residing] })
  t.equal(residingAbsent.status, 201, 'the adult who was to bring the child is absent')

  // Nothing a person reads names the child as the actor.
  const report = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/reports`, token, body: { kind: 'progress', from: '2026-03-01' } })
  t.equal(report.status, 201, report.body)
  const counts = report.json.visits
  t.same(Object.keys(counts.cancelled.by).sort(), ['centre', 'referrer', 'residing_party', 'visiting_party'])
  t.match(counts.cancelled, { total: 2, by: { residing_party: 1, visiting_party: 1 } })
  t.same(counts.noShow.byParty, [{ role: 'residing_parent', visits: 1 }])

  const stats = await call(app, { url: '/v1/statistics?from=2026-03-01&to=2026-03-31', token })
  t.equal(stats.status, 200, stats.body)
  const figures = stats.json.groups[0].figures
  t.notOk('child' in figures.visitsCancelled.byCancelledBy, 'no child among who cancelled')
  t.notOk('child' in figures.visitsNoShow.byPartyRole, 'no child among the absent')
  const csv = await call(app, { url: '/v1/statistics?from=2026-03-01&to=2026-03-31', token, headers: { accept: 'text/csv' } })
  t.equal(csv.status, 200)
  t.notMatch(csv.body, /(cancelledBy|partyRole)[^\n]*,child,/, 'nor in the CSV')

  const file = await call(app, { url: `/v1/cases/${c.caseId}`, token })
  t.match(file.json.visitCounts.cancelled, { byResidingParty: 1, byVisitingParty: 1, childRefuses: 1 })
})
