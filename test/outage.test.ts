/**
 * The process outlives its database: the real server on PostgreSQL has its connections terminated
 * (pg_terminate_backend) while idle, under load and with the webhook worker inside a claim, and
 * answers 503 problem+json meanwhile, 200 afterwards, with one warning per outage and no stacks.
 */
import t from 'tap'
import pg from 'pg'
import { createServer } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setupCentre } from '../src/modules/admin/demo.js'
import { onPostgres, openTestDatabase } from './helpers/app.js'
import { listening, start, stop } from './helpers/processes.js'

const APP = 'bzr_outage'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

t.test(
  'connections terminated while idle, under load and mid-claim: the same process answers 503 meanwhile and 200 after',
  { skip: onPostgres ? false : 'needs PostgreSQL (DATABASE_URL): PGlite runs inside the process, there is no connection to lose' },
  async (t) => {
    const database = await openTestDatabase(t)
    const { adminToken, centreId } = await setupCentre(database.db, { centreName: 'Outage centre', demo: false })
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    t.teardown(() => admin.end())
    const terminate = async () =>
      Number(
        (await admin.query<{ n: string }>('select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1', [APP])).rows[0]!.n,
      )

    const received: string[] = []
    const receiver = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']))
      req.resume().on('end', () => res.end('ok'))
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    t.teardown(() => receiver.close())

    const url = new URL(database.url!)
    url.searchParams.set('application_name', APP)
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      DATABASE_URL: url.toString(),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bzr-outage-')),
      PORT: '0',
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    }
    const server = start('server', env)
    t.teardown(() => server.child.kill('SIGKILL'))
    const base = await listening(server)
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${adminToken}` } })
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      }
    }
    t.equal((await get('/v1/counsellors')).status, 200, 'serving before')
    const logLines = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
    const warnings = () => logLines().filter((line) => line.includes('"msg":"database unavailable'))
    const backs = () => logLines().filter((line) => line.includes('"msg":"database available again"'))
    const settle = async () => {
      for (let i = 0; i < 100 && backs().length < warnings().length; i++) await sleep(100)
    }

    // 1. Idle: the pool's connections die while nobody uses them.
    t.ok((await terminate()) > 0, 'idle connections terminated')
    await sleep(200)
    t.equal(server.child.exitCode, null, 'the process is still running')
    t.equal((await get('/health/ready')).status, 200, 'ready again at once: the next query takes a new connection')
    t.equal((await get('/v1/counsellors')).status, 200)
    await settle()
    t.ok(warnings().length <= 1, `idle: ${warnings().length} warning(s)`)

    // 2. Under load: twelve callers, connections terminated three times while requests are in flight.
    const before = warnings().length
    const statuses = new Map<number, number>()
    const bad: string[] = []
    let loading = true
    const loops = Array.from({ length: 12 }, async (_, i) => {
      while (loading) {
        const r = await get(i % 3 ? '/v1/counsellors' : '/health/ready').catch((error: Error) => ({
          status: 0,
          body: error.message,
          type: null,
          retryAfter: null,
        }))
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
        if (r.status === 503 && !(r.type?.startsWith('application/problem+json') && r.retryAfter && JSON.parse(r.body).status === 503))
          bad.push(`503 without problem+json or Retry-After: ${r.body.slice(0, 200)}`)
        else if (r.status !== 200 && r.status !== 503) bad.push(`${r.status}: ${r.body.slice(0, 200)}`)
      }
    })
    let terminated = 0
    for (let i = 0; i < 3; i++) {
      await sleep(300)
      terminated += await terminate()
    }
    await sleep(300)
    loading = false
    await Promise.all(loops)
    t.comment(`under load: ${terminated} connections terminated; answers by status ${JSON.stringify(Object.fromEntries(statuses))}`)
    t.same(bad, [], 'every answer is a 200 or a 503 problem+json with Retry-After')
    t.ok((statuses.get(200) ?? 0) > 0, 'served throughout')
    t.equal(server.child.exitCode, null, 'the process is still running')
    t.equal((await get('/v1/counsellors')).status, 200, '200 after')
    await settle()
    t.ok(warnings().length - before <= 3, `under load: ${warnings().length - before} warning(s) for three terminations`)

    // 3. The webhook worker inside its claim: it waits on a table lock when its connection is terminated.
    const [hook] = (
      await admin.query<{ id: string }>(
        `insert into webhooks (id, centre_id, url, events, secret) values (gen_random_uuid(), $1, $2, '{report.issued}', $3) returning id`,
        [
          centreId,
          `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`,
          `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`,
        ],
      )
    ).rows
    const [delivery] = (
      await admin.query<{ id: string }>(
        `insert into webhook_deliveries (id, webhook_id, event_type, payload, next_attempt_at) values (gen_random_uuid(), $1, 'report.issued', '{"type":"report.issued"}', now() + interval '1 second') returning id`,
        [hook!.id],
      )
    ).rows
    const locker = new pg.Client({ connectionString: database.url })
    await locker.connect()
    t.teardown(() => locker.end())
    await locker.query('begin')
    await locker.query('lock table webhooks in access exclusive mode')
    let waiting = 0
    for (let i = 0; i < 100 && waiting === 0; i++) {
      await sleep(100)
      waiting = Number(
        (
          await admin.query<{ n: string }>(
            `select count(*) as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock' and query ilike '%from "webhooks"%'`,
            [APP],
          )
        ).rows[0]!.n,
      )
    }
    t.equal(waiting, 1, 'the worker is inside its claim, waiting')
    t.ok((await terminate()) > 0, 'its connection terminated')
    await locker.query('rollback')
    for (let i = 0; i < 100 && !received.includes(delivery!.id); i++) await sleep(100)
    t.ok(received.includes(delivery!.id), 'the delivery is made once the database answers again')
    t.equal(server.child.exitCode, null, 'the process is still running')
    t.equal((await get('/v1/counsellors')).status, 200, '200 after')
    await settle()

    const lines = logLines()
    t.comment(`log: ${warnings().length} warnings "database unavailable", ${backs().length} "available again", ${lines.length} lines in all`)
    t.equal(backs().length, warnings().length, 'each outage logged as over')
    t.same(
      lines.filter((line) => /"level":(50|60)/.test(line) || line.includes('"stack"')),
      [],
      'no error line and no stack: an outage is not a bug',
    )
    // A connection the test killed may surface only now (a worker meets it on its next statement), opening a
    // last outage: stop once the probe has seen the database back, as an operator would. (Stopping in the middle
    // of an outage can end with exit code 1: noticed, not fixed here.)
    for (let i = 0; i < 50 && backs().length < warnings().length; i++) await sleep(100)
    t.equal(await stop(server), 0, 'and it stops cleanly')
  },
)
