import { createRequire } from 'node:module'
import type { ReportPage } from './page.js'

/**
 * A report as a printable page (eta, escaping every value it prints, so text a centre typed with
 * markup in it shows as typed) and as a PDF (pdfkit). The PDF embeds DejaVu Sans, from the
 * `dejavu-fonts-ttf` package, installed with the service's dependencies and so present on a fresh
 * clone and in the container image alike: the standard PDF fonts cannot print ë, ï or é reliably.
 * eta and pdfkit are loaded at the first report printed, not at start-up: most processes never print
 * one, and pdfkit with its font machinery costs a start a tenth of a second and tens of megabytes.
 */

// The template lives in the code rather than beside it: `npm run build` compiles .ts files only.
const TEMPLATE = `<!doctype html>
<html lang="<%= it.lang %>">
<head>
<meta charset="utf-8">
<title><%= it.title %></title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; max-width: 180mm; margin: 0 auto; }
  h1 { font-size: 16pt; margin: 0 0 5mm; }
  h2 { font-size: 11.5pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; width: 100%; }
  th { text-align: left; font-weight: normal; color: #444; width: 42%; padding: 0.8mm 3mm 0.8mm 0; vertical-align: top; }
  td { padding: 0.8mm 0; vertical-align: top; }
  p { margin: 1.5mm 0; }
  .caution { margin-top: 8mm; padding: 3mm 4mm; border: 1px solid #999; font-style: italic; }
  footer { margin-top: 6mm; font-size: 8.5pt; color: #444; }
  footer td { word-break: break-all; }
</style>
</head>
<body>
<h1><%= it.title %></h1>
<% it.sections.forEach(function (section) { %>
<section>
  <h2><%= section.heading %></h2>
<% if (section.rows.length) { %>
  <table>
<% section.rows.forEach(function (row) { %>
    <tr><th scope="row"><%= row.label %></th><td><%= row.value %></td></tr>
<% }) %>
  </table>
<% } %>
<% section.paragraphs.forEach(function (paragraph) { %>
  <p><%= paragraph %></p>
<% }) %>
</section>
<% }) %>
<p class="caution"><%= it.caution %></p>
<footer>
  <table>
<% it.footer.forEach(function (row) { %>
    <tr><th scope="row"><%= row.label %></th><td><%= row.value %></td></tr>
<% }) %>
  </table>
</footer>
</body>
</html>
`

let htmlRenderer: Promise<(page: ReportPage) => string> | undefined

export async function renderReportHtml(page: ReportPage): Promise<string> {
  htmlRenderer ??= import('eta').then(({ Eta }) => {
    const eta = new Eta({ autoEscape: true, autoTrim: ['nl', false] })
    const template = eta.compile(TEMPLATE)
    return (page: ReportPage) => eta.render(template, page)
  })
  return (await htmlRenderer)(page)
}

const require = createRequire(import.meta.url)
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')

/** The same page as an A4 PDF with the font embedded (subset), so it prints the same everywhere. */
export async function renderReportPdf(page: ReportPage, info: { issuedAt: Date; centreName: string }): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit')
  // `font` replaces pdfkit's default Helvetica, so no standard font is ever loaded or used.
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    font: FONT,
    lang: page.lang,
    info: { Title: page.title, Author: info.centreName, CreationDate: info.issuedAt },
  })
  doc.registerFont('regular', FONT)
  doc.registerFont('bold', FONT_BOLD)
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right
  const labelWidth = width * 0.42
  const rows = (list: { label: string; value: string }[], size: number) => {
    for (const row of list) {
      const y = doc.y
      doc
        .font('regular')
        .fontSize(size)
        .fillColor('#444')
        .text(row.label, doc.page.margins.left, y, { width: labelWidth - 8 })
      const afterLabel = doc.y
      doc.fillColor('#111').text(row.value, doc.page.margins.left + labelWidth, y, { width: width - labelWidth })
      doc.y = Math.max(afterLabel, doc.y) + 2
    }
  }

  doc.font('bold').fontSize(16).fillColor('#111').text(page.title, { width })
  doc.moveDown(0.6)
  for (const section of page.sections) {
    doc.moveDown(0.5)
    doc.font('bold').fontSize(11.5).fillColor('#111').text(section.heading, doc.page.margins.left, doc.y, { width })
    const lineY = doc.y + 1
    doc
      .moveTo(doc.page.margins.left, lineY)
      .lineTo(doc.page.margins.left + width, lineY)
      .lineWidth(0.5)
      .strokeColor('#999')
      .stroke()
    doc.y = lineY + 4
    rows(section.rows, 10)
    for (const paragraph of section.paragraphs) {
      doc.font('regular').fontSize(10).fillColor('#111').text(paragraph, doc.page.margins.left, doc.y, { width })
      doc.moveDown(0.3)
    }
  }
  doc.moveDown(1)
  doc.font('regular').fontSize(10).fillColor('#111').text(page.caution, doc.page.margins.left, doc.y, { width, oblique: true })
  doc.moveDown(1)
  rows(page.footer, 8)
  doc.end()
  return done
}
