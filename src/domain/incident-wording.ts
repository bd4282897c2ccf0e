import { PARTY_ROLE_WORDS } from './report-wording.js'
import type { PartyRole, ReportLanguage } from './vocabulary.js'

/**
 * The incidents the service writes itself when it refuses a check-in. Staff read them in the case's
 * file, so they are in the centre's language and name people by their names and roles, never by an id.
 */

export interface NamedPerson {
  givenName: string | null
  familyName: string | null
  role: PartyRole
}

const UNKNOWN: Record<ReportLanguage, string> = { nl: 'een onbekende persoon', fr: 'une personne inconnue', en: 'an unknown person' }
const NO_NAME: Record<ReportLanguage, string> = { nl: 'naam onbekend', fr: 'nom inconnu', en: 'name unknown' }

/** "Tom Peeters (bezoekende ouder)"; a child by its first name, as staff call it. */
function personWords(person: NamedPerson | undefined, lang: ReportLanguage): string {
  if (!person) return UNKNOWN[lang]
  const parts = person.role === 'child' ? [person.givenName] : [person.givenName, person.familyName]
  const name = parts.filter(Boolean).join(' ') || NO_NAME[lang]
  return `${name} (${PARTY_ROLE_WORDS[person.role][lang]})`
}

/** Someone who is not a party of the visit tried to check in. */
export function notOfVisitIncident(lang: ReportLanguage, time: string, who: NamedPerson | undefined): string {
  const person = personWords(who, lang)
  return {
    nl: `Aanmelding geweigerd om ${time}: ${person} is geen partij bij dit bezoek.`,
    fr: `Arrivée refusée à ${time} : ${person} n'est pas partie à cette visite.`,
    en: `Check-in refused at ${time}: ${person} is not a party to this visit.`,
  }[lang]
}

/** A child brought by someone who may not bring it: a person of the case who is not an adult party, or a stranger. */
export function childBroughtByNonAdultIncident(lang: ReportLanguage, time: string, child: NamedPerson | undefined, by: NamedPerson | undefined): string {
  const c = personWords(child, lang)
  const b = personWords(by, lang)
  return {
    nl: `Aanmelding van ${c} geweigerd om ${time}: gebracht door ${b}, geen volwassen partij in dit dossier.`,
    fr: `Arrivée de ${c} refusée à ${time} : amené par ${b}, qui n'est pas une partie adulte de ce dossier.`,
    en: `Check-in of ${c} refused at ${time}: brought by ${b}, who is not an adult party to this case.`,
  }[lang]
}

/** A child brought by a named visitor the current agreement does not authorise. */
export function childBroughtByVisitorIncident(lang: ReportLanguage, time: string, child: NamedPerson | undefined, visitor: string): string {
  const c = personWords(child, lang)
  return {
    nl: `Aanmelding van ${c} geweigerd om ${time}: gebracht door "${visitor}", geen toegelaten begeleider volgens de huidige overeenkomst.`,
    fr: `Arrivée de ${c} refusée à ${time} : amené par « ${visitor} », qui n'est pas un accompagnant autorisé par la convention en vigueur.`,
    en: `Check-in of ${c} refused at ${time}: brought by "${visitor}", who is not an authorised companion under the current agreement.`,
  }[lang]
}

/** A child about to leave with someone who may not pick it up: a person of the case who is not an adult party, or a name the agreement does not authorise. */
export function childPickedUpByIncident(lang: ReportLanguage, time: string, child: NamedPerson | undefined, by: NamedPerson | string | undefined): string {
  const c = personWords(child, lang)
  const b = typeof by === 'string' ? `"${by}"` : personWords(by, lang)
  return {
    nl: `Afmelding van ${c} geweigerd om ${time}: opgehaald door ${b}, geen volwassen partij in dit dossier en geen toegelaten begeleider volgens de huidige overeenkomst.`,
    fr: `Départ de ${c} refusé à ${time} : repris par ${b}, qui n'est ni une partie adulte de ce dossier ni un accompagnant autorisé par la convention en vigueur.`,
    en: `Check-out of ${c} refused at ${time}: to be picked up by ${b}, who is neither an adult party to this case nor an authorised companion under the current agreement.`,
  }[lang]
}

/** Why the service itself cancelled a visit when a case was suspended: written on the visit, in the centre's language. */
export function suspendedCancellation(lang: ReportLanguage, from: string, until: string | null): string {
  return {
    nl: until ? `De begeleiding is opgeschort van ${from} tot ${until}.` : `De begeleiding is opgeschort vanaf ${from}.`,
    fr: until ? `L'accompagnement est suspendu du ${from} au ${until}.` : `L'accompagnement est suspendu à partir du ${from}.`,
    en: until ? `The case is suspended from ${from} until ${until}.` : `The case is suspended from ${from}.`,
  }[lang]
}

/** Why the service itself cancelled a visit when a case ended. */
export function endedCancellation(lang: ReportLanguage): string {
  return { nl: 'De begeleiding is beëindigd.', fr: "L'accompagnement a pris fin.", en: 'The case has ended.' }[lang]
}
