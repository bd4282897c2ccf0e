/**
 * A report's PDF embeds DejaVu, parsed once per process and shared by every PDF after the first (pdfkit,
 * given a font file, reads and parses it again for each document: most of a PDF's time and garbage).
 * Sharing changes no byte: a PDF is the same whatever other PDFs were made before it.
 */
import t from 'tap'
import { reportPage } from '../../src/modules/reports/page.js'
import { renderReportPdf, reportFonts } from '../../src/modules/reports/render.js'
import type { Report } from '../../src/modules/reports/schemas.js'

const report: Report = {
  id: '01a24e48-a57e-73c2-81af-ef8931e1ddce',
  kind: 'progress',
  language: 'nl',
  referralId: '01a24e48-a50b-76e8-a135-0601e266f0df',
  caseId: '01a24e48-a50d-753f-a424-64ef69551eb9',
  dossierNumber: '2026-0001',
  referrer: { courtId: '01a24e48-a504-71cd-bd53-7a43245b497b', courtName: 'Familierechtbank Antwerpen', courtReference: '25/1000/A' },
  issuer: {
    centreId: '01a24e48-a4e7-7563-a8a8-95ebba13a9d6',
    centreName: 'Bezoekruimte Noord',
    address: null,
    phone: null,
    email: null,
    role: 'admin',
    author: null,
  },
  period: { from: '2026-11-02', to: '2026-12-07' },
  decision: null,
  visits: {
    planned: 6,
    held: 4,
    booked: 1,
    cancelled: { total: 1, late: 0, by: { visiting_party: 1, residing_party: 0, centre: 0, referrer: 0 } },
    noShow: { visits: 0, byParty: [] },
    interrupted: 0,
  },
  observations: null,
  caution: 'Dit verslag geeft enkel feiten weer die in de bezoekruimte werden vastgesteld.',
  supersedes: null,
  supersededBy: null,
  correctionNote: null,
  issuedAt: '2026-12-07T09:15:13.528Z',
  sha256: '7640e2513a1767a6fb9adf7a54826030bd731989e206cb0fd0799261b10190b2',
}
// Other glyphs (a French court, letters the first report has not), so its subset differs.
const other: Report = {
  ...report,
  language: 'fr',
  issuer: { ...report.issuer, centreName: 'Espace-Rencontre Liège — Ça va' },
  caution: 'Ce rapport ne relate que des faits constatés à l’Espace-Rencontre ; ÿ Ω ≤ ≥',
}
const pdf = (r: Report) => renderReportPdf(reportPage(r), { issuedAt: new Date(r.issuedAt), centreName: r.issuer.centreName })

t.test('the fonts are parsed once per process', async (t) => {
  const first = await reportFonts()
  t.equal(await reportFonts(), first, 'the same parsed fonts every time')
  t.same([first.regular.postscriptName, first.bold.postscriptName, first.mono.postscriptName], ['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSansMono'])
})

t.test('a PDF is the same byte for byte whatever PDFs were made before it', async (t) => {
  const before = await pdf(report)
  const between = await pdf(other)
  const after = await pdf(report)
  t.ok(after.equals(before), 'the same report, before and after another one')
  t.notOk(between.equals(before))
  const text = before.toString('latin1')
  t.match(text, /\/FontFile2/, 'the font is embedded')
  t.match(text, /\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/, 'as a subset of DejaVu Sans')
})
