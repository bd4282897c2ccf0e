/**
 * Reports to the referrer are issued by the decisions themselves — a referral refused or returned,
 * a case started, suspended, resumed, ended — and on demand; each is read by its court's clerk and
 * integration and by the centre, not by another court (404) or a counsellor (403); its visit counts
 * are those of the case; its hash verifies until the stored content is tampered with; a correction
 * supersedes it without changing it; and it prints as a PDF and as a page in its language.
 */
import t from 'tap'
import { and, eq, isNull, sql } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { rawRows } from '../../src/db/client.js'
import { reports } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'
import { activeCase, bookVisits, fetchReport, hasChromium, hasPdftotext, pdfText, printedHtml, recordOutcomes } from './fixtures.js'

const DAY = 86_400_000
const clock = fixedClock(new Date(Math.floor(Date.now() / 1000) * 1000))
const ctx = await buildTestApp(t, { clock })
const { app, database, centre } = ctx
const localDate = () => clock.now().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })

// The clock starts at the wall clock's now: intakes and signatures are dated by the wall clock.
// Rounded up to the second: never before the demo documents took effect during the set-up.
clock.set(new Date(Math.ceil(Date.now() / 1000) * 1000))
const c = await activeCase(ctx)
const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token
const centreIntegration = (await tokenFor(database, 'integration', { centreId: centre.centreId })).token
const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
const otherCentre = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
const otherClerk = (await tokenFor(database, 'clerk', { courtId: otherCentre.demo!.courtId })).token
const otherStaff = (await tokenFor(database, 'staff', { centreId: otherCentre.centreId })).token

const post = async (url: string, body: unknown, token = c.staff) => {
  const response = await call(app, { method: 'POST', url, token, body })
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${response.body}`)
  return response.json
}
/** The reports of a case or referral, oldest first, as its clerk's feed gives them. */
const feed = async (token = c.clerk) => {
  const items: any[] = []
  let after: string | undefined
  for (;;) {
    const page = await call(app, { url: `/v1/reports?limit=3${after ? `&after=${after}` : ''}`, token })
    if (page.status !== 200) throw new Error(page.body)
    items.push(...page.json.items)
    if (!page.json.items.length) return items
    after = page.json.nextCursor
  }
}
/**
 * The one report of a kind on a case or referral, found in the database and read over HTTP (the
 * feed has its own test: on a shared PostgreSQL another suite's open transaction may delay it).
 */
const reportOf = async (kind: string, subject: { caseId?: string; referralId?: string }) => {
  const found = await database.db
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(
        eq(reports.kind, kind as 'ending'),
        subject.caseId ? eq(reports.caseId, subject.caseId) : eq(reports.referralId, subject.referralId!),
        isNull(reports.supersedes),
      ),
    )
  if (found.length !== 1) throw new Error(`${found.length} ${kind} reports`)
  const read = await fetchReport(ctx, found[0]!.id, c.staff)
  if (read.status !== 200) throw new Error(read.text)
  return JSON.parse(read.text)
}

const visitIds = await bookVisits(ctx, c, 6)
clock.set(new Date(clock.now().getTime() + 30 * DAY))
const expected = await recordOutcomes(ctx, c, visitIds)

await post(`/v1/cases/${c.caseId}/suspend`, {
  reasonCode: 'illness',
  explanation: 'The father is in hospital.',
  courtNote: 'Contacts are suspended for a period.',
  from: localDate(),
})
clock.set(new Date(clock.now().getTime() + 2 * DAY))
await post(`/v1/cases/${c.caseId}/resume`, { explanation: 'Better.', courtNote: 'Contacts resume.' })
await post(`/v1/cases/${c.caseId}/end`, { reasonCode: 'goal_reached', explanation: 'Done.', courtNote: 'The goal was reached.', effectiveDate: localDate() })

const submit = async () => (await post('/v1/referrals', referralBody(centre), c.clerk)).id as string
const refused = await submit()
await post(`/v1/referrals/${refused}/refuse`, { reasonCode: 'no_capacity', explanation: 'Full.', courtNote: 'No place before next year.' })
const returned = await submit()
await post(`/v1/referrals/${returned}/return`, { reasonCode: 'incomplete_referral', explanation: 'Missing.', missingItems: ['the court decision'] })

const kinds = [
  { kind: 'case_started', subject: { caseId: c.caseId } },
  { kind: 'suspension', subject: { caseId: c.caseId } },
  { kind: 'resumption', subject: { caseId: c.caseId } },
  { kind: 'ending', subject: { caseId: c.caseId } },
  { kind: 'referral_refused', subject: { referralId: refused } },
  { kind: 'referral_returned', subject: { referralId: returned } },
] as const

t.test('each decision issues its report, read by its court and centre only', async (t) => {
  for (const { kind, subject } of kinds) {
    const report = await reportOf(kind, subject)
    t.equal(report.language, 'nl', `${kind}: in the court's language`)
    t.match(report.referrer, { courtId: centre.demo.courtId, courtReference: '24/1234/A' }, `${kind}: names the court and the roll number`)
    t.ok(report.referrer.courtName, `${kind}: names the court`)
    t.match(report.issuer, { centreId: centre.centreId, centreName: 'Centre A', role: 'staff' }, `${kind}: issued by the centre's staff`)
    t.match(report.caution, /geen beoordeling van het ouderschap/, `${kind}: carries the cautionary note`)
    t.equal(report.caseId, 'caseId' in subject ? c.caseId : null)
    for (const [who, token, status] of [
      ['clerk', c.clerk, 200],
      ['court integration', courtIntegration, 200],
      ['centre integration', centreIntegration, 200],
      ['staff', c.staff, 200],
      ['another court’s clerk', otherClerk, 404],
      ['another centre’s staff', otherStaff, 404],
      ['counsellor', counsellor, 403],
    ] as const) {
      t.equal((await fetchReport(ctx, report.id, token)).status, status, `${kind}: ${who} → ${status}`)
    }
  }
  t.same(
    (await feed(otherClerk)).map((r) => r.id),
    [],
    'another court’s clerk finds none of them in its feed',
  )
  t.equal((await call(app, { url: '/v1/reports', token: counsellor })).status, 403, 'a counsellor does not read the feed')
})

t.test('the decision is stated with its coded reason and court note, never the explanation', async (t) => {
  const suspension = await reportOf('suspension', { caseId: c.caseId })
  t.match(suspension.decision, {
    reason: { category: 'suspension', code: 'illness', label: 'Ziekte' },
    courtNote: 'Contacts are suspended for a period.',
    until: null,
  })
  const ending = await reportOf('ending', { caseId: c.caseId })
  t.match(ending.decision, { reason: { code: 'goal_reached', label: 'Doel bereikt' }, courtNote: 'The goal was reached.', refusedAfterIntake: false })
  const started = await reportOf('case_started', { caseId: c.caseId })
  t.ok(started.decision.plannedEndDate, 'the case_started report gives the planned end')
  const returnReport = await reportOf('referral_returned', { referralId: returned })
  t.match(returnReport.decision, { reason: { category: 'return', code: 'incomplete_referral' }, courtNote: null, missingItems: ['the court decision'] })
  t.equal(returnReport.visits, null, 'a report on a referral has no visits')
  const refusal = await reportOf('referral_refused', { referralId: refused })
  t.match(refusal.decision, { reason: { code: 'no_capacity', label: 'Geen plaats beschikbaar' }, courtNote: 'No place before next year.' })
  for (const { kind, subject } of kinds) t.notMatch(JSON.stringify(await reportOf(kind, subject)), /hospital|Full\.|Missing\.|Done\.|Better\./)
})

t.test('visit counts are the case’s visits in the period', async (t) => {
  const suspension = await reportOf('suspension', { caseId: c.caseId })
  t.same(suspension.visits, expected, 'planned, held, booked, cancelled by whom and late, no-show by role (the current outcome), interrupted')
  for (const kind of ['resumption', 'ending'] as const) t.same((await reportOf(kind, { caseId: c.caseId })).visits, expected, `${kind}: the same visits`)
  t.equal(suspension.observations, null, 'the centre reports attendance only (the default): no observations')
  const started = await reportOf('case_started', { caseId: c.caseId })
  t.equal(started.visits.planned, 0, 'at the start nothing had taken place yet')
  const early = await post(`/v1/cases/${c.caseId}/reports`, { kind: 'progress', to: started.period.to })
  t.equal(early.visits.planned, 0, 'a period that ends before the visits counts none of them')
})

t.test('the hash verifies, and a tampered row does not', async (t) => {
  const report = await reportOf('resumption', { caseId: c.caseId })
  const verified = await call(app, { url: `/v1/reports/${report.id}/verify`, token: c.clerk })
  t.same(verified.json, { id: report.id, sha256: report.sha256, valid: true })
  await t.rejects(database.db.execute(sql`update reports set language = 'fr' where id = ${report.id}`), 'PostgreSQL refuses to rewrite a report')
  // Someone with the rights to switch the trigger off changes what the report says:
  await database.db.execute(sql`alter table reports disable trigger reports_append_only`)
  await database.db.execute(sql`update reports set content = jsonb_set(content, '{decision,courtNote}', '"Something else."') where id = ${report.id}`)
  await database.db.execute(sql`alter table reports enable trigger reports_append_only`)
  const tampered = await call(app, { url: `/v1/reports/${report.id}/verify`, token: c.clerk })
  t.same(tampered.json, { id: report.id, sha256: report.sha256, valid: false }, 'the recomputed hash no longer matches')
})

t.test('a correction supersedes a report without changing it', async (t) => {
  const original = await reportOf('suspension', { caseId: c.caseId })
  const french = await call(app, {
    method: 'POST',
    url: `/v1/reports/${original.id}/corrections`,
    token: c.staff,
    body: { correctionNote: 'x', language: 'fr' },
  })
  t.equal(french.status, 422, 'a correction is in the court’s language too')
  t.match(french.json.detail, /Dutch \(nl\)/)
  const correction = await post(`/v1/reports/${original.id}/corrections`, {
    correctionNote: 'The no-show of the visiting parent is confirmed.',
    language: 'nl',
  })
  t.equal(correction.supersedes, original.id)
  t.equal(correction.kind, 'suspension')
  t.equal(correction.language, 'nl')
  t.same(correction.period, original.period, 'the same period')
  t.match(correction.decision.reason, { code: 'illness', label: 'Ziekte' }, 'the label in the court’s language')
  const after = (await fetchReport(ctx, original.id, c.clerk)).text
  const { supersededBy, ...unchanged } = JSON.parse(after)
  const { supersededBy: notYet, ...before } = original
  t.equal(notYet, null)
  t.equal(supersededBy, correction.id, 'the original names its correction')
  t.same(unchanged, before, 'the original is as it was')
  t.equal((await call(app, { url: `/v1/reports/${original.id}/verify`, token: c.clerk })).json.valid, true)
  const again = await call(app, { method: 'POST', url: `/v1/reports/${original.id}/corrections`, token: c.staff, body: { correctionNote: 'Again.' } })
  t.equal(again.status, 409, 'a report is corrected once: correct the correction instead')
  t.equal(again.json.supersededBy, correction.id)
  const byClerk = await call(app, { method: 'POST', url: `/v1/reports/${correction.id}/corrections`, token: c.clerk, body: { correctionNote: 'x' } })
  t.equal(byClerk.status, 403, 'a court does not issue reports')
})

t.test('a progress report on demand, in the court’s language', async (t) => {
  const english = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/reports`, token: c.staff, body: { kind: 'progress', language: 'en' } })
  t.equal(english.status, 422, 'not in another language than the court’s')
  t.match(english.json, { type: /report-language$/, detail: /court's language, Dutch \(nl\)/ })
  const progress = await post(`/v1/cases/${c.caseId}/reports`, { kind: 'progress' })
  t.equal(progress.kind, 'progress')
  t.equal(progress.language, 'nl')
  t.equal(progress.decision, null)
  t.match(progress.caution, /geen beoordeling van het ouderschap/)
  t.same(progress.visits, expected)
  const backwards = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/reports`,
    token: c.staff,
    body: { kind: 'progress', from: '2030-01-02', to: '2030-01-01' },
  })
  t.equal(backwards.status, 400, backwards.body)
  const elsewhere = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/reports`, token: otherStaff, body: { kind: 'progress' } })
  t.equal(elsewhere.status, 404, 'another centre’s case is not found')
})

const NO_PDFTOTEXT = hasPdftotext ? false : 'pdftotext (Debian: poppler-utils) is not installed: the PDF’s text cannot be read'
const NO_BROWSER = hasChromium && hasPdftotext ? false : 'chromium or pdftotext is not installed: the page cannot be printed and read'

t.test('the PDF prints the reason label, the roll number and Dutch letters', { skip: NO_PDFTOTEXT }, async (t) => {
  const ending = await reportOf('ending', { caseId: c.caseId })
  const pdf = await fetchReport(ctx, ending.id, c.clerk, 'application/pdf')
  t.equal(pdf.status, 200)
  t.match(pdf.type, 'application/pdf')
  t.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-')
  const text = pdfText(pdf.bytes)
  t.match(text, 'beëindiging', 'the title, with its ë')
  t.match(text, 'Doel bereikt', 'the reason label')
  t.match(text, '24/1234/A', 'the roll number')
  t.match(text, 'The goal was reached.', 'the court note')
  t.match(text, ending.sha256, 'the check code')
})

t.test('the page renders in a browser, in the report’s language', { skip: NO_BROWSER }, async (t) => {
  const ending = await reportOf('ending', { caseId: c.caseId })
  const page = await fetchReport(ctx, ending.id, c.clerk, 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8')
  t.equal(page.status, 200)
  t.match(page.type, 'text/html')
  t.match(page.text, '<html lang="nl">')
  t.match(page.text, 'Verslag: beëindiging van de begeleiding')
  const printed = printedHtml(page.text)
  t.match(printed, 'beëindiging')
  t.match(printed, 'Doel bereikt')
  t.match(printed, '24/1234/A')
})

t.test('the report is written into the transaction of its decision', async (t) => {
  // A refusal refused (unknown reason code) leaves no report behind.
  const before = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from reports`)
  const id = await submit()
  const bad = await call(app, { method: 'POST', url: `/v1/referrals/${id}/refuse`, token: c.staff, body: { reasonCode: 'no_such_code', explanation: 'x' } })
  t.equal(bad.status, 400)
  const after = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from reports`)
  t.equal(after[0]!.n, before[0]!.n)
})
