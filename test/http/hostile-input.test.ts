/**
 * "No input a client can send produces a 500": every operation of the OpenAPI document is sent
 * hostile path ids, query values, headers and bodies — each field of a valid request (from the
 * operation table) in turn replaced by a value of the wrong type, size, encoding or calendar. Every
 * answer must be below 500, every error a problem+json with type, title, status and detail, every
 * answer must match the schema the document gives for its status, and every change that succeeded
 * must have left an audit event carrying its request id.
 *
 * The battery is sampled with a fixed seed so the file stays fast; HOSTILE_SEED picks another
 * sample, HOSTILE_PER_OPERATION=all sends everything.
 */
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { auditEvents } from '../../src/db/schema.js'
import { openTestDatabase } from '../helpers/app.js'
import { buildWorld, documentOf, operationsOf, responseChecker, type Operation, type Subject } from '../helpers/openapi-harness.js'
import { defaultId, TABLE, withParams } from '../helpers/operation-table.js'

const SEED = Number(process.env.HOSTILE_SEED ?? 20261128)
const PER_OPERATION = process.env.HOSTILE_PER_OPERATION === 'all' ? Infinity : Number(process.env.HOSTILE_PER_OPERATION ?? 20)

/** mulberry32: a small seeded generator, so a failing sample can be sent again. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const NESTED = JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown
const DEEP_OBJECT = Array.from({ length: 100 }).reduce<unknown>((inner) => ({ a: inner }), {})

const HOSTILE_VALUES: unknown[] = [
  null,
  -1,
  0,
  -2147483649,
  2 ** 53 + 1,
  1e308,
  -1e308,
  3.5,
  true,
  '',
  ' ',
  'x'.repeat(10_000),
  '9'.repeat(400),
  '2026-02-30',
  '2026-13-01T25:61',
  '24:00',
  '2026-06-30T23:59:60Z',
  '2026-06-30T23:59:60+02:00',
  '2026-03-29T02:30',
  '2026-03-29T02:30:00',
  '2026-10-25T02:30',
  '2026-01-01T00:00:00+99:00',
  '+275760-09-13T00:00:00Z',
  '0000-01-01',
  '0193A5B2-7C1E-7D3A-9F10-2B4C6D8E0F12',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '\ud800',
  'a\udc00b',
  '\u0000',
  'a\u0000b',
  '\u202e',
  'DROP TABLE visits; --',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  [],
  [null],
  ['x'.repeat(5000)],
  Array.from({ length: 2000 }, () => 1),
  {},
  { $ne: 1 },
  JSON.parse('{"__proto__":{"admin":true}}'),
  NESTED,
  DEEP_OBJECT,
]
const HOSTILE_QUERY = [
  '',
  'x',
  '-1',
  '0',
  '1e400',
  '99999999999999999999',
  '2026-02-30',
  '2026-03-29T02:30',
  '2026-06-30T23:59:60Z',
  '2026-01-01T00:00:00+99:00',
  'null',
  '%00',
  '%ED%A0%80',
  '"',
  'a,b',
  'X'.repeat(3000),
  '0193A5B2-7C1E-7D3A-9F10-2B4C6D8E0F12',
]
const raw = (s: string) => ({ raw: s })
const RAW_BODIES: ({ raw: string } | { bytes: Buffer })[] = [
  raw(''),
  raw('[]'),
  raw('null'),
  raw('"x"'),
  raw('{'),
  raw('1'),
  raw('{"a":1}'),
  raw('{"__proto__":{"x":1}}'),
  raw('{"constructor":{"prototype":{"x":1}}}'),
  raw('{"x":"\\ud800"}'),
  raw('{"x":"\\u0000"}'),
  raw('['.repeat(5000)),
  raw(`{"x":"${'y'.repeat(2_000_000)}"}`),
  { bytes: Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
]

interface Variant {
  label: string
  url: string
  body?: unknown
  raw?: string | Buffer
  headers?: Record<string, string>
  contentType?: string
  token?: 'none' | 'bad'
}

/** Every place in a valid body a value can go: top-level fields and the fields of nested objects and first array items. */
function pointers(value: unknown, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (depth > 3 || value === null || typeof value !== 'object') return []
  const entries: [string | number, unknown][] = Array.isArray(value) ? (value.length ? [[0, value[0]]] : []) : Object.entries(value)
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pointers(v, [...prefix, k], depth + 1)])
}

function replaced(body: unknown, pointer: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>
  let node = copy
  for (const key of pointer.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[pointer[pointer.length - 1]!] = value
  return copy
}

function variants(op: Operation, url: string, id: string | null, baseQuery: string, body: unknown, realIds: string[]): Variant[] {
  const list: Variant[] = []
  const withQuery = (q: string) => (q ? `${url}?${q}` : url)
  const path = (x: string) => op.path.replace('{id}', x)
  if (id) {
    for (const bad of [
      '00000000-0000-4000-8000-000000000000',
      id.toUpperCase(),
      `${id}%20`,
      `${id}x`,
      'not-a-uuid',
      '%00',
      '%ED%A0%80',
      '..%2F..%2Fetc',
      'x'.repeat(300),
      ...realIds.filter((r) => r !== id).slice(0, 2),
    ]) {
      list.push({ label: `path id ${bad.slice(0, 40)}`, url: withQuery(baseQuery).replace(url, path(bad)), body })
    }
  }
  const params = new URLSearchParams(baseQuery)
  for (const name of op.query) {
    const values = [...HOSTILE_QUERY]
    if (name === 'cursor')
      values.push(
        Buffer.from('not-a-uuid').toString('base64url'),
        Buffer.from(realIds[0] ?? '').toString('base64url'),
        Buffer.from('0193A5B2-7C1E-7D3A-9F10-2B4C6D8E0F12').toString('base64url'),
        '====',
        '..',
      )
    for (const value of values) {
      const q = new URLSearchParams(params)
      q.delete(name)
      // Values written percent-encoded are sent as they are (NUL, a lone surrogate in UTF-8).
      const encoded = value.startsWith('%') ? value : encodeURIComponent(value)
      list.push({ label: `?${name}=${value.slice(0, 40)}`, url: withQuery(`${q.toString()}${q.toString() ? '&' : ''}${name}=${encoded}`), body })
    }
    const q = new URLSearchParams(params)
    q.delete(name)
    list.push({ label: `?${name} repeated`, url: withQuery(`${q.toString()}${q.toString() ? '&' : ''}${name}=1&${name}=2`), body })
  }
  list.push({ label: 'unknown query parameter', url: withQuery(`${baseQuery}${baseQuery ? '&' : ''}unknownParameter=1`), body })
  const full = withQuery(baseQuery)
  if (op.headers.includes('idempotency-key')) {
    for (const key of ['', 'x'.repeat(5000), ' ', 'ä'])
      list.push({ label: `idempotency-key ${key.slice(0, 10)}`, url: full, body, headers: { 'idempotency-key': key } })
  }
  if (op.headers.includes('if-match')) {
    for (const tag of ['*', 'W/"1"', '"99999999999999999999"', 'garbage', '"1", "2"', ''])
      list.push({ label: `if-match ${tag}`, url: full, body, headers: { 'if-match': tag } })
  }
  list.push({ label: 'no token', url: full, body, token: 'none' }, { label: 'bad token', url: full, body, token: 'bad' })
  for (const accept of ['application/xml', 'text/html', 'application/pdf', '*/*;q=0', 'garbage'])
    list.push({ label: `accept ${accept}`, url: full, body, headers: { accept } })
  if (!op.body) return list
  for (const r of RAW_BODIES)
    list.push(
      'raw' in r
        ? { label: `raw body ${r.raw.slice(0, 40)}`, url: full, raw: r.raw }
        : { label: 'raw bytes: lone surrogate in UTF-8', url: full, raw: r.bytes },
    )
  list.push({ label: 'form content type', url: full, raw: 'a=1', contentType: 'application/x-www-form-urlencoded' })
  list.push({ label: 'text content type', url: full, raw: JSON.stringify(body), contentType: 'text/plain' })
  list.push({ label: 'unknown field', url: full, body: { ...(body as object), unknownField: 1 } })
  for (const pointer of pointers(body)) {
    for (const value of HOSTILE_VALUES)
      list.push({ label: `/${pointer.join('/')} = ${JSON.stringify(value)?.slice(0, 40)}`, url: full, body: replaced(body, pointer, value) })
    list.push({ label: `/${pointer.join('/')} removed`, url: full, body: replaced(body, pointer, undefined) })
  }
  return list
}

t.test('no request a client can make is answered 5xx; every answer is documented and every error a problem', async (t) => {
  const database = await openTestDatabase(t)
  const app = await buildApp({ database })
  t.teardown(() => app.close())
  await app.ready()
  const document = documentOf(app)
  const check = responseChecker(document)
  const A = await buildWorld(app, database, 'A')
  const next = random(SEED)
  t.comment(`HOSTILE_SEED=${SEED} HOSTILE_PER_OPERATION=${PER_OPERATION}`)

  const failures: string[] = []
  const mismatches = new Set<string>()
  const changed: { requestId: string; label: string }[] = []
  const removed = new Set<string>()
  const realIds = [A.caseId, A.referralId, A.visitIds[0]!, A.siteId]
  let sent = 0
  const started = Date.now()

  // Each kind of token on the operations it may call (the others stop at the role check): the
  // centre's admin goes deepest into the handlers, the court tokens and the operator take their own paths.
  for (const subject of ['admin', 'counsellor', 'clerk', 'court-integration', 'operator'] as Subject[]) {
    for (let op of operationsOf(document)) {
      const spec = TABLE[op.key]
      if (!spec) continue // the authorization matrix fails for an operation missing from the table
      if (spec.roles === 'public' ? subject !== 'admin' : !spec.roles.includes(subject)) continue
      // Takes no input at all, and each answer is a dump of the whole database: the matrix calls it, once is enough.
      if (op.key === 'GET /v1/backup') continue
      op = await withParams(op, spec, A)
      const id = op.path.includes('{id}') ? await (spec.id?.(A, subject) ?? defaultId(A, op)) : null
      const url = op.path.replace('{id}', id ?? '')
      // A raw body (a multipart upload) has no JSON fields to vary: its variants are sent as JSON, which it refuses (415).
      const given: unknown = op.body ? (spec.body?.(A, sent, subject) ?? {}) : undefined
      const body = Buffer.isBuffer(given) ? {} : given
      const fixed = id && spec.headers ? await spec.headers(A, id) : {}
      let all = variants(op, url, id, (await spec.query?.(A)) ?? '', body, realIds)
      // A fixed sample per operation: shuffled by the seed, the first PER_OPERATION kept.
      if (all.length > PER_OPERATION) {
        all = all
          .map((v) => ({ v, k: next() }))
          .sort((a, b) => a.k - b.k)
          .slice(0, PER_OPERATION)
          .map(({ v }) => v)
      }
      for (const v of all) {
        sent++
        const headers: Record<string, string> = { 'idempotency-key': `hostile-${sent}`, ...fixed, ...v.headers }
        if (v.token !== 'none') headers.authorization = v.token === 'bad' ? 'Bearer bzr_not-a-token' : `Bearer ${A.tokens[subject]}`
        const payload = v.raw ?? (v.body === undefined ? undefined : JSON.stringify(v.body))
        if (payload !== undefined) headers['content-type'] = v.contentType ?? 'application/json'
        const label = `[HOSTILE_SEED=${SEED}] ${subject} ${op.method} ${v.url.slice(0, 140)} (${v.label})`
        let response
        try {
          // Unknown tokens come from an address of their own: after a few, that address is throttled (429), the others not.
          const remoteAddress = v.token === 'bad' ? '198.51.100.7' : '127.0.0.1'
          response = await app.inject({ method: op.method as never, url: v.url, headers, remoteAddress, ...(payload === undefined ? {} : { payload }) })
        } catch (error) {
          failures.push(`${label}: inject threw ${(error as Error).message}`)
          continue
        }
        if (response.statusCode >= 500 && response.statusCode !== 503) failures.push(`${response.statusCode} ${label}: ${response.body.slice(0, 200)}`)
        for (const problem of check(op, response)) mismatches.add(`${op.key}: ${problem} — e.g. ${label}`)
        // An update naming no field changes nothing, and is not audited.
        const noChange = op.method === 'PATCH' && JSON.stringify(v.body) === '{}'
        const readOnly =
          noChange || op.method === 'GET' || op.path === '/v1/recurrence/preview' || (v.body as { dryRun?: boolean } | undefined)?.dryRun === true
        // Removing what is already removed changes nothing (and is not audited): only the first counts.
        const repeat = op.method === 'DELETE' && removed.has(v.url.split('?')[0]!.toLowerCase())
        if (response.statusCode < 300 && op.method === 'DELETE') removed.add(v.url.split('?')[0]!.toLowerCase())
        if (response.statusCode < 300 && !readOnly && !repeat) changed.push({ requestId: String(response.headers['x-request-id']), label })
      }
    }
  }
  t.comment(`${sent} requests in ${Date.now() - started} ms`)
  t.ok(sent > 1500, `${sent} requests sent`)
  t.same(failures, [], 'no 5xx (but 503) for anything a client can send')
  t.same([...mismatches].sort(), [], 'every answer is documented for its status and matches its schema')

  // Nesting far beyond any request's (and past where a recursive walk overflows the stack): every
  // operation with a JSON body refuses it with 400 naming the limit, as a whole body and inside a field.
  const deepArray = '['.repeat(10_000) + ']'.repeat(10_000)
  const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)
  const deepFailures: string[] = []
  let deepSent = 0
  for (let op of operationsOf(document)) {
    const spec = TABLE[op.key]
    if (!op.body || !spec) continue
    op = await withParams(op, spec, A)
    const subject =
      spec.roles === 'public' ? 'admin' : (['admin', 'counsellor', 'clerk', 'court-integration', 'operator'] as Subject[]).find((s) => spec.roles.includes(s))!
    const id = op.path.includes('{id}') ? await (spec.id?.(A, subject) ?? defaultId(A, op)) : null
    const url = `${op.path.replace('{id}', id ?? '')}${(await spec.query?.(A)) ? `?${await spec.query!(A)}` : ''}`
    const fixed = id && spec.headers ? await spec.headers(A, id) : {}
    const body = (spec.body?.(A, sent, subject) ?? {}) as Record<string, unknown>
    if (Buffer.isBuffer(body)) continue // not JSON: nothing nests
    const field = Object.keys(body)[0]
    const payloads = [deepArray, deepObject, ...(field ? [JSON.stringify({ ...body, [field]: 0 }).replace(/:0([,}])/, `:${deepArray}$1`)] : [])]
    for (const payload of payloads) {
      deepSent++
      const headers: Record<string, string> = { 'idempotency-key': `deep-${deepSent}`, 'content-type': 'application/json', ...fixed }
      headers.authorization = `Bearer ${A.tokens[subject]}`
      const response = await app.inject({ method: op.method as never, url, headers, payload })
      const problem = response.json<{ detail?: string }>()
      if (response.statusCode !== 400 || !/at most 64 levels/.test(problem.detail ?? ''))
        deepFailures.push(`${response.statusCode} ${subject} ${op.method} ${url} (${payload.slice(0, 30)}): ${response.body.slice(0, 200)}`)
      for (const mismatch of check(op, response)) mismatches.add(`${op.key}: ${mismatch} — nested 10,000 deep`)
    }
  }
  t.comment(`${deepSent} bodies nested 10,000 deep`)
  t.ok(deepSent > 40, `${deepSent} deeply nested bodies sent`)
  t.same(deepFailures, [], 'a body nested 10,000 deep is a 400 that says how deep is allowed, on every operation with a body')
  t.same([...mismatches].sort(), [], 'those answers are documented too')

  const audited = new Set((await database.db.select({ requestId: auditEvents.requestId }).from(auditEvents)).map((a) => a.requestId))
  t.ok(changed.length > 20, `${changed.length} requests changed something`)
  t.same(
    changed.filter((c) => !audited.has(c.requestId)).map((c) => c.label),
    [],
    'every successful change is audited',
  )
})
