/**
 * Services judge "now" by the app's clock, not the wall clock: a case activated with the clock set
 * a month ahead is activated at that instant, and its planned end follows from that day.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { fixedClock } from '../../src/clock.js'
import { acceptedCase, buildTestApp, call, completeIntake } from '../helpers/app.js'

t.test('activation is dated by the injected clock', async (t) => {
  // A month ahead (rounded to the second): the documents seeded today are in force then, and the
  // dates differ from anything the wall clock would give.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 30 * 86_400_000)
  const clock = fixedClock(at)
  const ctx = await buildTestApp(t, { clock })
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)

  const activated = await call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff })
  t.equal(activated.status, 200, activated.body)
  t.equal(new Date(activated.json.activatedAt as string).getTime(), at.getTime(), 'activated at the clock’s instant')
  const plannedEnd = DateTime.fromJSDate(at, { zone: 'Europe/Brussels' }).plus({ months: 6 }).toISODate()
  t.equal(activated.json.plannedEndDate, plannedEnd, 'six months (the centre’s default) from the clock’s day')
})

t.test("a case's events are dated by the injected clock, not the database's", async (t) => {
  // Forty days ahead (rounded to the second), far from the database's now().
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 40 * 86_400_000)
  const clock = fixedClock(at)
  const ctx = await buildTestApp(t, { clock })
  const c = await acceptedCase(ctx)
  clock.set(new Date(at.getTime() + 60_000))
  const ended = await call(ctx.app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/end`,
    token: c.staff,
    body: {
      reasonCode: 'parties_do_not_consent',
      explanation: 'The residing parent withdrew consent at the intake.',
      effectiveDate: DateTime.fromJSDate(at, { zone: 'Europe/Brussels' }).toISODate(),
    },
  })
  t.equal(ended.status, 200, ended.body)

  const events = await call(ctx.app, { method: 'GET', url: `/v1/cases/${c.caseId}/events`, token: c.staff })
  t.equal(events.status, 200, events.body)
  const atOf = (type: string) => (events.json.items as { type: string; at: string }[]).filter((e) => e.type === type).map((e) => new Date(e.at).getTime())
  t.same(atOf('created'), [at.getTime()], 'created when the clock said')
  t.same(atOf('ended'), [at.getTime() + 60_000], 'ended when the clock said, a minute later')
})
