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
