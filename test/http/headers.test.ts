/**
 * What every answer tells a browser and a cache: no API answer is stored (`no-store`), nothing is
 * sniffed, the printable pages run no script and cannot be framed; and an address that presents
 * unknown tokens over and over is throttled (429 with Retry-After), without touching other clients.
 */
import t from 'tap'
import { call, testCentre } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

t.test('cache and content headers on JSON and HTML', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const c = await createCase(database, centre)
  const token = centre.adminToken
  const json = await call(app, { url: `/v1/cases/${c.caseId}`, token })
  t.equal(json.status, 200)
  t.equal(json.headers['cache-control'], 'no-store', 'personal data is not cached')
  t.equal(json.headers['x-content-type-options'], 'nosniff')
  const problem = await call(app, { url: '/v1/cases/00000000-0000-0000-0000-000000000000', token })
  t.equal(problem.headers['cache-control'], 'no-store', 'nor a problem')

  const report = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/reports`, token, body: { kind: 'progress' } })
  t.equal(report.status, 201, report.body)
  const pages = [
    await call(app, { url: `/v1/reports/${report.json.id}`, token, headers: { accept: 'text/html' } }),
    await call(app, { url: `/v1/sites/${centre.demo.siteId}/day-sheet?date=2026-03-07`, token, headers: { accept: 'text/html' } }),
  ]
  for (const page of pages) {
    t.equal(page.status, 200, page.body.slice(0, 200))
    t.match(page.headers['content-type'], /^text\/html/)
    const csp = String(page.headers['content-security-policy'])
    t.match(csp, /default-src 'none'/, 'nothing is loaded or run by default')
    t.match(csp, /style-src 'unsafe-inline'/, 'the page’s own styles')
    t.notMatch(csp, /script-src/, 'no script source is allowed')
    t.match(csp, /frame-ancestors 'none'/)
    t.equal(page.headers['x-frame-options'], 'DENY')
    t.equal(page.headers['x-content-type-options'], 'nosniff')
    t.match(page.headers['cache-control'], /\bno-store\b/)
  }
  const docs = await app.inject({ url: '/docs/' })
  t.equal(docs.statusCode, 200, 'the API docs page still works')
  t.notOk(docs.headers['content-security-policy'], 'and runs its scripts')
})

t.test('unknown tokens from one address are throttled', async (t) => {
  const { app, centre } = await testCentre(t)
  const from = (remoteAddress: string, token: string) => app.inject({ url: '/v1/cases', remoteAddress, headers: { authorization: `Bearer ${token}` } })
  const statuses: number[] = []
  for (let i = 0; i < 30; i++) statuses.push((await from('203.0.113.9', `bzr_guess-${i}`)).statusCode)
  t.same(statuses.slice(0, 20), Array(20).fill(401), 'the first twenty are told the token is unknown')
  t.same(statuses.slice(20), Array(10).fill(429), 'then the address is throttled')
  const throttled = await from('203.0.113.9', centre.adminToken)
  t.equal(throttled.statusCode, 429, 'even a right token waits: a guess cannot be told from a miss')
  t.match(throttled.headers['content-type'], /application\/problem\+json/)
  t.ok(Number(throttled.headers['retry-after']) > 0 && Number(throttled.headers['retry-after']) <= 60, `Retry-After ${throttled.headers['retry-after']}`)
  t.match(throttled.json(), { status: 429, detail: /try again in \d+ s/ })
  t.equal((await from('203.0.113.10', centre.adminToken)).statusCode, 200, 'another address is not affected')
  t.equal((await app.inject({ url: '/v1/cases', remoteAddress: '203.0.113.9' })).statusCode, 401, 'no token at all is not a guess')
})
