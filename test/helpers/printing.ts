/**
 * Documents as a person meets them: a PDF read back by poppler's pdftotext, and an HTML page printed
 * to PDF by headless Debian Chromium (the flags keep it off this machine's closed network). Tests
 * that need them skip, saying so, when a tool is missing; `.ci/run` installs both.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PDFTOTEXT = '/usr/bin/pdftotext'
export const CHROMIUM = '/usr/bin/chromium'
export const hasPdftotext = existsSync(PDFTOTEXT)
export const hasChromium = existsSync(CHROMIUM)

/** Why a printing test is skipped, or false when both tools are there. */
export const printingSkip = (): string | false => {
  const missing = [CHROMIUM, PDFTOTEXT].filter((path) => !existsSync(path))
  return missing.length ? `needs ${missing.join(' and ')} (apt-get install chromium poppler-utils)` : false
}

/** The text of a PDF as pdftotext reads it; `layout` keeps the columns of a table on one line. */
export function pdfText(pdf: Buffer, options: { layout?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-pdf-'))
  try {
    writeFileSync(join(dir, 'document.pdf'), pdf)
    return execFileSync(PDFTOTEXT, [...(options.layout ? ['-layout'] : []), '-enc', 'UTF-8', join(dir, 'document.pdf'), '-'], {
      encoding: 'utf8',
      timeout: 60_000,
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** An HTML page printed to PDF by headless Chromium, as text: the page renders, and says what it should. */
export function printedHtml(html: string, options: { layout?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-html-'))
  try {
    writeFileSync(join(dir, 'page.html'), html)
    execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${join(dir, 'page.pdf')}`,
        '--no-pdf-header-footer',
        `file://${join(dir, 'page.html')}`,
      ],
      { stdio: 'ignore', timeout: 120_000 },
    )
    return pdfText(readFileSync(join(dir, 'page.pdf')), options)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
