import t from 'tap'
import { BusyCalendar, findFreeSlots, localDaysAfter, type AvailabilityInput, type Span } from '../../src/domain/availability.js'
import type { BookingRules } from '../../src/domain/booking-rules.js'
import type { WeeklyHours } from '../../src/domain/opening-hours.js'
import { localToInstant } from '../../src/domain/recurrence.js'
import { findFreeSlots as findReference } from './fixtures/availability-reference.js'
import { computeStagger } from '../../src/domain/stagger.js'

const BRUSSELS = 'Europe/Brussels'
const at = (local: string) => localToInstant(local, BRUSSELS).instant
const ms = (local: string) => at(local).getTime()
const ROOM = '00000000-0000-4000-8000-00000000000a'
const ROOM_2 = '00000000-0000-4000-8000-00000000000b'
const C1 = '00000000-0000-4000-8000-000000000001'
const C2 = '00000000-0000-4000-8000-000000000002'

const day = (from: string, to: string) => [{ from, to }]
const saturdayMorning: WeeklyHours = { sat: day('09:00', '12:00') }
const allDay: WeeklyHours = {
  mon: day('00:00', '24:00'),
  tue: day('00:00', '24:00'),
  wed: day('00:00', '24:00'),
  thu: day('00:00', '24:00'),
  fri: day('00:00', '24:00'),
  sat: day('00:00', '24:00'),
  sun: day('00:00', '24:00'),
}

function rules(overrides: Partial<BookingRules> = {}): BookingRules {
  return {
    kind: 'supervised_visit',
    timeZone: BRUSSELS,
    site: { openingHours: saturdayMorning, closures: [], holidayOptOuts: [] },
    counsellors: [{ id: C1, workingHours: allDay, absences: [] }],
    plannedEndDate: null,
    suspensions: [],
    agreement: null,
    ...overrides,
  }
}

/** 60-minute contacts with 15 minutes of staggering on either side, on Saturday 6 March 2027. */
function input(overrides: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    rules: rules(),
    visitsCounted: 0,
    from: at('2027-03-06T00:00'),
    to: at('2027-03-07T00:00'),
    stepMinutes: 30,
    plan: (start) =>
      computeStagger({
        kind: 'supervised_visit',
        start,
        durationMinutes: 60,
        stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 },
        parties: [
          { partyId: 'v', side: 'visiting' },
          { partyId: 'r', side: 'residing' },
        ],
      }),
    rooms: [{ id: ROOM, capacity: 1, busy: [] }],
    counsellorBusy: new Map(),
    partyBusy: [],
    limit: 100,
    ...overrides,
  }
}
const starts = (result: ReturnType<typeof findFreeSlots>) => result.slots.map((s) => `${s.start.toISOString()} ${s.roomId}`)
const localStarts = (result: ReturnType<typeof findFreeSlots>) => result.slots.map((s) => s.start.getTime())

t.test('BusyCalendar: the sweep answers as a brute force would, for every start and end, in increasing order and out of it', async (t) => {
  // Every set of up to three spans on a small grid, every question on it: ascending starts (the
  // sweep), then descending (each one a step back, the binary search), then interleaved.
  const grid = [0, 1, 2, 3, 4, 5, 6]
  const spans: Span[] = []
  for (const a of grid) for (const b of grid) if (b > a) spans.push({ start: a, end: b })
  const questions: [number, number][] = []
  for (const s of [-1, ...grid]) for (const e of [...grid, 7]) if (e > s) questions.push([s, e])
  const brute = (busy: Span[], s: number, e: number) => busy.some((b) => b.start < e && s < b.end)
  let checked = 0
  let wrong = 0
  for (let i = 0; i < spans.length; i++) {
    for (let j = i; j < spans.length; j += 7) {
      for (let k = j; k < spans.length; k += 11) {
        // In start order (taken as it comes) and out of it (sorted first).
        for (const busy of [
          [spans[i]!, spans[j]!, spans[k]!],
          [spans[k]!, spans[j]!, spans[i]!],
        ]) {
          const orders = [questions, [...questions].reverse(), questions.filter((_, n) => n % 2 === 0).concat(questions.filter((_, n) => n % 2 === 1))]
          for (const order of orders) {
            const calendar = new BusyCalendar(busy)
            for (const [s, e] of order) {
              checked++
              if (calendar.overlaps(s, e) !== brute(busy, s, e)) wrong++
            }
          }
        }
      }
    }
  }
  t.equal(wrong, 0, `${checked} questions`)
})

t.test('BusyCalendar: half-open overlap over merged spans', async (t) => {
  const busy = new BusyCalendar([
    { start: 10, end: 20 },
    { start: 40, end: 50 },
    { start: 15, end: 30 },
    { start: 5, end: 5 },
  ])
  t.notOk(busy.overlaps(0, 10), 'ends exactly where a span starts')
  t.ok(busy.overlaps(0, 11))
  t.ok(busy.overlaps(25, 26), 'inside the merged 10–30')
  t.notOk(busy.overlaps(30, 40), 'the gap between spans')
  t.ok(busy.overlaps(29, 41))
  t.notOk(busy.overlaps(50, 60))
  t.notOk(new BusyCalendar([]).overlaps(0, 1e15))
})

t.test('every start whose staggered span fits the opening hours, on the step grid', async (t) => {
  const result = findFreeSlots(input())
  // Open 09:00–12:00; span = start − 15 min … start + 75 min → starts 09:15 … 10:45; grid of 30 → 09:30, 10:00, 10:30.
  t.same(localStarts(result), [ms('2027-03-06T09:30'), ms('2027-03-06T10:00'), ms('2027-03-06T10:30')])
  t.equal(result.more, false)
  const first = result.slots[0]!
  t.same({ roomId: first.roomId, place: first.place, counsellorIds: first.counsellorIds }, { roomId: ROOM, place: 1, counsellorIds: [C1] })
  t.same([first.spanStart, first.spanEnd], [at('2027-03-06T09:15'), at('2027-03-06T10:45')])
  t.equal(findFreeSlots(input({ stepMinutes: 15 })).slots.length, 7, '09:15 … 10:45 on a 15-minute grid')
})

t.test('the window bounds the starts: from inclusive, to exclusive', async (t) => {
  t.same(localStarts(findFreeSlots(input({ from: at('2027-03-06T10:00'), to: at('2027-03-06T10:30') }))), [ms('2027-03-06T10:00')])
  t.same(findFreeSlots(input({ from: at('2027-03-07T00:00'), to: at('2027-03-08T00:00') })).slots, [], 'Sunday: the site is closed')
})

t.test('room places: a room is free while one of its places is', async (t) => {
  const busy = [{ place: 1, start: ms('2027-03-06T09:00'), end: ms('2027-03-06T10:15') }]
  t.same(
    localStarts(findFreeSlots(input({ rooms: [{ id: ROOM, capacity: 1, busy }] }))),
    [ms('2027-03-06T10:30')],
    'capacity 1: only once the span (from 10:15) clears it',
  )
  const two = findFreeSlots(input({ rooms: [{ id: ROOM, capacity: 2, busy }] }))
  t.same(
    two.slots.map((s) => s.place),
    [2, 2, 1],
    'capacity 2: the second place while the first is taken',
  )
  t.same(findFreeSlots(input({ rooms: [{ id: ROOM, capacity: 2, busy: [...busy, { ...busy[0]!, place: 2 }] }] })).slots.length, 1)
})

t.test('counsellors: busy, absent or off duty are left out; no counsellor free, no slot', async (t) => {
  const r = rules({
    counsellors: [
      { id: C1, workingHours: allDay, absences: [{ from: at('2027-03-06T10:00'), until: at('2027-03-06T10:10') }] },
      { id: C2, workingHours: { sat: day('10:00', '12:00') }, absences: [] },
    ],
  })
  const result = findFreeSlots(input({ rules: r, counsellorBusy: new Map([[C2, [{ start: ms('2027-03-06T11:00'), end: ms('2027-03-06T11:30') }]]]) }))
  // 09:30 (span 09:15–10:45): C1 absent 10:00–10:10, C2 off duty before 10:00 → nothing.
  // 10:00 (span 09:45–11:15): C1 absent, C2 off duty before 10:00 → nothing.
  // 10:30 (span 10:15–11:45): C1 free; C2 busy 11:00–11:30 → C1 only.
  t.same(
    result.slots.map((s) => [s.start.getTime(), s.counsellorIds]),
    [[ms('2027-03-06T10:30'), [C1]]],
  )
})

t.test("the case's rules and people", async (t) => {
  const partyBusy = [{ start: ms('2027-03-06T09:00'), end: ms('2027-03-06T09:20') }]
  t.same(localStarts(findFreeSlots(input({ partyBusy }))), [ms('2027-03-06T10:00'), ms('2027-03-06T10:30')], "a party's other visit")
  t.same(findFreeSlots(input({ rules: rules({ suspensions: [{ from: '2027-03-01', until: null }] }) })).slots, [], 'suspended')
  t.same(findFreeSlots(input({ rules: rules({ plannedEndDate: '2027-03-05' }) })).slots, [], 'after the planned end')
  t.same(
    findFreeSlots(input({ rules: rules({ agreement: { kinds: ['supervised_visit'], validUntil: null, maxVisits: 2 } }), visitsCounted: 2 })).slots,
    [],
    'maxVisits reached',
  )
  t.same(
    findFreeSlots(input({ rules: rules({ agreement: { kinds: ['supervised_handover'], validUntil: null, maxVisits: null } }) })).slots,
    [],
    'kind not covered',
  )
  t.same(
    findFreeSlots(
      input({ rules: rules({ site: { openingHours: saturdayMorning, closures: [{ from: '2027-03-06', to: '2027-03-06' }], holidayOptOuts: [] } }) }),
    ).slots,
    [],
    'closure',
  )
})

t.test('public holidays close the site unless the centre opted out', async (t) => {
  // Easter Monday 29 March 2027.
  const monday: WeeklyHours = { mon: day('09:00', '12:00') }
  const window = { from: at('2027-03-29T00:00'), to: at('2027-03-30T00:00') }
  t.same(findFreeSlots(input({ ...window, rules: rules({ site: { openingHours: monday, closures: [], holidayOptOuts: [] } }) })).slots, [])
  t.equal(
    findFreeSlots(input({ ...window, rules: rules({ site: { openingHours: monday, closures: [], holidayOptOuts: ['easter_monday'] } }) })).slots.length,
    3,
  )
})

t.test('several rooms, one page at a time', async (t) => {
  const rooms = [
    { id: ROOM_2, capacity: 1, busy: [] },
    { id: ROOM, capacity: 1, busy: [] },
  ]
  const all = findFreeSlots(input({ rooms }))
  t.same(starts(all).length, 6)
  t.same(
    all.slots.slice(0, 2).map((s) => s.roomId),
    [ROOM, ROOM_2],
    'rooms by id within one start',
  )
  const page1 = findFreeSlots(input({ rooms, limit: 3 }))
  t.equal(page1.more, true)
  const last = page1.slots[2]!
  const page2 = findFreeSlots(input({ rooms, limit: 3, after: { start: last.start, roomId: last.roomId } }))
  t.equal(page2.more, false)
  t.same([...starts(page1), ...starts(page2)], starts(all), 'the pages together are the whole list, once')
  const exact = findFreeSlots(input({ rooms, limit: 6 }))
  t.equal(exact.more, false, 'a full last page has no next page')
})

t.test("an outside visit: no room; starts come from the counsellors' hours", async (t) => {
  const result = findFreeSlots(
    input({
      rules: rules({ kind: 'outside_visit', site: undefined, counsellors: [{ id: C1, workingHours: { sat: day('14:00', '16:00') }, absences: [] }] }),
      rooms: null,
    }),
  )
  t.same(
    result.slots.map((s) => [s.start.getTime(), s.roomId, s.place]),
    [[ms('2027-03-06T14:30'), null, null]],
  )
})

t.test('DST: starts stay on the local grid and a start in the gap is not listed twice', async (t) => {
  // 28 March 2027: 02:00 → 03:00 in Brussels.
  const result = findFreeSlots(
    input({
      rules: rules({ site: { openingHours: allDay, closures: [], holidayOptOuts: ['easter_sunday'] } }),
      from: at('2027-03-28T01:00'),
      to: at('2027-03-28T04:30'),
      stepMinutes: 30,
      plan: (start) =>
        computeStagger({
          kind: 'conversation',
          start,
          durationMinutes: 30,
          stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 0, departureGapMinutes: 0 },
          parties: [],
        }),
    }),
  )
  t.same(
    result.slots.map((s) => s.start.toISOString()),
    [
      '2027-03-28T00:00:00.000Z',
      '2027-03-28T00:30:00.000Z', // 01:00, 01:30 +01:00
      '2027-03-28T01:00:00.000Z',
      '2027-03-28T01:30:00.000Z', // 02:00→03:00, 02:30→03:30 +02:00
      '2027-03-28T02:00:00.000Z', // 04:00 +02:00
    ],
  )
  t.throws(() => findFreeSlots(input({ stepMinutes: 0 })), RangeError)
})

t.test('the answers of the per-start reference (the version before the rules were made once per call), on random inputs', async (t) => {
  // A seeded generator: the same cases on every run.
  let seed = 20261128
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!
  const chance = (p: number) => random() < p
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  const week = (): WeeklyHours => {
    if (chance(0.2)) return allDay
    const hours: WeeklyHours = {}
    for (const weekday of weekdays) {
      if (chance(0.2)) continue
      const intervals = []
      let open = int(0, 60) * 15
      for (let n = int(1, 2); n > 0 && open < 1440; n--) {
        const close = Math.min(1440, open + int(1, 48) * 15)
        intervals.push({ from: hhmm(open), to: hhmm(close) })
        open = close + int(0, 16) * 15
      }
      hours[weekday] = intervals
    }
    return hours
  }
  // Windows around DST changes, Easter and other Belgian holidays, and ordinary weeks.
  const anchors = ['2027-03-26', '2027-03-13', '2027-10-29', '2027-11-06', '2027-04-30', '2027-10-31', '2027-07-20', '2028-02-27', '2027-12-24']
  const zones = ['Europe/Brussels', 'America/New_York', 'UTC', 'Australia/Lord_Howe', 'Asia/Kathmandu']
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${prefix}${String(i).padStart(11, '0')}`)
  const spans = (lo: number, hi: number, n: number) =>
    Array.from({ length: n }, () => {
      const start = lo + int(0, Math.floor((hi - lo) / 300_000)) * 300_000
      return { start, end: start + int(0, 48) * 300_000 }
    })
  const describe = (r: {
    slots: {
      start: Date
      end: Date
      spanStart: Date
      spanEnd: Date
      roomId: string | null
      place: number | null
      counsellorIds: string[]
      arrivals: unknown[]
    }[]
    more: boolean
  }) => JSON.stringify(r)

  let cases = 0
  let slotsCompared = 0
  const differing: string[] = []
  for (let n = 0; n < 300; n++) {
    const timeZone = pick(zones)
    const kind = pick(['supervised_visit', 'supervised_handover', 'outside_visit', 'conversation'] as const)
    const local = (date: string, minutes: number) => localToInstant(`${date}T${hhmm(minutes)}`, timeZone).instant
    const anchor = pick(anchors)
    const from = local(anchor, chance(0.5) ? 0 : int(0, 95) * 15)
    const to = new Date(from.getTime() + int(1, 4 * 96) * 900_000 + (chance(0.2) ? int(1, 899) * 1000 : 0))
    const lo = from.getTime() - 86_400_000
    const hi = to.getTime() + 86_400_000
    const counsellorIds = ids('c', int(0, 4))
    const hoursPool = [week(), week()]
    const roomIds = ids('r', int(1, 3))
    const outside = kind === 'outside_visit'
    const parties = pick([
      [],
      [{ partyId: 'v', side: 'visiting' as const }],
      [
        { partyId: 'v', side: 'visiting' as const },
        { partyId: 'r', side: 'residing' as const },
      ],
    ])
    const stagger = { firstToArrive: pick(['visiting', 'residing'] as const), arrivalGapMinutes: int(0, 8) * 15, departureGapMinutes: int(0, 8) * 15 }
    const durationMinutes = pick([5, 30, 60, 90, 120, 240, 720])
    const dateAround = () => new Date(from.getTime() + int(-2, 5) * 86_400_000).toISOString().slice(0, 10)
    const agreement = chance(0.5)
      ? null
      : {
          kinds: chance(0.9) ? [kind] : ['supervised_handover' as const],
          validUntil: chance(0.5) ? null : dateAround(),
          maxVisits: chance(0.7) ? null : int(1, 3),
        }
    const rules: BookingRules = {
      kind,
      timeZone,
      site: outside
        ? undefined
        : {
            openingHours: week(),
            closures: chance(0.3) ? [{ from: dateAround(), to: dateAround() }].filter((c) => c.from <= c.to) : [],
            holidayOptOuts: chance(0.3) ? ['easter_monday', 'all_saints'] : [],
          },
      counsellors: counsellorIds.map((id) => ({
        id,
        workingHours: chance(0.6) ? hoursPool[0]! : chance(0.5) ? hoursPool[1]! : week(),
        absences: spans(lo, hi, int(0, 2)).map((s) => ({ from: new Date(s.start), until: new Date(s.end) })),
      })),
      plannedEndDate: chance(0.2) ? dateAround() : null,
      suspensions: chance(0.2) ? [{ from: dateAround(), until: chance(0.5) ? null : dateAround() }] : [],
      agreement,
    }
    const base: AvailabilityInput = {
      rules,
      visitsCounted: int(0, 3),
      from,
      to,
      stepMinutes: pick([5, 10, 15, 20, 30, 60, 45, 1440]),
      plan: (start) => computeStagger({ kind, start, durationMinutes, stagger, parties }),
      rooms: outside ? null : roomIds.map((id) => ({ id, capacity: int(1, 3), busy: spans(lo, hi, int(0, 12)).map((s) => ({ ...s, place: int(1, 3) })) })),
      counsellorBusy: new Map(counsellorIds.map((id) => [id, spans(lo, hi, int(0, 10))])),
      partyBusy: spans(lo, hi, int(0, 3)),
      limit: 10_000,
    }
    const whole = findReference(base)
    const questions: AvailabilityInput[] = [base, { ...base, limit: int(1, 20) }]
    // Pages resumed after a listed slot, and after a start that is not one.
    if (whole.slots.length > 0) {
      const resume = pick(whole.slots)
      questions.push({ ...base, limit: int(1, 20), after: { start: resume.start, roomId: resume.roomId } })
      questions.push({ ...base, after: { start: new Date(resume.start.getTime() + 60_000), roomId: chance(0.5) ? null : roomIds[0]! } })
    }
    for (const question of questions) {
      cases++
      const expected = findReference(question)
      const actual = findFreeSlots(question)
      slotsCompared += expected.slots.length
      if (describe(actual) !== describe(expected)) differing.push(`case ${n} (${timeZone}, ${kind}, ${from.toISOString()}…${to.toISOString()})`)
    }
  }
  t.same(differing, [], `${cases} questions, ${slotsCompared} slots`)
  t.ok(slotsCompared > 5000, 'the cases list slots, not only empty answers')
})

t.test('hours and closures are checked when the call begins; years localToInstant cannot read fail as before', async (t) => {
  const bad = { sat: day('12:00', '09:00') }
  t.throws(() => findFreeSlots(input({ rules: rules({ site: { openingHours: bad, closures: [], holidayOptOuts: [] } }) })), RangeError)
  t.throws(() => findFreeSlots(input({ rules: rules({ counsellors: [{ id: C1, workingHours: { mon: day('25:00', '26:00') }, absences: [] }] }) })), RangeError)
  t.throws(
    () =>
      findFreeSlots(
        input({ rules: rules({ site: { openingHours: saturdayMorning, closures: [{ from: '2027-03-07', to: '2027-03-06' }], holidayOptOuts: [] } }) }),
      ),
    RangeError,
  )
  const old = { from: new Date(Date.UTC(1899, 11, 31, 12)), to: new Date(Date.UTC(1900, 0, 1, 12)) }
  const everyDay = rules({ site: { openingHours: allDay, closures: [], holidayOptOuts: [] } })
  t.throws(() => findFreeSlots(input({ ...old, rules: everyDay })), { name: 'RecurrenceError' })
  t.throws(() => findReference(input({ ...old, rules: everyDay })), { name: 'RecurrenceError' }, 'as the reference does')
})

t.test('localDaysAfter: local midnights, across DST', async (t) => {
  t.equal(localDaysAfter(at('2027-03-27T15:00'), 1, BRUSSELS).toISOString(), '2027-03-27T23:00:00.000Z', 'the midnight of the short day, +02:00 after it')
  t.equal(localDaysAfter(at('2027-03-27T15:00'), 2, BRUSSELS).toISOString(), '2027-03-28T22:00:00.000Z')
  t.equal(localDaysAfter(at('2027-03-27T00:00'), 0, BRUSSELS).toISOString(), '2027-03-26T23:00:00.000Z')
  // Santiago: clocks go from 24:00 to 01:00 on 5 September 2027; that day starts at 01:00.
  t.equal(localDaysAfter(new Date('2027-09-04T12:00:00Z'), 1, 'America/Santiago').toISOString(), '2027-09-05T04:00:00.000Z')
  t.throws(() => localDaysAfter(new Date(), 1, 'Nowhere/Else'), RangeError)
})
