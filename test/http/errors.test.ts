import t from 'tap'
import { buildTestApp, call } from '../helpers/app.js'

const site = { name: 'S', timeZone: 'Europe/Brussels', judicialDistrict: 'Gent', openingHours: { sat: [{ from: '09:00', to: '17:00' }] } }

t.test('bad input on reference-data routes → the right 4xx problem, never 500', async (t) => {
  const { app, centre, operator } = await buildTestApp(t)
  const token = centre.adminToken
  const siteId = centre.demo.siteId
  const json = { 'content-type': 'application/json' }
  const cases: { name: string; method: 'POST' | 'PATCH' | 'GET'; url: string; body?: unknown; headers?: Record<string, string>; status: number; pointer?: string; token?: string }[] = [
    { name: 'malformed JSON', method: 'POST', url: '/v1/sites', body: '{"name": "S",', headers: json, status: 400 },
    { name: 'empty JSON body', method: 'POST', url: '/v1/courts', body: '', headers: json, status: 400, token: operator },
    { name: 'wrong type', method: 'POST', url: '/v1/rooms', body: { siteId, name: 'R', capacity: '2' }, status: 400, pointer: '/capacity' },
    { name: 'wrong type in an array', method: 'POST', url: '/v1/counsellors', body: { name: 'C', workingHours: {}, languages: [1] }, status: 400, pointer: '/languages/0' },
    { name: 'missing required field', method: 'POST', url: '/v1/sites', body: { ...site, timeZone: undefined }, status: 400, pointer: '/timeZone' },
    { name: 'unknown property', method: 'POST', url: '/v1/courts', body: { name: 'C', judicialDistrict: 'Gent', colour: 'red' }, status: 400, pointer: '/colour', token: operator },
    { name: 'unknown timeZone', method: 'POST', url: '/v1/sites', body: { ...site, timeZone: 'Europe/Gent' }, status: 400, pointer: '/timeZone' },
    { name: 'opening hours ending before they start', method: 'POST', url: '/v1/sites', body: { ...site, openingHours: { mon: [{ from: '18:00', to: '09:00' }] } }, status: 400, pointer: '/openingHours/mon/0' },
    { name: 'bad clock time', method: 'POST', url: '/v1/sites', body: { ...site, openingHours: { mon: [{ from: '25:00', to: '26:00' }] } }, status: 400, pointer: '/openingHours/mon/0/from' },
    { name: 'impossible closure date', method: 'POST', url: '/v1/sites', body: { ...site, closures: [{ from: '2026-02-30', to: '2026-03-01' }] }, status: 400 },
    { name: 'capacity 0', method: 'POST', url: '/v1/rooms', body: { siteId, name: 'R', capacity: 0 }, status: 400, pointer: '/capacity' },
    { name: 'capacity 0 on update', method: 'PATCH', url: `/v1/rooms/${centre.demo.roomIds[0]}`, body: { capacity: 0 }, status: 400, pointer: '/capacity' },
    { name: 'invalid UUID in the path', method: 'GET', url: '/v1/sites/not-a-uuid', status: 400, pointer: '/id' },
    { name: 'invalid UUID in the body', method: 'POST', url: '/v1/rooms', body: { siteId: '123', name: 'R' }, status: 400, pointer: '/siteId' },
    { name: 'room on an unknown site', method: 'POST', url: '/v1/rooms', body: { siteId: '01a207aa-285e-7650-9679-924277139751', name: 'R' }, status: 404 },
    { name: 'limit out of range', method: 'GET', url: '/v1/sites?limit=0', status: 400, pointer: '/limit' },
    { name: 'forged cursor', method: 'GET', url: '/v1/sites?cursor=abc', status: 400, pointer: '/cursor' },
    { name: 'body of 2 MiB', method: 'POST', url: '/v1/sites', body: JSON.stringify({ ...site, name: 'x'.repeat(2 * 1024 * 1024) }), headers: json, status: 413 },
    { name: 'text/plain body', method: 'POST', url: '/v1/sites', body: 'name=S', headers: { 'content-type': 'text/plain' }, status: 415 },
    { name: 'unknown route', method: 'GET', url: '/v1/nothing-here', status: 404 },
    { name: 'absence ending before it starts', method: 'POST', url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/absences`, body: { from: '2026-03-02T10:00:00Z', until: '2026-03-01T10:00:00Z' }, status: 400, pointer: '/until' },
    { name: 'absence with a date-time without offset', method: 'POST', url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/absences`, body: { from: 'tomorrow', until: '2026-03-01T10:00:00Z' }, status: 400, pointer: '/from' },
  ]
  for (const c of cases) {
    const response = await call(app, { method: c.method, url: c.url, token: c.token ?? token, body: c.body, headers: c.headers })
    t.equal(response.status, c.status, `${c.name}: ${response.status} ${response.body.slice(0, 200)}`)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${c.name}: problem+json`)
    t.match(response.json, { type: /^urn:bezoekruimte:problem:/, title: String, status: c.status, detail: String }, `${c.name}: problem fields`)
    if (c.pointer) t.ok(response.json.errors?.some((e: { pointer: string }) => e.pointer === c.pointer), `${c.name}: errors[] names ${c.pointer}: ${JSON.stringify(response.json.errors)}`)
  }
})

t.test('every defect is listed at once', async (t) => {
  const { app, centre } = await buildTestApp(t)
  const response = await call(app, { method: 'POST', url: '/v1/rooms', token: centre.adminToken, body: { capacity: 0, features: 'x' } })
  t.equal(response.status, 400)
  const pointers = response.json.errors.map((e: { pointer: string }) => e.pointer).sort()
  t.same(pointers, ['/capacity', '/features', '/name', '/siteId'])
})

t.test('an unexpected error is a 500 problem without internals, logged with the request id', async (t) => {
  const lines: string[] = []
  const { default: pino } = await import('pino')
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(line) } })
  const { app } = await buildTestApp(t, { logger })
  app.get('/boom', async () => { throw new Error('secret internal detail') })
  const response = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'req-boom-1' } })
  t.equal(response.statusCode, 500)
  t.equal(response.json().status, 500)
  t.notMatch(response.body, /secret internal detail/)
  t.equal(response.headers['x-request-id'], 'req-boom-1')
  t.ok(lines.some((l) => l.includes('secret internal detail') && l.includes('req-boom-1')), 'error logged with its request id')
})

t.test('a unique violation is a 409 problem', async (t) => {
  const { app, database } = await buildTestApp(t)
  app.post('/dup', async () => {
    const { centres } = await import('../../src/db/schema.js')
    const { withDefaults } = await import('../../src/domain/centre-settings.js')
    const id = '01a207aa-2853-7399-9beb-4e6a29a64dd6'
    await database.db.insert(centres).values({ id, name: 'x', settings: withDefaults(undefined) })
    await database.db.insert(centres).values({ id, name: 'x', settings: withDefaults(undefined) })
  })
  const response = await app.inject({ method: 'POST', url: '/dup' })
  t.equal(response.statusCode, 409)
  t.equal(response.json().type, 'urn:bezoekruimte:problem:already-exists')
})

t.test('database down → 503 problem with Retry-After', async (t) => {
  const { app, database, centre } = await buildTestApp(t)
  t.equal((await call(app, { url: '/health/ready' })).status, 200)
  await database.close()
  const ready = await call(app, { url: '/health/ready' })
  t.equal(ready.status, 503)
  t.ok(ready.headers['retry-after'])
  t.equal(ready.json.type, 'urn:bezoekruimte:problem:database-unavailable')
  const api = await call(app, { url: `/v1/sites/${centre.demo.siteId}`, token: centre.adminToken })
  t.equal(api.status, 503, api.body)
  t.ok(api.headers['retry-after'])
  t.equal((await call(app, { url: '/health/live' })).status, 200, 'liveness does not depend on the database')
})
