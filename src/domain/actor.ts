import type { Role } from './vocabulary.js'

/**
 * Who acts in one request: the token's role and the one centre or court it is scoped to (an
 * operator has neither), and the request's id, which the audit trail records with each change.
 */
export interface Actor {
  tokenId: string | null
  role: Role | 'system'
  centreId: string | null
  courtId: string | null
  counsellorId: string | null
  requestId: string | null
}

/** The actor for work done outside HTTP (CLI, seed, migrations' follow-up). */
export const systemActor: Actor = { tokenId: null, role: 'system', centreId: null, courtId: null, counsellorId: null, requestId: null }

/** Roles a token issued over HTTP may have: an operator token is made only with the CLI, on the installation's own machine. */
export const ISSUABLE_ROLES = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const satisfies readonly Role[]

/**
 * Said to whoever tries what only the operator may do. A centre speaks for itself, never for a
 * court: a court token reads that court's referrals in every centre.
 */
export const OPERATOR_ONLY =
  "Only the installation's operator may do this (with the CLI, or an operator token): " +
  'centres, courts and court-scoped tokens (clerk, or integration with a court) concern every centre, not one.'
