import t from 'tap'
import { computeStagger, type StaggerRule } from '../../src/domain/stagger.js'
import type { PartySide, VisitKind } from '../../src/domain/vocabulary.js'

const start = new Date('2026-03-07T09:00:00Z')
const at = (hhmm: string) => new Date(`2026-03-07T${hhmm}:00Z`)
const parties = [
  { partyId: 'father', side: 'visiting' as PartySide },
  { partyId: 'mother', side: 'residing' as PartySide },
]
const visitingFirst: StaggerRule = { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 }

t.test('supervised visit: the first side is first in and last out', async (t) => {
  const r = computeStagger({ kind: 'supervised_visit', start, durationMinutes: 90, stagger: visitingFirst, parties })
  t.same(r, {
    spanStart: at('08:45'),
    spanEnd: at('10:45'),
    start: at('09:00'),
    end: at('10:30'),
    arrivals: [
      { partyId: 'father', arriveAt: at('08:45'), leaveAt: at('10:45') },
      { partyId: 'mother', arriveAt: at('09:00'), leaveAt: at('10:30') },
    ],
  })
})

t.test('the residing side can be the first to arrive, with different gaps', async (t) => {
  const r = computeStagger({
    kind: 'supervised_visit',
    start,
    durationMinutes: 60,
    stagger: { firstToArrive: 'residing', arrivalGapMinutes: 10, departureGapMinutes: 20 },
    parties,
  })
  t.same(r.arrivals, [
    { partyId: 'father', arriveAt: at('09:00'), leaveAt: at('10:00') },
    { partyId: 'mother', arriveAt: at('08:50'), leaveAt: at('10:20') },
  ])
  t.same([r.spanStart, r.spanEnd], [at('08:50'), at('10:20')])
})

t.test('outside visits and conversations stagger like visits', async (t) => {
  for (const kind of ['outside_visit', 'conversation'] as VisitKind[]) {
    const r = computeStagger({ kind, start, durationMinutes: 45, stagger: visitingFirst, parties })
    t.same(
      r.arrivals.map((a) => [a.partyId, a.arriveAt, a.leaveAt]),
      [
        ['father', at('08:45'), at('10:00')],
        ['mother', at('09:00'), at('09:45')],
      ],
      kind,
    )
    t.same([r.spanStart, r.spanEnd], [at('08:45'), at('10:00')], kind)
  }
})

t.test('the two sides never cross: arrivals and departures are strictly ordered when gaps are positive', async (t) => {
  for (const firstToArrive of ['visiting', 'residing'] as PartySide[]) {
    const r = computeStagger({
      kind: 'supervised_visit',
      start,
      durationMinutes: 120,
      stagger: { firstToArrive, arrivalGapMinutes: 5, departureGapMinutes: 5 },
      parties,
    })
    const first = r.arrivals.find((a) => parties.find((p) => p.partyId === a.partyId)?.side === firstToArrive)!
    const second = r.arrivals.find((a) => a !== first)!
    t.ok(first.arriveAt < second.arriveAt, `${firstToArrive}: first in`)
    t.ok(first.leaveAt > second.leaveAt, `${firstToArrive}: last out`)
    t.ok(r.spanStart <= first.arriveAt && r.spanEnd >= first.leaveAt, `${firstToArrive}: the span covers everyone`)
  }
})

t.test('several parties on one side share that side’s times', async (t) => {
  const r = computeStagger({
    kind: 'supervised_visit',
    start,
    durationMinutes: 60,
    stagger: visitingFirst,
    parties: [
      { partyId: 'father', side: 'visiting' },
      { partyId: 'grandmother', side: 'visiting' },
      { partyId: 'mother', side: 'residing' },
    ],
  })
  t.same(r.arrivals[0]!.arriveAt, r.arrivals[1]!.arriveAt)
  t.same(r.arrivals[0]!.leaveAt, r.arrivals[1]!.leaveAt)
  t.same(r.arrivals[2]!.arriveAt, at('09:00'))
})

t.test('with only one side present there is no one to keep apart', async (t) => {
  const conversation = computeStagger({
    kind: 'conversation',
    start,
    durationMinutes: 60,
    stagger: visitingFirst,
    parties: [{ partyId: 'mother', side: 'residing' }],
  })
  t.same(conversation, {
    spanStart: at('09:00'),
    spanEnd: at('10:00'),
    start: at('09:00'),
    end: at('10:00'),
    arrivals: [{ partyId: 'mother', arriveAt: at('09:00'), leaveAt: at('10:00') }],
  })
  // Also when the one side present is the one that would come first.
  const intake = computeStagger({
    kind: 'conversation',
    start,
    durationMinutes: 60,
    stagger: visitingFirst,
    parties: [{ partyId: 'father', side: 'visiting' }],
  })
  t.same(intake.arrivals, [{ partyId: 'father', arriveAt: at('09:00'), leaveAt: at('10:00') }])
  t.same([intake.spanStart, intake.spanEnd], [at('09:00'), at('10:00')])
  const handover = computeStagger({
    kind: 'supervised_handover',
    start,
    durationMinutes: 15,
    stagger: visitingFirst,
    parties: [{ partyId: 'mother', side: 'residing' }],
  })
  t.same([handover.spanStart, handover.spanEnd], [at('09:00'), at('09:15')])
})

t.test('no parties: the span is the contact itself', async (t) => {
  const r = computeStagger({ kind: 'supervised_visit', start, durationMinutes: 60, stagger: visitingFirst, parties: [] })
  t.same(r, { spanStart: at('09:00'), spanEnd: at('10:00'), start: at('09:00'), end: at('10:00'), arrivals: [] })
})

t.test('supervised handover: drop-off, the counsellor holds the child, pick-up', async (t) => {
  const r = computeStagger({
    kind: 'supervised_handover',
    start,
    durationMinutes: 15,
    stagger: { firstToArrive: 'residing', arrivalGapMinutes: 20, departureGapMinutes: 10 },
    parties: [
      { partyId: 'father', side: 'visiting' },
      { partyId: 'mother', side: 'residing' },
    ],
  })
  t.same(r, {
    spanStart: at('09:00'),
    spanEnd: at('09:45'),
    start: at('09:00'),
    end: at('09:15'),
    arrivals: [
      { partyId: 'father', arriveAt: at('09:35'), leaveAt: at('09:45') }, // pick-up: end + 20, for 10
      { partyId: 'mother', arriveAt: at('09:00'), leaveAt: at('09:15') }, // drop-off: [start, end]
    ],
  })
  const [pickUp, dropOff] = r.arrivals
  t.ok(dropOff!.leaveAt < pickUp!.arriveAt, 'the drop-off side has left before the pick-up side arrives')
})

t.test('zero gaps are allowed', async (t) => {
  const r = computeStagger({
    kind: 'supervised_handover',
    start,
    durationMinutes: 10,
    stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 0, departureGapMinutes: 0 },
    parties,
  })
  t.same([r.spanStart, r.spanEnd], [at('09:00'), at('09:10')])
  t.same(r.arrivals[1], { partyId: 'mother', arriveAt: at('09:10'), leaveAt: at('09:10') })
})

t.test('the result does not share Date objects with the input', async (t) => {
  const input = new Date(start)
  const r = computeStagger({ kind: 'conversation', start: input, durationMinutes: 30, stagger: visitingFirst, parties })
  r.start.setTime(0)
  r.spanStart.setTime(0)
  r.arrivals[1]!.arriveAt.setTime(0)
  t.same(input, start)
  t.same(r.arrivals[0]!.arriveAt, at('08:45'))
})

t.test('validation', async (t) => {
  const base = { kind: 'supervised_visit' as VisitKind, start, durationMinutes: 60, stagger: visitingFirst, parties }
  t.test('accepts the bounds', async (t) => {
    t.equal(computeStagger({ ...base, durationMinutes: 1 }).end.getTime() - start.getTime(), 60_000)
    t.equal(computeStagger({ ...base, durationMinutes: 1440 }).end.getTime() - start.getTime(), 86_400_000)
    const wide = computeStagger({ ...base, stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 240, departureGapMinutes: 240 } })
    t.equal(wide.end.getTime() - start.getTime(), 3_600_000)
    t.equal(wide.spanEnd.getTime() - wide.spanStart.getTime(), 9 * 3_600_000)
  })

  t.test('rejects out-of-range durations and gaps with a RangeError', async (t) => {
    const bad: [Partial<typeof base>, RegExp][] = [
      [{ durationMinutes: 0 }, /durationMinutes must be a whole number of minutes from 1 to 1440, got 0/],
      [{ durationMinutes: 1441 }, /durationMinutes/],
      [{ durationMinutes: 30.5 }, /durationMinutes/],
      [{ durationMinutes: NaN }, /durationMinutes/],
      [{ stagger: { ...visitingFirst, arrivalGapMinutes: -1 } }, /arrivalGapMinutes must be a whole number of minutes from 0 to 240, got -1/],
      [{ stagger: { ...visitingFirst, arrivalGapMinutes: 241 } }, /arrivalGapMinutes/],
      [{ stagger: { ...visitingFirst, departureGapMinutes: 241 } }, /departureGapMinutes/],
      [{ stagger: { ...visitingFirst, departureGapMinutes: 1.5 } }, /departureGapMinutes/],
      [{ stagger: { ...visitingFirst, firstToArrive: 'child' as PartySide } }, /firstToArrive must be 'visiting' or 'residing'/],
      [{ start: new Date('nope') }, /start must be a valid Date/],
      [{ kind: 'picnic' as VisitKind }, /kind must be one of supervised_visit/],
    ]
    for (const [override, message] of bad) {
      t.throws(() => computeStagger({ ...base, ...override }), { name: 'RangeError', message }, JSON.stringify(override))
    }
  })
})
