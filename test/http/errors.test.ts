import t from 'tap'
import { connect } from 'node:net'
import { acceptedCase, buildTestApp, call, testCentre } from '../helpers/app.js'

const site = { name: 'S', timeZone: 'Europe/Brussels', judicialDistrict: 'Gent', openingHours: { sat: [{ from: '09:00', to: '17:00' }] } }

t.test('bad input on reference-data routes → the right 4xx problem, never 500', async (t) => {
  const { app, centre, operator } = await testCentre(t)
  const token = centre.adminToken
  const siteId = centre.demo.siteId
  const json = { 'content-type': 'application/json' }
  const cases: {
    name: string
    method: 'POST' | 'PATCH' | 'GET'
    url: string
    body?: unknown
    headers?: Record<string, string>
    status: number
    pointer?: string
    token?: string
  }[] = [
    { name: 'malformed JSON', method: 'POST', url: '/v1/sites', body: '{"name": "S",', headers: json, status: 400 },
    { name: 'empty JSON body', method: 'POST', url: '/v1/courts', body: '', headers: json, status: 400, token: operator },
    { name: 'wrong type', method: 'POST', url: '/v1/rooms', body: { siteId, name: 'R', capacity: '2' }, status: 400, pointer: '/capacity' },
    {
      name: 'wrong type in an array',
      method: 'POST',
      url: '/v1/counsellors',
      body: { name: 'C', workingHours: {}, languages: [1] },
      status: 400,
      pointer: '/languages/0',
    },
    { name: 'missing required field', method: 'POST', url: '/v1/sites', body: { ...site, timeZone: undefined }, status: 400, pointer: '/timeZone' },
    {
      name: 'unknown property',
      method: 'POST',
      url: '/v1/courts',
      body: { name: 'C', judicialDistrict: 'Gent', colour: 'red' },
      status: 400,
      pointer: '/colour',
      token: operator,
    },
    { name: 'unknown timeZone', method: 'POST', url: '/v1/sites', body: { ...site, timeZone: 'Europe/Gent' }, status: 400, pointer: '/timeZone' },
    {
      name: 'opening hours ending before they start',
      method: 'POST',
      url: '/v1/sites',
      body: { ...site, openingHours: { mon: [{ from: '18:00', to: '09:00' }] } },
      status: 400,
      pointer: '/openingHours/mon/0',
    },
    {
      name: 'bad clock time',
      method: 'POST',
      url: '/v1/sites',
      body: { ...site, openingHours: { mon: [{ from: '25:00', to: '26:00' }] } },
      status: 400,
      pointer: '/openingHours/mon/0/from',
    },
    { name: 'impossible closure date', method: 'POST', url: '/v1/sites', body: { ...site, closures: [{ from: '2026-02-30', to: '2026-03-01' }] }, status: 400 },
    { name: 'capacity 0', method: 'POST', url: '/v1/rooms', body: { siteId, name: 'R', capacity: 0 }, status: 400, pointer: '/capacity' },
    { name: 'capacity 0 on update', method: 'PATCH', url: `/v1/rooms/${centre.demo.roomIds[0]}`, body: { capacity: 0 }, status: 400, pointer: '/capacity' },
    { name: 'invalid UUID in the path', method: 'GET', url: '/v1/sites/not-a-uuid', status: 400, pointer: '/id' },
    { name: 'invalid UUID in the body', method: 'POST', url: '/v1/rooms', body: { siteId: '123', name: 'R' }, status: 400, pointer: '/siteId' },
    { name: 'room on an unknown site', method: 'POST', url: '/v1/rooms', body: { siteId: '01a207aa-285e-7650-9679-924277139751', name: 'R' }, status: 404 },
    { name: 'limit out of range', method: 'GET', url: '/v1/sites?limit=0', status: 400, pointer: '/limit' },
    { name: 'forged cursor', method: 'GET', url: '/v1/sites?cursor=abc', status: 400, pointer: '/cursor' },
    {
      name: 'body of 2 MiB',
      method: 'POST',
      url: '/v1/sites',
      body: JSON.stringify({ ...site, name: 'x'.repeat(2 * 1024 * 1024) }),
      headers: json,
      status: 413,
    },
    { name: 'text/plain body', method: 'POST', url: '/v1/sites', body: 'name=S', headers: { 'content-type': 'text/plain' }, status: 415 },
    { name: 'unknown route', method: 'GET', url: '/v1/nothing-here', status: 404 },
    {
      name: 'absence ending before it starts',
      method: 'POST',
      url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/absences`,
      body: { from: '2026-03-02T10:00:00Z', until: '2026-03-01T10:00:00Z' },
      status: 400,
      pointer: '/until',
    },
    {
      name: 'absence with a date-time without offset',
      method: 'POST',
      url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/absences`,
      body: { from: 'tomorrow', until: '2026-03-01T10:00:00Z' },
      status: 400,
      pointer: '/from',
    },
  ]
  for (const c of cases) {
    const response = await call(app, { method: c.method, url: c.url, token: c.token ?? token, body: c.body, headers: c.headers })
    t.equal(response.status, c.status, `${c.name}: ${response.status} ${response.body.slice(0, 200)}`)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${c.name}: problem+json`)
    t.match(response.json, { type: /^urn:bezoekruimte:problem:/, title: String, status: c.status, detail: String }, `${c.name}: problem fields`)
    if (c.pointer)
      t.ok(
        response.json.errors?.some((e: { pointer: string }) => e.pointer === c.pointer),
        `${c.name}: errors[] names ${c.pointer}: ${JSON.stringify(response.json.errors)}`,
      )
  }
})

t.test('every defect is listed at once', async (t) => {
  const { app, centre } = await testCentre(t)
  const response = await call(app, { method: 'POST', url: '/v1/rooms', token: centre.adminToken, body: { capacity: 0, features: 'x' } })
  t.equal(response.status, 400)
  const pointers = response.json.errors.map((e: { pointer: string }) => e.pointer).sort()
  t.same(pointers, ['/capacity', '/features', '/name', '/siteId'])
})

t.test('an unknown query parameter → 400 naming it, not ignored (a misspelt filter must not list everything)', async (t) => {
  const { app, centre } = await testCentre(t)
  const list = await call(app, { url: '/v1/rooms?sitId=x&limit=5', token: centre.adminToken })
  t.equal(list.status, 400, list.body)
  t.equal(list.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(list.json, { type: 'urn:bezoekruimte:problem:validation', detail: /"sitId" is not a query parameter of this operation/ })
  t.same(list.json.errors, [{ in: 'query', pointer: '/sitId', detail: '"sitId" is not a query parameter of this operation' }])
  // A route that reads no query parameter refuses one too.
  const one = await call(app, { url: `/v1/centres/${centre.centreId}?verbose=1`, token: centre.adminToken })
  t.equal(one.status, 400, one.body)
  t.match(one.json.errors, [{ in: 'query', pointer: '/verbose' }])
  t.equal((await call(app, { url: '/v1/rooms?limit=5', token: centre.adminToken })).status, 200, 'known parameters pass')
  // A token in the URL keeps its own refusal.
  t.equal((await call(app, { url: `/v1/rooms?access_token=${centre.adminToken}` })).status, 401)
})

t.test('an unexpected error is a 500 problem without internals, logged with the request id', async (t) => {
  const lines: string[] = []
  const { default: pino } = await import('pino')
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(line)
      },
    },
  )
  const { app } = await testCentre(t, { logger })
  app.get('/boom', async () => {
    throw new Error('secret internal detail')
  })
  const response = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'req-boom-1' } })
  t.equal(response.statusCode, 500)
  t.equal(response.json().status, 500)
  t.notMatch(response.body, /secret internal detail/)
  t.equal(response.headers['x-request-id'], 'req-boom-1')
  t.ok(
    lines.some((l) => l.includes('secret internal detail') && l.includes('req-boom-1')),
    'error logged with its request id',
  )
})

t.test('a unique violation is a 409 problem', async (t) => {
  const { app, database } = await testCentre(t, { ownApp: true })
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
  // A database of its own: it closes it.
  const { app, database, centre } = await buildTestApp(t, { ownDatabase: true }) // closed below
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

const LEAP_SECOND = '2026-06-30T23:59:60Z'
const IMPOSSIBLE = '2026-02-30T10:00:00+01:00'

t.test('a leap second or an impossible date in any date-time → 400 naming the field, never 500', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const c = await acceptedCase(ctx)
  const counsellorId = centre.demo.counsellorIds[0]
  const fine = '2026-03-02T10:00:00+01:00'
  for (const bad of [LEAP_SECOND, IMPOSSIBLE, '2026-03-01T24:00:00Z']) {
    const cases: { name: string; method: 'POST' | 'GET'; url: string; body?: unknown; pointer: string; where: string }[] = [
      {
        name: 'absence from',
        method: 'POST',
        url: `/v1/counsellors/${counsellorId}/absences`,
        body: { from: bad, until: '2026-07-02T10:00:00Z' },
        pointer: '/from',
        where: 'body',
      },
      {
        name: 'absence until',
        method: 'POST',
        url: `/v1/counsellors/${counsellorId}/absences`,
        body: { from: fine, until: bad },
        pointer: '/until',
        where: 'body',
      },
      {
        name: 'intake heldAt',
        method: 'POST',
        url: `/v1/cases/${c.caseId}/intakes`,
        body: { partyId: c.visiting, heldAt: bad, counsellorId, summary: 'Held.' },
        pointer: '/heldAt',
        where: 'body',
      },
      {
        name: 'signature signedAt',
        method: 'POST',
        url: `/v1/cases/${c.caseId}/signatures`,
        body: { partyId: c.visiting, documentId: centre.demo.documentIds.houseRules, method: 'paper', signedAt: bad },
        pointer: '/signedAt',
        where: 'body',
      },
      {
        name: 'document effectiveFrom',
        method: 'POST',
        url: '/v1/documents',
        body: { kind: 'house_rules', language: 'nl', title: 'HR', body: 'Rules.', effectiveFrom: bad },
        pointer: '/effectiveFrom',
        where: 'body',
      },
      { name: 'visits from', method: 'GET', url: `/v1/visits?from=${encodeURIComponent(bad)}`, pointer: '/from', where: 'query' },
    ]
    for (const k of cases) {
      const response = await call(app, { method: k.method, url: k.url, token: centre.adminToken, body: k.body })
      const label = `${k.name} = ${bad}`
      t.equal(response.status, 400, `${label}: ${response.status} ${response.body.slice(0, 300)}`)
      t.match(response.headers['content-type'], /^application\/problem\+json/, `${label}: problem+json`)
      t.equal(response.json?.type, 'urn:bezoekruimte:problem:validation', `${label}: a validation problem`)
      t.ok(
        response.json?.errors?.some((e: { pointer: string; in: string }) => e.pointer === k.pointer && e.in === k.where),
        `${label}: names ${k.where} ${k.pointer}: ${JSON.stringify(response.json?.errors)}`,
      )
    }
  }
  const good = await call(app, { method: 'GET', url: `/v1/visits?from=${encodeURIComponent(fine)}`, token: centre.adminToken })
  t.equal(good.status, 200, 'a real instant still passes')
})

t.test('a lone surrogate or NUL in any text → 400 naming the field, not stored as U+FFFD', async (t) => {
  const { app, centre, operator } = await testCentre(t)
  const token = centre.adminToken
  const json = { 'content-type': 'application/json' }
  const cases = [
    { name: 'lone high surrogate', body: '{"name": "Rechtbank \\ud800", "judicialDistrict": "Gent"}', pointer: '/name', detail: /surrogate/ },
    { name: 'lone low surrogate', body: '{"name": "Rechtbank", "judicialDistrict": "Ge\\udc00nt"}', pointer: '/judicialDistrict', detail: /surrogate/ },
    { name: 'NUL', body: '{"name": "Rechtbank\\u0000", "judicialDistrict": "Gent"}', pointer: '/name', detail: /NUL/ },
    { name: 'a property name', body: '{"name": "R", "judicialDistrict": "Gent", "\\ud800": 1}', pointer: '/\ud800', detail: /property name/ },
  ]
  for (const c of cases) {
    const response = await call(app, { method: 'POST', url: '/v1/courts', token: operator, body: c.body, headers: json })
    t.equal(response.status, 400, `${c.name}: ${response.body.slice(0, 300)}`)
    t.equal(response.json?.type, 'urn:bezoekruimte:problem:validation', `${c.name}: a validation problem`)
    t.ok(
      response.json?.errors?.some((e: { pointer: string; detail: string }) => e.pointer === c.pointer && c.detail.test(e.detail)),
      `${c.name}: names ${c.pointer}: ${JSON.stringify(response.json?.errors)}`,
    )
  }
  const inQuery = await call(app, { url: '/v1/visits?status=booked%00', token })
  t.equal(inQuery.status, 400)
  t.ok(
    inQuery.json.errors.some((e: { in: string; pointer: string }) => e.in === 'query' && e.pointer === '/status'),
    'NUL in a query value names it',
  )
  const pair = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: operator,
    body: '{"name": "Rechtbank \\ud83d\\ude00", "judicialDistrict": "Gent"}',
    headers: json,
  })
  t.equal(pair.status, 201, 'a surrogate pair (an emoji) is fine')
  t.equal(pair.json.name, 'Rechtbank \u{1F600}')
})

t.test('validation messages say what is allowed, in one problem type', async (t) => {
  const { app, centre } = await testCentre(t)
  const token = centre.adminToken
  const category = await call(app, { url: '/v1/reason-codes?category=nonsense', token })
  t.equal(category.status, 400)
  t.equal(category.json.type, 'urn:bezoekruimte:problem:validation')
  t.same(
    category.json.errors.map((e: { pointer: string }) => e.pointer),
    ['/category'],
    'one error for the field, not one per allowed value',
  )
  for (const value of ['refusal', 'suspension', 'ending', 'cancellation']) t.match(category.json.detail, value, `the detail lists ${value}`)
  const language = await call(app, { method: 'POST', url: '/v1/documents', token, body: { kind: 'house_rules', language: 'xx', title: 'HR', body: 'Rules.' } })
  t.match(language.json.errors, [{ pointer: '/language', detail: /one of: nl, fr, en, de/ }], 'an enum lists its values')
  // A check made by hand, after the schema: the same type as the schema's own errors.
  const handMade = await call(app, {
    method: 'POST',
    url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/absences`,
    token,
    body: { from: '2026-03-02T10:00:00Z', until: '2026-03-01T10:00:00Z' },
  })
  t.equal(handMade.status, 400)
  t.equal(handMade.json.type, 'urn:bezoekruimte:problem:validation')
})

t.test('headers over the size limit → 431 problem+json (and other malformed HTTP → 400 problem+json)', async (t) => {
  const { app, centre } = await testCentre(t, { ownApp: true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(request))
      let answer = ''
      socket.on('data', (chunk) => {
        answer += chunk.toString()
      })
      socket.on('close', () => resolve(answer))
      socket.on('error', reject)
    })
  const big = await raw(`GET /v1/sites HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${centre.adminToken}\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`)
  const [head = '', body = ''] = big.split('\r\n\r\n')
  t.match(head, /^HTTP\/1\.1 431 /, head.split('\r\n')[0] ?? '')
  t.match(head, /content-type: application\/problem\+json/i)
  t.match(JSON.parse(body), { type: 'urn:bezoekruimte:problem:headers-too-large', title: 'Request Header Fields Too Large', status: 431, detail: String })
  const garbage = await raw('NOT HTTP AT ALL\r\n\r\n')
  t.match(garbage, /^HTTP\/1\.1 400 /)
  t.match(garbage, /application\/problem\+json/i)
})

t.test('a failed query is logged with its SQL, never its parameters', async (t) => {
  const lines: string[] = []
  const { default: pino } = await import('pino')
  const { DrizzleQueryError } = await import('drizzle-orm')
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(line)
      },
    },
  )
  const { app } = await testCentre(t, { logger })
  app.get('/failing-query', async () => {
    const cause = Object.assign(new Error('invalid input'), { code: 'XX000', detail: 'Key (phone)=(+32 470 11 22 33) is odd.' })
    throw new DrizzleQueryError('insert into "parties" ("family_name", "phone") values ($1, $2)', ['Vermeulen', '+32 470 11 22 33\nsecond line'], cause)
  })
  const response = await app.inject({ method: 'GET', url: '/failing-query' })
  t.equal(response.statusCode, 500)
  const log = lines.join('\n')
  t.match(log, /insert into \\"parties\\"/, 'the SQL is there to debug with')
  t.notMatch(log, /Vermeulen|470 11 22 33|second line/, 'the parameters and the database’s detail are not')
})
