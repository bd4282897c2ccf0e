import type { Eta } from 'eta'
import { DateTime } from 'luxon'
import { fileURLToPath } from 'node:url'
import type { PartyRole, ReportLanguage, VisitKind, VisitStatus } from '../../domain/vocabulary.js'
import type { DaySheet } from './schemas.js'
import { KIND_WORDS, PURPOSE_WORDS, ROLE_WORDS, SHEET_WORDS, STATUS_WORDS } from './wording.js'

/**
 * The day sheet as a printable A4 page in the centre's language (its `language` setting). The template is a file
 * beside this module (copied next to the compiled code by `npm run build`); eta escapes every value
 * it prints, so a name typed with markup in it shows as typed. eta is loaded at the first sheet
 * printed, not at start-up.
 */

let engine: Promise<Eta> | undefined

// The calendar feed speaks Dutch, the front desk's language: these are its words.
const dutch = <K extends string>(words: Record<K, Record<ReportLanguage, string>>) =>
  Object.fromEntries(Object.entries<Record<ReportLanguage, string>>(words).map(([k, w]) => [k, w.nl])) as Record<K, string>
export const KIND: Record<VisitKind, string> = dutch(KIND_WORDS)
export const STATUS: Record<VisitStatus, string> = dutch(STATUS_WORDS)
export const ROLE: Record<PartyRole, string> = dutch(ROLE_WORDS)

// The sheet's instants are in UTC; a printed sheet shows the site's wall-clock times.
const clock = (instant: string, zone: string) => DateTime.fromISO(instant, { zone }).toFormat('HH:mm')

/** What the template prints, already in words and local times. */
function pageOf(sheet: DaySheet, options: { onlyOwnVisits: boolean }) {
  const lang = sheet.language
  const w = (key: keyof typeof SHEET_WORDS) => SHEET_WORDS[key][lang]
  const day = DateTime.fromISO(sheet.date).setLocale(lang)
  const zone = sheet.site.timeZone
  const span = (from: string, to: string) => `${clock(from, zone)}–${clock(to, zone)}`
  const made = DateTime.fromISO(sheet.generatedAt, { zone }).setLocale(lang)
  const count = sheet.visits.length
  return {
    lang,
    title: `${sheet.title} ${sheet.site.name}`,
    words: {
      time: w('time'),
      room: w('room'),
      kind: w('kind'),
      dossier: w('dossier'),
      counsellors: w('counsellors'),
      arrivals: w('arrivals'),
      status: w('status'),
      none: w('none'),
    },
    longDate: day.toFormat('cccc d LLLL yyyy'),
    meta: [`${count} ${count === 1 ? w('visit') : w('visits')}`, ...(options.onlyOwnVisits ? [w('onlyOwn')] : [])].join(', '),
    generatedAt: `${w('made')} ${made.toFormat(`d LLLL yyyy '${w('at')}' HH:mm`)}`,
    visits: sheet.visits.map((v) => ({
      time: span(v.start, v.end),
      room: v.room?.name ?? '—',
      // An outside visit's place stands where a room would.
      location: v.location && [v.location.description, v.location.address].filter(Boolean).join(', '),
      kind: KIND_WORDS[v.kind][lang] + (v.purpose ? ` (${PURPOSE_WORDS[v.purpose][lang]})` : ''),
      mustNotMeet: v.mustNotMeet ? w('mustNotMeet') : null,
      interpreter: v.interpreter && `${w('interpreter')}: ${v.interpreter.name} (${v.interpreter.language})`,
      status: STATUS_WORDS[v.status][lang],
      // The centre's dossier number, and the court's roll number where there is one.
      dossierNumber: v.dossierNumber,
      courtReference: v.courtReference,
      counsellors: v.counsellors.map((c) => c.name),
      parties: v.parties.map((p) => ({
        time: p.arriveAt && p.leaveAt ? span(p.arriveAt, p.leaveAt) : '',
        name: p.givenName ?? '—',
        role: ROLE_WORDS[p.role][lang],
      })),
    })),
  }
}

export async function renderDaySheet(sheet: DaySheet, options: { onlyOwnVisits: boolean }): Promise<string> {
  engine ??= import('eta').then(({ Eta }) => new Eta({ views: fileURLToPath(new URL('.', import.meta.url)), autoEscape: true, cache: true }))
  return (await engine).render('./day-sheet.html.eta', pageOf(sheet, options))
}
