import t from 'tap'
import type { ReferralStatus } from '../../src/domain/vocabulary.js'
import { allowedReferralActions, REFERRAL_ACTIONS, referralTransition, refusedMessage, type ReferralAction } from '../../src/domain/referral-lifecycle.js'

const STATUSES: ReferralStatus[] = ['submitted', 'waitlisted', 'accepted', 'refused', 'returned', 'withdrawn']

// docs/domain.md: submitted → waitlisted → accepted, or refused / returned / withdrawn; decisions are final.
const EXPECTED: Record<ReferralStatus, Partial<Record<ReferralAction, ReferralStatus>>> = {
  submitted: { waitlist: 'waitlisted', accept: 'accepted', refuse: 'refused', return: 'returned', withdraw: 'withdrawn' },
  waitlisted: { accept: 'accepted', refuse: 'refused', return: 'returned', withdraw: 'withdrawn' },
  accepted: {},
  refused: {},
  returned: {},
  withdrawn: {},
}

t.test('every status × action', async (t) => {
  t.same([...REFERRAL_ACTIONS].sort(), ['accept', 'refuse', 'return', 'waitlist', 'withdraw'])
  for (const status of STATUSES) {
    for (const action of REFERRAL_ACTIONS) {
      const result = referralTransition(status, action)
      const expected = EXPECTED[status][action]
      if (expected) {
        t.same(result, { ok: true, next: expected }, `${status} × ${action} → ${expected}`)
      } else {
        t.equal(result.ok, false, `${status} × ${action} is refused`)
        if (result.ok) continue
        t.equal(result.current, status)
        t.same(result.allowed, allowedReferralActions(status))
        t.equal(result.message, refusedMessage('referral', status, action, result.allowed))
      }
    }
  }
})

t.test('allowed actions', async (t) => {
  t.same(allowedReferralActions('submitted'), ['waitlist', 'accept', 'refuse', 'return', 'withdraw'])
  t.same(allowedReferralActions('waitlisted'), ['accept', 'refuse', 'return', 'withdraw'])
  for (const status of ['accepted', 'refused', 'returned', 'withdrawn'] as const) t.same(allowedReferralActions(status), [], `${status} is final`)
})

t.test('refusal messages name the current status and what is allowed', async (t) => {
  t.equal(
    refusedMessage('referral', 'waitlisted', 'waitlist', ['accept', 'refuse']),
    'Cannot waitlist a referral that is waitlisted; allowed actions: accept, refuse.',
  )
  t.equal(refusedMessage('referral', 'refused', 'accept', []), 'Cannot accept a referral that is refused; no further actions are possible.')
})
