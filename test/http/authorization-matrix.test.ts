/**
 * Every operation of the OpenAPI document × every kind of token × its own scope and another scope.
 * Two disjoint worlds (centre A with court 1, centre B with court 2) hold real records; each token
 * of world A calls every operation with A's ids (allowed: 2xx, or a listed state conflict; not
 * allowed: 403) and with B's ids (404, as if B did not exist). No answer to an A token may carry
 * any of B's ids or names, court tokens never get a field outside the referrer view, and every
 * answer matches the schema the document gives for its status.
 *
 * The expectations are ONE table (test/helpers/operation-table.ts). An operation in the document but not in the table (or the
 * other way round) fails the test, so a new route cannot escape it.
 */
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { openTestDatabase } from '../helpers/app.js'
import {
  buildWorld,
  COURT_SUBJECTS,
  documentOf,
  freshCase,
  INTERNAL,
  keysOf,
  localDay,
  operationsOf,
  responseChecker,
  SUBJECTS,
  type Operation,
  type Subject,
  type World,
} from '../helpers/openapi-harness.js'
import { REFERRER_VIEW_FIELDS } from '../../src/modules/referrer-view/view.js'
import { defaultId, TABLE, withParams, type Expectation } from '../helpers/operation-table.js'

/** Every field a court may ever see (the referrer view, per resource), and a problem's own fields. */
const REFERRER_VIEW = new Set<string>([
  ...Object.values(REFERRER_VIEW_FIELDS).flat(),
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'requestId',
  'errors',
  'in',
  'pointer',
])

// Reads first, then writes, then removals, so the records the reads use are still there. A new
// document version comes after the bookings: it would leave the cases' parties unsigned.
const order = (o: Operation) => (o.method === 'GET' ? 0 : o.method === 'DELETE' ? 3 : o.key === 'POST /v1/documents' ? 2 : 1)

t.test('every operation × every token × own and other scope', async (t) => {
  const database = await openTestDatabase(t)
  const app = await buildApp({ database })
  t.teardown(() => app.close())
  await app.ready()
  const document = documentOf(app)
  const check = responseChecker(document)
  const operations = operationsOf(document).sort((a, b) => order(a) - order(b))

  t.same(
    operations
      .map((o) => o.key)
      .filter((k) => !TABLE[k])
      .sort(),
    [],
    'every operation of the document is in the table',
  )
  t.same(
    Object.keys(TABLE)
      .filter((k) => !operations.some((o) => o.key === k))
      .sort(),
    [],
    'every operation in the table is in the document',
  )

  const started = Date.now()
  const A = await buildWorld(app, database, 'A')
  const B = await buildWorld(app, database, 'B')
  t.comment(`two worlds built in ${Date.now() - started} ms`)

  // A visit only the other counsellor supervises (booked before any new document version is issued).
  const other = await freshCase(A)
  const booked = await app.inject({
    method: 'POST',
    url: `/v1/cases/${other.caseId}/visits`,
    headers: { authorization: `Bearer ${A.tokens.admin}` },
    payload: {
      kind: 'supervised_visit',
      roomId: A.roomIds[1],
      counsellorIds: [A.counsellorIds[1]],
      start: localDay(120),
      durationMinutes: 60,
    },
  })
  t.equal(booked.statusCode, 201, `a visit with the other counsellor: ${booked.body.slice(0, 200)}`)
  const notTheirs = booked.json().id as string
  const subjects = SUBJECTS
  const wrongStatus: string[] = []
  const leaks: string[] = []
  const outsideView: string[] = []
  const internalTexts: string[] = []
  const mismatches = new Set<string>()
  let n = 0
  let sent = 0

  const send = async (listed: Operation, subject: Subject | null, world: World, spec: Expectation, label: string, extraQuery = '') => {
    const op = await withParams(listed, spec, world)
    // A 404 may name the id it was asked for; only what the request did not carry counts as a leak.
    const id = op.path.includes('{id}') ? await (spec.id?.(world, subject) ?? defaultId(world, op)) : null
    const query = [await spec.query?.(world), extraQuery].filter(Boolean).join('&')
    const url = op.path.replace('{id}', id ?? '') + (query ? `?${query}` : '')
    const body = op.body ? (spec.body?.(world, ++n, subject) ?? {}) : undefined
    const headers: Record<string, string> = { 'idempotency-key': `matrix-${++n}`, ...(id && spec.headers ? await spec.headers(world, id) : {}) }
    if (subject) headers.authorization = `Bearer ${A.tokens[subject]}`
    // A Buffer is a body sent as it is (a multipart upload, its content type from the table's headers).
    const raw = Buffer.isBuffer(body)
    if (body !== undefined && !raw) headers['content-type'] = 'application/json'
    sent++
    const response = await app.inject({
      method: op.method as never,
      url,
      headers,
      ...(body === undefined ? {} : { payload: raw ? body : JSON.stringify(body) }),
    })
    const where = `${subject ?? 'anonymous'} ${label} ${op.method} ${url}`
    for (const problem of check(op, response)) mismatches.add(`${op.key} (${subject}): ${problem}`)
    // Nothing of world B reaches an A token. Courts are a shared registry, so centre tokens may name
    // B's court; the operator's scope is the installation, but it sees no family's records at all.
    const foreign =
      subject === 'operator'
        ? [...A.familyIds, ...B.familyIds]
        : [...B.ids, ...B.partyNames, B.centreName, ...(subject && COURT_SUBJECTS.includes(subject) ? [...B.sharedIds, B.courtName] : [])]
    const asked = url + JSON.stringify(body ?? '')
    const leaked = foreign.filter((x) => response.body.includes(x) && !asked.includes(x))
    if (leaked.length) leaks.push(`${where} → ${response.statusCode} carries ${leaked.join(', ')}`)
    // Courts and reason codes are reference data; the referrer view is about families' records.
    const familyRecords = /^\/v1\/(referrals|cases|visits|series|reports)/.test(op.path)
    if (subject && COURT_SUBJECTS.includes(subject) && familyRecords && String(response.headers['content-type']).includes('json')) {
      let json: unknown
      try {
        json = JSON.parse(response.body)
      } catch {
        json = undefined
      }
      const outside = [...keysOf(json)].filter((k) => !REFERRER_VIEW.has(k))
      if (outside.length) outsideView.push(`${where} → ${response.statusCode} has ${outside.join(', ')}`)
    }
    if (subject && COURT_SUBJECTS.includes(subject) && response.body.includes(INTERNAL)) internalTexts.push(`${where} → ${response.statusCode}`)
    return { status: response.statusCode, body: response.body, where }
  }

  for (const op of operations) {
    const spec = TABLE[op.key]
    if (!spec) continue
    if (spec.roles === 'public') {
      const r = await send(op, null, A, spec, 'public')
      if (r.status >= 300 && r.status !== 503) wrongStatus.push(`${r.where}: ${r.status}, expected 2xx`)
      continue
    }
    for (const subject of subjects) {
      const allowed = spec.roles.includes(subject)
      const own = await send(op, subject, A, spec, 'own')
      const ok = allowed ? (own.status >= 200 && own.status < 300) || (spec.own ?? []).includes(own.status) : own.status === 403
      if (!ok)
        wrongStatus.push(
          `${own.where}: ${own.status}, expected ${allowed ? `2xx${spec.own ? ` or ${spec.own.join('/')}` : ''}` : 403}: ${own.body.slice(0, 160)}`,
        )
      if (!allowed) continue
      if (op.query.includes('cursor')) {
        // A cursor made from another scope's record pages through one's own records, or is refused.
        const tampered = await send(op, subject, A, spec, 'cursor of B', `cursor=${Buffer.from(B.caseId).toString('base64url')}`)
        if (tampered.status !== 200 && tampered.status !== 400) wrongStatus.push(`${tampered.where}: ${tampered.status}, expected 200 or 400`)
      }
      const expected = typeof spec.other === 'object' && spec.other !== null ? spec.other[subject] : spec.other
      if (!op.path.includes('{id}') && expected === undefined) continue
      if (spec.other === null) continue
      const other = await send(op, subject, B, spec, 'other')
      const want = expected ?? 404
      if (other.status !== want) wrongStatus.push(`${other.where}: ${other.status}, expected ${want}: ${other.body.slice(0, 160)}`)
    }
  }
  t.comment(`${sent} requests in ${Date.now() - started} ms`)
  t.same(wrongStatus, [], 'each token gets what the table says, in its own scope and in another')
  t.same(leaks, [], 'no answer to a token of A carries an id or a name of B')
  t.same(outsideView, [], 'court tokens get nothing outside the referrer view')
  t.same([...mismatches], [], 'every answer matches the schema documented for its status')
  // A counsellor reads the visits it supervises, not every visit of its centre.
  const asCounsellor = (url: string) => app.inject({ url, headers: { authorization: `Bearer ${A.tokens.counsellor}` } })
  const seen = [
    ...((await asCounsellor(`/v1/visits/${notTheirs}`)).statusCode === 404 ? [] : [`GET /v1/visits/${notTheirs}`]),
    ...((await asCounsellor('/v1/visits?limit=200')).body.includes(notTheirs) ? ['GET /v1/visits'] : []),
  ]
  t.same(seen, [], 'a counsellor does not read a visit it does not supervise')

  // The centre's explanations and intake summaries are its own: a court reads facts and coded reasons.
  t.same(internalTexts, [], 'no internal explanation or intake summary reaches a court token')

  // With the centre's default (courtSeesVisits off), a court's visit reads find nothing: 404 and an empty list.
  const shared = await app.inject({ url: `/v1/visits/${A.visitIds[0]}`, headers: { authorization: `Bearer ${A.tokens.clerk}` } })
  t.equal(shared.statusCode, 200, 'shared: the clerk reads the visit')
  const off = await app.inject({
    method: 'PATCH',
    url: `/v1/centres/${A.centreId}`,
    headers: { authorization: `Bearer ${A.tokens.admin}` },
    payload: { settings: { courtSeesVisits: false } },
  })
  t.equal(off.statusCode, 200, off.body)
  for (const subject of COURT_SUBJECTS) {
    const headers = { authorization: `Bearer ${A.tokens[subject]}` }
    t.equal((await app.inject({ url: `/v1/visits/${A.visitIds[0]}`, headers })).statusCode, 404, `${subject}: a visit not shared is not found`)
    t.same((await app.inject({ url: '/v1/visits', headers })).json().items, [], `${subject}: the list leaves it out`)
  }
  t.equal(
    (await app.inject({ url: `/v1/visits/${A.visitIds[0]}`, headers: { authorization: `Bearer ${A.tokens.staff}` } })).statusCode,
    200,
    'staff still read it',
  )
})
