/**
 * One receiver cannot stall the others: while one centre's receiver hangs, another centre's delivery
 * arrives within two seconds of its event (the worker's poll included). A receiver that takes nothing
 * for a day is marked failing for its admin, and healthy again once a delivery gets through. The
 * address checked is the address connected to: a name that resolves to a loopback address is refused
 * at the attempt itself.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { webhookDeliveries, webhooks } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { enqueueEvent } from '../../src/modules/webhooks/service.js'
import { deliveryWorker } from '../../src/modules/webhooks/worker.js'
import { buildTestApp, call } from '../helpers/app.js'

const silent = { info() {}, warn() {}, error() {} }
const clock = fixedClock('2026-03-02T09:00:00+01:00')
const ctx = await buildTestApp(t, { clock, webhookPolicy: { allowPrivateUrls: true }, ownDatabase: true })
const { app, database, centre } = ctx

/** A local receiver; `answer` decides what each request gets (nothing at all: it hangs). */
async function receiver(answer: (arrived: number) => number | 'hang') {
  const arrivals: number[] = []
  const server: Server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      arrivals.push(Date.now())
      const status = answer(arrivals.length)
      if (status === 'hang') return
      response.statusCode = status
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, arrivals }
}

async function register(token: string, url: string) {
  const created = await call(app, { method: 'POST', url: '/v1/webhooks', token, body: { url, events: ['report.issued'] } })
  if (created.status !== 201) throw new Error(created.body)
  return created.json.id as string
}
const emit = (centreId: string, data: Record<string, unknown>) => database.db.transaction((tx) => enqueueEvent(tx, new Date(), centreId, 'report.issued', data))

t.test('a hanging receiver holds up no other centre', async (t) => {
  const hanging = await receiver(() => 'hang')
  const healthy = await receiver(() => 200)
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: false })
  const hangingHook = await register(centre.adminToken, hanging.url)
  const healthyHook = await register(other.adminToken, healthy.url)
  // The worker as the server runs it: its default poll, ten seconds for a receiver to answer.
  const worker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1000, allowPrivateUrls: true })
  worker.start()
  t.teardown(() => worker.stop(100))

  for (let i = 0; i < 3; i++) await emit(centre.centreId, { reportId: `hang-${i}` })
  for (const deadline = Date.now() + 5000; !hanging.arrivals.length && Date.now() < deadline;) await sleep(20)
  t.equal(hanging.arrivals.length, 1, 'the hanging receiver has one attempt under way (one at a time per webhook)')

  const emitted = Date.now()
  await emit(other.centreId, { reportId: 'healthy' })
  for (const deadline = Date.now() + 5000; !healthy.arrivals.length && Date.now() < deadline;) await sleep(10)
  t.equal(healthy.arrivals.length, 1, 'the other centre’s delivery arrived')
  const delay = healthy.arrivals[0]! - emitted
  t.ok(delay < 2000, `within 2 s of its event (${delay} ms)`)
  for (const deadline = Date.now() + 2000; Date.now() < deadline;) {
    const [row] = await database.db.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, healthyHook))
    if (row?.status === 'delivered') break
    await sleep(20)
  }
  const [delivered] = await database.db.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, healthyHook))
  t.equal(delivered!.status, 'delivered')
  t.equal(hanging.arrivals.length, 1, 'and the hanging one still holds only its own')
  await call(app, { method: 'DELETE', url: `/v1/webhooks/${hangingHook}`, token: centre.adminToken })
})

t.test('a receiver that takes nothing for a day is failing, for its admin to see', async (t) => {
  let up = false
  const flaky = await receiver(() => (up ? 200 : 500))
  const hookId = await register(centre.adminToken, flaky.url)
  // The deliveries are written at the real time; the worker and the app's clock move on from there.
  await emit(centre.centreId, { reportId: 'flaky' })
  const t0 = new Date()
  const later = (hours: number) => new Date(t0.getTime() + hours * 3_600_000)
  let now = t0
  const worker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1, allowPrivateUrls: true, now: () => now })
  await worker.runOnce()
  const view = async () => (await call(app, { url: `/v1/webhooks/${hookId}`, token: centre.adminToken })).json
  clock.set(later(1).toISOString())
  t.match(await view(), { failing: false, failingSince: t0.toISOString() }, 'failing since its first failure, not yet a day')
  clock.set(later(24.5).toISOString())
  t.match(await view(), { failing: true }, 'a day without a delivery: failing')
  const listed = (await call(app, { url: '/v1/webhooks', token: centre.adminToken })).json.items.find((w: { id: string }) => w.id === hookId)
  t.equal(listed.failing, true, 'in the list too')

  up = true
  now = later(25)
  await worker.runOnce()
  t.match(await view(), { failing: false, failingSince: null }, 'healthy again once a delivery gets through')
  await call(app, { method: 'DELETE', url: `/v1/webhooks/${hookId}`, token: centre.adminToken })
})

t.test('the address checked is the one connected to', async (t) => {
  const target = await receiver(() => 200)
  const hookId = await register(centre.adminToken, target.url.replace('127.0.0.1', 'localhost'))
  // The installation no longer allows private receivers: the name localhost resolves to a loopback address.
  const strict = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1, allowPrivateUrls: false })
  await emit(centre.centreId, { reportId: 'pinned' })
  await strict.runOnce()
  const deliveries = await call(app, { url: `/v1/webhooks/${hookId}/deliveries`, token: centre.adminToken })
  t.match(deliveries.json.items[0].log[0], { responseStatus: null, error: /^not sent: the host localhost resolves to (127\.0\.0\.1|::1)/ })
  t.equal(target.arrivals.length, 0, 'nothing reached it')
  const [hook] = await database.db.select().from(webhooks).where(eq(webhooks.id, hookId))
  t.ok(hook!.failingSince, 'a refused attempt is a failure too')
})
