import type { Eta } from 'eta'
import type { Font } from 'fontkit'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { ReportPage } from './page.js'

/**
 * A report as a printable page (eta, escaping every value it prints, so text a centre typed with
 * markup in it shows as typed) and as a PDF (pdfkit). The PDF embeds DejaVu Sans, from the
 * `dejavu-fonts-ttf` package, installed with the service's dependencies and so present on a fresh
 * clone and in the container image alike: the standard PDF fonts cannot print ë, ï or é reliably.
 * eta and pdfkit are loaded at the first report printed, not at start-up: most processes never print
 * one, and pdfkit with its font machinery costs a start a tenth of a second and tens of megabytes.
 * The fonts are read and parsed once per process, at that first PDF, and shared by every PDF after:
 * given a file, pdfkit reads and parses it again for each document, which was three quarters of a
 * PDF's time (about 80 of 100 ms) and tens of megabytes of garbage per PDF under load.
 */

let engine: Promise<Eta> | undefined

/**
 * A CSS string with its quotes: the page margin boxes are filled from the stylesheet, where HTML
 * escaping does not apply, so a centre's name is escaped for CSS instead (and can never end the style element).
 */
const cssString = (text: string) => `"${text.replace(/[\\"<>&\n]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`

/** The printable page, from the template beside this module (copied next to the compiled code by the build, like the day sheet's). */
export async function renderReportHtml(page: ReportPage): Promise<string> {
  engine ??= import('eta').then(
    ({ Eta }) => new Eta({ views: fileURLToPath(new URL('.', import.meta.url)), autoEscape: true, autoTrim: ['nl', false], cache: true }),
  )
  const css = { foot: cssString(page.runningFoot), before: cssString(page.pageCounter.before), between: cssString(page.pageCounter.between) }
  return (await engine).render('./report.html.eta', { ...page, css })
}

const require = createRequire(import.meta.url)
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')
const FONT_MONO = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf')

let fonts: Promise<{ regular: Font; bold: Font; mono: Font }> | undefined

/**
 * The report fonts, parsed once per process. A document only reads a parsed font (fontkit fills its
 * own caches, the same whoever asks); the subset of glyphs a PDF embeds is the document's own. So
 * every PDF shares them, and is byte for byte what it would be with fonts of its own.
 */
export function reportFonts() {
  fonts ??= import('fontkit').then(({ create }) => {
    const parse = (file: string) => create(readFileSync(file)) as Font
    return { regular: parse(FONT), bold: parse(FONT_BOLD), mono: parse(FONT_MONO) }
  })
  return fonts
}

/** The same page as an A4 PDF with the font embedded (subset), so it prints the same everywhere; every page numbered. */
export async function renderReportPdf(page: ReportPage, info: { issuedAt: Date; centreName: string }): Promise<Buffer> {
  const [{ default: PDFDocument }, { regular, bold, mono }] = await Promise.all([import('pdfkit'), reportFonts()])
  // `font` replaces pdfkit's default Helvetica, so no standard font is ever loaded or used. The pages
  // are kept until the end, when their number and the total are known and written at their foot.
  // pdfkit takes a parsed font wherever it takes a font file; its types name only files and bytes.
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    bufferPages: true,
    font: regular as unknown as string,
    lang: page.lang,
    info: { Title: page.title, Author: info.centreName, CreationDate: info.issuedAt },
  })
  doc.registerFont('regular', regular as unknown as Buffer)
  doc.registerFont('bold', bold as unknown as Buffer)
  doc.registerFont('mono', mono as unknown as Buffer)
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const labelWidth = width * 0.42
  const rule = (y: number, color: string) =>
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke()
  const rows = (list: { label: string; value: string }[], size: number) => {
    for (const row of list) {
      const y = doc.y
      doc
        .font('regular')
        .fontSize(size)
        .fillColor('#444')
        .text(row.label, left, y, { width: labelWidth - 8 })
      const afterLabel = doc.y
      doc.fillColor('#111').text(row.value, left + labelWidth, y, { width: width - labelWidth })
      doc.y = Math.max(afterLabel, doc.y) + 2
    }
  }

  // The letterhead: the centre's name, address and contact, above a rule.
  doc.font('bold').fontSize(12).fillColor('#111').text(page.letterhead.name, left, doc.y, { width })
  for (const line of page.letterhead.lines) doc.font('regular').fontSize(9).fillColor('#333').text(line, left, doc.y, { width })
  const headY = doc.y + 3
  rule(headY, '#111')
  doc.y = headY + 14

  doc.font('bold').fontSize(16).fillColor('#111').text(page.title, left, doc.y, { width })
  doc.moveDown(0.6)
  for (const section of page.sections) {
    doc.moveDown(0.5)
    doc.font('bold').fontSize(11.5).fillColor('#111').text(section.heading, left, doc.y, { width })
    const lineY = doc.y + 1
    rule(lineY, '#999')
    doc.y = lineY + 4
    rows(section.rows, 10)
    for (const paragraph of section.paragraphs) {
      doc.font('regular').fontSize(10).fillColor('#111').text(paragraph, left, doc.y, { width })
      doc.moveDown(0.3)
    }
  }
  doc.moveDown(1)
  doc.font('regular').fontSize(10).fillColor('#111').text(page.caution, left, doc.y, { width, oblique: true })
  doc.moveDown(1)
  rows(page.footer, 8)
  doc.moveDown(0.5)
  doc.font('regular').fontSize(8).fillColor('#444').text(page.checkCode.label, left, doc.y, { width })
  // 64 characters of 7.5 pt monospace are about 290 pt wide: one line, never wrapped.
  doc.font('mono').fontSize(7.5).fillColor('#111').text(page.checkCode.value, left, doc.y, { width, lineBreak: false })

  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    // Writing below the bottom margin would start a new page: the margin is lifted while the footer is written.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - 36
    const number = page.pageCounter.words.replace('{n}', String(i - start + 1)).replace('{total}', String(count))
    doc.font('regular').fontSize(8).fillColor('#444')
    doc.text(page.runningFoot, left, y, { width: width * 0.7, lineBreak: false })
    doc.text(number, left, y, { width, align: 'right', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
  doc.end()
  return done
}
