/**
 * The worker's lanes: a webhook's due deliveries go out in batches, oldest first, one at a time, and
 * while the worker runs a lane that has sent its batch is claimed again at once, so a backlog never
 * waits for the next poll. Two workers on one database share the work and never make the same
 * attempt. Every check here is made on what the database and the receivers hold once the work is
 * done, never on how long it took.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { openDatabase, rawRows, type Db } from '../../src/db/client.js'
import { enqueueEvent } from '../../src/modules/webhooks/service.js'
import { deliveryWorker } from '../../src/modules/webhooks/worker.js'
import { buildTestApp, call, onPostgres } from '../helpers/app.js'

const silent = { info() {}, warn() {}, error() {} }
const { app, database, centre } = await buildTestApp(t, { webhookPolicy: { allowPrivateUrls: true }, ownDatabase: true })

/** A webhook of the centre whose receiver takes everything (204), recording the report of each delivery as it arrives. */
async function receiver() {
  const arrivals: { id: string; reportId: string }[] = []
  const server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      arrivals.push({ id: String(request.headers['webhook-id']), reportId: (JSON.parse(body) as { data: { reportId: string } }).data.reportId })
      response.statusCode = 204
      response.end()
    })
  })
  // A kept-alive connection is never closed under the worker between two deliveries: no attempt fails, none is retried.
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
  const created = await call(app, { method: 'POST', url: '/v1/webhooks', token: centre.adminToken, body: { url, events: ['report.issued'] } })
  if (created.status !== 201) throw new Error(created.body)
  const id = created.json.id as string
  return { id, arrivals, remove: () => call(app, { method: 'DELETE', url: `/v1/webhooks/${id}`, token: centre.adminToken }) }
}

/** One event: a delivery to every webhook of the centre. */
const emit = (reportId: string) => database.db.transaction((tx) => enqueueEvent(tx, new Date(), centre.centreId, 'report.issued', { reportId }))

/** Each delivery of the webhooks with its status and how many attempts its log holds. */
const outbox = (webhookIds: string[]) =>
  rawRows<{ id: string; status: string; attempts: number; logged: number }>(
    database.db,
    sql`select d.id, d.status, d.attempts, (select count(*)::int from webhook_attempts a where a.delivery_id = d.id) as logged
        from webhook_deliveries d where d.webhook_id in (${sql.join(
          webhookIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) order by d.created_at, d.id`,
  )

t.test('while the worker runs, a lane that has sent its batch is claimed again at once, not at the next poll', async (t) => {
  const hook = await receiver()
  const reports = Array.from({ length: 7 }, (_, i) => `backlog-${i}`)
  for (const reportId of reports) await emit(reportId)
  // Batches of two and a poll an hour apart: the seven deliveries take four claims, and only the first is the start's.
  const worker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1000, allowPrivateUrls: true, batchSize: 2, pollMs: 3_600_000 })
  worker.start()
  t.teardown(() => worker.stop(100))
  // No timing is asserted: this waits for the work to be done, and only a worker that leaves it to the poll runs into the limit.
  const pending = async () => (await outbox([hook.id])).filter((d) => d.status === 'pending').length
  for (const limit = Date.now() + 60_000; (await pending()) > 0 && Date.now() < limit;) await sleep(20)
  await worker.stop(100)
  t.same(
    (await outbox([hook.id])).map((d) => ({ status: d.status, attempts: d.attempts, logged: d.logged })),
    reports.map(() => ({ status: 'delivered', attempts: 1, logged: 1 })),
    'all seven delivered without a poll, each attempted and logged once',
  )
  t.same(
    hook.arrivals.map((a) => a.reportId),
    reports,
    'one at a time, oldest first, across the batches',
  )
  await hook.remove()
})

t.test('runOnce makes every due attempt, batch after batch, and answers how many', async (t) => {
  const hook = await receiver()
  for (let i = 0; i < 5; i++) await emit(`once-${i}`)
  const worker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 1000, allowPrivateUrls: true, batchSize: 2, concurrency: 1 })
  t.equal(await worker.runOnce(), 5, 'five attempts in one call')
  t.same(
    (await outbox([hook.id])).map((d) => d.status),
    ['delivered', 'delivered', 'delivered', 'delivered', 'delivered'],
  )
  t.equal(await worker.runOnce(), 0, 'and nothing more is due')
  await hook.remove()
})

t.test('two workers on one database share the work and never make the same attempt', async (t) => {
  const hooks = [await receiver(), await receiver()]
  for (let i = 0; i < 15; i++) await emit(`shared-${i}`)
  // On PostgreSQL each worker has a pool of its own, as two API processes have; PGlite is one connection, shared.
  const url = (database as { url?: string }).url
  const dbs: Db[] = []
  for (let i = 0; i < 2; i++) {
    if (!onPostgres || !url) {
      dbs.push(database.db)
      continue
    }
    const own = await openDatabase({ databaseUrl: url, poolSize: 4 })
    t.teardown(() => own.close())
    dbs.push(own.db)
  }
  const workers = dbs.map((db) => deliveryWorker({ db, logger: silent, retryBaseMs: 1000, allowPrivateUrls: true, batchSize: 3, concurrency: 2 }))
  const made = await Promise.all([...workers, ...workers].map((w) => w.runOnce()))
  t.equal(
    made.reduce((x, y) => x + y, 0),
    30,
    `thirty attempts in all (${made.join(', ')})`,
  )
  const deliveries = await outbox(hooks.map((h) => h.id))
  t.equal(deliveries.length, 30)
  t.same(
    deliveries.filter((d) => d.status !== 'delivered' || d.attempts !== 1 || d.logged !== 1),
    [],
    'every delivery delivered, attempted once and logged once',
  )
  const received = hooks.flatMap((h) => h.arrivals.map((a) => a.id))
  t.equal(received.length, 30, 'thirty requests reached the receivers')
  t.equal(new Set(received).size, 30, 'none twice')
  for (const hook of hooks) await hook.remove()
})
