/**
 * Every POST that changes state honours Idempotency-Key: retried after its answer was lost, it answers
 * the first status and body with `idempotent-replayed: true`, and its effect happens once. The list of
 * operations comes from the OpenAPI document, so a new POST cannot escape; the only ones left out are
 * those whose answer carries a secret shown once (a token, a centre's first admin token, a calendar
 * key), which is never stored, and the recurrence preview, which changes nothing.
 */
import t from 'tap'
import { and, eq, sql } from 'drizzle-orm'
import { buildApp } from '../../src/app.js'
import { rawRows } from '../../src/db/client.js'
import { reports, series, visitObservations, webhookDeliveries, webhooks } from '../../src/db/schema.js'
import { call, openTestDatabase } from '../helpers/app.js'
import { buildWorld, documentOf, operationsOf, type Subject } from '../helpers/openapi-harness.js'
import { defaultId, TABLE } from '../helpers/operation-table.js'

const SECRETS_OR_NO_CHANGE = ['POST /v1/tokens', 'POST /v1/centres', 'POST /v1/counsellors/{id}/calendar-key', 'POST /v1/recurrence/preview']

const database = await openTestDatabase(t)
const app = await buildApp({ database })
t.teardown(() => app.close())
await app.ready()
const A = await buildWorld(app, database, 'A')
const operations = operationsOf(documentOf(app)).filter((o) => o.method === 'POST')

t.test('every state-changing POST documents Idempotency-Key', async (t) => {
  const missing = operations.filter((o) => !SECRETS_OR_NO_CHANGE.includes(o.key) && !o.headers.includes('idempotency-key')).map((o) => o.key)
  t.same(missing, [], 'each takes the header')
  t.ok(operations.length > 25, `${operations.length} POST operations`)
})

t.test('a retry with the same key answers the first answer, replayed', async (t) => {
  let n = 1000
  const checked: string[] = []
  for (const op of operations) {
    if (SECRETS_OR_NO_CHANGE.includes(op.key)) continue
    const spec = TABLE[op.key]!
    if (spec.roles === 'public') continue
    const subject = (['admin', 'staff', 'clerk', 'operator'] as Subject[]).find((s) => (spec.roles as Subject[]).includes(s))!
    const id = op.path.includes('{id}') ? await (spec.id?.(A, subject) ?? defaultId(A, op)) : null
    const url = op.path.replace('{id}', id ?? '')
    const body = op.body ? (spec.body?.(A, ++n, subject) ?? {}) : undefined
    const send = () =>
      app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${A.tokens[subject]}`,
          'idempotency-key': `retry-${op.key.replace(/[^\w/{}-]/g, '_')}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })
    const first = await send()
    const again = await send()
    const without = (text: string) => {
      const { requestId: _r, instance: _i, ...rest } = JSON.parse(text) as Record<string, unknown>
      return rest
    }
    if (first.statusCode >= 300) {
      // A refusal thrown inside the work stores nothing: the retry is judged anew, and refused the same way.
      t.equal(again.statusCode, first.statusCode, `${op.key}: refused again (${first.body.slice(0, 120)})`)
      continue
    }
    t.equal(again.statusCode, first.statusCode, `${op.key}: the first status`)
    t.equal(again.headers['idempotent-replayed'], 'true', `${op.key}: marked as replayed`)
    t.same(without(again.body), without(first.body), `${op.key}: the first body`)
    checked.push(op.key)
  }
  t.ok(checked.length >= 20, `${checked.length} operations replayed: ${checked.join(', ')}`)
})

t.test('retried after a lost answer, each effect happens once', async (t) => {
  const admin = A.tokens.admin!
  const post = (url: string, key: string, body: unknown) => call(app, { method: 'POST', url, token: admin, body, headers: { 'idempotency-key': key } })

  // A series booked with onConflict skip: a retry used to book a second, empty series.
  const seriesBody = {
    kind: 'supervised_visit',
    roomId: A.roomIds[1],
    counsellorIds: [A.counsellorIds[1]],
    start: `${new Date().getUTCFullYear() + 1}-03-01T10:00`,
    durationMinutes: 60,
    rrule: 'FREQ=WEEKLY;COUNT=2',
    onConflict: 'skip',
  }
  const booked = await post(`/v1/cases/${A.caseId}/series`, 'series-once', seriesBody)
  t.equal(booked.status, 201, booked.body)
  const rebooked = await post(`/v1/cases/${A.caseId}/series`, 'series-once', seriesBody)
  t.equal(rebooked.status, 201)
  t.equal(rebooked.headers['idempotent-replayed'], 'true')
  t.equal(rebooked.json.seriesId, booked.json.seriesId)
  const [seriesCount] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${series} where ${series.caseId} = ${A.caseId}`)
  const [visitCount] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from visits where series_id = ${booked.json.seriesId}`)
  t.equal(visitCount!.n, booked.json.visits.length, 'the visits of one series')
  t.equal(booked.json.visits.length + booked.json.skipped.length, 2)
  t.ok(seriesCount!.n >= 1)

  // A progress report: one report, one webhook delivery per subscription.
  const deliveriesBefore = await database.db
    .select()
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhooks.centreId, A.centreId))
  const report = await post(`/v1/cases/${A.caseId}/reports`, 'report-once', { kind: 'progress' })
  t.equal(report.status, 201, report.body)
  const again = await post(`/v1/cases/${A.caseId}/reports`, 'report-once', { kind: 'progress' })
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.json.id, report.json.id, 'the same report')
  const issued = await database.db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.caseId, A.caseId), eq(reports.kind, 'progress')))
  t.equal(issued.filter((r) => r.id === report.json.id).length, 1)
  const deliveriesAfter = await database.db
    .select()
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhooks.centreId, A.centreId))
  const activeHooks = await database.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.centreId, A.centreId), eq(webhooks.active, true)))
  t.equal(deliveriesAfter.length - deliveriesBefore.length, activeHooks.length, 'one delivery per webhook, not two')

  // An observation.
  const observation = { kind: 'observation', text: 'Calm handover, recorded once.' }
  const first = await post(`/v1/visits/${A.visitIds[0]}/observations`, 'observation-once', observation)
  t.equal(first.status, 201, first.body)
  t.equal((await post(`/v1/visits/${A.visitIds[0]}/observations`, 'observation-once', observation)).headers['idempotent-replayed'], 'true')
  const stored = await database.db.select().from(visitObservations).where(eq(visitObservations.text, observation.text))
  t.equal(stored.length, 1, 'one observation')

  // The same key with another request is refused, naming the key.
  const other = await post(`/v1/visits/${A.visitIds[0]}/observations`, 'observation-once', { ...observation, text: 'Another text.' })
  t.equal(other.status, 422)
  t.match(other.json.detail, /already used with a different request/)
  // The same key and body on another visit is another request.
  const elsewhere = await post(`/v1/visits/${A.visitIds[1]}/observations`, 'observation-once', observation)
  t.equal(elsewhere.status, 422, 'the path is part of the request')
})

t.test('a key is forgotten after its time', async (t) => {
  const short = await buildApp({ database, idempotencyKeyHours: 1 })
  t.teardown(() => short.close())
  const admin = A.tokens.admin!
  const body = { kind: 'observation', text: 'Kept for an hour.' }
  const url = `/v1/visits/${A.visitIds[0]}/observations`
  const first = await call(short, { method: 'POST', url, token: admin, body, headers: { 'idempotency-key': 'hour' } })
  t.equal(first.status, 201)
  await database.db.execute(sql`update idempotency_keys set created_at = now() - interval '2 hours' where key = 'hour'`)
  const later = await call(short, { method: 'POST', url, token: admin, body, headers: { 'idempotency-key': 'hour' } })
  t.equal(later.status, 201)
  t.notOk(later.headers['idempotent-replayed'], 'acted anew')
  t.not(later.json.id, first.json.id)
})

t.test('the retention job forgets keys past their time', async (t) => {
  const { forgetIdempotencyKeys, retentionJob } = await import('../../src/modules/retention/service.js')
  await database.db.execute(sql`update idempotency_keys set created_at = now() - interval '3 days' where key = 'series-once'`)
  const job = retentionJob({ db: database.db, logger: { info() {}, error() {} }, idempotencyKeyMs: 24 * 3_600_000 })
  job.start()
  await job.stop()
  const [old] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from idempotency_keys where key = 'series-once'`)
  const [fresh] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from idempotency_keys where key = 'report-once'`)
  t.same([old!.n, fresh!.n], [0, 1], 'the old key is gone, the fresh one kept')
  t.equal(await forgetIdempotencyKeys(database.db, new Date(0)), 0, 'nothing older than the epoch')
})
