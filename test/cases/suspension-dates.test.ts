/**
 * A suspension's dates drive the case's status (issue 25, part 6), on the injected clock: active
 * with the suspension scheduled until `from`, suspended from `from`, active again at `until` with a
 * resumption event and report, made once however often the job runs. Reads show what the dates
 * say before the job has run. `resume` before `from` withdraws the suspension, and says so.
 */
import t from 'tap'
import { and, eq, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { fixedClock } from '../../src/clock.js'
import { caseEvents, reports, suspensions, webhookDeliveries } from '../../src/db/schema.js'
import { applySuspensionDates, suspensionDatesJob } from '../../src/modules/case-transitions/dates.js'
import { acceptedCase, buildTestApp, call, completeIntake, onPostgres, testCentre, type AcceptedCase, type TestContext } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

const ZONE = 'Europe/Brussels'
const silent = { info() {}, error() {} }

/** An active case of the demo court, a staff and a clerk token, on `ctx`. */
async function activeCase(ctx: TestContext): Promise<AcceptedCase> {
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  const activated = await call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff })
  if (activated.status !== 200) throw new Error(activated.body)
  return c
}

t.test('a suspension follows its dates: scheduled, in force, run out (one event, one report, one webhook)', async (t) => {
  // Rounded to the second, the wall clock's today: the intakes completeIntake records lie before it.
  const start = DateTime.fromMillis(Math.ceil(Date.now() / 1000) * 1000 + 1000, { zone: ZONE })
  const clock = fixedClock(start.toJSDate())
  const ctx = await buildTestApp(t, { clock, webhookPolicy: { allowPrivateUrls: true } })
  const { app, database } = ctx
  const day = (n: number) => start.plus({ days: n }).toISODate()!
  /** Five past midnight in Brussels on day n: the first minutes of that day. */
  const earlyOn = (n: number) => start.plus({ days: n }).startOf('day').plus({ minutes: 5 }).toJSDate()
  const hook = await call(app, {
    method: 'POST',
    url: '/v1/webhooks',
    token: ctx.centre.adminToken,
    body: { url: 'http://127.0.0.1:9/hook', events: ['report.issued'] },
  })
  t.equal(hook.status, 201, hook.body)
  const c = await activeCase(ctx)
  const job = suspensionDatesJob({ db: database.db, logger: silent, now: () => clock.now() })
  const read = async (token: string) => (await call(app, { url: `/v1/cases/${c.caseId}`, token })).json
  const listed = async (status: string) =>
    ((await call(app, { url: `/v1/cases?status=${status}&limit=200`, token: c.staff })).json.items as { id: string; status: string }[]).filter(
      (item) => item.id === c.caseId,
    )
  const events = async (type: string) => (await database.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.caseId))).filter((e) => e.type === type)

  // Decided today, from day 3 until day 10: the case stays active, the suspension scheduled.
  const suspended = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/suspend`,
    token: c.staff,
    body: { reasonCode: 'awaiting_court_decision', explanation: 'Hearing on the 20th; internal.', courtNote: 'Contacts pause.', from: day(3), until: day(10) },
  })
  t.equal(suspended.status, 200, suspended.body)
  t.match(suspended.json, {
    status: 'active',
    allowedActions: ['extend', 'resume', 'end', 'record'],
    suspension: {
      scheduled: { from: day(3), until: day(10), reason: { code: 'awaiting_court_decision' }, explanation: 'Hearing on the 20th; internal.' },
      current: null,
    },
  })
  const clerkView = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.clerk })
  t.match(clerkView.json, { status: 'active', suspension: { scheduled: { from: day(3), until: day(10), courtNote: 'Contacts pause.' }, current: null } })
  t.notOk(clerkView.body.includes('internal'), 'the court reads no explanation')
  t.match((await call(app, { url: `/v1/referrals/${c.referralId}`, token: c.clerk })).json, { case: { status: 'active' } })
  const again = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/suspend`,
    token: c.staff,
    body: { reasonCode: 'illness', explanation: 'x', from: day(1) },
  })
  t.equal(again.status, 409, 'not suspended twice while one is planned')
  t.same(await job.runOnce(), [], 'nothing is due before from')

  // From day 3 (Brussels) the dates say suspended, before the job has run, to the centre, the court and the lists.
  clock.set(earlyOn(3))
  t.match(await read(c.staff), { status: 'suspended', suspension: { scheduled: null, current: { from: day(3) } } })
  t.match(await read(c.clerk), { status: 'suspended' })
  t.match(await listed('suspended'), [{ status: 'suspended' }])
  t.same(await listed('active'), [])
  t.ok((await job.runOnce()).includes(c.caseId), 'the job stores it')
  t.notOk((await job.runOnce()).includes(c.caseId), 'and once')
  t.equal((await events('suspension_began')).length, 1)

  // From day 10 the dates say active again; the job resumes the case once, however often it runs.
  clock.set(earlyOn(10))
  t.match(await read(c.clerk), { status: 'active', suspension: { scheduled: null, current: null } })
  t.match(await listed('active'), [{ status: 'active' }])
  t.same(await listed('suspended'), [])
  const runs = [...(await job.runOnce()), ...(await job.runOnce())]
  t.same(
    runs.filter((id) => id === c.caseId),
    [c.caseId],
    'run twice, the case is resumed once',
  )
  const resumed = await events('resumed')
  t.equal(resumed.length, 1, 'one resumption event')
  t.match(resumed[0], { actorRole: 'system', data: { from: day(3), until: day(10), ranOut: true } })
  const feed = (await call(app, { url: '/v1/reports?limit=200', token: c.clerk })).json.items.filter(
    (r: { caseId: string; kind: string }) => r.caseId === c.caseId && r.kind === 'resumption',
  )
  t.equal(feed.length, 1, 'one resumption report in the court’s feed')
  t.match(feed[0].decision, { from: day(3), until: day(10), statement: /De opschorting vanaf .* is afgelopen op de geplande datum/ })
  const deliveries = await database.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, hook.json.id), sql`${webhookDeliveries.payload} -> 'data' ->> 'kind' = 'resumption'`))
  t.equal(deliveries.length, 1, 'one webhook delivery')
  t.match(await read(c.staff), { status: 'active', allowedActions: ['extend', 'suspend', 'end', 'record'] })
  const [stored] = await database.db.select().from(suspensions).where(eq(suspensions.caseId, c.caseId))
  t.ok(stored!.resumedAt, 'the suspension is closed')

  // PostgreSQL holds the line too: a second report of the same decision is refused.
  const refused: unknown = await database.db
    .transaction(async (tx) => {
      const [original] = await tx.select().from(reports).where(eq(reports.caseEventId, resumed[0]!.id))
      await tx.insert(reports).values({ ...original!, id: crypto.randomUUID() })
    })
    .then(
      () => null,
      (error: Error) => error,
    )
  t.match(String((refused as { cause?: Error } | null)?.cause?.message), /reports_once_per_case_event/, 'one report per case event, in PostgreSQL')
})

t.test('resume before from withdraws the scheduled suspension; the event and the report say so', async (t) => {
  const ctx = await testCentre(t)
  const c = await activeCase(ctx)
  const today = DateTime.now().setZone(ZONE)
  const from = today.plus({ days: 5 }).toISODate()!
  const until = today.plus({ days: 12 }).toISODate()!
  const post = (path: string, body: unknown) => call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/${path}`, token: c.staff, body })
  t.equal((await post('suspend', { reasonCode: 'illness', explanation: 'Surgery planned.', from, until })).status, 200)
  const withdrawn = await post('resume', { explanation: 'Surgery postponed.' })
  t.equal(withdrawn.status, 200, withdrawn.body)
  t.match(withdrawn.json, { status: 'active', suspension: { scheduled: null, current: null }, suspensions: [{ from, until: from, resumedAt: String }] })
  const events = (await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })).json.items
  t.match(events.at(-1), { type: 'resumed', data: { from, until, withdrawn: true } })
  const report = (await call(ctx.app, { url: '/v1/reports?limit=200', token: c.clerk })).json.items.findLast(
    (r: { caseId: string; kind: string }) => r.caseId === c.caseId && r.kind === 'resumption',
  )
  const said = DateTime.fromISO(from).setLocale('nl').toFormat('d LLLL yyyy')
  t.match(report.decision, {
    withdrawn: true,
    from,
    until,
    statement: `De geplande opschorting vanaf ${said} tot ${DateTime.fromISO(until).setLocale('nl').toFormat('d LLLL yyyy')} werd ingetrokken; ze is niet ingegaan.`,
  })
  const page = await call(ctx.app, { url: `/v1/reports/${report.id}`, token: c.clerk, headers: { accept: 'text/html' } })
  t.ok(page.body.includes('werd ingetrokken'), 'the printable report says it too')
  t.notOk(page.body.includes('Opgeschort vanaf'), 'and states no period of suspension')
  t.equal((await post('resume', { explanation: 'again' })).status, 409, 'nothing left to resume')
})

t.test(
  'two processes applying the dates at once resume a case once',
  { skip: onPostgres ? false : 'needs real PostgreSQL (DATABASE_URL): PGlite is one connection in one process, so two runs cannot overlap' },
  async (t) => {
    const ctx = await testCentre(t)
    const fixture = await createCase(ctx.database, ctx.centre, { status: 'suspended' })
    const today = DateTime.now().setZone(ZONE)
    await ctx.database.db.insert(suspensions).values({
      caseId: fixture.caseId,
      fromDate: today.minus({ days: 7 }).toISODate()!,
      untilDate: today.toISODate()!,
      reasonCode: 'illness',
      explanation: 'x',
    })
    const now = new Date()
    const runs = await Promise.all([0, 1, 2, 3].map(() => applySuspensionDates(ctx.database.db, now)))
    t.equal(runs.flat().filter((id) => id === fixture.caseId).length, 1, 'one run resumed it; the others skipped its locked row or found it done')
    const resumed = (await ctx.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, fixture.caseId))).filter((e) => e.type === 'resumed')
    t.equal(resumed.length, 1)
    t.equal((await ctx.database.db.select().from(reports).where(eq(reports.caseId, fixture.caseId))).length, 1)
  },
)
