/**
 * A backlog drains at the receivers' pace: while the worker runs, an attempt that ends makes room for
 * the next delivery at once instead of leaving its place empty until the next poll. Each receiver
 * still gets its deliveries one at a time and oldest first, however many places are free.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { enqueueEvent } from '../../src/modules/webhooks/service.js'
import { deliveryWorker } from '../../src/modules/webhooks/worker.js'
import { buildTestApp, call } from '../helpers/app.js'

const silent = { info() {}, warn() {}, error() {} }
const { app, database, centre } = await buildTestApp(t, { webhookPolicy: { allowPrivateUrls: true }, ownDatabase: true })

/** A local receiver recording each delivery's report and arrival; with `hold`, it answers only when released. */
async function receiver(hold = false) {
  const arrivals: { reportId: string; at: number }[] = []
  const waiting: ServerResponse[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      arrivals.push({ reportId: (JSON.parse(body) as { data: { reportId: string } }).data.reportId, at: Date.now() })
      response.statusCode = 204
      if (hold) waiting.push(response)
      else response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
  const created = await call(app, { method: 'POST', url: '/v1/webhooks', token: centre.adminToken, body: { url, events: ['report.issued'] } })
  if (created.status !== 201) throw new Error(created.body)
  const id = created.json.id as string
  return {
    arrivals,
    release: () => waiting.splice(0).forEach((r) => r.end()),
    remove: () => call(app, { method: 'DELETE', url: `/v1/webhooks/${id}`, token: centre.adminToken }),
  }
}

const emit = (reportId: string) => database.db.transaction((tx) => enqueueEvent(tx, new Date(), centre.centreId, 'report.issued', { reportId }))

async function until(condition: () => boolean, ms: number) {
  for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline;) await sleep(10)
}

t.test('a backlog to one receiver drains at its pace, not a poll per delivery', async (t) => {
  const fast = await receiver()
  for (let i = 0; i < 5; i++) await emit(`backlog-${i}`)
  // One place, a poll a second: without the place taken again as each attempt ends, five deliveries take five polls.
  const worker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1000, allowPrivateUrls: true, concurrency: 1, pollMs: 1000 })
  worker.start()
  t.teardown(() => worker.stop(100))
  await until(() => fast.arrivals.length === 5, 15_000)
  t.same(
    fast.arrivals.map((a) => a.reportId),
    ['backlog-0', 'backlog-1', 'backlog-2', 'backlog-3', 'backlog-4'],
    'all five, oldest first',
  )
  const spread = fast.arrivals[4]!.at - fast.arrivals[0]!.at
  t.ok(spread < 1000, `the fifth arrived ${spread} ms after the first: within one poll (1000 ms), not four polls later`)
  await worker.stop(100)
  await fast.remove()
})

t.test('each receiver gets its deliveries one at a time, oldest first, however many places are free', async (t) => {
  const a = await receiver(true)
  const b = await receiver(true)
  for (let i = 0; i < 3; i++) await emit(`ordered-${i}`)
  const worker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1000, allowPrivateUrls: true, concurrency: 4 })
  const run = worker.runOnce()
  await until(() => a.arrivals.length + b.arrivals.length === 2, 5000)
  await sleep(200) // time for a wrong second claim to arrive
  t.same(
    [a.arrivals.map((x) => x.reportId), b.arrivals.map((x) => x.reportId)],
    [['ordered-0'], ['ordered-0']],
    'each receiver has its oldest delivery, and only that one, with two places still free',
  )
  for (let i = 0; i < 3 && a.arrivals.length + b.arrivals.length < 6; i++) {
    a.release()
    b.release()
    await until(() => a.arrivals.length + b.arrivals.length === 2 * (i + 2) || a.arrivals.length + b.arrivals.length === 6, 5000)
  }
  a.release()
  b.release()
  t.equal(await run, 6, 'runOnce made the six attempts')
  for (const r of [a, b])
    t.same(
      r.arrivals.map((x) => x.reportId),
      ['ordered-0', 'ordered-1', 'ordered-2'],
      'in order',
    )
  await a.remove()
  await b.remove()
})
