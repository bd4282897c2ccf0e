import t from 'tap'
import { VISIT_OUTCOMES, VISIT_STATUSES, type VisitStatus } from '../../src/domain/vocabulary.js'
import {
  isLateCancellation,
  isOutcomeStatus,
  judgeAttendance,
  judgeCancellation,
  judgeOutcome,
  outcomeFreesReservations,
} from '../../src/domain/visit-lifecycle.js'

const start = new Date('2026-03-07T13:00:00Z')
const hoursBefore = (h: number) => new Date(start.getTime() - h * 3_600_000)

t.test('a cancellation is late after start − notice', async (t) => {
  t.equal(isLateCancellation(start, hoursBefore(25), 24), false, '25 h before: in time')
  t.equal(isLateCancellation(start, hoursBefore(24), 24), false, 'exactly the notice: in time')
  t.equal(isLateCancellation(start, new Date(hoursBefore(24).getTime() + 1), 24), true, 'a millisecond later: late')
  t.equal(isLateCancellation(start, hoursBefore(1), 24), true)
  t.equal(isLateCancellation(start, new Date(start.getTime() + 60_000), 24), true, 'after the start: late')
  t.equal(isLateCancellation(start, hoursBefore(1), 0), false, 'no notice period: only after the start is late')
  t.equal(isLateCancellation(start, start, 0), false)
})

t.test('only a booked visit of today or later can be cancelled', async (t) => {
  for (const status of VISIT_STATUSES) {
    for (const [date, today] of [
      ['2026-03-07', '2026-03-06'],
      ['2026-03-07', '2026-03-07'],
      ['2026-03-07', '2026-03-08'],
    ] as const) {
      const verdict = judgeCancellation({ status, date }, today)
      if (status === 'booked' && date >= today) t.same(verdict, { ok: true }, `${status} on ${date}, today ${today}`)
      else {
        t.equal(verdict.ok, false, `${status} on ${date}, today ${today} is refused`)
        if (verdict.ok) continue
        t.match(verdict.detail, status === 'booked' ? /^The visit was on 2026-03-07, in the past/ : new RegExp(`^The visit is ${status}; only a booked visit`))
      }
    }
  }
})

t.test('check-in and check-out: booked or arrived, on the visit’s day', async (t) => {
  for (const status of VISIT_STATUSES) {
    for (const today of ['2026-03-06', '2026-03-07', '2026-03-08']) {
      const verdict = judgeAttendance({ status, date: '2026-03-07' }, today)
      const open = status === 'booked' || status === 'arrived'
      if (open && today === '2026-03-07') t.same(verdict, { ok: true }, `${status}, today`)
      else {
        t.equal(verdict.ok, false, `${status}, ${today} is refused`)
        if (verdict.ok) continue
        t.match(verdict.detail, new RegExp(`^The visit is ${status}`), 'the detail names the status')
        t.equal(verdict.code, open ? 'not-visit-day' : 'visit-not-open')
      }
    }
  }
})

t.test('after the visit’s day staff record check-ins and check-outs, never before it', async (t) => {
  t.same(judgeAttendance({ status: 'booked', date: '2026-03-07' }, '2026-03-09', true), { ok: true }, 'two days later, by staff')
  t.match(judgeAttendance({ status: 'arrived', date: '2026-03-07' }, '2026-03-06', true), { ok: false, code: 'not-visit-day' }, 'the day before: refused')
  t.match(
    judgeAttendance({ status: 'fulfilled', date: '2026-03-07' }, '2026-03-09', true),
    { ok: false, code: 'visit-not-open' },
    'a concluded visit is corrected instead',
  )
})

t.test('outcomes: when, which, and corrections', async (t) => {
  const after = new Date(start.getTime() + 60_000)
  const before = new Date(start.getTime() - 60_000)
  const facts = (status: VisitStatus, currentOutcomeId: string | null = null) => ({ status, start, startLabel: '2026-03-07T14:00:00+01:00', currentOutcomeId })
  // The full table of first outcomes on a visit that has started.
  const firstAllowed: Record<VisitStatus, string[]> = {
    booked: ['noshow'],
    arrived: ['fulfilled', 'noshow', 'interrupted'],
    fulfilled: [],
    noshow: [],
    interrupted: [],
    cancelled: [],
    'entered-in-error': [],
  }
  for (const status of VISIT_STATUSES) {
    const current = isOutcomeStatus(status) ? 'o1' : null
    for (const outcome of VISIT_OUTCOMES) {
      const verdict = judgeOutcome(facts(status, current), outcome, undefined, after)
      t.equal(verdict.ok, firstAllowed[status].includes(outcome), `${status} × first ${outcome}`)
      if (!verdict.ok) t.match(verdict.detail, new RegExp(`^The visit is ${status}`), 'the detail names the status')
      const early = judgeOutcome(facts(status, current), outcome, undefined, before)
      t.equal(early.ok, false, `${status} × ${outcome} before the start`)
      // A correction of the current outcome: any outcome, once there is one.
      const correction = judgeOutcome(facts(status, current), outcome, 'o1', after)
      t.equal(correction.ok, current !== null, `${status} × correction to ${outcome}`)
      if (!correction.ok) t.match(correction.detail, new RegExp(`^The visit is ${status}`))
    }
  }
  const exists = judgeOutcome(facts('fulfilled', 'o1'), 'noshow', undefined, after)
  t.match(exists, { ok: false, code: 'outcome-exists', detail: /an outcome is already recorded \(id o1\); send supersedes to correct it/ })
  t.match(judgeOutcome(facts('noshow', 'o2'), 'fulfilled', 'o1', after), { ok: false, code: 'outcome-superseded' }, 'only the current outcome is corrected')
  t.match(judgeOutcome(facts('booked'), 'noshow', 'o1', after), { ok: false, code: 'no-outcome-to-correct' })
  t.match(judgeOutcome(facts('booked'), 'fulfilled', undefined, after), { ok: false, code: 'visit-not-arrived' })
  t.match(judgeOutcome(facts('booked'), 'noshow', undefined, before), { ok: false, code: 'visit-not-started', detail: /starts at 2026-03-07T14:00:00\+01:00/ })
  t.match(judgeOutcome(facts('cancelled'), 'noshow', undefined, after), { ok: false, code: 'visit-without-outcome', detail: /^The visit is cancelled;/ })
  t.same(judgeOutcome(facts('booked'), 'noshow', undefined, start), { ok: true }, 'at the start itself')
})

t.test('which outcomes free the reservations', async (t) => {
  t.same(VISIT_OUTCOMES.filter(outcomeFreesReservations), ['noshow', 'interrupted'])
  t.same(VISIT_STATUSES.filter(isOutcomeStatus), ['fulfilled', 'noshow', 'interrupted'])
})
