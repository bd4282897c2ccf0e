import t from 'tap'
import type { CaseStatus } from '../../src/domain/vocabulary.js'
import { allowedCaseActions, CASE_ACTIONS, caseTransition, type CaseAction } from '../../src/domain/case-lifecycle.js'

const STATUSES: CaseStatus[] = ['intake', 'active', 'suspended', 'ended']

// The full table, written out: docs/domain.md intake → active ⇄ suspended → ended, intake → ended.
// `record` (intakes, signatures, agreements) keeps the status; `extend` too.
const EXPECTED: Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>> = {
  intake: { activate: 'active', end: 'ended', record: 'intake' },
  active: { extend: 'active', suspend: 'suspended', end: 'ended', record: 'active' },
  suspended: { extend: 'suspended', resume: 'active', end: 'ended', record: 'suspended' },
  ended: {},
}

t.test('every status × action', async (t) => {
  t.same([...CASE_ACTIONS].sort(), ['activate', 'end', 'extend', 'record', 'resume', 'suspend'])
  for (const status of STATUSES) {
    for (const action of CASE_ACTIONS) {
      const result = caseTransition(status, action)
      const expected = EXPECTED[status][action]
      if (expected) {
        t.same(result, { ok: true, next: expected }, `${status} × ${action} → ${expected}`)
      } else {
        t.equal(result.ok, false, `${status} × ${action} is refused`)
        if (result.ok) continue
        t.equal(result.current, status)
        t.same(result.allowed, allowedCaseActions(status), `${status} × ${action} names the allowed actions`)
        t.match(result.message, new RegExp(`^Cannot .+ a case that is ${status}; `), result.message)
      }
    }
  }
})

t.test('allowed actions per status, in a stable order', async (t) => {
  t.same(allowedCaseActions('intake'), ['activate', 'end', 'record'])
  t.same(allowedCaseActions('active'), ['extend', 'suspend', 'end', 'record'])
  t.same(allowedCaseActions('suspended'), ['extend', 'resume', 'end', 'record'])
  t.same(allowedCaseActions('ended'), [])
})

t.test('the refusal message is readable', async (t) => {
  const activeTwice = caseTransition('active', 'activate')
  t.same(activeTwice, {
    ok: false,
    current: 'active',
    allowed: ['extend', 'suspend', 'end', 'record'],
    message: 'Cannot activate a case that is active; allowed actions: extend, suspend, end, record.',
  })
  const recordEnded = caseTransition('ended', 'record')
  t.equal(recordEnded.ok === false && recordEnded.message, 'Cannot record anything on a case that is ended; no further actions are possible.')
  const resumeIntake = caseTransition('intake', 'resume')
  t.equal(resumeIntake.ok === false && resumeIntake.message, 'Cannot resume a case that is intake; allowed actions: activate, end, record.')
})
