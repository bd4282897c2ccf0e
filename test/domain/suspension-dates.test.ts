import t from 'tap'
import { allowedActionsOn, dueSuspensionChange, effectiveCaseStatus, suspensionState } from '../../src/domain/suspension-dates.js'

const open = { id: 's1', fromDate: '2026-12-23', untilDate: '2027-01-06', resumedAt: null }

t.test('the status the dates give, day by day (from inclusive, until exclusive)', async (t) => {
  const days = { '2026-12-06': 'active', '2026-12-22': 'active', '2026-12-23': 'suspended', '2027-01-05': 'suspended', '2027-01-06': 'active' }
  for (const [today, status] of Object.entries(days)) {
    t.equal(effectiveCaseStatus('active', [open], today), status, `stored active, ${today}`)
    t.equal(effectiveCaseStatus('suspended', [open], today), status, `stored suspended, ${today}`)
  }
  t.same(suspensionState([open], '2026-12-06'), { scheduled: open, current: null })
  t.same(suspensionState([open], '2026-12-23'), { scheduled: null, current: open })
  t.equal(effectiveCaseStatus('active', [{ ...open, untilDate: null }], '2030-01-01'), 'suspended', 'open-ended: until resumed')
  t.equal(effectiveCaseStatus('active', [{ ...open, resumedAt: new Date() }], '2026-12-24'), 'active', 'a closed suspension drives nothing')
  t.equal(effectiveCaseStatus('ended', [open], '2026-12-24'), 'ended')
  t.equal(effectiveCaseStatus('intake', [open], '2026-12-24'), 'intake')
})

t.test('what the job makes due, and the actions while a suspension is scheduled', async (t) => {
  t.equal(dueSuspensionChange('active', [open], '2026-12-22'), null)
  t.match(dueSuspensionChange('active', [open], '2026-12-23'), { change: 'begin', suspension: open })
  t.equal(dueSuspensionChange('suspended', [open], '2026-12-23'), null)
  t.match(dueSuspensionChange('suspended', [open], '2027-01-06'), { change: 'run_out' })
  t.match(dueSuspensionChange('active', [open], '2027-01-06'), { change: 'run_out' }, 'a period the job never saw begin still ends with a resumption')
  t.match(dueSuspensionChange('suspended', [open], '2026-12-06'), { change: 'not_begun' }, 'stored suspended ahead of from')
  t.equal(dueSuspensionChange('ended', [open], '2027-01-06'), null)
  t.same(allowedActionsOn('active', true), ['extend', 'resume', 'end', 'record'])
  t.same(allowedActionsOn('active', false), ['extend', 'suspend', 'end', 'record'])
})
