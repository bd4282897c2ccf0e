import type { ReferralStatus } from './vocabulary.js'

/**
 * Referral lifecycle (docs/domain.md): submitted → waitlisted → accepted, or refused / returned /
 * withdrawn. Every decision is final: a returned referral comes back as a new submission.
 */
export const REFERRAL_ACTIONS = ['waitlist', 'accept', 'refuse', 'return', 'withdraw'] as const
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number]

const TRANSITIONS: Readonly<Record<ReferralStatus, Partial<Record<ReferralAction, ReferralStatus>>>> = {
  submitted: { waitlist: 'waitlisted', accept: 'accepted', refuse: 'refused', return: 'returned', withdraw: 'withdrawn' },
  waitlisted: { accept: 'accepted', refuse: 'refused', return: 'returned', withdraw: 'withdrawn' },
  accepted: {},
  refused: {},
  returned: {},
  withdrawn: {},
}

/**
 * Referrals the operator may move to another centre: those no centre has decided on yet. The
 * receiving centre takes it as a new submission (its own waiting list, its own decision).
 */
export const TRANSFERABLE_REFERRAL_STATUSES = ['submitted', 'waitlisted'] as const satisfies readonly ReferralStatus[]
export const isTransferable = (status: ReferralStatus) => (TRANSFERABLE_REFERRAL_STATUSES as readonly ReferralStatus[]).includes(status)

export type Transition<S, A> = { ok: true; next: S } | { ok: false; current: S; allowed: A[]; message: string }

export function allowedReferralActions(status: ReferralStatus): ReferralAction[] {
  return REFERRAL_ACTIONS.filter((action) => TRANSITIONS[status][action] !== undefined)
}

export function referralTransition(status: ReferralStatus, action: ReferralAction): Transition<ReferralStatus, ReferralAction> {
  const next = TRANSITIONS[status][action]
  if (next) return { ok: true, next }
  const allowed = allowedReferralActions(status)
  return { ok: false, current: status, allowed, message: refusedMessage('referral', status, action, allowed) }
}

/** Shared wording for a refused transition: the current status and what can be done instead. */
export function refusedMessage(what: string, status: string, action: string, allowed: readonly string[]): string {
  const instead = allowed.length ? `allowed actions: ${allowed.join(', ')}` : 'no further actions are possible'
  return `Cannot ${action} a ${what} that is ${status}; ${instead}.`
}
