/**
 * Concerns about a child's safety (the kindreflex): opened, stepped and closed by the centre's roles
 * within their scope, refused to every court token and to a centre's integration, and internal — a
 * marker planted in a concern's texts reaches no court-scoped answer, report (JSON, HTML, PDF),
 * webhook body, calendar, day sheet or party export. While a concern is open a progress report needs
 * a coordinator's confirmation; no observation of a visit a concern rests on is ever reported.
 */
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { rawRows } from '../../src/db/client.js'
import { apiTokens, webhooks } from '../../src/db/schema.js'
import { WEBHOOK_EVENTS } from '../../src/domain/vocabulary.js'
import { call, testCentre, tokenFor } from '../helpers/app.js'
import { localDay } from '../helpers/openapi-harness.js'
import { activeCase, bookVisits, fetchReport, hasPdftotext, pdfText } from '../reports/fixtures.js'

const MARK = 'KQZ~CONCERN'
const LEAK = /kqz~/i
const DAY = 86_400_000

const clock = fixedClock(new Date())
const ctx = await testCentre(t, { clock })
const { app, database, centre } = ctx
clock.set(new Date(Math.ceil(Date.now() / 1000) * 1000))
const admin = centre.adminToken
const policy = await call(app, {
  method: 'PATCH',
  url: `/v1/centres/${centre.centreId}`,
  token: admin,
  body: { settings: { reportContent: 'factual_observations' } },
})
if (policy.status !== 200) throw new Error(`reportContent: ${policy.status} ${policy.body}`)
// Every event reaches a webhook of the centre: its deliveries' bodies are read below.
await database.db.insert(webhooks).values({ centreId: centre.centreId, url: 'https://hooks.example.be/in', events: [...WEBHOOK_EVENTS], secret: 'whsec_test' })

const c = await activeCase(ctx)
const visitIds = await bookVisits(ctx, c, 3)
const staff = await tokenFor(database, 'staff', { centreId: centre.centreId })
await database.db.update(apiTokens).set({ name: 'An Peeters' }).where(eq(apiTokens.id, staff.id))
const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
const otherCounsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[1] })).token
const clerk = c.clerk
const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token
const centreIntegration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token

const past = (ms = 60_000) => new Date(clock.now().getTime() - ms).toISOString()
const post = (url: string, body: unknown, token = staff.token) => call(app, { method: 'POST', url, token, body })
const observe = async (visitId: string, body: Record<string, unknown>) => {
  const r = await post(`/v1/visits/${visitId}/observations`, body)
  if (r.status !== 201) throw new Error(`observation: ${r.status} ${r.body}`)
  return r.json as { id: string; concernIds: string[] }
}
const open = async (body: Record<string, unknown> = {}, token = staff.token, caseId = c.caseId) =>
  post(`/v1/cases/${caseId}/concerns`, { summary: `${MARK} summary`, childPartyIds: [c.child], observedAt: past(), ...body }, token)

// Observations on the first visit (a concern rests on one) and on the second (none does).
const onConcernVisit = await observe(visitIds[0]!, { kind: 'observation', text: 'Warm start, a game of cards.', reportable: true })
const sameVisit = await observe(visitIds[0]!, { kind: 'observation', text: 'Goodbye at the door was calm.', reportable: true })
await observe(visitIds[1]!, { kind: 'observation', text: 'They built a tower together.', reportable: true })

t.test('staff open a concern, record each step, close it once', async (t) => {
  const created = await open({ observationIds: [onConcernVisit.id] })
  t.equal(created.status, 201, created.body)
  t.match(created.json, {
    caseId: c.caseId,
    summary: `${MARK} summary`,
    childPartyIds: [c.child],
    status: 'open',
    outcome: null,
    closedAt: null,
    createdByTokenId: staff.id,
    observationIds: [onConcernVisit.id],
    steps: [],
  })
  const id = created.json.id as string
  const step = (body: Record<string, unknown>, token = staff.token) => post(`/v1/concerns/${id}/steps`, body, token)
  t.equal((await step({ step: 'discussed_in_team', at: past(50_000), note: `${MARK} team` })).status, 201)
  t.equal((await step({ step: 'vk_consulted', at: past(40_000), note: `${MARK} VK advice` })).status, 201)
  const reported = await step({ step: 'reported', reportedTo: 'prosecutor', at: past(30_000), note: `${MARK} art. 458bis` })
  t.equal(reported.status, 201, reported.body)
  t.match(reported.json.steps, [
    { step: 'discussed_in_team', reportedTo: null, author: { tokenId: staff.id, name: 'An Peeters' } },
    { step: 'vk_consulted', reportedTo: null },
    { step: 'reported', reportedTo: 'prosecutor', note: `${MARK} art. 458bis` },
  ])

  const missing = await step({ step: 'reported', at: past(), note: 'x' })
  t.equal(missing.status, 400)
  t.match(missing.json, { errors: [{ pointer: '/reportedTo' }], detail: /required/ })
  t.equal((await step({ step: 'vk_consulted', reportedTo: 'vk', at: past(), note: 'x' })).status, 400, 'reportedTo only with reported')
  t.equal((await step({ step: 'reported', reportedTo: 'neighbour', at: past(), note: 'x' })).status, 400, 'an unknown recipient')
  t.equal((await step({ step: 'vk_consulted', at: new Date(clock.now().getTime() + DAY).toISOString(), note: 'x' })).status, 400, 'in the future')

  const read = await call(app, { url: `/v1/concerns/${id}`, token: staff.token })
  t.equal(read.status, 200)
  t.equal(read.json.steps.length, 3)

  const closed = await post(`/v1/concerns/${id}/close`, { outcome: `${MARK} outcome`, note: `${MARK} close note` })
  t.equal(closed.status, 200, closed.body)
  t.match(closed.json, { status: 'closed', outcome: `${MARK} outcome`, closeNote: `${MARK} close note`, closedByTokenId: staff.id })
  const again = await post(`/v1/concerns/${id}/close`, { outcome: 'x', note: 'x' })
  t.equal(again.status, 409, 'closed once')
  t.equal(again.json.type, 'urn:bezoekruimte:problem:concern-closed')
  t.equal((await step({ step: 'discussed_in_team', at: past(), note: 'x' })).status, 409, 'no step on a closed concern')

  const trail = await call(app, { url: `/v1/audit?entityId=${id}`, token: admin })
  t.same(trail.json.items.map((e: { action: string }) => e.action).sort(), [
    'concern.closed',
    'concern.discussed_in_team',
    'concern.opened',
    'concern.read',
    'concern.reported',
    'concern.vk_consulted',
  ])
  t.notOk(LEAK.test(trail.body), 'the audit trail names no text')
})

t.test('what a concern may name: the case’s children and observations, a time not in the future', async (t) => {
  const adult = await open({ childPartyIds: [c.visiting] })
  t.equal(adult.status, 400)
  t.match(adult.json.errors, [{ pointer: '/childPartyIds/0', detail: /not a child of this case/ }])
  const other = await activeCase(ctx)
  const otherVisit = (await bookVisits(ctx, other, 1, 40))[0]!
  const foreign = await observe(otherVisit, { kind: 'observation', text: 'Elsewhere.' })
  const wrong = await open({ observationIds: [foreign.id] })
  t.equal(wrong.status, 400)
  t.match(wrong.json.errors, [{ pointer: '/observationIds/0', detail: /not an observation of this case/ }])
  t.equal((await open({ childPartyIds: [other.child] })).status, 400, 'a child of another case')
  t.equal((await open({ observedAt: new Date(clock.now().getTime() + DAY).toISOString() })).status, 400, 'in the future')
  t.equal((await open({}, staff.token, '00000000-0000-7000-8000-000000000000')).status, 404, 'an unknown case')
  t.equal((await open({ childPartyIds: [] })).status, 400, 'at least one child')
})

t.test('a counsellor of the case works on its concerns; another counsellor finds none', async (t) => {
  const created = await open({}, counsellor)
  t.equal(created.status, 201, created.body)
  const id = created.json.id as string
  t.equal((await post(`/v1/concerns/${id}/steps`, { step: 'discussed_in_team', at: past(), note: 'x' }, counsellor)).status, 201)
  t.equal((await call(app, { url: `/v1/concerns/${id}`, token: counsellor })).status, 200)
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}/concerns`, token: counsellor })).status, 200)
  const outside = [
    await open({}, otherCounsellor),
    await call(app, { url: `/v1/cases/${c.caseId}/concerns`, token: otherCounsellor }),
    await call(app, { url: `/v1/concerns/${id}`, token: otherCounsellor }),
    await post(`/v1/concerns/${id}/steps`, { step: 'discussed_in_team', at: past(), note: 'x' }, otherCounsellor),
    await post(`/v1/concerns/${id}/close`, { outcome: 'x', note: 'x' }, otherCounsellor),
  ]
  t.same(
    outside.map((r) => r.status),
    [404, 404, 404, 404, 404],
  )
  t.equal((await post(`/v1/concerns/${id}/close`, { outcome: 'Not confirmed', note: 'x' }, counsellor)).status, 200)
})

t.test('court tokens and a centre integration are refused on every concern route', async (t) => {
  const id = (await open()).json.id as string
  const routes = [
    { method: 'POST' as const, url: `/v1/cases/${c.caseId}/concerns`, body: { summary: 'x', childPartyIds: [c.child], observedAt: past() } },
    { method: 'GET' as const, url: `/v1/cases/${c.caseId}/concerns` },
    { method: 'GET' as const, url: `/v1/concerns/${id}` },
    { method: 'POST' as const, url: `/v1/concerns/${id}/steps`, body: { step: 'discussed_in_team', at: past(), note: 'x' } },
    { method: 'POST' as const, url: `/v1/concerns/${id}/close`, body: { outcome: 'x', note: 'x' } },
  ]
  for (const [who, token] of Object.entries({ clerk, 'court integration': courtIntegration, 'centre integration': centreIntegration })) {
    for (const route of routes) {
      const r = await call(app, { ...route, token })
      t.equal(r.status, 403, `${who} ${route.method} ${route.url}`)
      t.notOk(LEAK.test(r.body))
    }
  }
  const another = await testCentre(t)
  for (const route of routes)
    t.equal((await call(app, { ...route, token: another.centre.adminToken })).status, 404, `another centre ${route.method} ${route.url}`)
  await post(`/v1/concerns/${id}/close`, { outcome: 'x', note: 'x' })
})

t.test('the list pages, newest first', async (t) => {
  const first = await call(app, { url: `/v1/cases/${c.caseId}/concerns?limit=2`, token: staff.token })
  t.equal(first.status, 200)
  t.equal(first.json.items.length, 2)
  t.type(first.json.nextCursor, 'string')
  const rest = await call(app, { url: `/v1/cases/${c.caseId}/concerns?limit=200&cursor=${first.json.nextCursor}`, token: staff.token })
  const ids = [...first.json.items, ...rest.json.items].map((i: { id: string }) => i.id)
  t.same(ids, [...ids].sort().reverse(), 'newest first')
  t.equal(new Set(ids).size, ids.length)
  t.equal(rest.json.nextCursor, null)
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}/concerns?cursor=nonsense`, token: staff.token })).status, 400)
})

t.test('while a concern is open a progress report needs the coordinator’s confirmation', async (t) => {
  const id = (await open()).json.id as string
  const report = (body: Record<string, unknown>, token: string) => post(`/v1/cases/${c.caseId}/reports`, { kind: 'progress', ...body }, token)
  const refused = await report({}, staff.token)
  t.equal(refused.status, 409)
  t.match(refused.json, { type: 'urn:bezoekruimte:problem:concern_open', detail: /coordinator.*confirmOpenConcern/ })
  t.notOk(LEAK.test(refused.body), 'the problem names no concern text')
  const staffConfirms = await report({ confirmOpenConcern: true }, staff.token)
  t.equal(staffConfirms.status, 409, 'staff cannot confirm')
  t.match(staffConfirms.json.detail, /only a coordinator may confirm/)
  t.equal((await report({}, admin)).status, 409, 'an admin confirms explicitly')
  const confirmed = await report({ confirmOpenConcern: true }, admin)
  t.equal(confirmed.status, 201, confirmed.body)
  const trail = await call(app, { url: `/v1/audit?entityId=${confirmed.json.id}`, token: admin })
  t.same(trail.json.items.map((e: { action: string }) => e.action).sort(), ['report.issued', 'report.issued_with_open_concern'])
  const correct = (body: Record<string, unknown>, token: string) =>
    post(`/v1/reports/${confirmed.json.id}/corrections`, { correctionNote: 'A visit was recorded twice.', ...body }, token)
  t.equal((await correct({}, staff.token)).status, 409, 'correcting it needs the confirmation too')
  const corrected = await correct({ confirmOpenConcern: true }, admin)
  t.equal(corrected.status, 201, corrected.body)
  t.equal((await post(`/v1/concerns/${id}/close`, { outcome: 'x', note: 'x' })).status, 200)
  t.equal((await report({}, staff.token)).status, 201, 'after closing, staff issue it')
})

t.test('no observation of a visit a concern rests on reaches a report; one of another visit does', async (t) => {
  clock.set(new Date(clock.now().getTime() + 30 * DAY))
  const issued = await post(`/v1/cases/${c.caseId}/reports`, { kind: 'progress' })
  t.equal(issued.status, 201, issued.body)
  const texts = issued.json.observations.map((o: { text: string }) => o.text)
  t.same(texts, ['They built a tower together.'], 'the other visit’s observation only')
  t.notOk(issued.body.includes(sameVisit.id))
})

t.test('the observation shorthand opens a linked concern', async (t) => {
  const recorded = await observe(visitIds[2]!, {
    kind: 'observation',
    text: 'The father gripped her arm hard.',
    childProtection: { action: 'reported', at: past(), by: `${MARK} coordinator` },
  })
  t.equal(recorded.concernIds.length, 1)
  const concern = await call(app, { url: `/v1/concerns/${recorded.concernIds[0]}`, token: staff.token })
  t.match(concern.json, {
    summary: 'The father gripped her arm hard.',
    childPartyIds: [c.child],
    status: 'open',
    observationIds: [recorded.id],
    steps: [{ step: 'reported', reportedTo: 'vk', author: { tokenId: staff.id, name: `${MARK} coordinator` } }],
  })
  await post(`/v1/concerns/${recorded.concernIds[0]}/close`, { outcome: `${MARK} o`, note: `${MARK} n` })
})

t.test('no court-scoped answer, report, webhook, calendar, day sheet or party export carries a concern', async (t) => {
  const centreSees = await call(app, { url: `/v1/cases/${c.caseId}/concerns?limit=200`, token: staff.token })
  t.ok(LEAK.test(centreSees.body), 'the centre reads the markers')
  const seen: { where: string; text: string }[] = []
  const get = async (where: string, url: string, token: string, accept?: string) => {
    const r = await app.inject({ url, headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) } })
    t.equal(r.statusCode, 200, `${where} ${url}`)
    seen.push({ where: `${where} ${url}`, text: r.body })
    return r
  }
  for (const [who, token] of Object.entries({ clerk, 'court integration': courtIntegration, 'centre integration': centreIntegration })) {
    for (const url of ['/v1/referrals', `/v1/referrals/${c.referralId}`, '/v1/cases', `/v1/cases/${c.caseId}`, `/v1/cases/${c.caseId}/events`, '/v1/visits'])
      await get(who, url, token)
    const feed = await get(who, '/v1/reports?limit=200', token)
    for (const report of JSON.parse(feed.body).items as { id: string }[]) {
      seen.push({ where: `${who} report ${report.id} html`, text: (await fetchReport(ctx, report.id, token, 'text/html')).text })
      const pdf = await fetchReport(ctx, report.id, token, 'application/pdf')
      if (hasPdftotext) seen.push({ where: `${who} report ${report.id} pdf`, text: pdfText(pdf.bytes) })
    }
  }
  // Webhook bodies as stored in the outbox.
  const rows = await rawRows<{ body: string }>(
    database.db,
    sql`select to_jsonb(d)::text as body from webhook_deliveries d join webhooks w on w.id = d.webhook_id where w.centre_id = ${centre.centreId}`,
  )
  t.ok(rows.length > 0, 'webhooks were sent')
  for (const row of rows) seen.push({ where: 'webhook delivery', text: row.body })
  // The counsellor's calendar.
  const key = await post(`/v1/counsellors/${centre.demo.counsellorIds[0]}/calendar-key`, {}, admin)
  seen.push({ where: 'ics', text: (await app.inject({ url: key.json.url })).body })
  // The day sheet of each visit's day, as JSON and as a page.
  for (const i of [0, 1, 2]) {
    const date = localDay(2 + 3 * i).slice(0, 10)
    await get('day sheet', `/v1/sites/${centre.demo.siteId}/day-sheet?date=${date}`, staff.token)
    await get('day sheet html', `/v1/sites/${centre.demo.siteId}/day-sheet?date=${date}`, staff.token, 'text/html')
  }
  // The parties' access requests.
  for (const party of [c.child, c.visiting, c.residing]) await get('export', `/v1/parties/${party}/export`, admin)

  t.same(
    seen.filter((s) => LEAK.test(s.text)).map((s) => `${s.where}: ${/.{0,40}kqz~.{0,40}/i.exec(s.text)?.[0]}`),
    [],
    'no marker of a concern',
  )
  if (!hasPdftotext) t.comment('pdftotext is not installed: the PDFs’ text is not checked')
})

t.test('the statistics count concerns, by the step reached, without their content', async (t) => {
  const day = (offset: number) => new Date(clock.now().getTime() + offset * DAY).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
  const url = `/v1/statistics?from=${day(-60)}&to=${day(1)}`
  const stats = await call(app, { url, token: admin })
  t.equal(stats.status, 200, stats.body)
  const figure = stats.json.groups[0].figures.concernsOpened
  const listed = await call(app, { url: `/v1/cases/${c.caseId}/concerns?limit=200`, token: admin })
  t.equal(figure.total, listed.json.items.length, 'every concern of the centre (one case) counted')
  t.equal(figure.byStepReached.reported, 2, 'reported to the prosecutor; reported through the shorthand')
  t.equal(figure.byStepReached.discussed_in_team, 1, 'the counsellor’s')
  t.equal(figure.byStepReached.none, figure.total - 3)
  t.equal(figure.byStepReached.vk_consulted, 0)
  const csv = await app.inject({ url, headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } })
  t.match(csv.body, /,concernsOpened,total,,\d+/)
  t.match(csv.body, /,concernsOpened,stepReached,reported,2/)
  t.notOk(LEAK.test(stats.body + csv.body))
})

t.test('a retry with the same Idempotency-Key opens the concern once', async (t) => {
  const body = { summary: 'Retried.', childPartyIds: [c.child], observedAt: past() }
  const send = () =>
    app.inject({
      method: 'POST',
      url: `/v1/cases/${c.caseId}/concerns`,
      headers: { authorization: `Bearer ${staff.token}`, 'idempotency-key': 'concern-retry-1' },
      payload: body,
    })
  const first = await send()
  const again = await send()
  t.equal(first.statusCode, 201)
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.json().id, first.json().id)
  await post(`/v1/concerns/${first.json().id}/close`, { outcome: 'x', note: 'x' })
})
