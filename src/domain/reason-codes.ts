import type { CaseStatus, ReasonCategory } from './vocabulary.js'

/**
 * The shared catalogue of coded reasons (docs/domain.md), seeded by migration 0005 with labels in
 * nl/fr/en. Centres may add their own codes; this list is what every centre has.
 * `extension` is not in the sector's list: an extension of the planned end may name a coded reason
 * too, and every code needs a category.
 */
export const REASON_CATALOGUE: Readonly<Record<ReasonCategory, readonly string[]>> = {
  refusal: [
    'outside_target_group',
    'no_capacity',
    'safety_risk_unmanageable',
    'no_right_to_contact',
    'parties_do_not_consent',
    'other_service_more_suitable',
    'other',
  ],
  return: ['incomplete_referral', 'modalities_unclear', 'wrong_district', 'other'],
  suspension: [
    'house_rules_violation',
    'safety_concern',
    'child_refuses',
    'child_wellbeing',
    'repeated_absence',
    'party_request',
    'awaiting_court_decision',
    'illness',
    'other',
  ],
  ending: [
    'goal_reached',
    'agreement_between_parties',
    'max_duration_reached',
    'referral_withdrawn',
    'new_court_decision',
    'repeated_absence',
    'repeated_rule_violations',
    'safety',
    'child_interest',
    'party_request',
    'moved',
    'referred_elsewhere',
    'other',
  ],
  cancellation: [
    'illness',
    'party_unavailable',
    'child_refuses',
    'centre_closed',
    'counsellor_unavailable',
    'case_suspended',
    'case_ended',
    'weather_or_transport',
    'other',
  ],
  extension: ['goal_not_yet_reached', 'awaiting_court_decision', 'new_court_decision', 'suspension_period', 'party_request', 'other'],
}

/** A code a centre may use: the shared catalogue plus its own. */
export interface AvailableReason {
  category: ReasonCategory
  code: string
}

export type ReasonCheck = { ok: true; category: ReasonCategory } | { ok: false; allowed: string[] }

/**
 * Is `code` one of the given categories' codes? The first category that has it wins: ending a case
 * from intake accepts refusal and ending codes, and `other` (in both) then counts as a refusal.
 */
export function checkReason(code: string, categories: readonly ReasonCategory[], available: readonly AvailableReason[]): ReasonCheck {
  for (const category of categories) {
    if (available.some((r) => r.category === category && r.code === code)) return { ok: true, category }
  }
  const allowed = [...new Set(available.filter((r) => categories.includes(r.category)).map((r) => r.code))]
  return { ok: false, allowed }
}

/** The sentence a 400 problem gives for a code outside its category. */
export function reasonDefect(code: string, categories: readonly ReasonCategory[], allowed: readonly string[]): string {
  return `"${code}" is not a ${categories.join(' or ')} reason; use one of: ${allowed.join(', ')}`
}

/**
 * Which reasons end a case in a given status: from intake the service may still refuse the family
 * ("refusal after intake"), so refusal codes are accepted next to ending codes.
 */
export function endingCategories(status: CaseStatus): ReasonCategory[] {
  return status === 'intake' ? ['refusal', 'ending'] : ['ending']
}

/** The code format for a centre's own codes: lower-case words joined by underscores. */
export const REASON_CODE_PATTERN = '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'
