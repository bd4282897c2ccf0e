import { DateTime } from 'luxon'
import type { CancelledBy, ObservationKind, PartyRole, ReportKind, ReportLanguage } from './vocabulary.js'

/**
 * The words of a report to the referrer, in each language a report is written in. The cautionary
 * note is part of every report's content (and so of its hash); the rest are the headings and labels
 * the printable page and the PDF use.
 */

/** Words in each language a report or a centre's sheet is written in. */
export type Words<K extends string> = Record<K, Record<ReportLanguage, string>>

/** Said at the end of every report: what a report is, and what it is not. */
export const CAUTION: Record<ReportLanguage, string> = {
  nl:
    'Dit verslag geeft enkel feiten weer die in de bezoekruimte werden vastgesteld. Het is geen beoordeling van het ouderschap of van de ' +
    'opvoedingsbekwaamheid van een partij, en geen gerechtelijk onderzoek of deskundigenonderzoek. De bezoekruimte neemt geen standpunt in over het ' +
    'verblijf of het contactrecht.',
  fr:
    "Ce rapport relate uniquement des faits constatés à l'espace-rencontre. Il ne constitue ni une évaluation de la parentalité ou des " +
    "capacités éducatives d'une partie, ni une enquête ou une expertise. L'espace-rencontre ne prend pas position sur l'hébergement ou le droit aux " +
    'relations personnelles.',
  en:
    'This report records only facts observed at the centre. It is not an assessment of parenting or of any party’s ability to raise a child, ' +
    'nor an investigation or expert assessment. The centre takes no position on residence or contact rights.',
}

export const KIND_TITLES: Words<ReportKind> = {
  referral_refused: { nl: 'Verslag: weigering van de verwijzing', fr: 'Rapport : refus de la demande', en: 'Report: referral refused' },
  referral_returned: { nl: 'Verslag: verwijzing teruggestuurd (onvolledig)', fr: 'Rapport : renvoi de la demande', en: 'Report: referral returned' },
  case_started: { nl: 'Verslag: start van de begeleiding', fr: "Rapport : début de l'accompagnement", en: 'Report: supervised contact started' },
  suspension: { nl: 'Verslag: opschorting van de begeleiding', fr: "Rapport : suspension de l'accompagnement", en: 'Report: supervised contact suspended' },
  resumption: { nl: 'Verslag: hervatting van de begeleiding', fr: "Rapport : reprise de l'accompagnement", en: 'Report: supervised contact resumed' },
  extension: { nl: 'Verslag: verlenging van de begeleiding', fr: "Rapport : prolongation de l'accompagnement", en: 'Report: supervised contact extended' },
  ending: { nl: 'Verslag: beëindiging van de begeleiding', fr: "Rapport : fin de l'accompagnement", en: 'Report: supervised contact ended' },
  progress: { nl: 'Verslag: stand van zaken', fr: 'Rapport : état de la situation', en: 'Report: progress' },
}

export const HEADINGS: Words<
  | 'referrer'
  | 'court'
  | 'courtReference'
  | 'centre'
  | 'case'
  | 'referral'
  | 'period'
  | 'decision'
  | 'decisionDate'
  | 'reason'
  | 'courtNote'
  | 'suspendedFrom'
  | 'suspendedUntil'
  | 'untilResumed'
  | 'effectiveDate'
  | 'plannedEndDate'
  | 'previousPlannedEndDate'
  | 'missingItems'
  | 'refusedAfterIntake'
  | 'visits'
  | 'planned'
  | 'held'
  | 'booked'
  | 'cancelled'
  | 'late'
  | 'cancelledBy'
  | 'noShow'
  | 'interrupted'
  | 'observations'
  | 'noObservations'
  | 'issued'
  | 'issuedBy'
  | 'supersedes'
  | 'correctionNote'
  | 'fingerprint'
  | 'none'
  | 'yes'
  | 'page'
  | 'phone'
  | 'email'
> = {
  referrer: { nl: 'Gegevens', fr: 'Références', en: 'Particulars' },
  court: { nl: 'Rechtbank', fr: 'Tribunal', en: 'Court' },
  courtReference: { nl: 'Rolnummer', fr: 'Numéro de rôle', en: 'Roll number' },
  centre: { nl: 'Centrum', fr: 'Centre', en: 'Centre' },
  case: { nl: 'Dossier', fr: 'Dossier', en: 'Case' },
  referral: { nl: 'Verwijzing', fr: 'Demande', en: 'Referral' },
  period: { nl: 'Periode', fr: 'Période', en: 'Period' },
  decision: { nl: 'Beslissing', fr: 'Décision', en: 'Decision' },
  decisionDate: { nl: 'Datum', fr: 'Date', en: 'Date' },
  reason: { nl: 'Reden', fr: 'Motif', en: 'Reason' },
  courtNote: { nl: 'Toelichting', fr: 'Précision', en: 'Note' },
  suspendedFrom: { nl: 'Opgeschort vanaf', fr: 'Suspendu à partir du', en: 'Suspended from' },
  suspendedUntil: { nl: 'Contacten opnieuw mogelijk vanaf', fr: 'Contacts à nouveau possibles à partir du', en: 'Contacts possible again from' },
  untilResumed: { nl: 'tot de hervatting', fr: "jusqu'à la reprise", en: 'until resumed' },
  effectiveDate: { nl: 'Datum van beëindiging', fr: 'Date de fin', en: 'Effective date' },
  plannedEndDate: { nl: 'Geplande einddatum', fr: 'Date de fin prévue', en: 'Planned end date' },
  previousPlannedEndDate: { nl: 'Vorige geplande einddatum', fr: 'Date de fin prévue précédente', en: 'Previous planned end date' },
  missingItems: { nl: 'Ontbrekende gegevens', fr: 'Éléments manquants', en: 'Missing items' },
  refusedAfterIntake: { nl: 'Geweigerd na de intake', fr: "Refusé après l'entretien d'accueil", en: 'Refused after intake' },
  visits: { nl: 'Contacten in de periode', fr: 'Contacts pendant la période', en: 'Contacts in the period' },
  planned: { nl: 'Gepland', fr: 'Prévus', en: 'Planned' },
  held: { nl: 'Doorgegaan', fr: 'Ayant eu lieu', en: 'Held' },
  booked: { nl: 'Nog niet afgesloten', fr: 'Pas encore clôturés', en: 'Not yet concluded' },
  cancelled: { nl: 'Geannuleerd', fr: 'Annulés', en: 'Cancelled' },
  late: { nl: 'waarvan laattijdig', fr: 'dont tardives', en: 'of which late' },
  cancelledBy: { nl: 'Geannuleerd door', fr: 'Annulés par', en: 'Cancelled by' },
  noShow: { nl: 'Niet opgedaagd', fr: 'Absences', en: 'No-show' },
  interrupted: { nl: 'Onderbroken', fr: 'Interrompus', en: 'Interrupted' },
  observations: { nl: 'Feitelijke vaststellingen', fr: 'Constatations factuelles', en: 'Facts observed' },
  noObservations: { nl: 'Geen.', fr: 'Aucune.', en: 'None.' },
  issued: { nl: 'Opgemaakt op', fr: 'Établi le', en: 'Drawn up on' },
  issuedBy: { nl: 'Opgemaakt door', fr: 'Établi par', en: 'Drawn up by' },
  supersedes: { nl: 'Vervangt verslag', fr: 'Remplace le rapport', en: 'Supersedes report' },
  correctionNote: { nl: 'Reden van de correctie', fr: 'Motif de la correction', en: 'Reason for the correction' },
  fingerprint: { nl: 'Controlecode (SHA-256)', fr: 'Code de contrôle (SHA-256)', en: 'Check code (SHA-256)' },
  none: { nl: 'geen', fr: 'aucun', en: 'none' },
  yes: { nl: 'ja', fr: 'oui', en: 'yes' },
  /** "page {n} of {total}" at the foot of every PDF page. */
  page: { nl: 'pagina {n} van {total}', fr: 'page {n} sur {total}', en: 'page {n} of {total}' },
  phone: { nl: 'Tel.', fr: 'Tél.', en: 'Phone' },
  email: { nl: 'E-mail', fr: 'Courriel', en: 'E-mail' },
}

export const CANCELLED_BY_WORDS: Words<CancelledBy> = {
  visiting_party: { nl: 'bezoekende partij', fr: 'partie visiteuse', en: 'visiting party' },
  residing_party: { nl: 'partij bij wie het kind verblijft', fr: 'partie hébergeante', en: 'residing party' },
  centre: { nl: 'centrum', fr: 'centre', en: 'centre' },
  referrer: { nl: 'verwijzer', fr: 'mandant', en: 'referrer' },
}

export const PARTY_ROLE_WORDS: Words<PartyRole> = {
  child: { nl: 'kind', fr: 'enfant', en: 'child' },
  visiting_parent: { nl: 'bezoekende ouder', fr: 'parent visiteur', en: 'visiting parent' },
  visiting_grandparent: { nl: 'bezoekende grootouder', fr: 'grand-parent visiteur', en: 'visiting grandparent' },
  visiting_sibling: { nl: 'bezoekende broer of zus', fr: 'frère ou sœur visiteur', en: 'visiting sibling' },
  visiting_third_party: { nl: 'bezoekende derde', fr: 'tiers visiteur', en: 'visiting third party' },
  residing_parent: { nl: 'verblijfsouder', fr: 'parent hébergeant', en: 'residing parent' },
  residing_other: { nl: 'partij bij wie het kind verblijft', fr: 'personne hébergeante', en: 'residing person' },
}

export const OBSERVATION_KIND_WORDS: Words<ObservationKind> = {
  observation: { nl: 'observatie', fr: 'observation', en: 'observation' },
  incident: { nl: 'incident', fr: 'incident', en: 'incident' },
  child_statement: { nl: 'woorden van het kind', fr: "propos de l'enfant", en: 'statement by the child' },
}

/** The issuer's role: named when the issuing token names no person. */
export const ISSUER_ROLE_WORDS: Record<string, Record<ReportLanguage, string>> = {
  admin: { nl: 'coördinator bezoekruimte', fr: "responsable de l'espace-rencontre", en: 'centre coordinator' },
  staff: { nl: 'medewerker van het centrum', fr: 'collaborateur du centre', en: 'centre staff' },
  system: { nl: 'het centrum', fr: 'le centre', en: 'the centre' },
}

/**
 * A resumption the centre did not decide on a running suspension, said in the report's language:
 * a planned suspension withdrawn before its `from`, or one that ran out at its `until`.
 */
export function resumptionStatement(lang: ReportLanguage, how: 'withdrawn' | 'ran_out', from: string, until: string | null): string {
  const day = (iso: string) => DateTime.fromISO(iso).setLocale(lang).toFormat('d LLLL yyyy')
  if (how === 'withdrawn') {
    const words: Record<ReportLanguage, string> = {
      nl: `De geplande opschorting vanaf ${day(from)}${until ? ` tot ${day(until)}` : ''} werd ingetrokken; ze is niet ingegaan.`,
      fr: `La suspension prévue à partir du ${day(from)}${until ? ` jusqu'au ${day(until)}` : ''} a été retirée ; elle n'a pas pris effet.`,
      en: `The planned suspension from ${day(from)}${until ? ` until ${day(until)}` : ''} was withdrawn; it did not take effect.`,
    }
    return words[lang]
  }
  const again = until ? day(until) : ''
  const words: Record<ReportLanguage, string> = {
    nl: `De opschorting vanaf ${day(from)} is afgelopen op de geplande datum; contacten zijn opnieuw mogelijk vanaf ${again}.`,
    fr: `La suspension à partir du ${day(from)} a pris fin à la date prévue ; les contacts sont à nouveau possibles à partir du ${again}.`,
    en: `The suspension from ${day(from)} ended on its planned date; contacts are possible again from ${again}.`,
  }
  return words[lang]
}
