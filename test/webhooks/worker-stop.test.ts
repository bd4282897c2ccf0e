/**
 * The delivery worker at shutdown: an attempt whose receiver does not answer within the stop's grace
 * is cut short and handed back (not counted, due at once), so a stopping process never waits for a
 * slow receiver and nothing is lost.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { rawRows } from '../../src/db/client.js'
import { enqueueEvent } from '../../src/modules/webhooks/service.js'
import { deliveryWorker } from '../../src/modules/webhooks/worker.js'
import { buildTestApp, call } from '../helpers/app.js'

const messages: string[] = []
const note = (...args: unknown[]) => void messages.push(String(args.at(-1)))
const logger = { info: note, warn: note, error: note } as unknown as Parameters<typeof deliveryWorker>[0]['logger']

t.test('stop() releases an attempt still waiting for its receiver, and claims nothing more', async (t) => {
  const { app, database, centre } = await buildTestApp(t, { webhookPolicy: { allowPrivateUrls: true }, ownDatabase: true })
  let arrived = 0
  const hanging = createServer(() => arrived++) // never answers
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    hanging.closeAllConnections()
    hanging.close()
  })
  const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hooks`
  const hook = await call(app, { method: 'POST', url: '/v1/webhooks', token: centre.adminToken, body: { url, events: ['report.issued'] } })
  t.equal(hook.status, 201)
  for (const reportId of ['r1', 'r2']) await database.db.transaction((tx) => enqueueEvent(tx, new Date(), centre.centreId, 'report.issued', { reportId }))

  const worker = deliveryWorker({ db: database.db, logger, retryBaseMs: 5, allowPrivateUrls: true, pollMs: 10, timeoutMs: 30_000 })
  worker.start()
  for (let i = 0; i < 200 && arrived === 0; i++) await sleep(10)
  t.equal(arrived, 1, 'the first attempt reached the receiver, which keeps it waiting')
  const started = Date.now()
  await worker.stop(200)
  const took = Date.now() - started
  t.ok(took < 2000, `stopped in ${took} ms, not after the receiver's 30 s timeout`)
  t.equal(arrived, 1, 'no second claim once stopping')
  const rows = await rawRows<{ attempts: number; status: string; due: boolean }>(
    database.db,
    sql`select attempts, status, next_attempt_at <= now() as due from webhook_deliveries order by created_at`,
  )
  t.same(
    rows.map((r) => ({ ...r })),
    [
      { attempts: 0, status: 'pending', due: true },
      { attempts: 0, status: 'pending', due: true },
    ],
    'the cut-short attempt does not count and is due again at once; the other, claimed with it but not sent, is handed back too',
  )
  const [{ n }] = (await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from webhook_attempts`)) as [{ n: number }]
  t.equal(n, 0, 'no attempt recorded')
  t.ok(messages.includes('webhook attempt released at shutdown'))
})
