/**
 * Webhooks as a receiver meets them: registered by a centre's admin, written to the outbox in the
 * event's own transaction, POSTed signed (verified here with the Standard Webhooks library a
 * receiver would use), retried until acknowledged, never lost across a restart, and never attempted
 * twice by two workers at once.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { Webhook as Verifier } from 'standardwebhooks'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../../src/db/client.js'
import { rawRows } from '../../src/db/client.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { enqueueEvent } from '../../src/modules/webhooks/service.js'
import { deliveryWorker } from '../../src/modules/webhooks/worker.js'
import { acceptedCase, buildTestApp, call, completeIntake, onPostgres, tokenFor } from '../helpers/app.js'

const silent = { info() {}, warn() {}, error() {} }

interface Received {
  id: string
  body: string
  verified: boolean
}

/** A receiver that answers each request with the next status of `script` (then 200), verifying every signature. */
async function receiver(t: Tap, secretOf: () => string, script: number[] = []) {
  const received: Received[] = []
  const statuses = [...script]
  const server = createServer((request: IncomingMessage, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      let verified = false
      try {
        new Verifier(secretOf()).verify(body, {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        })
        verified = true
      } catch {
        verified = false
      }
      received.push({ id: String(request.headers['webhook-id']), body, verified })
      response.statusCode = statuses.shift() ?? 200
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received }
}
type Tap = Pick<typeof t, 'teardown'>

const ctx = await buildTestApp(t, { webhookPolicy: { allowPrivateUrls: true }, ownDatabase: true })
const { app, database, centre } = ctx
const admin = centre.adminToken
const other = await setupCentre(database.db, { centreName: 'Centre B', demo: false })

let secret = ''
const primary = await receiver(t, () => secret)

async function register(url: string, token = admin) {
  return call(app, { method: 'POST', url: '/v1/webhooks', token, body: { url, events: ['report.issued'], description: 'Case system' } })
}
async function emit(centreId: string, data: Record<string, unknown>) {
  await database.db.transaction((tx) => enqueueEvent(tx, new Date(), centreId, 'report.issued', data))
}
const worker = (options: Partial<Parameters<typeof deliveryWorker>[0]> = {}) =>
  deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 5, allowPrivateUrls: true, ...options })

/** Runs the worker until nothing is pending (retries included), or fails after a while. */
async function drain(run: () => Promise<number>) {
  for (let i = 0; i < 200; i++) {
    await run()
    const [pending] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from webhook_deliveries where status = 'pending'`)
    if (pending!.n === 0) return
    await sleep(10)
  }
  throw new Error('deliveries still pending')
}

const created = await register(primary.url)
secret = created.json.secret
const hookId: string = created.json.id

t.test('an admin registers a webhook and gets its signing secret once', async (t) => {
  t.equal(created.status, 201)
  t.match(created.json, { url: primary.url, events: ['report.issued'], active: true, description: 'Case system' })
  t.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/)
  const list = await call(app, { url: '/v1/webhooks', token: admin })
  t.same(
    list.json.items.map((w: { id: string }) => w.id),
    [hookId],
  )
  t.notOk(list.body.includes(secret), 'never listed with its secret')
  t.notOk((await call(app, { url: `/v1/webhooks/${hookId}`, token: admin })).body.includes(secret))
})

t.test('only the admin of the centre reaches its webhooks', async (t) => {
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  t.equal((await register(primary.url, staff)).status, 403)
  t.equal((await call(app, { url: `/v1/webhooks/${hookId}`, token: other.adminToken })).status, 404)
  t.equal((await call(app, { url: `/v1/webhooks/${hookId}/deliveries`, token: other.adminToken })).status, 404)
  t.equal((await call(app, { method: 'DELETE', url: `/v1/webhooks/${hookId}`, token: other.adminToken })).status, 404)
})

t.test('a receiver on a loopback or private address is refused unless the installation allows it', async (t) => {
  const strict = await buildTestApp(t, { ownDatabase: true })
  for (const url of [
    'http://127.0.0.1:8080/x',
    'http://localhost/x',
    'http://10.0.0.5/x',
    'http://[::1]/x',
    'http://169.254.169.254/latest',
    'http://[::127.0.0.1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://127.0.0.1:80@1.1.1.1/',
  ]) {
    const answer = await call(strict.app, { method: 'POST', url: '/v1/webhooks', token: strict.centre.adminToken, body: { url, events: ['report.issued'] } })
    t.equal(answer.status, 400, url)
    t.match(answer.json, { errors: [{ pointer: '/url', detail: /not allowed/ }] })
  }
  const notHttp = await call(strict.app, {
    method: 'POST',
    url: '/v1/webhooks',
    token: strict.centre.adminToken,
    body: { url: 'file:///etc/passwd', events: ['report.issued'] },
  })
  t.equal(notHttp.status, 400)
  // And at delivery time, since DNS may change after registration: the attempt is not made.
  const strictWorker = deliveryWorker({ db: database.db, logger: silent, retryBaseMs: 5, allowPrivateUrls: false })
  await emit(centre.centreId, { reportId: 'r-private' })
  await strictWorker.runOnce()
  const deliveries = await call(app, { url: `/v1/webhooks/${hookId}/deliveries`, token: admin })
  t.match(deliveries.json.items[0], { status: 'pending', attempts: 1, log: [{ responseStatus: null, error: /not sent: .*127\.0\.0\.1/ }] })
  t.equal(primary.received.length, 0, 'nothing reached the receiver')
  await drain(() => worker().runOnce())
  primary.received.length = 0
})

t.test('an event is delivered signed; the receiver verifies it with the standard library', async (t) => {
  await emit(centre.centreId, { reportId: 'r1', kind: 'suspension' })
  await emit(other.centreId, { reportId: 'not-ours' })
  await drain(() => worker().runOnce())
  t.equal(primary.received.length, 1, "only this centre's event")
  const [got] = primary.received
  t.ok(got!.verified, 'the signature verifies')
  t.match(JSON.parse(got!.body), { type: 'report.issued', timestamp: String, data: { reportId: 'r1', kind: 'suspension' } })
  const deliveries = await call(app, { url: `/v1/webhooks/${hookId}/deliveries`, token: admin })
  t.match(deliveries.json.items[0], {
    id: got!.id,
    status: 'delivered',
    attempts: 1,
    nextAttemptAt: null,
    log: [{ attempt: 1, responseStatus: 200, error: null }],
  })
  primary.received.length = 0
})

t.test('an event rolled back with its change is never sent', async (t) => {
  await database.db
    .transaction(async (tx) => {
      await enqueueEvent(tx, new Date(), centre.centreId, 'report.issued', { reportId: 'rolled-back' })
      throw new Error('the change fails')
    })
    .catch(() => {})
  t.equal(await worker().runOnce(), 0)
  t.equal(primary.received.length, 0)
})

t.test('a receiver that fails twice and then succeeds gets the event acknowledged once, after backoff', async (t) => {
  let failingSecret = ''
  const flaky = await receiver(t, () => failingSecret, [500, 503])
  const hook = await register(flaky.url)
  failingSecret = hook.json.secret
  await emit(centre.centreId, { reportId: 'r2' })
  await drain(() => worker().runOnce())
  t.equal(flaky.received.length, 3, 'three attempts')
  t.equal(new Set(flaky.received.map((r) => r.id)).size, 1, 'the same webhook-id each time')
  t.ok(
    flaky.received.every((r) => r.verified),
    'each attempt signed',
  )
  const log = (await call(app, { url: `/v1/webhooks/${hook.json.id}/deliveries`, token: admin })).json.items[0]
  t.match(log, { status: 'delivered', attempts: 3 })
  t.same(
    log.log.map((a: { responseStatus: number }) => a.responseStatus),
    [500, 503, 200],
  )
  t.ok(Date.parse(log.log[1].at) > Date.parse(log.log[0].at), 'the retry came later')
  await call(app, { method: 'DELETE', url: `/v1/webhooks/${hook.json.id}`, token: admin })
  primary.received.length = 0
})

t.test('a worker that stops between attempts, or dies during one, loses nothing', async (t) => {
  let downSecret = ''
  const down = await receiver(t, () => downSecret, [503])
  const hook = await register(down.url)
  downSecret = hook.json.secret
  await emit(centre.centreId, { reportId: 'r3' })
  const first = worker({ retryBaseMs: 20 })
  await first.runOnce()
  await first.stop() // the process goes away after a failed attempt
  t.equal(down.received.length, 1)
  await sleep(50)
  await worker().runOnce() // a new process picks the delivery up from the database
  t.equal(down.received.length, 2)
  t.match((await call(app, { url: `/v1/webhooks/${hook.json.id}/deliveries`, token: admin })).json.items[0], { status: 'delivered', attempts: 2 })

  // Died mid-attempt: claimed (the lease moved the next attempt forward) but no result recorded.
  await emit(centre.centreId, { reportId: 'r4' })
  await rawRows(
    database.db,
    // A lease long enough that a loaded machine still asks within it.
    sql`update webhook_deliveries set attempts = attempts + 1, next_attempt_at = now() + interval '1 second' where status = 'pending'`,
  )
  t.equal(await worker().runOnce(), 0, 'invisible while leased')
  await sleep(1100)
  await drain(() => worker().runOnce())
  t.equal(down.received.filter((r) => JSON.parse(r.body).data.reportId === 'r4').length, 1, 'delivered once the lease ran out')
  await call(app, { method: 'DELETE', url: `/v1/webhooks/${hook.json.id}`, token: admin })
  primary.received.length = 0
})

t.test('a deleted webhook gets nothing more; its pending deliveries are given up', async (t) => {
  let goneSecret = ''
  const gone = await receiver(t, () => goneSecret)
  const hook = await register(gone.url)
  goneSecret = hook.json.secret
  await emit(centre.centreId, { reportId: 'r5' })
  const deleted = await call(app, { method: 'DELETE', url: `/v1/webhooks/${hook.json.id}`, token: admin })
  t.match(deleted.json, { active: false, deactivatedAt: String })
  await emit(centre.centreId, { reportId: 'r6' })
  await drain(() => worker().runOnce())
  t.equal(gone.received.length, 0)
  t.match((await call(app, { url: `/v1/webhooks/${hook.json.id}/deliveries?status=failed`, token: admin })).json.items, [{ status: 'failed', attempts: 0 }])
  primary.received.length = 0
})

t.test('a report issued by a decision reaches the receiver, signed, with nothing internal', async (t) => {
  primary.received.length = 0
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
  const marker = 'INTERNAL-ONLY-91c2'
  const suspended = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/suspend`,
    token: c.staff,
    body: { reasonCode: 'illness', explanation: `${marker} the father is in hospital`, from: '2030-01-01' },
  })
  t.equal(suspended.status, 200, suspended.body)
  await drain(() => worker().runOnce())
  const events = primary.received.map((r) => ({ ...JSON.parse(r.body), verified: r.verified }))
  t.same(
    events.map((e) => e.data.kind),
    ['case_started', 'suspension'],
    'one event per report, in order',
  )
  t.ok(
    events.every((e) => e.type === 'report.issued' && e.verified && e.data.caseId === c.caseId),
    'signed report.issued events',
  )
  const report = await call(app, { url: `/v1/reports/${events[1].data.reportId}`, token: admin })
  t.equal(report.status, 200, 'the receiver fetches the report it was told of')
  t.equal(events[1].data.sha256, report.json.sha256)
  t.notOk(
    primary.received.some((r) => r.body.includes(marker)),
    'no internal text in any webhook body',
  )
  primary.received.length = 0
})

t.test(
  'two processes never make the same attempt',
  { skip: onPostgres ? false : 'needs real PostgreSQL (DATABASE_URL): PGlite is one connection, so nothing can race' },
  async (t) => {
    const url = (database as { url?: string }).url!
    const a = await openDatabase({ databaseUrl: url, poolSize: 4 })
    const b = await openDatabase({ databaseUrl: url, poolSize: 4 })
    t.teardown(async () => {
      await a.close()
      await b.close()
    })
    for (let i = 0; i < 40; i++) await emit(centre.centreId, { reportId: `race-${i}` })
    const workers = [a, b].map((d) => deliveryWorker({ db: d.db, logger: silent, retryBaseMs: 5, allowPrivateUrls: true }))
    const made = await Promise.all([...workers, ...workers].map((w) => w.runOnce()))
    t.equal(
      made.reduce((x, y) => x + y, 0),
      40,
      'forty attempts in all',
    )
    t.ok(made.filter((n) => n > 0).length > 1, 'shared between the workers')
    const ids = primary.received.map((r) => r.id)
    t.equal(ids.length, 40)
    t.equal(new Set(ids).size, 40, 'each delivery attempted once')
  },
)
