import t from 'tap'
import { extensionBeyondLimits, nextEvaluation, windowDays } from '../../src/domain/trajectory.js'

const limits = { maxTrajectoryMonths: 6, maxExtensions: 2 }

t.test('an extension within the longest trajectory and the number of extensions is ordinary', async (t) => {
  t.same(extensionBeyondLimits({ activatedOn: '2026-01-15', plannedEndDate: '2026-07-15', previousExtensions: 1 }, limits), [])
  t.same(extensionBeyondLimits({ activatedOn: null, plannedEndDate: '2030-01-01', previousExtensions: 0 }, limits), [], 'not activated: no trajectory yet')
})

t.test('past either limit it is exceptional, and the detail says which', async (t) => {
  const late = extensionBeyondLimits({ activatedOn: '2026-01-15', plannedEndDate: '2026-07-16', previousExtensions: 0 }, limits)
  t.same(late, ["it would run past 2026-07-15, 6 months after activation (the centre's longest trajectory)"])
  const often = extensionBeyondLimits({ activatedOn: '2026-01-15', plannedEndDate: '2026-03-01', previousExtensions: 2 }, limits)
  t.same(often, ['it has been extended 2 times already (the centre allows 2)'])
  t.equal(extensionBeyondLimits({ activatedOn: '2026-01-15', plannedEndDate: '2027-01-01', previousExtensions: 3 }, limits).length, 2)
  t.match(extensionBeyondLimits({ activatedOn: '2026-01-15', plannedEndDate: '2026-02-01', previousExtensions: 1 }, { ...limits, maxExtensions: 1 }), [
    /1 time already/,
  ])
  t.same(
    extensionBeyondLimits({ activatedOn: '2026-08-31', plannedEndDate: '2027-03-01', previousExtensions: 0 }, limits),
    ["it would run past 2027-02-28, 6 months after activation (the centre's longest trajectory)"],
    'month arithmetic clamps to the end of the month',
  )
})

t.test(
  'the next evaluation: an interval after the last one held (or activation), sooner when the block is used up, at the latest the planned end',
  async (t) => {
    const running = { status: 'active' as const, activatedOn: '2026-01-15', plannedEndDate: '2026-07-15' }
    t.equal(nextEvaluation(running, 3), '2026-04-15', 'an interval after activation')
    t.equal(nextEvaluation({ ...running, lastEvaluationOn: '2026-04-14' }, 3), '2026-07-14', 'a held evaluation clears the one due: the next is an interval on')
    t.equal(nextEvaluation({ ...running, lastEvaluationOn: '2026-05-01' }, 3), '2026-07-15', 'the planned end comes first')
    t.equal(nextEvaluation({ ...running, plannedEndDate: null }, 3), '2026-04-15', 'overdue stays due until one is held')
    t.equal(nextEvaluation({ ...running, blockUsedUpOn: '2026-03-01' }, 3), '2026-03-01', 'the block of visits used up: due on its last visit')
    t.equal(
      nextEvaluation({ ...running, blockUsedUpOn: '2026-03-01', lastEvaluationOn: '2026-03-02' }, 3),
      '2026-06-02',
      'an evaluation held after the block was used up clears it',
    )
    t.equal(nextEvaluation({ ...running, status: 'suspended' }, 1), '2026-02-15')
    for (const status of ['intake', 'ended'] as const) t.equal(nextEvaluation({ ...running, status }, 3), null, status)
    t.equal(nextEvaluation({ ...running, activatedOn: null }, 3), null)
  },
)

t.test('a window in days', async (t) => {
  t.equal(windowDays('30d'), 30)
  t.equal(windowDays('0d'), 0)
})
