/**
 * Help is temporary and exceptional: past the centre's longest trajectory or number of
 * extensions only an admin extends, with a recorded exceptional reason; staff see which cases end
 * soon (`endingWithin`) and when each case's next evaluation is due.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { acceptedCase, buildTestApp, call, completeIntake } from '../helpers/app.js'

// Activation on 2027-03-01 puts the planned end (6 months) on 2027-09-01.
const clock = fixedClock(new Date('2027-03-01T09:00:00Z'))
const ctx = await buildTestApp(t, { clock })
const { app, centre } = ctx
const admin = centre.adminToken

async function activeCase() {
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
  if (activated.status !== 200) throw new Error(activated.body)
  return c
}

t.test('an extension past the longest trajectory is refused unless an admin gives an exceptional reason', async (t) => {
  const c = await activeCase()
  const url = `/v1/cases/${c.caseId}/extend`
  const body = { plannedEndDate: '2028-04-01', explanation: 'Hearing postponed.' }
  const refused = await call(app, { method: 'POST', url, token: c.staff, body })
  t.equal(refused.status, 409)
  t.match(refused.json, {
    type: 'urn:bezoekruimte:problem:extension-beyond-limits',
    detail: /exceptional: it would run past 2028-03-01, 12 months after activation .*An admin may still extend/,
    limits: [/2028-03-01/],
  })
  const byStaff = await call(app, { method: 'POST', url, token: c.staff, body: { ...body, exceptionalReason: 'The court asked.' } })
  t.equal(byStaff.status, 403)
  t.match(byStaff.json.detail, /Only an admin/)
  const exceptional = await call(app, { method: 'POST', url, token: admin, body: { ...body, exceptionalReason: 'The court asked for two more months.' } })
  t.equal(exceptional.status, 200, exceptional.body)
  t.equal(exceptional.json.plannedEndDate, '2028-04-01')
  const events = (await call(app, { url: `/v1/cases/${c.caseId}/events`, token: admin })).json.items
  t.match(events.at(-1), {
    type: 'extended',
    data: { exceptional: true, exceptionalReason: 'The court asked for two more months.', plannedEndDate: '2028-04-01' },
  })
  const byClerk = (await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })).json.items
  t.notOk(JSON.stringify(byClerk).includes('The court asked'), 'the exceptional reason is internal')
})

t.test('with the default settings the first two extensions within a year are ordinary, the third exceptional', async (t) => {
  const c = await activeCase() // planned end 2027-09-01, longest trajectory until 2028-03-01
  const extend = (plannedEndDate: string) =>
    call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/extend`, token: c.staff, body: { plannedEndDate, explanation: 'Hearing moved.' } })
  t.equal((await extend('2027-10-01')).status, 200, 'the first')
  t.equal((await extend('2027-12-01')).status, 200, 'the second')
  const third = await extend('2028-01-01')
  t.equal(third.status, 409, 'the third needs an exceptional reason')
  t.match(third.json.detail, /extended 2 times already \(the centre allows 2\)/)
})

t.test('each extension issues a report to the court, with its court note and the planned end before and after', async (t) => {
  const c = await activeCase()
  const extended = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/extend`,
    token: c.staff,
    body: { plannedEndDate: '2027-11-01', explanation: 'INTERNAL: the mother asked.', courtNote: 'The supervision continues until the hearing.' },
  })
  t.equal(extended.status, 200, extended.body)
  const feed = (await call(app, { url: '/v1/reports?limit=200', token: c.clerk })).json.items as { id: string; kind: string; caseId: string }[]
  const report = feed.find((r) => r.kind === 'extension' && r.caseId === c.caseId)
  t.ok(report, 'the clerk finds it in the feed')
  if (!report) return
  const read = await call(app, { url: `/v1/reports/${report.id}`, token: c.clerk })
  t.match(read.json, {
    kind: 'extension',
    decision: { courtNote: 'The supervision continues until the hearing.', previousPlannedEndDate: '2027-09-01', plannedEndDate: '2027-11-01' },
  })
  t.notOk(read.body.includes('INTERNAL'), 'never the internal explanation')
  const page = await call(app, { url: `/v1/reports/${report.id}`, token: c.clerk, headers: { accept: 'text/html' } })
  t.match(page.body, /Verslag: verlenging van de begeleiding/)
  t.match(page.body, /Vorige geplande einddatum/)
})

t.test('more extensions than the centre allows are exceptional too', async (t) => {
  await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { maxTrajectoryMonths: 12, maxExtensions: 1 } } })
  t.teardown(() =>
    call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { maxTrajectoryMonths: 12, maxExtensions: 2 } } }),
  )
  const c = await activeCase()
  const url = `/v1/cases/${c.caseId}/extend`
  t.equal(
    (await call(app, { method: 'POST', url, token: c.staff, body: { plannedEndDate: '2027-10-01', explanation: 'Once.' } })).status,
    200,
    'the first is ordinary',
  )
  const second = await call(app, { method: 'POST', url, token: c.staff, body: { plannedEndDate: '2027-11-01', explanation: 'Twice.' } })
  t.equal(second.status, 409)
  t.match(second.json.detail, /extended 1 time already \(the centre allows 1\)/)
})

t.test('endingWithin lists exactly the running cases whose planned end is in the window', async (t) => {
  const soon = await activeCase() // planned end 2027-09-01
  const later = await activeCase()
  await call(app, {
    method: 'POST',
    url: `/v1/cases/${later.caseId}/extend`,
    token: admin,
    body: { plannedEndDate: '2027-12-01', explanation: 'x', exceptionalReason: 'y' },
  })
  const ended = await activeCase()
  await call(app, {
    method: 'POST',
    url: `/v1/cases/${ended.caseId}/end`,
    token: admin,
    body: { reasonCode: 'goal_reached', explanation: 'x', effectiveDate: '2027-03-01' },
  })
  const intake = await acceptedCase(ctx)
  // Seen from 2027-03-01: the window of 184 days reaches 2027-09-01, 183 days does not.
  const ids = async (window: string) =>
    (await call(app, { url: `/v1/cases?endingWithin=${window}&limit=200`, token: admin })).json.items.map((c: { id: string }) => c.id) as string[]
  const within = await ids('184d')
  t.ok(within.includes(soon.caseId), 'ends on the last day of the window')
  t.notOk(within.includes(later.caseId), 'ends after the window')
  t.notOk(within.includes(ended.caseId), 'ended cases are not running')
  t.notOk(within.includes(intake.caseId), 'a case in intake has no planned end')
  t.notOk((await ids('183d')).includes(soon.caseId))
  t.ok((await ids('300d')).includes(later.caseId))
  const bad = await call(app, { url: '/v1/cases?endingWithin=30', token: admin })
  t.equal(bad.status, 400)
  t.match(bad.json, { errors: [{ pointer: '/endingWithin' }] })
})

t.test('each running case shows when its next evaluation is due', async (t) => {
  const c = await activeCase()
  const read = await call(app, { url: `/v1/cases/${c.caseId}`, token: admin })
  t.equal(read.json.evaluationDue, '2027-06-01', 'three months after activation')
  const listed = (await call(app, { url: '/v1/cases?status=active&limit=200', token: admin })).json.items.find((x: { id: string }) => x.id === c.caseId)
  t.equal(listed.evaluationDue, '2027-06-01')
  const intake = await acceptedCase(ctx)
  t.equal((await call(app, { url: `/v1/cases/${intake.caseId}`, token: admin })).json.evaluationDue, null)
  const byClerk = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.clerk })
  t.notOk('evaluationDue' in byClerk.json, "a centre's planning, not part of the referrer view")
})

t.test('a held evaluation clears evaluationDue; a used-up block of visits puts the case on the worklist', async (t) => {
  const c = await activeCase() // activated 2027-03-01; the agreement allows 3 visits
  t.teardown(() => clock.set('2027-03-01T09:00:00Z'))
  const [roomId] = centre.demo.roomIds as [string]
  const [counsellorId] = centre.demo.counsellorIds as [string]
  const book = (body: Record<string, unknown>) =>
    call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/visits`, token: c.staff, body: { roomId, counsellorIds: [counsellorId], ...body } })
  const due = async () => (await call(app, { url: `/v1/cases/${c.caseId}`, token: admin })).json.evaluationDue
  const worklist = async (window: string) =>
    (await call(app, { url: `/v1/cases?evaluationDueWithin=${window}&limit=200`, token: admin })).json.items.map((x: { id: string }) => x.id) as string[]
  t.equal(await due(), '2027-06-01')
  t.notOk((await worklist('30d')).includes(c.caseId))

  for (const day of ['06', '13', '20']) t.equal((await book({ kind: 'supervised_visit', start: `2027-03-${day}T10:00`, durationMinutes: 90 })).status, 201)
  t.equal(await due(), '2027-03-20', 'the block is used up on its last visit: evaluate then')
  t.ok((await worklist('30d')).includes(c.caseId), 'on the worklist')
  t.notOk((await worklist('7d')).includes(c.caseId), 'not yet within a week')

  // Both parents at once: an evaluation is not staggered.
  const evaluation = await book({ kind: 'conversation', purpose: 'evaluation', start: '2027-03-22T10:00', durationMinutes: 60 })
  t.equal(evaluation.status, 201, evaluation.body)
  t.ok(evaluation.json.arrivals.every((a: { arriveAt: string }) => a.arriveAt === evaluation.json.start))
  clock.set('2027-03-22T12:00:00Z')
  for (const partyId of [c.visiting, c.residing]) {
    const arrived = await call(app, {
      method: 'POST',
      url: `/v1/visits/${evaluation.json.id}/check-in`,
      token: c.staff,
      body: { partyId, at: '2027-03-22T09:00:00Z' },
    })
    t.equal(arrived.status, 201, arrived.body)
  }
  const held = await call(app, {
    method: 'POST',
    url: `/v1/visits/${evaluation.json.id}/outcome`,
    token: c.staff,
    body: { outcome: 'fulfilled', actualStart: '2027-03-22T09:00:00Z', actualEnd: '2027-03-22T10:00:00Z' },
  })
  t.equal(held.status, 201, held.body)
  t.equal(await due(), '2027-06-22', 'held: the next one is an interval on')
  t.notOk((await worklist('30d')).includes(c.caseId), 'off the worklist')
})
