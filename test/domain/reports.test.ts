/** Building a report's content from facts, and hashing it: pure, no database. */
import t from 'tap'
import { createHash } from 'node:crypto'
import { buildReportContent, contentSha256, noCancellations, reportableObservations, type ObservationFact, type ReportFacts } from '../../src/domain/reports.js'
import { CAUTION } from '../../src/domain/report-wording.js'

const observation = (id: string, values: Partial<ObservationFact> = {}): ObservationFact => ({
  id,
  amends: null,
  kind: 'observation',
  date: '2026-03-04',
  reportable: true,
  concernVisit: false,
  text: `text ${id}`,
  ...values,
})

t.test('only current, reportable observations of visits no concern rests on, and no child’s words, reach a report', async (t) => {
  const facts = [
    observation('a'),
    observation('b', { reportable: false, text: null }),
    observation('c', { kind: 'incident', concernVisit: true }),
    observation('d', { kind: 'incident', amends: 'c', concernVisit: true }), // its amendment, on the same visit
    observation('i', { kind: 'child_statement' }), // the child's words, even if marked reportable
    observation('e', { date: '2026-03-01' }),
    observation('f', { amends: 'e', date: '2026-03-01' }), // e's current version
    observation('g', { amends: 'f', reportable: false, text: null }), // f withdrawn from the report
    observation('h', { date: '2026-02-01' }),
  ]
  t.same(reportableObservations(facts), [
    { kind: 'observation', date: '2026-02-01', text: 'text h' },
    { kind: 'observation', date: '2026-03-04', text: 'text a' },
  ])
  t.same(reportableObservations([observation('x', { amends: 'x' })]), [], 'a chain that loops ends')
})

const facts = (overrides: Partial<ReportFacts> = {}): ReportFacts => ({
  id: '01a220ae-ddeb-7778-a5fa-f51416294f53',
  kind: 'suspension',
  language: 'fr',
  referralId: '01a220ae-ddeb-7778-a5fa-f51416294f54',
  caseId: '01a220ae-ddeb-7778-a5fa-f51416294f55',
  court: { id: '01a220ae-ddeb-7778-a5fa-f51416294f56', name: 'Familierechtbank Antwerpen' },
  courtReference: '24/1234/A',
  dossierNumber: '2026-0007',
  centre: {
    id: '01a220ae-ddeb-7778-a5fa-f51416294f57',
    name: 'CAW Antwerpen',
    letterhead: { address: 'Lange Gasthuisstraat 1, 2000 Antwerpen', phone: null, email: 'bezoekruimte@caw.example' },
  },
  issuerRole: 'staff',
  author: { name: 'An Peeters', function: 'coördinator bezoekruimte' },
  issuedAt: new Date('2026-03-07T10:00:00Z'),
  period: { from: '2026-01-05', to: '2026-03-07' },
  decision: {
    date: '2026-03-07',
    reason: { category: 'suspension', code: 'illness', label: { nl: 'Ziekte', fr: 'Maladie', en: 'Illness' } },
    courtNote: 'Contacts are suspended.',
    from: '2026-03-07',
    until: null,
  },
  visits: {
    planned: 3,
    held: 1,
    booked: 1,
    cancelled: { total: 1, late: 0, by: { ...noCancellations(), residing_party: 1 } },
    noShow: { visits: 0, byParty: [] },
    interrupted: 0,
  },
  observations: null,
  supersedes: null,
  correctionNote: null,
  ...overrides,
})

t.test('the content states the reason in the report’s language, the caution, and nothing undefined', async (t) => {
  const content = buildReportContent(facts())
  t.same(content.decision?.reason, { category: 'suspension', code: 'illness', label: 'Maladie' })
  t.equal(content.caution, CAUTION.fr)
  t.same(content.referrer, { courtId: '01a220ae-ddeb-7778-a5fa-f51416294f56', courtName: 'Familierechtbank Antwerpen', courtReference: '24/1234/A' })
  t.same(content.issuer, {
    centreId: '01a220ae-ddeb-7778-a5fa-f51416294f57',
    centreName: 'CAW Antwerpen',
    address: 'Lange Gasthuisstraat 1, 2000 Antwerpen',
    phone: null,
    email: 'bezoekruimte@caw.example',
    role: 'staff',
    author: { name: 'An Peeters', function: 'coördinator bezoekruimte' },
  })
  t.equal(content.dossierNumber, '2026-0007')
  t.equal(content.issuedAt, '2026-03-07T10:00:00.000Z')
  t.equal(content.observations, null, 'attendance only: no observations at all')
  t.same(JSON.parse(JSON.stringify(content)), content, 'survives a JSON round trip unchanged (what jsonb stores)')
  const withObservations = buildReportContent(facts({ observations: [observation('a'), observation('b', { reportable: false, text: null })] }))
  t.same(withObservations.observations, [{ kind: 'observation', date: '2026-03-04', text: 'text a' }])
  const noCourt = buildReportContent(facts({ court: null, courtReference: null }))
  t.same(noCourt.referrer, { courtId: null, courtName: null, courtReference: null })
  for (const language of ['nl', 'fr', 'en'] as const) t.ok(CAUTION[language].length > 50, `a caution in ${language}`)
})

t.test('the hash is SHA-256 of RFC 8785 canonical JSON', async (t) => {
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
  t.equal(contentSha256({ b: 2, a: 'é', c: [1, { z: null, y: true }] }), sha('{"a":"é","b":2,"c":[1,{"y":true,"z":null}]}'))
  t.equal(contentSha256({ a: 1, b: 2 }), contentSha256({ b: 2, a: 1 }), 'key order does not matter')
  t.equal(contentSha256({ n: 1.0 }), sha('{"n":1}'), 'numbers in their shortest form')
  const content = buildReportContent(facts())
  t.not(contentSha256(content), contentSha256({ ...content, decision: { ...content.decision!, courtNote: 'Something else.' } }), 'a changed word changes it')
  t.throws(() => contentSha256(undefined), 'only JSON hashes')
})
