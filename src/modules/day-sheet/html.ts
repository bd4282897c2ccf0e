import type { Eta } from 'eta'
import { DateTime } from 'luxon'
import { fileURLToPath } from 'node:url'
import type { PartyRole, VisitKind, VisitStatus } from '../../domain/vocabulary.js'
import type { DaySheet } from './schemas.js'

/**
 * The day sheet as a printable A4 page in Dutch, the front desk's language. The template is a file
 * beside this module (copied next to the compiled code by `npm run build`); eta escapes every value
 * it prints, so a name typed with markup in it shows as typed. eta is loaded at the first sheet
 * printed, not at start-up.
 */

let engine: Promise<Eta> | undefined

export const KIND: Record<VisitKind, string> = {
  supervised_visit: 'begeleid bezoek',
  supervised_handover: 'begeleide overdracht',
  outside_visit: 'bezoek buiten de bezoekruimte',
  conversation: 'gesprek',
}

export const STATUS: Record<VisitStatus, string> = {
  booked: 'gepland',
  arrived: 'aangekomen',
  fulfilled: 'afgerond',
  cancelled: 'geannuleerd',
  noshow: 'niet gekomen',
  interrupted: 'onderbroken',
  'entered-in-error': 'foutief ingevoerd',
}

export const ROLE: Record<PartyRole, string> = {
  child: 'kind',
  visiting_parent: 'bezoekende ouder',
  visiting_grandparent: 'bezoekende grootouder',
  visiting_sibling: 'bezoekende broer of zus',
  visiting_third_party: 'bezoekende derde',
  residing_parent: 'verblijfsouder',
  residing_other: 'verblijfplaats',
}

// The instants are already in the site's zone with its offset: the wall-clock time is their 11th–16th characters.
const clock = (instant: string) => instant.slice(11, 16)
const span = (from: string, to: string) => `${clock(from)}–${clock(to)}`

/** What the template prints, already in words and local times. */
export function pageOf(sheet: DaySheet, options: { onlyOwnVisits: boolean }) {
  const day = DateTime.fromISO(sheet.date).setLocale('nl')
  const made = DateTime.fromISO(sheet.generatedAt, { setZone: true }).setLocale('nl')
  return {
    siteName: sheet.site.name,
    longDate: day.toFormat('cccc d LLLL yyyy'),
    generatedAt: made.toFormat("d LLLL yyyy 'om' HH:mm"),
    onlyOwnVisits: options.onlyOwnVisits,
    count: sheet.visits.length === 1 ? '1 bezoek' : `${sheet.visits.length} bezoeken`,
    visits: sheet.visits.map((v) => ({
      time: span(v.start, v.end),
      room: v.room?.name ?? '—',
      kind: KIND[v.kind],
      status: STATUS[v.status],
      // The court's roll number where there is one; otherwise the start of the case id, as staff look it up.
      reference: v.courtReference ?? `dossier ${v.caseId.slice(0, 8)}`,
      counsellors: v.counsellors.map((c) => c.name),
      parties: v.parties.map((p) => ({
        time: p.arriveAt && p.leaveAt ? span(p.arriveAt, p.leaveAt) : '',
        name: p.givenName ?? '—',
        role: ROLE[p.role],
      })),
    })),
  }
}

export async function renderDaySheet(sheet: DaySheet, options: { onlyOwnVisits: boolean }): Promise<string> {
  engine ??= import('eta').then(({ Eta }) => new Eta({ views: fileURLToPath(new URL('.', import.meta.url)), autoEscape: true, cache: true }))
  return (await engine).render('./day-sheet.html.eta', pageOf(sheet, options))
}
