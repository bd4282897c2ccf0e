/**
 * A visit that does not take place frees what it reserved: after a cancellation, a no-show or an
 * interruption another case can book the same room (and counsellor) in the same slot. On real
 * PostgreSQL, the freed slot raced for: exactly one booking wins, none fails with a 500.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { rawRows } from '../../src/db/client.js'
import { buildTestApp, call, onPostgres, type TestContext } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

function helpers(ctx: TestContext) {
  const { app, centre } = ctx
  const token = centre.adminToken
  return {
    book: (caseId: string, start: string, counsellor = centre.demo.counsellorIds[0], extra: Record<string, unknown> = {}) =>
      call(app, {
        method: 'POST',
        url: `/v1/cases/${caseId}/visits`,
        token,
        body: { kind: 'supervised_visit', roomId: centre.demo.roomIds[0], counsellorIds: [counsellor], start, durationMinutes: 90, ...extra },
      }),
    post: (visitId: string, action: string, body: unknown) => call(app, { method: 'POST', url: `/v1/visits/${visitId}/${action}`, token, body }),
  }
}

t.test('a cancelled, a missed and an interrupted visit free the room', async (t) => {
  const clock = fixedClock('2026-03-10T07:00:00.000Z')
  const ctx = await buildTestApp(t, { clock })
  const { book, post } = helpers(ctx)
  const a = await createCase(ctx.database, ctx.centre)
  const b = await createCase(ctx.database, ctx.centre)
  const ids: Record<string, string> = {}
  for (const [name, start] of [
    ['missed', '2026-03-10T10:00'],
    ['interrupted', '2026-03-10T14:00'],
    ['cancelled', '2026-03-12T14:00'],
  ] as const) {
    const booked = await book(a.caseId, start)
    t.equal(booked.status, 201, booked.body)
    ids[name] = booked.json.id
    const taken = await book(b.caseId, start)
    t.equal(taken.status, 409, `${name}: the slot is taken while the visit stands`)
    t.match(taken.json.conflicts, [{ code: 'room_busy' }])
  }

  const cancelled = await post(ids.cancelled!, 'cancel', { cancelledBy: 'visiting_party', reasonCode: 'party_unavailable', explanation: 'Has to work.' })
  t.equal(cancelled.status, 200, cancelled.body)
  t.equal((await book(b.caseId, '2026-03-12T14:00')).status, 201, 'the cancelled visit’s slot is booked by another case')

  clock.set('2026-03-10T11:00:00.000Z')
  t.equal((await post(ids.missed!, 'outcome', { outcome: 'noshow', absentPartyIds: [a.visiting, a.residing] })).status, 201)
  // The slot began before now: only a visit recorded after the fact can take it, which shows it is free.
  const afterTheFact = { recordedAfterTheFact: true }
  t.equal((await book(b.caseId, '2026-03-10T10:00', undefined, afterTheFact)).status, 201, 'the missed visit’s slot is booked by another case')

  clock.set('2026-03-10T12:50:00.000Z')
  t.equal((await post(ids.interrupted!, 'check-in', { partyId: a.visiting })).status, 201)
  clock.set('2026-03-10T13:30:00.000Z')
  const interrupted = await post(ids.interrupted!, 'outcome', {
    outcome: 'interrupted',
    reasonCode: 'safety_concern',
    explanation: 'Threats.',
    at: '2026-03-10T14:25',
  })
  t.equal(interrupted.status, 201, interrupted.body)
  t.equal((await book(b.caseId, '2026-03-10T14:00', undefined, afterTheFact)).status, 201, 'the interrupted visit’s slot is booked by another case')

  // The freed reservations stay as history, inactive.
  const kept = await rawRows<{ active: boolean; n: number }>(
    ctx.database.db,
    sql`select active, count(*)::int as n from reservations where visit_id in (${sql.join(
      Object.values(ids).map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) group by active`,
  )
  t.same(kept, [{ active: false, n: 3 * 5 }], 'room, counsellor and three people for each visit, all kept inactive')

  // A correction back to fulfilled leaves them free: the slot may be someone else's by now.
  const history = await call(ctx.app, { url: `/v1/visits/${ids.missed}`, token: ctx.centre.adminToken })
  const corrected = await post(ids.missed!, 'outcome', {
    outcome: 'fulfilled',
    actualStart: '2026-03-10T10:00',
    actualEnd: '2026-03-10T11:30',
    supersedes: history.json.outcome.id,
  })
  t.equal(corrected.status, 201, corrected.body)
  t.equal((await call(ctx.app, { url: `/v1/visits/${ids.missed}`, token: ctx.centre.adminToken })).json.status, 'fulfilled')
})

t.test(
  'racing for a freed slot',
  { skip: onPostgres ? false : 'needs real PostgreSQL (DATABASE_URL): PGlite is one connection in one process, so nothing can race' },
  async (t) => {
    const clock = fixedClock('2026-03-10T07:00:00.000Z')
    const ctx = await buildTestApp(t, { clock, poolSize: 12 })
    const { book, post } = helpers(ctx)
    const [counsellor1, counsellor2] = ctx.centre.demo.counsellorIds as [string, string]
    const owner = await createCase(ctx.database, ctx.centre)
    const others = await Promise.all(Array.from({ length: 6 }, () => createCase(ctx.database, ctx.centre)))

    // A cancellation and a booking of its slot at the same moment: the booking sees the slot taken or free, never a 500.
    const first = await book(owner.caseId, '2026-03-12T10:00')
    t.equal(first.status, 201, first.body)
    const [cancel, rival] = await Promise.all([
      post(first.json.id, 'cancel', { cancelledBy: 'residing_party', reasonCode: 'illness', explanation: 'Fever.' }),
      book(others[0]!.caseId, '2026-03-12T10:00', counsellor2),
    ])
    t.equal(cancel.status, 200, cancel.body)
    t.ok([201, 409].includes(rival.status), `the rival booking: ${rival.status}`)

    // Six cases race for a freed slot (the room holds one family): exactly one wins.
    const second = await book(owner.caseId, '2026-03-13T14:00')
    t.equal(second.status, 201, second.body)
    t.equal((await post(second.json.id, 'cancel', { cancelledBy: 'centre', reasonCode: 'counsellor_unavailable', explanation: 'Ill.' })).status, 200)
    const race = await Promise.all(others.map((c, i) => book(c.caseId, '2026-03-13T14:00', i % 2 ? counsellor1 : counsellor2)))
    const statuses = race.map((r) => r.status).sort()
    t.same(statuses, [201, 409, 409, 409, 409, 409], `exactly one booking wins: ${statuses.join(', ')}`)

    const overlapping = await rawRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from reservations a join reservations b on a.id < b.id and a.resource_id = b.resource_id and a.place = b.place and a.during && b.during
        where a.active and b.active`,
    )
    t.same(overlapping, [{ n: 0 }], 'no two active reservations of one place overlap')
  },
)
