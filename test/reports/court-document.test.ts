/**
 * A report as a court files it: written in the court's language whatever the parties speak, headed
 * with the centre's letterhead, naming the dossier and who drew it up, numbered page by page, with a
 * check code a person can read whole; and the words a court expects, in the report, the day sheet
 * and the incidents the service writes itself.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { and, eq, type SQL } from 'drizzle-orm'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli.js'
import { fixedClock } from '../../src/clock.js'
import { apiTokens, centres, parties, reports, visitObservations } from '../../src/db/schema.js'
import { CAUTION } from '../../src/domain/report-wording.js'
import { reportPage } from '../../src/modules/reports/page.js'
import { renderReportHtml } from '../../src/modules/reports/render.js'
import type { Report } from '../../src/modules/reports/schemas.js'
import { call, completeIntake, referralBody, testCentre, tokenFor, type TestContext } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'
import { fromRoot } from '../helpers/paths.js'
import { dayWithVisits } from '../day-sheet/fixtures.js'
import { fetchReport, hasPdftotext, pdfText } from './fixtures.js'

const PDFTOPPM = '/usr/bin/pdftoppm'
const NO_PDFTOTEXT = hasPdftotext ? false : 'pdftotext (Debian: poppler-utils) is not installed: the PDF’s text cannot be read'
const LETTERHEAD = { address: 'Lange Gasthuisstraat 1, 2000 Antwerpen', phone: '+32 3 123 45 67', email: 'bezoekruimte@caw.example' }
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

/** The page's words without markup, as a reader meets them. */
const textOf = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

interface Court {
  id: string
  clerk: string
}

type Tap = Parameters<typeof testCentre>[0] & { equal: typeof t.equal; match: typeof t.match }

/** A centre with its letterhead, a court in `language`, and a staff token that names its person. */
async function setting(t: Tap) {
  const ctx = await testCentre(t)
  const { app, centre, operator, database } = ctx
  const patched = await call(app, {
    method: 'PATCH',
    url: `/v1/centres/${centre.centreId}`,
    token: centre.adminToken,
    body: { settings: { letterhead: LETTERHEAD } },
  })
  t.equal(patched.status, 200, patched.body)
  const named = await call(app, {
    method: 'POST',
    url: '/v1/tokens',
    token: centre.adminToken,
    body: { role: 'staff', label: 'Coördinatie', name: 'An Peeters', function: 'coördinator bezoekruimte' },
  })
  t.equal(named.status, 201, named.body)
  t.match(named.json, { name: 'An Peeters', function: 'coördinator bezoekruimte' }, 'the token view names the person')
  const tooLong = await call(app, { method: 'POST', url: '/v1/tokens', token: centre.adminToken, body: { role: 'staff', name: 'x'.repeat(201) } })
  t.equal(tooLong.status, 400, 'a name of at most 200 characters')
  const court = async (language: 'nl' | 'fr', name: string): Promise<Court> => {
    const created = await call(app, { method: 'POST', url: '/v1/courts', token: operator, body: { name, judicialDistrict: 'Brussel', language } })
    t.equal(created.status, 201, created.body)
    t.equal(created.json.language, language)
    return { id: created.json.id, clerk: (await tokenFor(database, 'clerk', { courtId: created.json.id })).token }
  }
  return { ctx, staff: named.json.token as string, court }
}

/** A referral from `court` with Dutch-speaking parties, accepted: a case in intake. */
async function caseOf(ctx: TestContext, court: Court, staff: string, courtReference = '24/1234/A') {
  const body = referralBody(ctx.centre, { courtId: court.id, courtReference })
  const submitted = await call(ctx.app, { method: 'POST', url: '/v1/referrals', token: court.clerk, body })
  if (submitted.status !== 201) throw new Error(`referral: ${submitted.body}`)
  const accepted = await call(ctx.app, {
    method: 'POST',
    url: `/v1/referrals/${submitted.json.id}/accept`,
    token: staff,
    body: { leadCounsellorId: ctx.centre.demo.counsellorIds[0], siteId: ctx.centre.demo.siteId },
  })
  if (accepted.status !== 201) throw new Error(`accept: ${accepted.body}`)
  const partyOf = (role: string) => accepted.json.case.parties.find((p: { role: string }) => p.role === role).id as string
  return {
    referralId: submitted.json.id as string,
    caseId: accepted.json.caseId as string,
    staff,
    clerk: court.clerk,
    child: partyOf('child'),
    visiting: partyOf('visiting_parent'),
    residing: partyOf('residing_parent'),
  }
}

/**
 * The report a decision issued, read as the court reads it. Found in the table rather than the feed:
 * on PostgreSQL the feed shows a report only once no earlier transaction can still commit.
 */
async function reportOf(ctx: TestContext, clerk: string, kind: Report['kind'], subject: SQL): Promise<Report> {
  const [row] = await ctx.database.db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.kind, kind), subject))
  return JSON.parse((await fetchReport(ctx, row!.id, clerk)).text) as Report
}

async function progressReport(ctx: TestContext, caseId: string, staff: string, body: Record<string, unknown> = {}) {
  return call(ctx.app, { method: 'POST', url: `/v1/cases/${caseId}/reports`, token: staff, body: { kind: 'progress', ...body } })
}

t.test('a French-speaking court gets its report in French, whatever the parties speak', async (t) => {
  const { ctx, staff, court } = await setting(t)
  const french = await court('fr', 'Tribunal de la famille de Bruxelles')
  const c = await caseOf(ctx, french, staff, '25/0042/F')
  const issued = await progressReport(ctx, c.caseId, staff)
  t.equal(issued.status, 201, issued.body)
  const report = issued.json as Report
  t.equal(report.language, 'fr', 'the parties speak Dutch; the court French')
  t.equal(report.caution, CAUTION.fr)
  t.match(report.dossierNumber, /^\d{4}-\d{4}$/)
  t.same(report.issuer.author, { name: 'An Peeters', function: 'coördinator bezoekruimte' })
  t.match(report.issuer, LETTERHEAD, 'the letterhead is in the content')

  const dutch = await progressReport(ctx, c.caseId, staff, { language: 'nl' })
  t.equal(dutch.status, 422, 'not in the parties’ language')
  t.match(dutch.json, { type: /report-language$/, detail: /court's language, French \(fr\)/, language: 'fr' })
  t.equal((await progressReport(ctx, c.caseId, staff, { language: 'fr' })).status, 201, 'the court’s own language may be sent')

  const html = await fetchReport(ctx, report.id, c.clerk, 'text/html')
  t.match(html.text, '<html lang="fr">')
  const words = textOf(html.text)
  for (const text of [
    'Rapport : état de la situation',
    'Établi le',
    'Établi par',
    'An Peeters, coördinator bezoekruimte',
    'Code de contrôle (SHA-256)',
    'Absences',
    'dont tardives',
    'ni une enquête ou une expertise',
    "L'espace-rencontre ne prend pas position sur l'hébergement ou le droit aux relations personnelles.",
  ])
    t.ok(words.includes(text), `the page says ${text}`)
  t.notMatch(words, /Opgemaakt|Geannuleerd|Émis|Empreinte/, 'no Dutch, no old words')

  t.test('and its PDF', { skip: NO_PDFTOTEXT }, async (t) => {
    const pdf = await fetchReport(ctx, report.id, c.clerk, 'application/pdf')
    t.equal(pdf.status, 200)
    const text = pdfText(pdf.bytes)
    t.match(text, 'Rapport : état de la situation')
    t.match(text, /page 1 sur \d/)
    t.match(text, 'Code de contrôle (SHA-256)')
    t.ok(text.split('\n').includes(report.sha256), 'the check code whole on a line of its own')
  })

  t.test('a Dutch-speaking court gets Dutch', async (t) => {
    const dutchCourt = await court('nl', 'Familierechtbank Antwerpen')
    const d = await caseOf(ctx, dutchCourt, staff, '25/0043/N')
    const nl = await progressReport(ctx, d.caseId, staff)
    t.equal(nl.json.language, 'nl')
    t.match(textOf((await fetchReport(ctx, nl.json.id, d.clerk, 'text/html')).text), 'Verslag: stand van zaken')
  })

  t.test('a court whose language the operator changes gets its next reports in that language', async (t) => {
    const byAdmin = await call(ctx.app, { method: 'PATCH', url: `/v1/courts/${french.id}`, token: ctx.centre.adminToken, body: { language: 'nl' } })
    t.equal(byAdmin.status, 403, 'a centre’s admin does not speak for a court')
    const patched = await call(ctx.app, { method: 'PATCH', url: `/v1/courts/${french.id}`, token: ctx.operator, body: { language: 'nl' } })
    t.equal(patched.status, 200, patched.body)
    t.match(patched.json, { id: french.id, language: 'nl', name: 'Tribunal de la famille de Bruxelles' })
    t.equal((await call(ctx.app, { url: `/v1/courts/${french.id}`, token: french.clerk })).json.language, 'nl', 'the court’s view shows it')
    const bad = await call(ctx.app, { method: 'PATCH', url: `/v1/courts/${french.id}`, token: ctx.operator, body: { language: 'de' } })
    t.equal(bad.status, 400)
    const next = await progressReport(ctx, c.caseId, staff)
    t.equal(next.json.language, 'nl')
  })
})

t.test('the PDF a court files: letterhead, dossier number, author, page numbers, the check code whole', { skip: NO_PDFTOTEXT }, async (t) => {
  const { ctx, staff, court } = await setting(t)
  const dutch = await court('nl', 'Familierechtbank Gent')
  const c = await caseOf(ctx, dutch, staff, '25/0100/G')
  const report = (await progressReport(ctx, c.caseId, staff)).json as Report
  const pdf = await fetchReport(ctx, report.id, c.clerk, 'application/pdf')
  t.equal(pdf.status, 200)
  const text = pdfText(pdf.bytes)
  const lines = text.split('\n').map((l) => l.trim())
  t.match(report.dossierNumber, /^\d{4}-\d{4}$/)
  t.ok(lines.includes(report.dossierNumber!), `the dossier number ${report.dossierNumber} on a line of its own`)
  t.notOk(text.includes(c.caseId), 'never the case’s id')
  t.match(text, LETTERHEAD.address, 'the letterhead’s address')
  t.match(text, LETTERHEAD.phone)
  t.match(text, LETTERHEAD.email)
  t.match(text, 'Opgemaakt door')
  t.match(text, 'An Peeters, coördinator bezoekruimte', 'the author and function')
  const pages = (text.match(/\f/g) ?? []).length
  t.ok(pages >= 1)
  for (let n = 1; n <= pages; n++) t.match(text, `pagina ${n} van ${pages}`, `page ${n} is numbered`)
  t.match(text, 'Controlecode (SHA-256)')
  t.ok(lines.includes(report.sha256), 'the 64 hex characters contiguous on one line')

  t.test('a page as a person sees it', { skip: existsSync(PDFTOPPM) ? false : 'pdftoppm is not installed' }, async (t) => {
    // Left in the run's artefacts for a person to look at (.tap is not committed).
    const dir = fromRoot('.tap', 'artefacts')
    mkdirSync(dir, { recursive: true })
    const work = mkdtempSync(join(tmpdir(), 'bzr-report-'))
    t.teardown(() => rmSync(work, { recursive: true, force: true }))
    writeFileSync(join(work, 'report.pdf'), pdf.bytes)
    execFileSync(PDFTOPPM, ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', join(work, 'report.pdf'), join(dir, 'report-page-1')], { timeout: 60_000 })
    t.ok(existsSync(join(dir, 'report-page-1.png')), 'written to .tap/artefacts/report-page-1.png')
  })
})

t.test('a report on a referral names the roll number only; reason labels and the refusal after intake in a court’s words', async (t) => {
  const { ctx, staff, court } = await setting(t)
  const dutch = await court('nl', 'Familierechtbank Leuven')
  const refusal = async (reasonCode: string) => {
    const submitted = await call(ctx.app, { method: 'POST', url: '/v1/referrals', token: dutch.clerk, body: referralBody(ctx.centre, { courtId: dutch.id }) })
    const refused = await call(ctx.app, {
      method: 'POST',
      url: `/v1/referrals/${submitted.json.id}/refuse`,
      token: staff,
      body: { reasonCode, explanation: 'internal' },
    })
    t.equal(refused.status, 200, refused.body)
    return reportOf(ctx, dutch.clerk, 'referral_refused', eq(reports.referralId, submitted.json.id))
  }
  const noPlace = await refusal('no_capacity')
  t.equal(noPlace.dossierNumber, null, 'a referral has no dossier number')
  t.equal(noPlace.decision!.reason!.label, 'Geen plaats beschikbaar')
  const page = textOf((await fetchReport(ctx, noPlace.id, dutch.clerk, 'text/html')).text)
  t.match(page, 'Rolnummer 24/1234/A')
  t.notMatch(page, /Dossier|Verwijzing /, 'no dossier row, no referral id')
  t.notMatch(page.replace(noPlace.id, ''), UUID, 'no id but the report’s own')
  t.equal((await refusal('parties_do_not_consent')).decision!.reason!.label, 'Geen medewerking van (een van) de partijen')

  const c = await caseOf(ctx, dutch, staff)
  await completeIntake(ctx, c)
  const ended = await call(ctx.app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/end`,
    token: staff,
    body: { reasonCode: 'safety', explanation: 'internal', effectiveDate: DateTime.now().setZone('Europe/Brussels').toISODate()! },
  })
  t.equal(ended.status, 200, ended.body)
  const ending = await reportOf(ctx, dutch.clerk, 'ending', eq(reports.caseId, c.caseId))
  t.equal(ending.decision!.refusedAfterIntake, true)
  const words = textOf((await fetchReport(ctx, ending.id, dutch.clerk, 'text/html')).text)
  t.match(words, 'Veiligheid kan niet gegarandeerd worden')
  t.match(words, 'Geweigerd na de intake ja', 'refused after intake: ja, not a tick')
  t.notMatch(words, '✓')
  t.match(words, `Dossier ${ending.dossierNumber}`)
  t.match(
    words,
    'en geen gerechtelijk onderzoek of deskundigenonderzoek. De bezoekruimte neemt geen standpunt in over het verblijf of het contactrecht.',
    'the cautionary note',
  )
})

/** A report with one of everything a page can say, to read every wording row in each language. */
const everything = (language: 'nl' | 'fr' | 'en', kind: Report['kind'], author: Report['issuer']['author']): Report => ({
  id: '01a24c59-5cfb-757f-9b43-90585018b9aa',
  kind,
  language,
  referralId: '01a24c59-5cfb-757f-9b43-90585018b9ab',
  caseId: '01a24c59-5cfb-757f-9b43-90585018b9ac',
  dossierNumber: '2026-0007',
  referrer: { courtId: null, courtName: 'Familierechtbank', courtReference: '24/1/A' },
  issuer: { centreId: '01a24c59-5cfb-757f-9b43-90585018b9ad', centreName: 'CAW', address: null, phone: null, email: null, role: 'admin', author },
  period: { from: '2026-03-01', to: '2026-03-31' },
  decision: { date: '2026-03-31', reason: null, courtNote: null, refusedAfterIntake: true },
  visits: {
    planned: 4,
    held: 1,
    booked: 0,
    cancelled: { total: 2, late: 1, by: { visiting_party: 0, residing_party: 2, centre: 0, referrer: 0 } },
    noShow: { visits: 1, byParty: [{ role: 'residing_other', visits: 1 }] },
    interrupted: 0,
  },
  observations: [{ kind: 'child_statement', date: '2026-03-07', text: 'x' }],
  caution: CAUTION[language],
  supersedes: null,
  supersededBy: null,
  correctionNote: null,
  issuedAt: '2026-03-31T10:00:00.000Z',
  sha256: 'a'.repeat(64),
})

t.test('every wording row as the page prints it', async (t) => {
  const page = async (report: Report) => textOf(await renderReportHtml(reportPage(report)))
  const nl = await page(everything('nl', 'ending', null))
  for (const text of [
    'Opgemaakt op',
    'Opgemaakt door CAW (coördinator bezoekruimte)',
    'Controlecode (SHA-256)',
    'woorden van het kind',
    'Feitelijke vaststellingen',
    'Geannuleerd door partij bij wie het kind verblijft: 2',
    'Niet opgedaagd 1 (partij bij wie het kind verblijft: 1)',
    'Geweigerd na de intake ja',
  ])
    t.ok(nl.includes(text), `nl: ${text}`)
  for (const old of ['Uitgegeven', 'Vingerafdruk', 'uitspraak van het kind', 'Feitelijke observaties', 'verblijfspartij', 'verblijfspersoon', 'beheerder', '✓'])
    t.notOk(nl.includes(old), `nl: no longer ${old}`)
  t.match(await page(everything('nl', 'referral_returned', null)), 'Verslag: verwijzing teruggestuurd (onvolledig)')

  const fr = await page(everything('fr', 'ending', null))
  for (const text of [
    'Établi le',
    "Établi par CAW (responsable de l'espace-rencontre)",
    'Code de contrôle (SHA-256)',
    'Constatations factuelles',
    'Absences 1',
    'dont tardives: 1',
    "Refusé après l'entretien d'accueil oui",
  ])
    t.ok(fr.includes(text), `fr: ${text}`)
  for (const old of ['Émis', 'Empreinte', 'Observations factuelles', 'Absence non excusée', 'dont tardivement', 'administrateur du centre'])
    t.notOk(fr.includes(old), `fr: no longer ${old}`)

  const en = await page(everything('en', 'ending', { name: 'Sam Jones', function: null }))
  t.ok(en.includes('Check code (SHA-256)'), 'en: the check code')
  t.ok(en.includes('Refused after intake yes'))
  t.ok(en.includes('Drawn up by Sam Jones'), 'a named author, without a function')
  t.ok(en.includes('nor an investigation or expert assessment. The centre takes no position on residence or contact rights.'))

  const html = await renderReportHtml(reportPage(everything('nl', 'ending', null)))
  t.notMatch(html, /break-all/, 'the check code is never broken inside')
  t.match(html, new RegExp(`<p class="check-code">${'a'.repeat(64)}</p>`), 'on a line of its own, monospace')
  t.match(html, /counter\(page\)/, 'the printed page numbers its pages')
})

t.test('cases show their dossier number, consecutive within a centre', async (t) => {
  const ctx = await testCentre(t)
  const staff = (await tokenFor(ctx.database, 'staff', { centreId: ctx.centre.centreId })).token
  const clerk = (await tokenFor(ctx.database, 'clerk', { courtId: ctx.centre.demo.courtId })).token
  const court = { id: ctx.centre.demo.courtId, clerk }
  const first = await caseOf(ctx, court, staff)
  const second = await caseOf(ctx, court, staff, '24/9999/Z')
  const detail = async (id: string) => (await call(ctx.app, { url: `/v1/cases/${id}`, token: staff })).json
  const a = (await detail(first.caseId)).dossierNumber as string
  const b = (await detail(second.caseId)).dossierNumber as string
  t.match(a, /^\d{4}-\d{4}$/)
  t.equal(Number(b.slice(5)), Number(a.slice(5)) + 1, `consecutive: ${a}, ${b}`)
  t.equal(b.slice(0, 4), a.slice(0, 4), 'the same year')
  const list = await call(ctx.app, { url: '/v1/cases?limit=200', token: staff })
  t.same(
    (list.json.items as { id: string; dossierNumber: string }[])
      .filter((i) => [first.caseId, second.caseId].includes(i.id))
      .map((i) => i.dossierNumber)
      .sort(),
    [a, b],
    'list items show it',
  )
  const referrer = await call(ctx.app, { url: `/v1/cases/${first.caseId}`, token: clerk })
  t.equal(referrer.json.dossierNumber, a, 'the court sees it too')
})

t.test('court create --language fr on the CLI', async (t) => {
  const { database } = await testCentre(t)
  let stdout = ''
  const code = await main(['court', 'create', '--name', 'Tribunal de la famille de Liège', '--district', 'Liège', '--language', 'fr'], {
    database,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stdout += text),
  })
  t.equal(code, 0, stdout)
  t.match(JSON.parse(stdout), { name: 'Tribunal de la famille de Liège', language: 'fr' })
  let err = ''
  t.equal(await main(['court', 'create', '--name', 'X', '--district', 'Y', '--language', 'de'], { database, stdout: () => {}, stderr: (x) => (err += x) }), 1)
  t.match(err, '--language must be one of nl, fr, en')
  let named = ''
  const centreId = (await database.db.select({ id: centres.id }).from(centres).limit(1))[0]!.id
  t.equal(
    await main(['token', 'create', '--role', 'staff', '--centre', centreId, '--name', 'An Peeters', '--function', 'coördinator bezoekruimte'], {
      database,
      stdout: (x) => (named += x),
      stderr: (x) => (named += x),
    }),
    0,
    named,
  )
  const [token] = await database.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.id, JSON.parse(named).id))
  t.match(token, { name: 'An Peeters', function: 'coördinator bezoekruimte' }, 'the CLI’s token names its person')
})

t.test('the day sheet in the centre’s language', async (t) => {
  const day = await dayWithVisits(t)
  const { app, centre, database } = day.ctx
  const url = `/v1/sites/${centre.demo.siteId}/day-sheet?date=${day.date}`
  const dutch = await call(app, { url, token: day.staff, headers: { accept: 'text/html' } })
  t.match(dutch.body, '<h1>Dagoverzicht Bezoekruimte Demo</h1>')
  t.match(dutch.body, '<th>Begeleider(s)</th>')
  t.match(dutch.body, /<div>\d{4}-\d{4}<\/div>/, 'the dossier number per visit')
  t.notMatch(dutch.body, /dossier [0-9a-f]{8}/, 'never a piece of an id')
  await database.db
    .update(centres)
    .set({ settings: { ...(await database.db.select().from(centres).where(eq(centres.id, centre.centreId)))[0]!.settings, language: 'fr' } })
    .where(eq(centres.id, centre.centreId))
  const french = await call(app, { url, token: day.staff, headers: { accept: 'text/html' } })
  t.match(french.body, '<html lang="fr">')
  t.match(french.body, '<h1>Aperçu du jour Bezoekruimte Demo</h1>')
  t.match(french.body, '<th>Accompagnateur(s)</th>')
  t.match(french.body, 'visite encadrée')
  t.match(french.body, 'parent visiteur')
  t.equal((await call(app, { url, token: day.staff })).json.title, 'Aperçu du jour')
})

t.test('a refused check-in is written in the centre’s language, with names and roles', async (t) => {
  const clock = fixedClock('2026-03-01T09:00:00+01:00')
  const ctx = await testCentre(t, { clock })
  const { app, database, centre } = ctx
  const [row] = await database.db.select().from(centres).where(eq(centres.id, centre.centreId))
  await database.db
    .update(centres)
    .set({ settings: { ...row!.settings, language: 'fr' } })
    .where(eq(centres.id, centre.centreId))
  const c = await createCase(database, centre)
  await database.db.update(parties).set({ givenName: 'Lena' }).where(eq(parties.id, c.child))
  await database.db.update(parties).set({ givenName: 'Tom', familyName: 'Peeters' }).where(eq(parties.id, c.visiting))
  const booked = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/visits`,
    token: centre.adminToken,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[0],
      counsellorIds: [centre.demo.counsellorIds[0]],
      start: '2026-03-07T14:00',
      durationMinutes: 90,
    },
  })
  t.equal(booked.status, 201, booked.body)
  clock.set('2026-03-07T13:50:00+01:00')
  const refused = await call(app, {
    method: 'POST',
    url: `/v1/visits/${booked.json.id}/check-in`,
    token: centre.adminToken,
    body: { partyId: c.child, broughtBy: { partyId: c.child } },
  })
  t.equal(refused.status, 409, refused.body)
  const [incident] = await database.db.select().from(visitObservations).where(eq(visitObservations.id, refused.json.incidentId))
  t.equal(
    incident!.text,
    "Arrivée de Lena (enfant) refusée à 13:50 : amené par Lena (enfant), qui n'est pas une partie adulte de ce dossier.",
    'in French, by name and role',
  )
  t.notMatch(incident!.text, UUID, 'no id')
  const stranger = await call(app, {
    method: 'POST',
    url: `/v1/visits/${booked.json.id}/check-in`,
    token: centre.adminToken,
    body: { partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f99' },
  })
  const [unknown] = await database.db.select().from(visitObservations).where(eq(visitObservations.id, stranger.json.incidentId))
  t.equal(unknown!.text, "Arrivée refusée à 13:50 : une personne inconnue n'est pas partie à cette visite.")
})
