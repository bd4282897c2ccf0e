import fc from 'fast-check'
import { DateTime } from 'luxon'
import t from 'tap'
import { BusyCalendar, findFreeSlots, localDaysAfter, type AvailabilityInput, type Span } from '../../src/domain/availability.js'
import { checkSlot, type BookingRules } from '../../src/domain/booking-rules.js'
import type { WeeklyHours } from '../../src/domain/opening-hours.js'
import { localToInstant } from '../../src/domain/recurrence.js'
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

/**
 * What a dry-run booking of one start decides, judged the way a booking does: checkSlot's rules for
 * the site, the case and each counsellor (booking-rules.ts), then an overlap with a reservation of
 * the room place, the counsellor or the case's people (PostgreSQL's exclusion constraint; an empty
 * span overlaps nothing). Every start of the local grid in the window is tried, rooms by id, the
 * first free place of each, and every counsellor a booking could take.
 */
function dryRunBookings(question: AvailabilityInput): string[] {
  const { rules } = question
  const overlaps = (busy: Span[], start: number, end: number) => busy.some((b) => b.start < b.end && b.start < end && start < b.end)
  const from = question.from.getTime()
  const to = question.to.getTime()
  const booked: string[] = []
  const tried = new Set<number>()
  let date = DateTime.fromJSDate(question.from, { zone: rules.timeZone }).startOf('day')
  const lastDate = DateTime.fromMillis(to - 1, { zone: rules.timeZone }).toISODate()!
  for (; date.toISODate()! <= lastDate; date = date.plus({ days: 1 })) {
    for (let minute = 0; minute < 1440; minute += question.stepMinutes) {
      const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
      const start = localToInstant(`${date.toISODate()}T${hhmm}`, rules.timeZone).instant
      const at = start.getTime()
      if (at < from || at >= to || tried.has(at)) continue
      tried.add(at)
      const planned = question.plan(start)
      const [spanStart, spanEnd] = [planned.spanStart.getTime(), planned.spanEnd.getTime()]
      if (checkSlot({ ...rules, counsellors: [] }, planned, question.visitsCounted).length > 0) continue
      if (overlaps(question.partyBusy, spanStart, spanEnd)) continue
      const counsellorIds = rules.counsellors
        .filter((c) => checkSlot({ ...rules, counsellors: [c] }, planned, question.visitsCounted).length === 0)
        .filter((c) => !overlaps(question.counsellorBusy.get(c.id) ?? [], spanStart, spanEnd))
        .map((c) => c.id)
      if (counsellorIds.length === 0) continue
      const places = question.rooms
        ? [...question.rooms]
            .sort((x, y) => (x.id < y.id ? -1 : 1))
            .flatMap((room) => {
              const place = Array.from({ length: room.capacity }, (_, i) => i + 1).find(
                (n) =>
                  !overlaps(
                    room.busy.filter((b) => b.place === n),
                    spanStart,
                    spanEnd,
                  ),
              )
              return place === undefined ? [] : [`${room.id}#${place}`]
            })
        : ['no room']
      for (const place of places) booked.push(`${start.toISOString()} ${place} ${counsellorIds.join(',')}`)
    }
  }
  return booked.sort()
}

t.test('availability lists exactly what a dry-run booking of each start accepts, on random calendars', async (t) => {
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  // Opening or working hours: up to two intervals a day on a quarter-hour grid, some days closed.
  const interval = fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 48 })).map(([open, length]) => ({
    from: hhmm(open * 15),
    to: hhmm(Math.min(96, open + length) * 15),
  }))
  const week: fc.Arbitrary<WeeklyHours> = fc.oneof(
    fc.constant(allDay),
    fc
      .tuple(...weekdays.map(() => fc.option(interval, { nil: undefined })))
      .map((days) => Object.fromEntries(days.flatMap((d, i) => (d ? [[weekdays[i]!, [d]]] : [])))),
  )
  // Windows around DST changes, Easter and other Belgian holidays, and ordinary weeks.
  const anchors = ['2027-03-26', '2027-03-27', '2027-10-30', '2027-04-30', '2027-07-20', '2027-12-24']
  const zones = ['Europe/Brussels', 'America/New_York', 'UTC', 'Asia/Kathmandu']
  const id = (prefix: string, n: number) => `00000000-0000-4000-8000-${prefix}${String(n).padStart(11, '0')}`
  // Spans of 0 to 4 hours, on a 5-minute grid, from a day before the window to a day after it.
  // Reservations may be empty (they then hold nothing); an absence lasts (the database refuses an empty one).
  const spans = (max: number, shortest = 0) =>
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: 4 * 288 }), fc.integer({ min: shortest, max: 48 })).map(([s, l]) => ({ start: s * 300_000, end: (s + l) * 300_000 })),
      { maxLength: max },
    )
  const calendar = fc.record({
    timeZone: fc.constantFrom(...zones),
    kind: fc.constantFrom('supervised_visit', 'supervised_handover', 'outside_visit', 'conversation'),
    anchor: fc.constantFrom(...anchors),
    fromQuarter: fc.integer({ min: 0, max: 95 }),
    lengthQuarters: fc.integer({ min: 1, max: 2 * 96 }),
    stepMinutes: fc.constantFrom(5, 15, 30, 45, 60, 1440),
    durationMinutes: fc.constantFrom(30, 60, 90, 240),
    stagger: fc.record({
      firstToArrive: fc.constantFrom('visiting' as const, 'residing' as const),
      arrivalGapMinutes: fc.integer({ min: 0, max: 4 }).map((n) => n * 15),
      departureGapMinutes: fc.integer({ min: 0, max: 4 }).map((n) => n * 15),
    }),
    parties: fc.constantFrom(
      [],
      [{ partyId: 'v', side: 'visiting' as const }],
      [
        { partyId: 'v', side: 'visiting' as const },
        { partyId: 'r', side: 'residing' as const },
      ],
    ),
    openingHours: week,
    closure: fc.option(fc.tuple(fc.integer({ min: -2, max: 3 }), fc.integer({ min: 0, max: 2 })), { nil: undefined }),
    holidayOptOuts: fc.constantFrom([], ['easter_monday', 'all_saints']),
    counsellors: fc.array(fc.record({ workingHours: week, absences: spans(2, 1), busy: spans(6) }), { minLength: 1, maxLength: 3 }),
    rooms: fc.array(
      fc.record({
        capacity: fc.integer({ min: 1, max: 3 }),
        busy: fc.array(fc.record({ span: spans(1), place: fc.integer({ min: 1, max: 3 }) }), { maxLength: 8 }),
      }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    partyBusy: spans(3),
    plannedEndIn: fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined }),
    suspension: fc.option(fc.tuple(fc.integer({ min: -1, max: 2 }), fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })), { nil: undefined }),
    agreement: fc.option(
      fc.record({
        coversKind: fc.boolean(),
        validFor: fc.option(fc.integer({ min: -1, max: 3 }), { nil: null }),
        maxVisits: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      }),
      {
        nil: null,
      },
    ),
    visitsCounted: fc.integer({ min: 0, max: 3 }),
  })

  let slotsSeen = 0
  // fast-check shrinks a failing calendar before it throws; the last mismatch seen is the small one.
  let mismatch: { listed: string[]; accepted: string[] } | undefined
  const run = () =>
    fc.assert(
      fc.property(calendar, (c) => {
        const from = localToInstant(`${c.anchor}T${hhmm(c.fromQuarter * 15)}`, c.timeZone).instant
        const to = new Date(from.getTime() + c.lengthQuarters * 900_000)
        const lo = from.getTime() - 86_400_000
        const shift = (span: Span) => ({ start: lo + span.start, end: lo + span.end })
        const dayAfter = (days: number) => DateTime.fromISO(c.anchor).plus({ days }).toISODate()!
        const outside = c.kind === 'outside_visit'
        const counsellorIds = c.counsellors.map((_, i) => id('c', i))
        const rules: BookingRules = {
          kind: c.kind,
          timeZone: c.timeZone,
          site: outside
            ? undefined
            : {
                openingHours: c.openingHours,
                closures: c.closure ? [{ from: dayAfter(c.closure[0]), to: dayAfter(c.closure[0] + c.closure[1]) }] : [],
                holidayOptOuts: c.holidayOptOuts,
              },
          counsellors: c.counsellors.map((k, i) => ({
            id: counsellorIds[i]!,
            workingHours: k.workingHours,
            absences: k.absences.map(shift).map((s) => ({ from: new Date(s.start), until: new Date(s.end) })),
          })),
          plannedEndDate: c.plannedEndIn === undefined ? null : dayAfter(c.plannedEndIn),
          suspensions: c.suspension
            ? [{ from: dayAfter(c.suspension[0]), until: c.suspension[1] === null ? null : dayAfter(c.suspension[0] + c.suspension[1]) }]
            : [],
          agreement: c.agreement && {
            kinds: c.agreement.coversKind ? [c.kind] : [],
            validUntil: c.agreement.validFor === null ? null : dayAfter(c.agreement.validFor),
            maxVisits: c.agreement.maxVisits,
          },
        }
        const question: AvailabilityInput = {
          rules,
          visitsCounted: c.visitsCounted,
          from,
          to,
          stepMinutes: c.stepMinutes,
          plan: (start) => computeStagger({ kind: c.kind, start, durationMinutes: c.durationMinutes, stagger: c.stagger, parties: [...c.parties] }),
          rooms: outside
            ? null
            : c.rooms.map((room, i) => ({
                id: id('r', i),
                capacity: room.capacity,
                busy: room.busy.flatMap((b) => b.span.map((s) => ({ ...shift(s), place: b.place }))),
              })),
          counsellorBusy: new Map(c.counsellors.map((k, i) => [counsellorIds[i]!, k.busy.map(shift)])),
          partyBusy: c.partyBusy.map(shift),
          limit: 100_000,
        }
        const listed = findFreeSlots(question)
          .slots.map((s) => `${s.start.toISOString()} ${s.roomId === null ? 'no room' : `${s.roomId}#${s.place}`} ${s.counsellorIds.join(',')}`)
          .sort()
        slotsSeen += listed.length
        const accepted = dryRunBookings(question)
        // Read a page at a time, resuming after the last slot listed, the answer is the same.
        const whole = findFreeSlots(question).slots
        const first = findFreeSlots({ ...question, limit: 3 })
        const last = first.slots[first.slots.length - 1]
        const rest = last ? findFreeSlots({ ...question, after: { start: last.start, roomId: last.roomId } }).slots : []
        const paged = JSON.stringify([...first.slots, ...rest]) === JSON.stringify(whole) && first.more === whole.length > 3
        const agree = JSON.stringify(listed) === JSON.stringify(accepted) && paged
        if (!agree) mismatch = { listed, accepted }
        return agree
      }),
      { numRuns: 120, seed: 20261206 },
    )
  t.doesNotThrow(run, 'every calendar agrees')
  if (mismatch) t.same(mismatch.listed, mismatch.accepted, 'the smallest calendar found on which they differ')
  t.ok(slotsSeen > 500, `the calendars list slots, not only empty answers (${slotsSeen})`)
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
})

t.test('localDaysAfter: local midnights, across DST', async (t) => {
  t.equal(localDaysAfter(at('2027-03-27T15:00'), 1, BRUSSELS).toISOString(), '2027-03-27T23:00:00.000Z', 'the midnight of the short day, +02:00 after it')
  t.equal(localDaysAfter(at('2027-03-27T15:00'), 2, BRUSSELS).toISOString(), '2027-03-28T22:00:00.000Z')
  t.equal(localDaysAfter(at('2027-03-27T00:00'), 0, BRUSSELS).toISOString(), '2027-03-26T23:00:00.000Z')
  // Santiago: clocks go from 24:00 to 01:00 on 5 September 2027; that day starts at 01:00.
  t.equal(localDaysAfter(new Date('2027-09-04T12:00:00Z'), 1, 'America/Santiago').toISOString(), '2027-09-05T04:00:00.000Z')
  t.throws(() => localDaysAfter(new Date(), 1, 'Nowhere/Else'), RangeError)
})
