/**
 * "No input a client can send produces a 500": every operation of the OpenAPI document is sent
 * hostile path ids, query values and bodies (each property of a plausible body in turn replaced by
 * values of the wrong type, size or calendar). Every answer must be below 500 and every error a
 * problem+json with a detail a person can act on. Real ids are used where a route takes one, so the
 * requests get past validation into the handlers and the database.
 */
import t, { type Test as Tap } from 'tap'
import type { App } from '../../src/app.js'
import { auditEvents } from '../../src/db/schema.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

/** A centre with a real record of each kind, so that ids resolve and requests reach the handlers. */
async function setUp(t: Tap) {
  const { app, database, centre } = await buildTestApp(t)
  const token = centre.adminToken
  await app.ready()

  const c = await createCase(database, centre)
  const booked = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/series`, token, body: {
    kind: 'supervised_visit', roomId: centre.demo.roomIds[1], counsellorIds: [centre.demo.counsellorIds[1]],
    start: '2027-06-02T10:00', durationMinutes: 90, rrule: 'FREQ=WEEKLY;COUNT=3',
  } })
  t.equal(booked.status, 201, booked.body)
  const referral = await call(app, { method: 'POST', url: '/v1/referrals', token, body: {
    centreId: centre.centreId, source: 'self', legalFramework: 'voluntary', reason: 'Asked for by both parents.',
    parties: [
      { role: 'child', givenName: 'A', familyName: 'B', birthDate: '2019-05-02', language: 'nl' },
      { role: 'visiting_parent', givenName: 'C', familyName: 'B', birthDate: '1987-01-20', language: 'nl' },
    ],
  } })
  t.equal(referral.status, 201, referral.body)
  const spareToken = await tokenFor(database, 'staff', { centreId: centre.centreId })
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token

  const realId: Record<string, string> = {
    centres: centre.centreId, sites: centre.demo.siteId, rooms: centre.demo.roomIds[0]!, counsellors: centre.demo.counsellorIds[0]!,
    courts: centre.demo.courtId, tokens: spareToken.id, referrals: referral.json.id, cases: c.caseId,
    series: booked.json.seriesId, visits: booked.json.visits[0].id,
  }
  return { app, database, tokens: [token, clerk], realId }
}

const HOSTILE_IDS = ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%00', '..%2F..%2Fetc', 'x'.repeat(300)]
const HOSTILE_VALUES: unknown[] = [null, -1, 0, 1e308, 3.5, true, '', 'x'.repeat(5000), '2026-02-30', '2026-13-01T25:61', '24:00', [], [null], {}, { $ne: 1 }, '\u0000', 'DROP TABLE visits']
const HOSTILE_QUERY = ['', 'x', '-1', '0', '1e400', '99999999999999999999', '2026-02-30', '2026-03-29T02:30', '2026-01-01T00:00:00+99:00', 'null', '%00', '"', 'a,b']

interface Operation { method: string; path: string; query: string[]; body: Record<string, any> | null }

function operations(app: App): Operation[] {
  const document = app.swagger() as any
  const list: Operation[] = []
  for (const [path, methods] of Object.entries<any>(document.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const schema = op.requestBody?.content?.['application/json']?.schema
      list.push({
        method: method.toUpperCase(), path,
        query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
        body: schema ? resolve(document, schema) : null,
      })
    }
  }
  // Reads first, then writes, then deactivations and revocations, so that the real ids stay usable.
  const order = (o: Operation) => (o.method === 'GET' ? 0 : o.method === 'DELETE' ? 2 : 1)
  return list.sort((a, b) => order(a) - order(b))
}

function resolve(document: any, schema: any): any {
  if (schema?.$ref) return resolve(document, schema.$ref.split('/').slice(1).reduce((node: any, key: string) => node[key], document))
  return schema
}

/** A body built from the examples the schema gives for each property (the closest to valid we can get generically). */
function plausibleBody(schema: any): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [name, property] of Object.entries<any>(schema.properties ?? {})) {
    const example = property.examples?.[0] ?? property.example ?? property.default
    if (example !== undefined) body[name] = example
  }
  return body
}

const pathFor = (path: string, id: string) => path.replace(/\{id\}/g, id)

t.test('no request a client can make is answered 500; every error is problem+json with a detail', async (t) => {
  const { app, database, tokens, realId } = await setUp(t)
  const changed: { requestId: string; label: string }[] = []
  const idFor = (path: string) => realId[path.split('/')[2]!] ?? HOSTILE_IDS[0]!
  const failures: string[] = []
  let sent = 0
  // As the centre's admin (deepest into the handlers) and as a court's clerk (the court-scoped paths).
  let token = tokens[0]!
  const send = async (method: string, url: string, body?: unknown, raw = false) => {
    sent++
    const response = await app.inject({
      method: method, url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `fuzz-${sent}`, 'if-match': '"1"', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body === undefined ? {} : { payload: raw ? (body as string) : JSON.stringify(body) }),
    })
    const label = `${method} ${url.slice(0, 120)} ${body === undefined ? '' : (raw ? (body as string) : JSON.stringify(body)).slice(0, 120)}`
    const readOnly = method === 'GET' || url.startsWith('/v1/recurrence/preview') || (body as { dryRun?: boolean } | undefined)?.dryRun === true
    if (response.statusCode < 300 && !readOnly) changed.push({ requestId: String(response.headers['x-request-id']), label })
    if (response.statusCode >= 500 && response.statusCode !== 503) failures.push(`${response.statusCode} ${label}: ${response.body.slice(0, 200)}`)
    if (response.statusCode >= 400) {
      const type = String(response.headers['content-type'])
      let detail: unknown
      try { detail = response.json().detail } catch { detail = undefined }
      if (!type.startsWith('application/problem+json') || typeof detail !== 'string' || detail.length === 0) failures.push(`not a problem with a detail: ${label}: ${type} ${response.body.slice(0, 200)}`)
    }
  }

  for (const op of tokens.flatMap((as) => operations(app).map((o) => ({ ...o, as })))) {
    token = op.as
    const hasId = op.path.includes('{id}')
    const url = pathFor(op.path, idFor(op.path))
    if (hasId) for (const id of HOSTILE_IDS) await send(op.method, pathFor(op.path, encodeURIComponent(id) === id ? id : id), op.body ? {} : undefined)
    for (const name of op.query) {
      for (const value of HOSTILE_QUERY) await send(op.method, `${url}?${name}=${encodeURIComponent(value)}`)
      await send(op.method, `${url}?${name}=a&${name}=b`)
    }
    if (!op.body) continue
    for (const raw of ['', '[]', 'null', '"x"', '{', '{"a":1}', '1']) await send(op.method, url, raw, true)
    const base = plausibleBody(op.body)
    await send(op.method, url, base)
    for (const name of Object.keys(op.body.properties ?? {})) {
      for (const value of HOSTILE_VALUES) await send(op.method, url, { ...base, [name]: value })
    }
  }
  t.ok(sent > 6000, `${sent} requests sent`)
  t.same(failures, [], 'no 500 and no error without a problem detail')

  // Every change that succeeded left an audit event carrying its request id.
  const audited = new Set((await database.db.select({ requestId: auditEvents.requestId }).from(auditEvents)).map((a) => a.requestId))
  t.ok(changed.length > 50, `${changed.length} requests changed something`)
  t.same(changed.filter((c) => !audited.has(c.requestId)).map((c) => c.label), [], 'every successful change is audited')
})
