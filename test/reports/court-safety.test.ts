/**
 * A report is court-safe by construction. A marker is planted in every internal field a report
 * could draw on — the explanations of a refusal, a return, a suspension, a resumption and an ending,
 * an intake summary, a cancellation's and an interruption's explanation, observations that are not
 * reportable, an incident a concern rests on (marked reportable all the same), its amendment and
 * another observation of its visit, the concern's own texts, an observation since amended, the parties' contact details — and no response a court
 * token gets from the report routes carries any of them: not the feed, not a report as JSON, as a
 * printable page or as a PDF (read back with pdftotext), not its verification. Rooms and
 * counsellors are not named either. The reportable observation does reach the court, since the
 * centre reports factual observations.
 */
import t from 'tap'
import { fixedClock } from '../../src/clock.js'
import { concernObservations, concernSteps, concerns, visitObservations } from '../../src/db/schema.js'
import { buildTestApp, call, tokenFor } from '../helpers/app.js'
import { REFERRER_VIEW_FIELDS } from '../../src/modules/referrer-view/view.js'
import { FeedPage, Report, Verification } from '../../src/modules/reports/schemas.js'
import { activeCase, bookVisits, fetchReport, hasPdftotext, pdfText, recordOutcomes } from './fixtures.js'

// The tilde keeps the marker out of what a court may read by chance: a cursor's base64url, an id.
const MARK = 'ZQX~'
const LEAK = /zqx~/i
const DAY = 86_400_000
const REPORTABLE = 'Het kind en de vader speelden samen een gezelschapsspel.'
const AMENDED = 'Het kind toonde de vader een tekening.'

const clock = fixedClock(new Date())
const ctx = await buildTestApp(t, { clock })
const { app, database, centre } = ctx
// Rounded up to the second: never before the demo documents took effect during the set-up.
clock.set(new Date(Math.ceil(Date.now() / 1000) * 1000))
const localDate = () => clock.now().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })

const admin = centre.adminToken
const policy = await call(app, {
  method: 'PATCH',
  url: `/v1/centres/${centre.centreId}`,
  token: admin,
  body: { settings: { reportContent: 'factual_observations' } },
})
if (policy.status !== 200) throw new Error(`reportContent: ${policy.status} ${policy.body}`)

const parties = [
  { role: 'child', givenName: 'Lena', familyName: 'Vermeulen', birthDate: '2019-05-02', language: 'nl' },
  {
    role: 'visiting_parent',
    givenName: 'Tom',
    familyName: 'Vermeulen',
    language: 'nl',
    contact: { phone: `+32 ${MARK}PHONE`, email: `${MARK.toLowerCase()}mail@example.be`, address: `${MARK}STREET 1, 2000 Antwerpen` },
  },
  {
    role: 'residing_parent',
    givenName: 'Sofie',
    familyName: 'Janssens',
    language: 'nl',
    contact: { address: `${MARK}SECRETADDRESS 9` },
    confidentialAddress: true,
  },
]
const c = await activeCase(ctx, { parties })
const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token

const post = async (url: string, body: unknown, token = c.staff) => {
  const response = await call(app, { method: 'POST', url, token, body })
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${response.body}`)
  return response.json
}

await post(`/v1/cases/${c.caseId}/intakes`, {
  partyId: c.visiting,
  heldAt: new Date(clock.now().getTime() - 60_000).toISOString(),
  counsellorId: centre.demo.counsellorIds[0],
  summary: `${MARK}INTAKE summary`,
})
const visitIds = await bookVisits(ctx, c, 6)
clock.set(new Date(clock.now().getTime() + 30 * DAY))
await recordOutcomes(ctx, c, visitIds, `${MARK}OUTCOME`)

// Observations are written by routes being built in parallel (src/modules/visits): rows as they will write them.
const observe = async (values: Partial<typeof visitObservations.$inferInsert> & { text: string }) =>
  (
    await database.db
      .insert(visitObservations)
      .values({ visitId: visitIds[0]!, caseId: c.caseId, kind: 'observation', ...values })
      .returning()
  )[0]!.id
await observe({ text: REPORTABLE, reportable: true })
await observe({ text: `${MARK}NOTREPORTABLE the counsellor’s own impression`, reportable: false })
// An incident a concern rests on, on a visit of its own: nothing of that visit is reported in words,
// not the incident (marked reportable all the same), not its amendment, not another observation of it.
const incident = await observe({ visitId: visitIds[1]!, kind: 'incident', text: `${MARK}CONCERN incident`, reportable: true })
await observe({ visitId: visitIds[1]!, kind: 'incident', text: `${MARK}AMENDEDINCIDENT amendment`, reportable: true, amends: incident })
await observe({ visitId: visitIds[1]!, text: `${MARK}CONCERNVISIT another observation of that visit`, reportable: true })
const [concern] = await database.db
  .insert(concerns)
  .values({
    centreId: centre.centreId,
    caseId: c.caseId,
    summary: `${MARK}CONCERN summary`,
    childPartyIds: [c.child],
    observedAt: clock.now(),
    status: 'closed',
    outcome: `${MARK}OUTCOME of the concern`,
    closeNote: `${MARK}CLOSENOTE`,
    closedAt: clock.now(),
  })
  .returning()
await database.db.insert(concernObservations).values({ concernId: concern!.id, observationId: incident })
await database.db
  .insert(concernSteps)
  .values({ concernId: concern!.id, step: 'vk_consulted', at: clock.now(), note: `${MARK}STEP note`, authorName: `${MARK}CONSULTED counsellor` })
const first = await observe({ text: `${MARK}SUPERSEDED first version`, reportable: true })
await observe({ text: AMENDED, reportable: true, amends: first })

const explained = (what: string) => `${MARK}${what.toUpperCase()} internal explanation`
await post(`/v1/cases/${c.caseId}/suspend`, { reasonCode: 'child_wellbeing', explanation: explained('suspension'), from: localDate() })
clock.set(new Date(clock.now().getTime() + DAY))
await post(`/v1/cases/${c.caseId}/resume`, { explanation: explained('resumption') })
const progress = await post(`/v1/cases/${c.caseId}/reports`, { kind: 'progress' })
await post(`/v1/reports/${progress.id}/corrections`, { correctionNote: 'The period is confirmed.' })
await post(`/v1/cases/${c.caseId}/end`, { reasonCode: 'safety', explanation: explained('ending'), effectiveDate: localDate() })
const submit = async () => (await post('/v1/referrals', { ...referralBodyWith(parties) }, c.clerk)).id as string
function referralBodyWith(p: unknown[]) {
  return {
    centreId: centre.centreId,
    source: 'court',
    legalFramework: 'court_ordered',
    courtReference: '24/5678/B',
    decisionDate: '2026-02-10',
    reason: 'Contact broken.',
    parties: p,
  }
}
await post(`/v1/referrals/${await submit()}/refuse`, { reasonCode: 'safety_risk_unmanageable', explanation: explained('refusal') })
await post(`/v1/referrals/${await submit()}/return`, { reasonCode: 'modalities_unclear', explanation: explained('return') })

t.test('every field of a report is in the referrer view', async (t) => {
  const keys = (schema: any, into = new Set<string>()): Set<string> => {
    for (const [key, value] of Object.entries<any>(schema.properties ?? {})) {
      into.add(key)
      keys(value, into)
    }
    for (const inner of [...(schema.anyOf ?? []), ...(schema.items ? [schema.items] : [])]) keys(inner, into)
    return into
  }
  const listed = new Set<string>(Object.entries(REFERRER_VIEW_FIELDS).flatMap(([resource, fields]) => (resource.startsWith('report') ? [...fields] : [])))
  for (const schema of [Report, FeedPage, Verification])
    t.same(
      [...keys(schema)].filter((k) => !listed.has(k) && k !== 'items' && k !== 'nextCursor'),
      [],
    )
  t.same(
    [...listed].filter((k) => ![...keys(Report), ...keys(Verification)].includes(k)),
    [],
    'and the list names nothing a report does not have',
  )
})

t.test('the markers are there for the centre to read', async (t) => {
  const events = await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })
  t.match(events.body, `${MARK}SUSPENSION`, 'staff read the suspension’s explanation')
  const caseRead = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })
  t.match(caseRead.body, `${MARK}PHONE`, 'and the parties’ contact details')
})

t.test('no court-scoped report response carries an internal text', async (t) => {
  const seen: { where: string; text: string }[] = []
  for (const [who, token] of [
    ['clerk', c.clerk],
    ['court integration', courtIntegration],
  ] as const) {
    const ids: string[] = []
    let after: string | undefined
    // Followed as a reader would, until all are there (on a shared PostgreSQL another suite's open transaction may hold the feed back a moment).
    for (const deadline = Date.now() + 30_000; ids.length < 8 && Date.now() < deadline;) {
      const page = await call(app, { url: `/v1/reports?limit=4${after ? `&after=${after}` : ''}`, token })
      t.equal(page.status, 200)
      seen.push({ where: `${who} feed`, text: page.body })
      ids.push(...page.json.items.map((r: { id: string }) => r.id))
      after = page.json.nextCursor
      if (!page.json.items.length) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    t.equal(ids.length, 8, `${who}: every report of its court (activation, suspension, resumption, progress and its correction, ending, refusal, return)`)
    for (const id of ids) {
      seen.push({ where: `${who} ${id} json`, text: (await fetchReport(ctx, id, token)).text })
      seen.push({ where: `${who} ${id} html`, text: (await fetchReport(ctx, id, token, 'text/html')).text })
      seen.push({ where: `${who} ${id} verify`, text: (await call(app, { url: `/v1/reports/${id}/verify`, token })).body })
      const pdf = await fetchReport(ctx, id, token, 'application/pdf')
      t.equal(pdf.status, 200)
      if (hasPdftotext) seen.push({ where: `${who} ${id} pdf`, text: pdfText(pdf.bytes) })
    }
  }
  if (!hasPdftotext) t.comment('pdftotext (Debian: poppler-utils) is not installed: the PDFs’ text is not checked')
  t.same(
    seen.filter((s) => LEAK.test(s.text)).map((s) => `${s.where}: ${/.{0,40}zqx~.{0,40}/i.exec(s.text)?.[0]}`),
    [],
    'no marker of an internal field',
  )
  t.same(
    seen.filter((s) => /Speelkamer|Grote zaal|An Peeters|Jonas Claes|T\d\d:\d\d:\d\d\+/.test(s.text)).map((s) => s.where),
    [],
    'no room, no counsellor, no time of a visit',
  )
  // The positive control: what the centre marked reportable does reach the court, current versions only.
  const reported = seen.filter((s) => s.where.endsWith('json') && s.text.includes(REPORTABLE))
  t.ok(reported.length > 0, 'the reportable observation is in the reports')
  for (const s of reported) t.ok(s.text.includes(AMENDED), `${s.where}: with the amended observation in its current version`)
  if (hasPdftotext)
    t.ok(
      seen.some((s) => s.where.endsWith('pdf') && s.text.includes('gezelschapsspel')),
      'and in the PDF',
    )
})
