/**
 * The counsellors' worklist (GET /v1/visits?needsOutcome=true): the visits that have ended by the
 * clock and still have no outcome, a counsellor only its own; and the limits of scope and role on
 * the day's operations.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

t.test('needsOutcome lists exactly the ended visits without an outcome', async (t) => {
  const clock = fixedClock('2026-03-09T07:00:00.000Z')
  const ctx = await buildTestApp(t, { clock })
  const { app, database, centre } = ctx
  const admin = centre.adminToken
  const [counsellor1, counsellor2] = centre.demo.counsellorIds as [string, string]
  const c = await createCase(database, centre)
  const book = async (start: string, counsellor = counsellor1) => {
    const r = await call(app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/visits`,
      token: admin,
      body: { kind: 'supervised_visit', roomId: centre.demo.roomIds[1], counsellorIds: [counsellor], start, durationMinutes: 90 },
    })
    if (r.status !== 201) throw new Error(r.body)
    return r.json.id as string
  }
  const post = (id: string, action: string, body: unknown, token = admin) => call(app, { method: 'POST', url: `/v1/visits/${id}/${action}`, token, body })
  const ended = await book('2026-03-09T10:00') // booked, ended: needs an outcome
  const otherCounsellors = await book('2026-03-09T14:00', counsellor2) // the same, supervised by the other counsellor
  const missed = await book('2026-03-10T09:30') // ended, no-show recorded
  const arrived = await book('2026-03-10T11:45') // checked in, ended at 13:15
  const running = await book('2026-03-10T14:00') // until 15:30: not ended at 15:00
  const tomorrow = await book('2026-03-11T10:00')
  const cancelled = await book('2026-03-12T10:00')
  t.equal((await post(cancelled, 'cancel', { cancelledBy: 'referrer', reasonCode: 'other', explanation: 'Hearing moved.' })).status, 200)

  clock.set('2026-03-10T10:40:00.000Z')
  t.equal((await post(arrived, 'check-in', { partyId: c.visiting })).status, 201)
  const past = await post(ended, 'cancel', { cancelledBy: 'centre', reasonCode: 'other', explanation: 'Forgotten.' })
  t.equal(past.status, 409, 'yesterday’s visit cannot be cancelled')
  t.match(past.json.detail, /^The visit was on 2026-03-09, in the past/)
  t.equal((await post(missed, 'outcome', { outcome: 'noshow', absentPartyIds: [c.residing] })).status, 201)

  clock.set('2026-03-10T14:00:00.000Z')
  const ids = async (token: string) => {
    const r = await call(app, { url: '/v1/visits?needsOutcome=true&limit=50', token })
    t.equal(r.status, 200, r.body)
    return r.json.items.map((v: { id: string }) => v.id)
  }
  t.same(await ids(admin), [ended, otherCounsellors, arrived], 'ended, still booked or arrived, by start')
  const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: counsellor1 })).token
  t.same(await ids(counsellor), [ended, arrived], 'a counsellor’s worklist holds only the visits it supervises')
  const all = await call(app, { url: `/v1/visits?caseId=${c.caseId}&needsOutcome=false&limit=50`, token: admin })
  t.equal(all.json.items.length, 7, 'needsOutcome=false filters nothing')
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  t.equal((await call(app, { url: '/v1/visits?needsOutcome=true', token: clerk })).status, 400, 'not a filter of the referrer view')

  // Planned: the running one and tomorrow's; awaiting an outcome: the three on the worklist.
  const file = await call(app, { url: `/v1/cases/${c.caseId}`, token: admin })
  t.match(file.json.visitCounts, {
    planned: 2,
    needsOutcome: 3,
    noshow: { total: 1, byParty: [{ partyId: c.residing, count: 1 }] },
    cancelled: { total: 1, byReferrer: 1, late: 0 },
  })

  // A counsellor acts only on the visits it supervises; clerks and integrations not at all.
  t.equal((await post(otherCounsellors, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] }, counsellor)).status, 404)
  t.equal((await post(ended, 'outcome', { outcome: 'noshow', absentPartyIds: [c.visiting] }, counsellor)).status, 201, 'its own visit')
  const integration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token
  for (const token of [clerk, integration]) {
    t.equal((await post(tomorrow, 'cancel', { cancelledBy: 'centre', reasonCode: 'other', explanation: 'x' }, token)).status, 403)
    t.equal((await post(running, 'check-in', { partyId: c.visiting }, token)).status, 403)
  }

  // Another centre's visit does not exist for this one.
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true, now: clock.now() })
  const theirs = await createCase(database, other as typeof centre)
  const booked = await call(app, {
    method: 'POST',
    url: `/v1/cases/${theirs.caseId}/visits`,
    token: other.adminToken,
    body: {
      kind: 'supervised_visit',
      roomId: other.demo!.roomIds[0],
      counsellorIds: [other.demo!.counsellorIds[0]],
      start: '2026-03-09T10:00',
      durationMinutes: 90,
      recordedAfterTheFact: true,
    },
  })
  t.equal(booked.status, 201, booked.body)
  for (const [action, body] of [
    ['cancel', { cancelledBy: 'centre', reasonCode: 'other', explanation: 'x' }],
    ['check-in', { partyId: theirs.visiting }],
    ['check-out', { partyId: theirs.visiting }],
    ['outcome', { outcome: 'noshow', absentPartyIds: [theirs.visiting] }],
  ] as const) {
    t.equal((await post(booked.json.id, action, body)).status, 404, `${action} of another centre's visit`)
  }
  t.notOk((await ids(admin)).includes(booked.json.id), 'nor is it on the worklist')
})
