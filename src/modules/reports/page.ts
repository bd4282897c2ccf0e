import { DateTime } from 'luxon'
import { CANCELLED_BY_WORDS, HEADINGS, ISSUER_ROLE_WORDS, KIND_TITLES, OBSERVATION_KIND_WORDS, PARTY_ROLE_WORDS } from '../../domain/report-wording.js'
import { CANCELLED_BY } from '../../domain/vocabulary.js'
import type { Report } from './schemas.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'

/**
 * A report laid out for reading, in its own language: a title, sections of labelled lines and
 * paragraphs, the cautionary note and the footer. The printable page and the PDF both draw this,
 * so they say the same thing; neither adds anything that is not in the report.
 */

export interface PageRow {
  label: string
  value: string
}
export interface PageSection {
  heading: string
  rows: PageRow[]
  paragraphs: string[]
}
export interface ReportPage {
  lang: string
  title: string
  /** The centre's name, then its address and contact lines: at the head of the first page. */
  letterhead: { name: string; lines: string[] }
  sections: PageSection[]
  caution: string
  footer: PageRow[]
  /** The hash, under its label on a line of its own: a person compares or types it whole. */
  checkCode: PageRow
  /** At the foot of every page: the centre and the dossier (or roll number), so a loose page is placed. */
  runningFoot: string
  /** "page {n} of {total}", split around the page number for a CSS counter. */
  pageCounter: { before: string; between: string; words: string }
}

/** The centre's instants are shown on Belgian time, like its days. */
const ZONE = DEFAULT_TIME_ZONE

export function reportPage(report: Report): ReportPage {
  const lang = report.language
  const h = (key: keyof typeof HEADINGS) => HEADINGS[key][lang]
  const day = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).setLocale(lang).toFormat('d LLLL yyyy')
  const sections: PageSection[] = []

  const referrer: PageRow[] = [
    { label: h('court'), value: report.referrer.courtName ?? '—' },
    { label: h('courtReference'), value: report.referrer.courtReference ?? '—' },
    { label: h('centre'), value: report.issuer.centreName },
    // The dossier number the centre and the court quote; a report on a referral has only the roll number.
    ...(report.dossierNumber ? [{ label: h('case'), value: report.dossierNumber }] : []),
    { label: h('period'), value: `${day(report.period.from)} – ${day(report.period.to)}` },
  ]
  sections.push({ heading: h('referrer'), rows: referrer, paragraphs: [] })

  const d = report.decision
  if (d) {
    const rows: PageRow[] = [{ label: h('decisionDate'), value: day(d.date) }]
    if (d.reason) rows.push({ label: h('reason'), value: d.reason.label })
    // A withdrawn suspension never took effect: its dates are in the statement, not stated as a period.
    if (d.from && !d.withdrawn) rows.push({ label: h('suspendedFrom'), value: day(d.from) })
    if (d.until !== undefined && !d.withdrawn) rows.push({ label: h('suspendedUntil'), value: d.until ? day(d.until) : h('untilResumed') })
    if (d.effectiveDate) rows.push({ label: h('effectiveDate'), value: day(d.effectiveDate) })
    if (d.refusedAfterIntake) rows.push({ label: h('refusedAfterIntake'), value: h('yes') })
    if (d.previousPlannedEndDate) rows.push({ label: h('previousPlannedEndDate'), value: day(d.previousPlannedEndDate) })
    if (d.plannedEndDate) rows.push({ label: h('plannedEndDate'), value: day(d.plannedEndDate) })
    if (d.missingItems?.length) rows.push({ label: h('missingItems'), value: d.missingItems.join('; ') })
    if (d.courtNote) rows.push({ label: h('courtNote'), value: d.courtNote })
    sections.push({ heading: h('decision'), rows, paragraphs: d.statement ? [d.statement] : [] })
  }

  const v = report.visits
  if (v) {
    const by = CANCELLED_BY.filter((side) => v.cancelled.by[side] > 0).map((side) => `${CANCELLED_BY_WORDS[side][lang]}: ${v.cancelled.by[side]}`)
    const absent = v.noShow.byParty.map((p) => `${PARTY_ROLE_WORDS[p.role][lang]}: ${p.visits}`)
    sections.push({
      heading: h('visits'),
      rows: [
        { label: h('planned'), value: String(v.planned) },
        { label: h('held'), value: String(v.held) },
        { label: h('booked'), value: String(v.booked) },
        { label: h('cancelled'), value: `${v.cancelled.total} (${h('late')}: ${v.cancelled.late})` },
        { label: h('cancelledBy'), value: by.length ? by.join('; ') : h('none') },
        { label: h('noShow'), value: absent.length ? `${v.noShow.visits} (${absent.join('; ')})` : String(v.noShow.visits) },
        { label: h('interrupted'), value: String(v.interrupted) },
      ],
      paragraphs: [],
    })
  }

  if (report.observations) {
    sections.push({
      heading: h('observations'),
      rows: [],
      paragraphs: report.observations.length
        ? report.observations.map((o) => `${day(o.date)} — ${OBSERVATION_KIND_WORDS[o.kind][lang]}: ${o.text}`)
        : [h('noObservations')],
    })
  }

  if (report.supersedes) {
    sections.push({
      heading: h('correctionNote'),
      rows: [{ label: h('supersedes'), value: report.supersedes }],
      paragraphs: report.correctionNote ? [report.correctionNote] : [],
    })
  }

  const issued = DateTime.fromISO(report.issuedAt, { zone: ZONE }).setLocale(lang)
  const { issuer } = report
  const role = ISSUER_ROLE_WORDS[issuer.role]?.[lang] ?? issuer.role
  // The person who drew it up, as their token names them; a token naming no one is named by its role.
  const author = issuer.author ? [issuer.author.name, issuer.author.function].filter(Boolean).join(', ') : `${issuer.centreName} (${role})`
  const contact = [issuer.phone && `${h('phone')} ${issuer.phone}`, issuer.email && `${h('email')} ${issuer.email}`].filter(Boolean).join(' · ')
  const [before, rest = ''] = h('page').split('{n}')
  const [between = ''] = rest.split('{total}')
  return {
    lang,
    title: KIND_TITLES[report.kind][lang],
    letterhead: { name: issuer.centreName, lines: [issuer.address ?? '', contact].filter((line) => line !== '') },
    sections,
    caution: report.caution,
    footer: [
      { label: h('issued'), value: issued.toFormat('d LLLL yyyy, HH:mm') },
      { label: h('issuedBy'), value: author },
      { label: 'ID', value: report.id },
    ],
    checkCode: { label: h('fingerprint'), value: report.sha256 },
    runningFoot: [
      issuer.centreName,
      report.dossierNumber
        ? `${h('case')} ${report.dossierNumber}`
        : report.referrer.courtReference && `${h('courtReference')} ${report.referrer.courtReference}`,
    ]
      .filter(Boolean)
      .join(' · '),
    pageCounter: { before: before!, between, words: h('page') },
  }
}
