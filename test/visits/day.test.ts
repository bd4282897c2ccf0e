/**
 * One family's visits from the desk to the case file, over HTTP with the clock moved through the
 * weeks: staggered check-ins (the child brought by the residing parent), a fulfilled visit, a
 * no-show and its correction, an interruption, late and timely cancellations, the case's counts and
 * its signals; and the 409s that name the visit's status on the way.
 */
import t from 'tap'
import { utcOf } from '../helpers/wall-clock.js'
import { eq, sql } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { agreements, visitObservations } from '../../src/db/schema.js'
import { buildTestApp, call } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

t.test('a case’s visits, day by day', async (t) => {
  const clock = fixedClock('2026-03-01T08:00:00.000Z')
  const ctx = await buildTestApp(t, { clock })
  const { app, database, centre } = ctx
  const token = centre.adminToken
  const c = await createCase(database, centre)
  await database.db
    .update(agreements)
    .set({ authorisedVisitors: [{ name: 'Maria Janssens', relation: 'grandmother' }] })
    .where(eq(agreements.id, c.agreementId))

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
      rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=7',
      stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 },
    },
  })
  t.equal(series.status, 201, series.body)
  const [v1, v2, v3, v4, v5, v6, v7] = series.json.visits.map((v: { id: string }) => v.id) as string[]
  const post = (visitId: string, action: string, body: unknown) => call(app, { method: 'POST', url: `/v1/visits/${visitId}/${action}`, token, body })
  const visit = async (visitId: string) => (await call(app, { url: `/v1/visits/${visitId}`, token })).json

  // ── 7 March: the whole day of the first visit ──────────────────────────────────────────────
  clock.set('2026-03-07T12:40:00.000Z')
  const early = await post(v1!, 'outcome', { outcome: 'fulfilled', actualStart: '2026-03-07T14:00', actualEnd: '2026-03-07T15:30' })
  t.equal(early.status, 409, 'no outcome before the visit starts')
  t.match(early.json.detail, /^The visit is booked and starts at 2026-03-07T14:00:00\+01:00; an outcome is recorded once it has started/)

  const otherDay = await post(v2!, 'check-in', { partyId: c.visiting })
  t.equal(otherDay.status, 409, 'no check-in on another day')
  t.match(otherDay.json.detail, /^The visit is booked for 2026-03-14; check-in and check-out are recorded from that day on \(today is 2026-03-07\)/)

  clock.set('2026-03-07T12:45:00.000Z')
  const visiting = await post(v1!, 'check-in', { partyId: c.visiting, at: '2026-03-07T13:44' })
  t.equal(visiting.status, 201, visiting.body)
  t.match(visiting.json, { partyId: c.visiting, checkedInAt: '2026-03-07T12:44:00.000Z', checkedOutAt: null, broughtBy: null, visitStatus: 'arrived' })
  t.equal((await visit(v1!)).status, 'arrived', 'the first check-in makes the visit arrived')

  const again = await post(v1!, 'check-in', { partyId: c.visiting })
  t.equal(again.status, 409, 'a second check-in of the same party')
  t.match(again.json.detail, /^The visit is arrived; party \S+ already checked in at 13:44/)

  const stranger = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f99'
  const unknown = await post(v1!, 'check-in', { partyId: stranger })
  t.equal(unknown.status, 409, 'someone who is not a party of the visit')
  t.match(unknown.json.detail, /^The visit is arrived; .* not a party of this visit/)
  const withoutAdult = await post(v1!, 'check-in', { partyId: c.child, broughtBy: { authorisedVisitor: 'Iemand Anders' } })
  t.equal(withoutAdult.status, 409, 'a child brought by someone not authorised')
  const noBroughtBy = await post(v1!, 'check-in', { partyId: c.child })
  t.equal(noBroughtBy.status, 400, 'a child needs broughtBy')
  t.match(noBroughtBy.json.errors, [{ pointer: '/broughtBy' }])
  const incidents = await database.db.select().from(visitObservations).where(eq(visitObservations.visitId, v1!))
  t.equal(incidents.length, 2, 'both refused check-ins are kept as incidents although the answers were 409')
  t.match(incidents, [
    { kind: 'incident', reportable: false, text: 'Aanmelding geweigerd om 13:45: een onbekende persoon is geen partij bij dit bezoek.', caseId: c.caseId },
    {
      kind: 'incident',
      reportable: false,
      text: /^Aanmelding van .+ \(kind\) geweigerd om 13:45: gebracht door "Iemand Anders", geen toegelaten begeleider/,
    },
  ])
  t.notOk(
    incidents.some((i) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(i.text)),
    'in the centre’s words, never an id',
  )
  t.equal(unknown.json.incidentId, incidents[0]!.id, 'the problem names the incident')

  clock.set('2026-03-07T13:01:00.000Z')
  const child = await post(v1!, 'check-in', { partyId: c.child, broughtBy: { partyId: c.residing } })
  t.equal(child.status, 201, child.body)
  t.same(child.json.broughtBy, { partyId: c.residing })
  t.equal(child.json.checkedInAt, '2026-03-07T13:01:00.000Z', 'at defaults to now')
  const residing = await post(v1!, 'check-in', { partyId: c.residing, at: '2026-03-07T13:59' })
  t.equal(residing.status, 201, residing.body)

  clock.set('2026-03-07T14:50:00.000Z')
  const notIn = await post(v1!, 'check-out', { partyId: stranger })
  t.equal(notIn.status, 409, 'no check-out without a check-in')
  const beforeIn = await post(v1!, 'check-out', { partyId: c.residing, at: '2026-03-07T13:50' })
  t.equal(beforeIn.status, 400, 'a check-out before the check-in')
  for (const [partyId, at] of [
    [c.residing, '2026-03-07T15:31'],
    [c.child, '2026-03-07T15:31'],
    [c.visiting, '2026-03-07T15:46'],
  ] as const) {
    const out = await post(v1!, 'check-out', { partyId, at })
    t.equal(out.status, 200, out.body)
    t.equal(out.json.checkedOutAt, utcOf(at))
  }
  t.equal((await post(v1!, 'check-out', { partyId: c.visiting })).status, 409, 'a second check-out')

  const fulfilled = await post(v1!, 'outcome', { outcome: 'fulfilled', actualStart: '2026-03-07T14:02', actualEnd: '2026-03-07T15:30' })
  t.equal(fulfilled.status, 201, fulfilled.body)
  t.match(fulfilled.json, {
    visitId: v1,
    outcome: 'fulfilled',
    actualStart: '2026-03-07T13:02:00.000Z',
    actualEnd: '2026-03-07T14:30:00.000Z',
    supersedes: null,
    recordedAt: '2026-03-07T14:50:00.000Z',
  })
  const held = await visit(v1!)
  t.equal(held.status, 'fulfilled')
  t.equal(held.outcome.id, fulfilled.json.id)
  t.equal(held.outcomeHistory.length, 1)
  t.equal(held.attendances.length, 3, 'three parties came and went')
  const second = await post(v1!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] })
  t.equal(second.status, 409, 'a second first outcome')
  t.match(
    second.json.detail,
    new RegExp(`^The visit is fulfilled: an outcome is already recorded \\(id ${fulfilled.json.id}\\); send supersedes to correct it`),
  )
  const cancelHeld = await post(v1!, 'cancel', { cancelledBy: 'centre', reasonCode: 'other', explanation: 'Too late.' })
  t.equal(cancelHeld.status, 409)
  t.match(cancelHeld.json.detail, /^The visit is fulfilled; only a booked visit can be cancelled/)

  // ── 14 March: the visiting parent does not come; the record is corrected ─────────────────────
  clock.set('2026-03-14T15:00:00.000Z')
  const noshow = await post(v2!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] })
  t.equal(noshow.status, 201, noshow.body)
  t.equal((await visit(v2!)).status, 'noshow')
  const wrong = await post(v2!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting, c.residing], supersedes: fulfilled.json.id })
  t.equal(wrong.status, 409, 'supersedes must name the visit’s current outcome')
  const corrected = await post(v2!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting, c.residing], supersedes: noshow.json.id })
  t.equal(corrected.status, 201, corrected.body)
  const stale = await post(v2!, 'outcome', { outcome: 'fulfilled', actualStart: '2026-03-14T14:00', actualEnd: '2026-03-14T15:30', supersedes: noshow.json.id })
  t.equal(stale.status, 409, 'a superseded outcome cannot be corrected again')
  const history = await visit(v2!)
  t.same(
    history.outcomeHistory.map((o: { id: string; supersedes: string | null }) => [o.id, o.supersedes]),
    [
      [noshow.json.id, null],
      [corrected.json.id, noshow.json.id],
    ],
    'both outcomes are kept, the correction last',
  )
  t.equal(history.outcome.id, corrected.json.id)
  await t.rejects(
    database.db.execute(sql`update visit_outcomes set outcome = 'fulfilled' where id = ${noshow.json.id}`),
    'PostgreSQL refuses to rewrite an outcome',
  )

  // ── 21 March: the grandmother brings the child, who refuses after twenty minutes ─────────────
  clock.set('2026-03-21T12:50:00.000Z')
  t.equal((await post(v3!, 'check-in', { partyId: c.visiting })).status, 201)
  const grandmother = await post(v3!, 'check-in', { partyId: c.child, broughtBy: { authorisedVisitor: ' maria  janssens' } })
  t.equal(grandmother.status, 201, grandmother.body)
  t.same(grandmother.json.broughtBy, { authorisedVisitor: 'Maria Janssens' }, 'the agreement’s spelling of an authorised visitor')
  clock.set('2026-03-21T13:30:00.000Z')
  const badReason = await post(v3!, 'outcome', { outcome: 'interrupted', reasonCode: 'no_capacity', explanation: 'x', at: '2026-03-21T14:20' })
  t.equal(badReason.status, 400, 'a refusal reason is no reason to interrupt')
  const foreignField = await post(v3!, 'outcome', {
    outcome: 'interrupted',
    reasonCode: 'child_refuses',
    explanation: 'x',
    at: '2026-03-21T14:20',
    absentPartyIds: [c.child],
  })
  t.equal(foreignField.status, 400)
  t.match(foreignField.json.errors, [{ pointer: '/absentPartyIds', detail: 'does not apply to a interrupted outcome' }])
  const missing = await post(v3!, 'outcome', { outcome: 'interrupted', reasonCode: 'child_refuses' })
  t.equal(missing.status, 400)
  t.same(missing.json.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/at', '/explanation'], 'exactly the missing fields are named')
  const interrupted = await post(v3!, 'outcome', {
    outcome: 'interrupted',
    reasonCode: 'child_refuses',
    explanation: 'The child cried and asked to go home.',
    at: '2026-03-21T14:20',
  })
  t.equal(interrupted.status, 201, interrupted.body)
  t.match(interrupted.json, { outcome: 'interrupted', reasonCode: 'child_refuses', at: '2026-03-21T13:20:00.000Z' })

  // ── 28 March and 4 April: the visiting parent stays away twice in a row ──────────────────────
  clock.set('2026-03-28T15:00:00.000Z')
  t.equal((await post(v4!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] })).status, 201)
  let file = await call(app, { url: `/v1/cases/${c.caseId}`, token })
  t.same(file.json.signals, [], 'one absence after an attended visit is no signal yet')
  clock.set('2026-04-04T14:00:00.000Z')
  t.equal((await post(v5!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] })).status, 201)

  // ── 10 April: the residing parent cancels the next two visits ───────────────────────────────
  clock.set('2026-04-10T18:00:00.000Z')
  const late = await post(v6!, 'cancel', { cancelledBy: 'residing_party', reasonCode: 'illness', explanation: 'The child has a fever.' })
  t.equal(late.status, 200, late.body)
  t.match(late.json, { id: v6, status: 'cancelled', cancelledBy: 'residing_party', late: true, cancelledLate: true, reasonCode: 'illness' })
  const timely = await post(v7!, 'cancel', { cancelledBy: 'residing_party', reasonCode: 'child_refuses', explanation: 'She does not want to go.' })
  t.equal(timely.status, 200, timely.body)
  t.match(
    timely.json,
    { status: 'cancelled', late: false, reasonCode: 'child_refuses', cancelledByPartyId: c.residing },
    'the adult who was to bring the child',
  )
  const unknownReason = await post(v7!, 'cancel', { cancelledBy: 'residing_party', reasonCode: 'nonsense', explanation: 'x' })
  t.equal(unknownReason.status, 409, 'a cancelled visit is not cancelled again')
  const afterCancel = await post(v6!, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] })
  t.equal(afterCancel.status, 409)
  t.match(afterCancel.json.detail, /^The visit is cancelled; it has no outcome to record/)

  file = await call(app, { url: `/v1/cases/${c.caseId}`, token })
  t.equal(file.status, 200, file.body)
  t.same(file.json.visitCounts, {
    planned: 0,
    needsOutcome: 0,
    fulfilled: 1,
    interrupted: 1,
    noshow: {
      total: 3,
      byParty: [
        { partyId: c.visiting, count: 3 },
        { partyId: c.residing, count: 1 },
      ].sort((a, b) => a.partyId.localeCompare(b.partyId)),
    },
    cancelled: { total: 2, late: 1, byVisitingParty: 0, byResidingParty: 2, childRefuses: 1, byCentre: 0, byReferrer: 0 },
  })
  t.same(file.json.signals, [
    { code: 'consecutive_absences', partyId: c.visiting, count: 2 },
    { code: 'child_refusals', count: 2 },
  ])
  const clerkView = await call(app, { url: `/v1/visits/${v6}`, token })
  t.equal(clerkView.json.cancelledLate, true)
})
