import type { CaseStatus } from './vocabulary.js'
import { refusedMessage, type Transition } from './referral-lifecycle.js'

/**
 * Case lifecycle (docs/domain.md): intake → active ⇄ suspended → ended, and intake → ended (refused
 * after intake). `extend` moves the planned end and keeps the status. Recording intakes,
 * signatures and agreements is possible while the case is open, i.e. not ended.
 */
export const CASE_ACTIONS = ['activate', 'extend', 'suspend', 'resume', 'end', 'record'] as const
export type CaseAction = (typeof CASE_ACTIONS)[number]

const TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>> = {
  intake: { activate: 'active', end: 'ended', record: 'intake' },
  active: { extend: 'active', suspend: 'suspended', end: 'ended', record: 'active' },
  suspended: { extend: 'suspended', resume: 'active', end: 'ended', record: 'suspended' },
  ended: {},
}

export function allowedCaseActions(status: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter((action) => TRANSITIONS[status][action] !== undefined)
}

export function caseTransition(status: CaseStatus, action: CaseAction): Transition<CaseStatus, CaseAction> {
  const next = TRANSITIONS[status][action]
  if (next) return { ok: true, next }
  const allowed = allowedCaseActions(status)
  const verb = action === 'record' ? 'record anything on' : action
  return { ok: false, current: status, allowed, message: refusedMessage('case', status, verb, allowed) }
}
