/**
 * Correcting the day (issue 25): an attendance corrected after the day keeps its original; who picked
 * a child up, a partly attended visit and a no-show's notice are stored and shown; a start in the past
 * is refused unless an admin records the visit after the fact; a visit entered in error leaves the
 * statistics, the reports and the worklist, and frees its reservations.
 */
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { rawRows } from '../../src/db/client.js'
import { agreements, auditEvents, reservations } from '../../src/db/schema.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

t.test('correcting the day', async (t) => {
  const clock = fixedClock('2026-03-01T08:00:00.000Z')
  const ctx = await buildTestApp(t, { clock })
  const { app, database, centre } = ctx
  const admin = centre.adminToken
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
  const c = await createCase(database, centre)
  await database.db
    .update(agreements)
    .set({ authorisedVisitors: [{ name: 'Maria Janssens', relation: 'grandmother' }] })
    .where(eq(agreements.id, c.agreementId))

  const visitBody = { kind: 'supervised_visit', roomId: centre.demo.roomIds[0], counsellorIds: [centre.demo.counsellorIds[0]], durationMinutes: 90 }
  const book = (start: string, token = admin, extra: Record<string, unknown> = {}) =>
    call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/visits`, token, body: { ...visitBody, start, ...extra } })
  const post = (visitId: string, action: string, body: unknown, token = admin) =>
    call(app, { method: 'POST', url: `/v1/visits/${visitId}/${action}`, token, body })
  const correct = (visitId: string, attendanceId: string, body: unknown, token = staff) =>
    call(app, { method: 'PATCH', url: `/v1/visits/${visitId}/attendances/${attendanceId}`, token, body })
  const visit = async (visitId: string) => (await call(app, { url: `/v1/visits/${visitId}`, token: admin })).json
  const audited = async (action: string, entityId: string) =>
    (
      await database.db
        .select()
        .from(auditEvents)
        .where(sql`${auditEvents.action} = ${action} and ${auditEvents.entityId} = ${entityId}`)
    ).length

  // ── A start in the past ───────────────────────────────────────────────────────────────────────
  const past = await book('2026-02-27T14:00')
  t.equal(past.status, 409, past.body)
  t.match(past.json.conflicts, [{ code: 'in_the_past', start: '2026-02-27T13:00:00.000Z' }], 'a past start is refused, naming in_the_past')
  const series = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/series`,
    token: admin,
    body: { ...visitBody, start: '2026-02-21T10:00', rrule: 'FREQ=WEEKLY;COUNT=3', onConflict: 'skip', dryRun: true },
  })
  t.equal(series.status, 200, series.body)
  t.same(
    series.json.skipped.map((s: { start: string; reasons: { code: string }[] }) => [s.start, s.reasons.map((r) => r.code)]),
    [
      ['2026-02-21T09:00:00.000Z', ['in_the_past']],
      ['2026-02-28T09:00:00.000Z', ['in_the_past']],
    ],
    'a series skips its occurrences in the past',
  )
  t.equal(series.json.visits.length, 1, 'and books the one to come')

  // Only an admin records a visit that already happened; it then takes explicit times and an outcome.
  const byStaff = await book('2026-02-27T14:00', staff, { recordedAfterTheFact: true })
  t.equal(byStaff.status, 403, byStaff.body)
  const recorded = await book('2026-02-27T14:00', admin, { recordedAfterTheFact: true })
  t.equal(recorded.status, 201, recorded.body)
  const late = recorded.json.id as string
  t.equal(await audited('visit.recorded_after_the_fact', late), 1, 'recorded after the fact, audited')
  t.equal((await book('2026-03-30T14:00', admin, { recordedAfterTheFact: true })).status, 400, 'not for a visit still to come')
  const noTime = await post(late, 'check-in', { partyId: c.visiting })
  t.equal(noTime.status, 400, 'after the day a check-in needs its time')
  t.match(noTime.json.errors, [{ pointer: '/at' }])
  t.equal((await post(late, 'check-in', { partyId: c.visiting, at: '2026-02-27T13:50' }, counsellor)).status, 409, 'a counsellor records on the day only')
  t.equal((await post(late, 'check-in', { partyId: c.visiting, at: '2026-02-27T13:50' })).status, 201)
  t.equal((await post(late, 'check-out', { partyId: c.visiting, at: '2026-02-27T15:35' })).status, 200)
  const lateOutcome = await post(late, 'outcome', { outcome: 'fulfilled', actualStart: '2026-02-27T14:00', actualEnd: '2026-02-27T15:30' })
  t.equal(lateOutcome.status, 201, lateOutcome.body)

  // ── 7 March at the desk: the grandmother brings and takes the child, the mother stays away ───────
  const a = (await book('2026-03-07T14:00')).json.id as string
  const b = (await book('2026-03-09T14:00')).json.id as string
  const ended = (await book('2026-03-16T14:00')).json.id as string
  const future = (await book('2026-03-20T10:00')).json.id as string
  clock.set('2026-03-07T12:45:00.000Z')
  const father = await post(a, 'check-in', { partyId: c.visiting, at: '2026-03-07T13:44' })
  t.equal(father.status, 201, father.body)
  t.equal((await post(a, 'check-in', { partyId: c.child, broughtBy: { authorisedVisitor: 'maria janssens' } })).status, 201)
  clock.set('2026-03-07T14:35:00.000Z')
  const stranger = await post(a, 'check-out', { partyId: c.child, pickedUpBy: { authorisedVisitor: 'Jan Onbekend' } })
  t.equal(stranger.status, 409, 'a child does not leave with a stranger')
  t.match(stranger.json, { type: /not-authorised$/, incidentId: String })
  t.equal((await post(a, 'check-out', { partyId: c.visiting, pickedUpBy: { partyId: c.residing } })).status, 400, 'pickedUpBy is for a child')
  const child = await post(a, 'check-out', { partyId: c.child, pickedUpBy: { authorisedVisitor: 'Maria Janssens' } })
  t.equal(child.status, 200, child.body)
  t.same(child.json.pickedUpBy, { authorisedVisitor: 'Maria Janssens' }, 'who picked the child up is stored')
  t.equal((await post(a, 'check-out', { partyId: c.visiting, at: '2026-03-07T15:31' })).status, 200)
  t.equal(
    (await post(a, 'outcome', { outcome: 'fulfilled', actualStart: '2026-03-07T14:00', actualEnd: '2026-03-07T15:30', noticeGiven: 'none' })).status,
    400,
    'notice is a no-show’s',
  )
  const partly = await post(a, 'outcome', {
    outcome: 'fulfilled',
    actualStart: '2026-03-07T14:00',
    actualEnd: '2026-03-07T15:30',
    absentPartyIds: [c.residing],
  })
  t.equal(partly.status, 201, partly.body)
  t.same(partly.json.absentPartyIds, [c.residing], 'partly attended: the contact took place, the mother did not come')
  const aRead = await visit(a)
  t.same(aRead.outcome.absentPartyIds, [c.residing])
  t.same(aRead.attendances.find((x: { partyId: string }) => x.partyId === c.child).pickedUpBy, { authorisedVisitor: 'Maria Janssens' }, 'and shown')

  // ── 10 March: the desk's record is set right ──────────────────────────────────────────────────
  clock.set('2026-03-10T09:00:00.000Z')
  const attendanceId = father.json.id as string
  const corrected = await correct(a, attendanceId, { checkedInAt: '2026-03-07T13:40', correctionReason: 'He signed in at 13:44 but arrived at 13:40.' })
  t.equal(corrected.status, 200, corrected.body)
  t.equal(corrected.json.checkedInAt, '2026-03-07T12:40:00.000Z')
  t.match(corrected.json.corrections, [
    { previous: { checkedInAt: '2026-03-07T12:44:00.000Z' }, corrected: { checkedInAt: '2026-03-07T12:40:00.000Z' }, correctionReason: /arrived at 13:40/ },
  ])
  const again = await correct(a, attendanceId, { checkedOutAt: '2026-03-07T15:33', correctionReason: 'Left at 15:33.' }, counsellor)
  t.equal(again.status, 200, 'the counsellor of the visit corrects too')
  const history = await visit(a)
  t.equal(history.attendances.find((x: { id: string }) => x.id === attendanceId).checkedInAt, '2026-03-07T12:40:00.000Z', 'the visit shows the corrected time')
  t.match(
    history.attendanceCorrections,
    [
      { attendanceId, previous: { checkedInAt: '2026-03-07T12:44:00.000Z', checkedOutAt: '2026-03-07T14:31:00.000Z' } },
      { attendanceId, previous: { checkedInAt: '2026-03-07T12:40:00.000Z' }, corrected: { checkedOutAt: '2026-03-07T14:33:00.000Z' } },
    ],
    'and keeps the original in its history',
  )
  t.equal(await audited('visit.attendance_corrected', a), 2, 'each correction audited')
  t.equal((await correct(a, attendanceId, { checkedInAt: '2026-03-07T13:40', correctionReason: 'Again.' })).status, 400, 'a correction changes something')
  t.equal((await correct(a, attendanceId, { checkedInAt: '2026-03-08T13:40', correctionReason: 'Wrong day.' })).status, 400, 'on the visit’s day')
  t.equal((await correct(a, attendanceId, { correctionReason: 'Nothing.' })).status, 400)
  t.equal((await correct(b, attendanceId, { checkedInAt: '2026-03-07T13:41', correctionReason: 'Other visit.' })).status, 404)
  // PostgreSQL keeps it so: a recorded time changes only with a correction, and a correction is never rewritten.
  await t.rejects(database.db.execute(sql`update visit_attendances set checked_in_at = checked_in_at - interval '1 minute' where id = ${attendanceId}`))
  await t.rejects(database.db.execute(sql`update visit_attendance_corrections set reason = 'x' where visit_id = ${a}`))

  // The day after 9 March: the father came, nobody brought the child, and the mother had called too late.
  t.equal((await post(b, 'check-in', { partyId: c.visiting, at: '2026-03-09T13:50' }, counsellor)).status, 409, 'not the counsellor, after the day')
  t.equal((await post(b, 'check-in', { partyId: c.visiting, at: '2026-03-09T13:50' }, staff)).status, 201, 'staff record it after the day')
  t.equal((await post(ended, 'check-in', { partyId: c.visiting, at: '2026-03-10T09:30' }, staff)).status, 409, 'never before the visit’s day')
  const noshow = await post(b, 'outcome', { outcome: 'noshow', absentPartyIds: [c.residing], noticeGiven: 'late' })
  t.equal(noshow.status, 201, noshow.body)
  t.equal(noshow.json.noticeGiven, 'late')
  t.equal((await visit(b)).outcome.noticeGiven, 'late', 'a no-show’s notice is stored and shown')

  // ── Entered in error ──────────────────────────────────────────────────────────────────────────
  clock.set('2026-03-17T09:00:00.000Z')
  const figures = async () => (await call(app, { url: '/v1/statistics?from=2026-02-01&to=2026-03-31', token: admin })).json.groups[0].figures.visits
  const held = async () =>
    (await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/reports`, token: admin, body: { kind: 'progress', from: '2026-02-01', to: '2026-03-31' } }))
      .json.visits
  const worklist = async () => (await call(app, { url: '/v1/visits?needsOutcome=true&limit=50', token: admin })).json.items.map((v: { id: string }) => v.id)
  const before = { stats: await figures(), report: await held() }
  t.same([before.stats.total, before.stats.byOutcome.held, before.report.held, before.report.planned], [5, 2, 2, 5])
  t.ok((await worklist()).includes(ended), 'the ended visit awaits an outcome')

  const wrong = await post(late, 'entered-in-error', { reason: 'Recorded on the wrong family’s case.' }, staff)
  t.equal(wrong.status, 200, wrong.body)
  t.match(wrong.json, { status: 'entered-in-error', enteredInError: { reason: 'Recorded on the wrong family’s case.' } })
  t.equal(await audited('visit.entered_in_error', late), 1, 'audited')
  const twice = await post(late, 'entered-in-error', { reason: 'Again.' })
  t.equal(twice.status, 409, 'once')
  t.match(twice.json.detail, /entered-in-error already/)
  t.equal((await post(ended, 'entered-in-error', { reason: 'Never planned.' }, counsellor)).status, 403, 'staff and admins only')
  t.equal((await post(ended, 'entered-in-error', { reason: 'Never planned.' })).status, 200)
  t.equal((await post(future, 'entered-in-error', { reason: 'Booked twice.' })).status, 200)

  const after = { stats: await figures(), report: await held() }
  t.same([after.stats.total, after.stats.byOutcome.held], [2, 1], 'the statistics leave them out')
  t.same([after.report.held, after.report.planned], [1, 2], 'and so do reports')
  t.notOk((await worklist()).includes(ended), 'and the worklist')
  const active = await rawRows<{ active: boolean }>(database.db, sql`select active from ${reservations} where visit_id = ${future}`)
  t.ok(active.length > 0 && active.every((r) => !r.active), 'the future visit’s room, counsellor and people are freed')
  t.equal((await book('2026-03-20T10:00')).status, 201, 'its slot can be booked again')
  t.equal((await correct(late, father.json.id, { checkedInAt: '2026-02-27T13:51', correctionReason: 'x' })).status, 409, 'nothing is corrected on it')
})
