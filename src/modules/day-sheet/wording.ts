import { PARTY_ROLE_WORDS, type Words } from '../../domain/report-wording.js'
import type { ConversationPurpose, PartyRole, VisitKind, VisitStatus } from '../../domain/vocabulary.js'

/** The words of the day sheet, in each language a centre works in (its `language` setting). */

export const KIND_WORDS: Words<VisitKind> = {
  supervised_visit: { nl: 'begeleid bezoek', fr: 'visite encadrée', en: 'supervised visit' },
  supervised_handover: { nl: 'begeleide overdracht', fr: 'passage encadré', en: 'supervised handover' },
  outside_visit: { nl: 'bezoek buiten de bezoekruimte', fr: "visite hors de l'espace-rencontre", en: 'visit outside the centre' },
  conversation: { nl: 'gesprek', fr: 'entretien', en: 'conversation' },
}

export const STATUS_WORDS: Words<VisitStatus> = {
  booked: { nl: 'gepland', fr: 'prévu', en: 'booked' },
  arrived: { nl: 'aangekomen', fr: 'arrivé', en: 'arrived' },
  fulfilled: { nl: 'afgerond', fr: 'terminé', en: 'held' },
  cancelled: { nl: 'geannuleerd', fr: 'annulé', en: 'cancelled' },
  noshow: { nl: 'niet gekomen', fr: 'absence', en: 'no-show' },
  interrupted: { nl: 'onderbroken', fr: 'interrompu', en: 'interrupted' },
  'entered-in-error': { nl: 'foutief ingevoerd', fr: 'saisi par erreur', en: 'entered in error' },
}

export const PURPOSE_WORDS: Words<ConversationPurpose> = {
  intake: { nl: 'intake', fr: 'accueil', en: 'intake' },
  evaluation: { nl: 'evaluatie', fr: 'évaluation', en: 'evaluation' },
  mediation: { nl: 'bemiddeling', fr: 'médiation', en: 'mediation' },
  pre_visit: { nl: 'voorgesprek', fr: 'entretien préalable', en: 'before the visit' },
  post_visit: { nl: 'nagesprek', fr: 'entretien après la visite', en: 'after the visit' },
  child_conversation: { nl: 'gesprek met het kind', fr: "entretien avec l'enfant", en: 'with the child' },
  other: { nl: 'ander', fr: 'autre', en: 'other' },
}

/** A person's role: the same words as the reports use. */
export const ROLE_WORDS: Words<PartyRole> = PARTY_ROLE_WORDS

export const SHEET_WORDS: Words<
  | 'title'
  | 'time'
  | 'room'
  | 'kind'
  | 'dossier'
  | 'counsellors'
  | 'arrivals'
  | 'status'
  | 'onlyOwn'
  | 'made'
  | 'none'
  | 'visit'
  | 'visits'
  | 'at'
  | 'mustNotMeet'
  | 'interpreter'
> = {
  mustNotMeet: { nl: 'Mogen elkaar niet ontmoeten', fr: 'Ne doivent pas se rencontrer', en: 'Must not meet' },
  interpreter: { nl: 'Tolk', fr: 'Interprète', en: 'Interpreter' },
  title: { nl: 'Dagoverzicht', fr: 'Aperçu du jour', en: 'Day sheet' },
  time: { nl: 'Tijd', fr: 'Heure', en: 'Time' },
  room: { nl: 'Lokaal', fr: 'Local', en: 'Room' },
  kind: { nl: 'Soort', fr: 'Type', en: 'Kind' },
  dossier: { nl: 'Dossier', fr: 'Dossier', en: 'Case' },
  counsellors: { nl: 'Begeleider(s)', fr: 'Accompagnateur(s)', en: 'Counsellor(s)' },
  arrivals: { nl: 'Aankomst en vertrek', fr: 'Arrivée et départ', en: 'Arrival and departure' },
  status: { nl: 'Status', fr: 'Statut', en: 'Status' },
  onlyOwn: { nl: 'enkel de bezoeken die u begeleidt', fr: 'uniquement les visites que vous accompagnez', en: 'only the visits you supervise' },
  made: { nl: 'opgemaakt op', fr: 'établi le', en: 'made on' },
  none: { nl: 'Geen bezoeken op deze dag.', fr: 'Aucune visite ce jour-là.', en: 'No visits on this day.' },
  visit: { nl: 'bezoek', fr: 'visite', en: 'visit' },
  visits: { nl: 'bezoeken', fr: 'visites', en: 'visits' },
  at: { nl: 'om', fr: 'à', en: 'at' },
}
