import t from 'tap'
import { consecutiveAbsences, isChildRefusal, visitSignals, type VisitRecord } from '../../src/domain/visit-signals.js'

const A = 'visiting'
const B = 'residing'
const C = 'child'
let day = 0
/** A visit a week after the one before (the order they are given in is not the order that counts). */
function visit(status: VisitRecord['status'], fields: Partial<VisitRecord> = {}): VisitRecord {
  day += 7
  return {
    start: new Date(Date.UTC(2026, 0, day)),
    status,
    partyIds: [A, B, C],
    absentPartyIds: [],
    cancelledBy: null,
    cancelReasonCode: null,
    outcomeReasonCode: null,
    ...fields,
  }
}
const noshow = (...absent: string[]) => visit('noshow', { absentPartyIds: absent })
const settings = { consecutiveAbsencesSignal: 2, childRefusalsSignal: 2 }

t.test('consecutive absences count back from the latest visit with an outcome', async (t) => {
  t.equal(consecutiveAbsences([], A), 0, 'no visits')
  t.equal(consecutiveAbsences([visit('fulfilled'), noshow(A), noshow(A)], A), 2)
  t.equal(consecutiveAbsences([noshow(A), visit('fulfilled'), noshow(A)], A), 1, 'an attended visit breaks the run')
  t.equal(consecutiveAbsences([noshow(A), noshow(B)], A), 0, 'the latest no-show listed someone else')
  t.equal(consecutiveAbsences([noshow(A), visit('interrupted')], A), 0, 'an interrupted visit was attended')
  t.equal(consecutiveAbsences([noshow(A), visit('fulfilled', { absentPartyIds: [A] })], A), 2, 'a visit held without the party is an absence (partly attended)')
  t.equal(consecutiveAbsences([noshow(A), visit('fulfilled', { absentPartyIds: [B] })], A), 0, 'held without someone else: attended')
  t.equal(consecutiveAbsences([noshow(A), visit('cancelled'), noshow(A, B)], A), 2, 'a cancelled visit is passed over')
  t.equal(consecutiveAbsences([noshow(A), visit('booked'), visit('arrived'), noshow(A)], A), 2, 'visits without an outcome are passed over')
  t.equal(consecutiveAbsences([noshow(A), visit('fulfilled', { partyIds: [B] }), noshow(A)], A), 2, 'a visit the party is not part of is passed over')
  const [first, second, third] = [noshow(A), noshow(A), visit('fulfilled')]
  t.equal(consecutiveAbsences([third, second, first], A), 0, 'ordered by start, not by the order given')
  t.equal(consecutiveAbsences([first, second], A), 2)
})

t.test('a child refusal: cancelled for child_refuses (by the adult who was to bring the child), interrupted for child_refuses', async (t) => {
  t.ok(isChildRefusal(visit('cancelled', { cancelledBy: 'residing_party', cancelReasonCode: 'child_refuses' })))
  t.notOk(isChildRefusal(visit('cancelled', { cancelledBy: 'residing_party', cancelReasonCode: 'illness' })))
  t.ok(isChildRefusal(visit('interrupted', { outcomeReasonCode: 'child_refuses' })))
  t.notOk(isChildRefusal(visit('interrupted', { outcomeReasonCode: 'safety_concern' })))
  t.notOk(isChildRefusal(visit('noshow', { absentPartyIds: [C], cancelReasonCode: 'child_refuses' })), 'a no-show is an absence, not a refusal')
  t.notOk(isChildRefusal(visit('fulfilled', { cancelReasonCode: 'child_refuses' })))
})

t.test('signals at the centre’s thresholds', async (t) => {
  t.same(visitSignals([], [A, B, C], settings), [])
  const visits = [noshow(A), noshow(A, B), visit('cancelled', { cancelledBy: 'residing_party', cancelReasonCode: 'child_refuses' })]
  t.same(visitSignals(visits, [A, B, C], settings), [{ code: 'consecutive_absences', partyId: A, count: 2 }])
  t.same(visitSignals(visits, [A, B, C], { consecutiveAbsencesSignal: 1, childRefusalsSignal: 1 }), [
    { code: 'consecutive_absences', partyId: A, count: 2 },
    { code: 'consecutive_absences', partyId: B, count: 1 },
    { code: 'child_refusals', count: 1 },
  ])
  t.same(visitSignals(visits, [A], { consecutiveAbsencesSignal: 3, childRefusalsSignal: 3 }), [], 'below the thresholds: no flag')
  const refusals = [visit('interrupted', { outcomeReasonCode: 'child_refuses' }), visit('fulfilled'), visit('cancelled', { cancelReasonCode: 'child_refuses' })]
  t.same(visitSignals(refusals, [A, B, C], settings), [{ code: 'child_refusals', count: 2 }], 'refusals count in all, not in a row')
})
