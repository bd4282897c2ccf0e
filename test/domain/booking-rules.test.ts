import t from 'tap'
import { checkSlot, type BookingReason, type BookingRules, type Slot } from '../../src/domain/booking-rules.js'
import { localToInstant } from '../../src/domain/recurrence.js'
import { computeStagger } from '../../src/domain/stagger.js'
import type { WeeklyHours } from '../../src/domain/opening-hours.js'

const BRUSSELS = 'Europe/Brussels'
const MINUTE_MS = 60_000

/** A local wall time in Brussels as an instant. */
const at = (local: string) => localToInstant(local, BRUSSELS).instant
const plus = (date: Date, minutes: number) => new Date(date.getTime() + minutes * MINUTE_MS)

/** A contact at a local time with `before`/`after` minutes of staggering around it. */
function slot(local: string, durationMinutes = 90, before = 15, after = 15): Slot {
  const start = at(local)
  const end = plus(start, durationMinutes)
  return { start, end, spanStart: plus(start, -before), spanEnd: plus(end, after) }
}

/** A slot given by explicit instants (RFC 3339 with offset). */
function spanSlot(start: string, end: string, spanStart = start, spanEnd = end): Slot {
  return { start: new Date(start), end: new Date(end), spanStart: new Date(spanStart), spanEnd: new Date(spanEnd) }
}

const weekdays = [
  { from: '09:00', to: '12:00' },
  { from: '13:00', to: '18:00' },
]
const openingHours: WeeklyHours = {
  mon: weekdays,
  tue: weekdays,
  wed: weekdays,
  thu: weekdays,
  fri: weekdays,
  sat: [{ from: '09:00', to: '18:00' }],
  sun: [{ from: '10:00', to: '17:00' }],
}
const allWeek = [{ from: '00:00', to: '24:00' }]
const alwaysOpen: WeeklyHours = { mon: allWeek, tue: allWeek, wed: allWeek, thu: allWeek, fri: allWeek, sat: allWeek, sun: allWeek }
const workingHours: WeeklyHours = {
  mon: [{ from: '08:00', to: '20:00' }],
  tue: [{ from: '08:00', to: '20:00' }],
  wed: [{ from: '08:00', to: '20:00' }],
  thu: [{ from: '08:00', to: '20:00' }],
  fri: [{ from: '08:00', to: '20:00' }],
  sat: [{ from: '08:00', to: '19:00' }],
  sun: [{ from: '09:00', to: '18:00' }],
}

const COUNSELLOR = '0193a5b2-7c1e-7d3a-9f10-000000000001'
const OTHER_COUNSELLOR = '0193a5b2-7c1e-7d3a-9f10-000000000002'

/** Rules under which a Saturday 7 March 2026 10:00–11:30 visit is clean; each test changes one thing. */
function rules(overrides: Partial<BookingRules> = {}): BookingRules {
  return {
    kind: 'supervised_visit',
    timeZone: BRUSSELS,
    site: { openingHours, closures: [], holidayOptOuts: [] },
    counsellors: [{ id: COUNSELLOR, workingHours, absences: [] }],
    plannedEndDate: '2026-09-30',
    suspensions: [],
    agreement: { kinds: ['supervised_visit', 'supervised_handover'], validUntil: '2026-09-30', maxVisits: 12 },
    ...overrides,
  }
}
const withSite = (site: Partial<NonNullable<BookingRules['site']>>) => rules({ site: { openingHours, closures: [], holidayOptOuts: [], ...site } })

const codes = (reasons: BookingReason[]) => reasons.map((r) => r.code)

const CLEAN = '2026-03-07T10:00' // Saturday, +01:00

t.test('a slot that breaks no rule gives []', async (t) => {
  t.same(checkSlot(rules(), slot(CLEAN), 0), [])
  t.same(checkSlot(rules(), slot(CLEAN), 11), [], 'one visit left under maxVisits')
  t.same(
    checkSlot(rules({ plannedEndDate: null, agreement: { kinds: ['supervised_visit'], validUntil: null, maxVisits: null } }), slot(CLEAN), 1000),
    [],
    'no planned end, unlimited agreement',
  )
  t.same(checkSlot(rules({ plannedEndDate: undefined }), slot(CLEAN), 0), [], 'planned end absent')
  t.same(checkSlot(rules({ counsellors: [] }), slot(CLEAN), 0), [], 'no counsellors to check')
  // A staggered visit built by computeStagger: span 09:45–11:45, inside Saturday 09:00–18:00.
  const visit = computeStagger({
    kind: 'supervised_visit',
    start: at(CLEAN),
    durationMinutes: 90,
    stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 },
    parties: [
      { partyId: 'v', side: 'visiting' },
      { partyId: 'r', side: 'residing' },
    ],
  })
  t.same(checkSlot(rules(), visit, 0), [], 'a computeStagger span')
})

t.test('after_planned_end: the planned end date is inclusive, in local time', async (t) => {
  const r = rules({ plannedEndDate: '2026-03-07' })
  t.same(checkSlot(r, slot(CLEAN), 0), [], 'on the planned end date itself')
  const after = checkSlot(r, slot('2026-03-14T10:00'), 0)
  t.same(codes(after), ['after_planned_end'])
  t.match(after[0]!.detail, /2026-03-07/)
  t.notOk(codes(checkSlot(r, slot('2026-03-07T23:45', 10, 0, 0), 0)).includes('after_planned_end'), '23:45 local on the end date is still on it')
  // 00:30 local on 8 March is 23:30Z on 7 March: the local date decides, not the UTC one.
  t.equal(at('2026-03-08T00:30').toISOString(), '2026-03-07T23:30:00.000Z')
  t.ok(codes(checkSlot(r, slot('2026-03-08T00:30', 30, 0, 0), 0)).includes('after_planned_end'), '00:30 local the day after')
  t.same(
    codes(checkSlot(rules({ plannedEndDate: null }), slot('2030-01-05T10:00'), 0)).filter((c) => c === 'after_planned_end'),
    [],
    'no planned end: no limit',
  )
})

t.test('case_suspended: open-ended and bounded suspensions, until exclusive', async (t) => {
  const openEnded = rules({ suspensions: [{ from: '2026-03-10', until: null }] })
  t.same(checkSlot(openEnded, slot(CLEAN), 0), [], 'before the suspension')
  const inside = checkSlot(openEnded, slot('2026-03-14T10:00'), 0)
  t.same(codes(inside), ['case_suspended'])
  t.equal(inside[0]!.detail, 'the case is suspended from 2026-03-10', 'an open-ended suspension names no end')
  t.same(
    codes(checkSlot(rules({ plannedEndDate: null, agreement: null, suspensions: [{ from: '2026-03-10', until: null }] }), slot('2027-03-13T10:00'), 0)),
    ['case_suspended'],
    'an open-ended suspension lasts until resumed',
  )
  t.same(codes(checkSlot(rules({ suspensions: [{ from: '2026-03-07', until: null }] }), slot(CLEAN), 0)), ['case_suspended'], 'from is inclusive')

  const bounded = rules({ suspensions: [{ from: '2026-03-09', until: '2026-03-14' }] })
  t.same(checkSlot(bounded, slot(CLEAN), 0), [], 'the Saturday before')
  const friday = checkSlot(bounded, slot('2026-03-13T10:00'), 0)
  t.same(codes(friday), ['case_suspended'], 'the last day inside')
  t.equal(friday[0]!.detail, 'the case is suspended from 2026-03-09 until 2026-03-14')
  t.same(checkSlot(bounded, slot('2026-03-14T10:00'), 0), [], 'until is exclusive: bookable again on that date')
  // 00:30 local on Monday 9 March is 23:30Z on Sunday: inside, by the local date.
  const lateNight = rules({ site: undefined, counsellors: [], suspensions: [{ from: '2026-03-09', until: '2026-03-14' }] })
  t.same(codes(checkSlot(lateNight, slot('2026-03-09T00:30', 30, 0, 0), 0)), ['case_suspended'])
  t.same(codes(checkSlot(lateNight, slot('2026-03-08T23:30', 30, 0, 0), 0)), [], 'the local evening before')

  const several = rules({
    suspensions: [
      { from: '2026-01-01', until: '2026-02-01' },
      { from: '2026-03-01', until: '2026-04-01' },
    ],
  })
  const second = checkSlot(several, slot(CLEAN), 0)
  t.same(codes(second), ['case_suspended'], 'any suspension blocks')
  t.match(second[0]!.detail, /from 2026-03-01 until 2026-04-01/, 'and the detail names the one that does')
  t.same(checkSlot(several, slot('2026-02-07T10:00'), 0), [], 'between two suspensions')
})

t.test('not_covered_by_agreement: kind, validUntil and maxVisits, each its own reason', async (t) => {
  const outside = checkSlot(rules({ kind: 'outside_visit', site: undefined }), slot(CLEAN), 0)
  t.same(codes(outside), ['not_covered_by_agreement'])
  t.equal(outside[0]!.detail, 'the agreement allows supervised_visit, supervised_handover, not outside_visit')
  t.same(checkSlot(rules({ kind: 'supervised_handover' }), slot(CLEAN, 15), 0), [], 'another allowed kind')
  const none = checkSlot(rules({ agreement: { kinds: [], validUntil: null, maxVisits: null } }), slot(CLEAN), 0)
  t.equal(none[0]!.detail, 'the agreement allows no visit kinds, not supervised_visit')

  const validUntil = rules({ agreement: { kinds: ['supervised_visit'], validUntil: '2026-03-07', maxVisits: null } })
  t.same(checkSlot(validUntil, slot(CLEAN), 0), [], 'validUntil is inclusive')
  const expired = checkSlot(validUntil, slot('2026-03-14T10:00'), 0)
  t.same(codes(expired), ['not_covered_by_agreement'])
  t.equal(expired[0]!.detail, 'the agreement is valid until 2026-03-07')
  t.same(
    checkSlot(rules({ agreement: { kinds: ['supervised_visit'], validUntil: null, maxVisits: null } }), slot('2026-09-26T10:00'), 0),
    [],
    'no validUntil: no limit',
  )

  const max3 = rules({ agreement: { kinds: ['supervised_visit'], validUntil: null, maxVisits: 3 } })
  t.same(checkSlot(max3, slot(CLEAN), 0), [])
  t.same(checkSlot(max3, slot(CLEAN), 2), [], 'the third visit fits')
  const fourth = checkSlot(max3, slot(CLEAN), 3)
  t.same(codes(fourth), ['not_covered_by_agreement'], 'the fourth does not')
  t.equal(fourth[0]!.detail, 'the agreement allows 3 visits and 3 are booked or held')
  t.same(codes(checkSlot(max3, slot(CLEAN), 7)), ['not_covered_by_agreement'], 'nor anything past it')
  t.same(
    codes(checkSlot(rules({ agreement: { kinds: ['supervised_visit'], validUntil: null, maxVisits: 0 } }), slot(CLEAN), 0)),
    ['not_covered_by_agreement'],
    'maxVisits 0 allows none',
  )

  const all = checkSlot(rules({ kind: 'conversation', agreement: { kinds: ['supervised_visit'], validUntil: '2026-03-01', maxVisits: 1 } }), slot(CLEAN), 1)
  t.same(codes(all), ['not_covered_by_agreement', 'not_covered_by_agreement', 'not_covered_by_agreement'], 'all three at once')
  t.match(
    all.map((r) => r.detail),
    [/not conversation/, /valid until 2026-03-01/, /allows 1 visits/],
  )
})

t.test('agreement: null skips every agreement rule (an intake conversation)', async (t) => {
  const intake = rules({ kind: 'conversation', agreement: null })
  t.same(checkSlot(intake, slot(CLEAN, 60, 0, 0), 0), [])
  t.same(checkSlot(intake, slot(CLEAN, 60, 0, 0), 10_000), [], 'however many visits were counted')
  // The other rules still apply.
  t.same(codes(checkSlot(rules({ kind: 'conversation', agreement: null, plannedEndDate: '2026-03-01' }), slot(CLEAN), 0)), ['after_planned_end'])
})

t.test('site_closed: closures, inclusive, in local dates', async (t) => {
  const closed = withSite({ closures: [{ from: '2026-03-07', to: '2026-03-08', reason: 'Renovatie' }] })
  const reasons = checkSlot(closed, slot(CLEAN), 0)
  t.same(codes(reasons), ['site_closed'])
  t.equal(reasons[0]!.detail, 'the site is closed 2026-03-07–2026-03-08 (Renovatie)')
  t.same(codes(checkSlot(closed, slot('2026-03-08T11:00'), 0)), ['site_closed'], 'the last day is inclusive')
  t.same(checkSlot(closed, slot('2026-03-09T10:00'), 0), [], 'the day after')
  t.same(checkSlot(closed, slot('2026-03-06T10:00'), 0), [], 'the day before')

  const noReason = checkSlot(withSite({ closures: [{ from: '2026-03-07', to: '2026-03-07' }] }), slot(CLEAN), 0)
  t.equal(noReason[0]!.detail, 'the site is closed 2026-03-07–2026-03-07', 'no reason, no parentheses')

  const several = withSite({
    closures: [
      { from: '2026-01-01', to: '2026-01-02' },
      { from: '2026-03-06', to: '2026-03-07', reason: 'Teambuilding' },
    ],
  })
  t.match(checkSlot(several, slot(CLEAN), 0), [{ code: 'site_closed', detail: /Teambuilding/ }], 'the closure that applies is named')

  // A late span touches the next local date only when it ends after midnight (half-open span).
  const lateSite = withSite({ openingHours: alwaysOpen, closures: [{ from: '2026-03-10', to: '2026-03-10' }] })
  const late = rules({ ...lateSite, counsellors: [] })
  t.same(checkSlot(late, spanSlot('2026-03-09T22:00:00+01:00', '2026-03-10T00:00:00+01:00'), 0), [], 'ending at midnight does not touch the closed day')
  t.ok(
    codes(
      checkSlot(late, spanSlot('2026-03-09T22:00:00+01:00', '2026-03-09T23:30:00+01:00', '2026-03-09T22:00:00+01:00', '2026-03-10T00:15:00+01:00'), 0),
    ).includes('site_closed'),
    'a staggered departure into the closed day does',
  )
})

t.test('site_closed: Belgian public holidays, Easter-based ones included, with a centre opt-out', async (t) => {
  // Easter Sunday 2026 is 5 April; Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May.
  const site = withSite({ openingHours: alwaysOpen })
  const easterMonday = checkSlot(site, slot('2026-04-06T10:00'), 0)
  t.same(codes(easterMonday), ['site_closed'])
  t.equal(easterMonday[0]!.detail, '2026-04-06 is a public holiday (Easter Monday)')
  t.same(checkSlot(site, slot('2026-04-07T10:00'), 0), [], 'the Tuesday after is an ordinary day')
  for (const [date, name] of [
    ['2026-01-01', "New Year's Day"],
    ['2026-04-05', 'Easter Sunday'],
    ['2026-05-01', 'Labour Day'],
    ['2026-05-14', 'Ascension Day'],
    ['2026-05-24', 'Whit Sunday'],
    ['2026-05-25', 'Whit Monday'],
    ['2026-07-21', 'National Day'],
    ['2026-08-15', 'Assumption Day'],
    ['2026-11-01', "All Saints' Day"],
    ['2026-11-11', 'Armistice Day'],
    ['2026-12-25', 'Christmas Day'],
    ['2027-03-29', 'Easter Monday'],
  ] as const) {
    const reasons = checkSlot(rules({ ...site, plannedEndDate: null, agreement: null, counsellors: [] }), slot(`${date}T10:00`), 0)
    t.same(reasons, [{ code: 'site_closed', detail: `${date} is a public holiday (${name})` }], `${date}: ${name}`)
  }

  const optedOut = withSite({ openingHours: alwaysOpen, holidayOptOuts: ['easter_monday'] })
  t.same(checkSlot(optedOut, slot('2026-04-06T10:00'), 0), [], 'a centre that opted out of Easter Monday stays open then')
  t.same(codes(checkSlot(optedOut, slot('2026-05-25T10:00'), 0)), ['site_closed'], 'but not on Whit Monday')
  t.same(
    codes(checkSlot(withSite({ openingHours: alwaysOpen, holidayOptOuts: ['armistice', 'not_a_holiday'] }), slot('2026-04-06T10:00'), 0)),
    ['site_closed'],
    'other (and unknown) opt-outs do not matter',
  )

  // Holidays by local date: 23:30 local on 24 December is 22:30Z; a span into 25 December touches Christmas.
  const eve = rules({ ...site, counsellors: [], plannedEndDate: null, agreement: null })
  t.same(checkSlot(eve, spanSlot('2026-12-24T22:00:00+01:00', '2026-12-25T00:00:00+01:00'), 0), [], 'ending at midnight on Christmas Eve')
  const intoChristmas = checkSlot(eve, spanSlot('2026-12-24T23:00:00+01:00', '2026-12-25T00:30:00+01:00'), 0)
  t.same(
    intoChristmas.map((r) => r.detail).filter((d) => d.includes('holiday')),
    ['2026-12-25 is a public holiday (Christmas Day)'],
  )
  t.ok(codes(intoChristmas).includes('outside_opening_hours'), 'and a span across midnight is never inside opening hours')

  // A holiday inside a closure: both are reported.
  const both = checkSlot(
    withSite({ openingHours: alwaysOpen, closures: [{ from: '2026-04-01', to: '2026-04-10', reason: 'Paasverlof' }] }),
    slot('2026-04-06T10:00'),
    0,
  )
  t.same(codes(both), ['site_closed', 'site_closed'])
})

t.test('outside_opening_hours: the whole staggered span must fit in one interval', async (t) => {
  // Monday 9 March 2026: 09:00–12:00 and 13:00–18:00.
  t.same(checkSlot(rules(), slot('2026-03-09T09:15'), 0), [], 'span 09:00–11:00')
  t.same(checkSlot(rules(), slot('2026-03-09T09:00', 180, 0, 0), 0), [], 'exactly the morning interval')
  const early = checkSlot(rules(), slot('2026-03-09T09:00'), 0)
  t.same(codes(early), ['outside_opening_hours'], 'the contact is inside but the arrival gap starts at 08:45')
  t.equal(early[0]!.detail, "outside the site's opening hours")
  t.same(codes(checkSlot(rules(), slot('2026-03-09T10:30'), 0)), ['outside_opening_hours'], 'the contact ends at 12:00 but the departure gap runs to 12:15')
  t.same(checkSlot(rules(), slot('2026-03-09T10:15', 90, 15, 0), 0), [], 'span 10:00–12:00 ends exactly at the edge')
  t.same(codes(checkSlot(rules(), slot('2026-03-09T11:30', 60, 0, 0), 0)), ['outside_opening_hours'], 'across the lunch break')
  t.same(codes(checkSlot(rules(), slot('2026-03-09T12:15', 30, 0, 0), 0)), ['outside_opening_hours'], 'inside the lunch break')
  t.same(codes(checkSlot(rules(), slot('2026-03-09T16:45'), 0)), ['outside_opening_hours'], 'past closing')
  t.same(checkSlot(rules(), slot('2026-03-09T16:15'), 0), [], 'span 16:00–18:00')
  const closedDay = withSite({ openingHours: { ...openingHours, wed: [] } })
  t.same(codes(checkSlot(closedDay, slot('2026-03-11T10:00'), 0)), ['outside_opening_hours'], 'a day without hours')
  const { sun: _sunday, ...noSunday } = openingHours
  t.same(codes(checkSlot(withSite({ openingHours: noSunday }), slot('2026-03-08T11:00'), 0)), ['outside_opening_hours'], 'a day not listed')
})

t.test('counsellor_absent: working hours and absences, per counsellor', async (t) => {
  const early = checkSlot(withSite({ openingHours: alwaysOpen }), slot('2026-03-09T07:30'), 0)
  t.same(early, [{ code: 'counsellor_absent', resourceId: COUNSELLOR, detail: "outside the counsellor's working hours" }], 'before 08:00')
  t.same(codes(checkSlot(withSite({ openingHours: alwaysOpen }), slot('2026-03-07T17:45'), 0)), ['counsellor_absent'], 'Saturday span ends 19:30 > 19:00')
  t.same(checkSlot(withSite({ openingHours: alwaysOpen }), slot('2026-03-07T17:15'), 0), [], 'Saturday span ends at 19:00 exactly')
  const noHours = rules({ counsellors: [{ id: COUNSELLOR, workingHours: {}, absences: [] }] })
  t.same(codes(checkSlot(noHours, slot(CLEAN), 0)), ['counsellor_absent'], 'a counsellor without working hours is never available')

  const absence = { from: at('2026-03-07T00:00'), until: at('2026-03-08T00:00') }
  const away = rules({ counsellors: [{ id: COUNSELLOR, workingHours, absences: [absence] }] })
  t.same(checkSlot(away, slot(CLEAN), 0), [{ code: 'counsellor_absent', resourceId: COUNSELLOR, detail: 'the counsellor is absent' }])
  t.same(checkSlot(away, slot('2026-03-08T10:30'), 0), [], 'absence until is exclusive')
  const adjacent = rules({ counsellors: [{ id: COUNSELLOR, workingHours, absences: [{ from: at('2026-03-07T08:00'), until: at('2026-03-07T09:45') }] }] })
  t.same(checkSlot(adjacent, slot(CLEAN), 0), [], 'an absence ending when the span starts')
  const overlapsGap = rules({ counsellors: [{ id: COUNSELLOR, workingHours, absences: [{ from: at('2026-03-07T11:40'), until: at('2026-03-07T13:00') }] }] })
  t.same(codes(checkSlot(overlapsGap, slot(CLEAN), 0)), ['counsellor_absent'], 'an absence overlapping only the departure gap')

  const two = rules({
    site: { openingHours: alwaysOpen, closures: [], holidayOptOuts: [] },
    counsellors: [
      { id: COUNSELLOR, workingHours, absences: [] },
      { id: OTHER_COUNSELLOR, workingHours: { sat: [{ from: '12:00', to: '18:00' }] }, absences: [absence] },
    ],
  })
  t.same(
    checkSlot(two, slot(CLEAN), 0),
    [
      { code: 'counsellor_absent', resourceId: OTHER_COUNSELLOR, detail: "outside the counsellor's working hours" },
      { code: 'counsellor_absent', resourceId: OTHER_COUNSELLOR, detail: 'the counsellor is absent' },
    ],
    'each reason names the counsellor; the available one is not named',
  )
})

t.test('an outside visit (no site) skips the site rules but not the others', async (t) => {
  const outside = rules({
    kind: 'outside_visit',
    site: undefined,
    agreement: { kinds: ['outside_visit'], validUntil: null, maxVisits: null },
  })
  // Easter Monday at midday: a public holiday, within the counsellor's hours.
  t.same(checkSlot(outside, slot('2026-04-06T12:30'), 0), [], 'a public holiday does not close the world outside')
  t.same(checkSlot(outside, slot('2026-03-09T12:00', 60, 0, 0), 0), [], 'nor do site hours (Monday lunch break)')
  t.same(codes(checkSlot(outside, slot('2026-03-09T07:00'), 0)), ['counsellor_absent'], 'counsellor hours still apply')
  t.same(codes(checkSlot({ ...outside, plannedEndDate: '2026-03-01' }, slot(CLEAN), 0)), ['after_planned_end'], 'case rules still apply')
})

t.test('every rule at once, in a stable order', async (t) => {
  const everything = rules({
    kind: 'conversation',
    plannedEndDate: '2026-03-31',
    suspensions: [{ from: '2026-04-01', until: null }],
    agreement: { kinds: ['supervised_visit'], validUntil: '2026-03-31', maxVisits: 1 },
    site: { openingHours, closures: [{ from: '2026-04-06', to: '2026-04-06' }], holidayOptOuts: [] },
    counsellors: [{ id: COUNSELLOR, workingHours, absences: [{ from: at('2026-04-06T00:00'), until: at('2026-04-07T00:00') }] }],
  })
  t.same(codes(checkSlot(everything, slot('2026-04-06T07:00'), 1)), [
    'after_planned_end',
    'case_suspended',
    'not_covered_by_agreement',
    'not_covered_by_agreement',
    'not_covered_by_agreement',
    'site_closed',
    'site_closed',
    'outside_opening_hours',
    'counsellor_absent',
    'counsellor_absent',
  ])
})

t.test('DST weeks in Europe/Brussels: the rules read local wall time', async (t) => {
  // Spring: Sunday 29 March 2026, 02:00 → 03:00. Saturday 28 March is +01:00, Sunday 29 +02:00.
  const before = slot('2026-03-28T10:00')
  const after = slot('2026-03-29T10:00')
  t.equal(before.start.toISOString(), '2026-03-28T09:00:00.000Z')
  t.equal(after.start.toISOString(), '2026-03-29T08:00:00.000Z')
  t.same(checkSlot(rules(), before, 0), [], 'Saturday 10:00 +01:00')
  t.same(codes(checkSlot(rules(), after, 0)), ['outside_opening_hours'], 'Sunday 10:00 +02:00: the arrival gap starts at 09:45 local, before 10:00')
  t.same(checkSlot(rules(), slot('2026-03-29T10:15'), 0), [], 'Sunday span 10:00–12:00 local, 08:00–10:00Z')
  t.same(codes(checkSlot(rules(), slot('2026-03-29T09:15'), 0)), ['outside_opening_hours'], 'Sunday span from 09:00 local (07:00Z)')
  t.same(checkSlot(rules(), slot('2026-03-30T09:15'), 0), [], 'Monday after: 09:00 local is 07:00Z, open')
  t.same(codes(checkSlot(rules(), slot('2026-03-30T08:15'), 0)), ['outside_opening_hours'], 'Monday after: span from 08:00 local (06:00Z)')

  // A span across the gap: 01:30+01:00 to 03:30+02:00 is one real hour, 01:30–03:30 on the wall.
  const night = rules({ site: { openingHours: { sun: [{ from: '01:00', to: '03:30' }] }, closures: [], holidayOptOuts: [] }, counsellors: [] })
  t.same(checkSlot(night, spanSlot('2026-03-29T01:30:00+01:00', '2026-03-29T03:30:00+02:00'), 0), [], 'wall-clock 01:30–03:30 fits 01:00–03:30')
  t.same(codes(checkSlot(night, spanSlot('2026-03-29T01:30:00+01:00', '2026-03-29T03:45:00+02:00'), 0)), ['outside_opening_hours'])

  // Autumn: Sunday 25 October 2026, 03:00 → 02:00.
  t.same(checkSlot(rules({ plannedEndDate: null, agreement: null }), slot('2026-10-24T10:15'), 0), [], 'Saturday before, +02:00')
  const autumn = slot('2026-10-25T10:15')
  t.equal(autumn.spanStart.toISOString(), '2026-10-25T09:00:00.000Z', '10:00 local is +01:00 after the change')
  t.same(checkSlot(rules({ plannedEndDate: null, agreement: null }), autumn, 0), [])
  t.same(codes(checkSlot(rules({ plannedEndDate: null, agreement: null }), slot('2026-10-25T09:45'), 0)), ['outside_opening_hours'], '09:30 local Sunday')
  // 02:15 (first, +02:00) to 02:45 (second, +01:00): 90 real minutes, 02:15–02:45 on the wall.
  const fold = rules({
    plannedEndDate: null,
    agreement: null,
    site: { openingHours: { sun: [{ from: '02:00', to: '03:00' }] }, closures: [], holidayOptOuts: [] },
    counsellors: [],
  })
  t.same(checkSlot(fold, spanSlot('2026-10-25T02:15:00+02:00', '2026-10-25T02:45:00+01:00'), 0), [], 'a span inside the repeated hour')

  // Dates around a DST change are local dates: planned end, suspension, closure, absence.
  const edges = rules({
    plannedEndDate: '2026-03-29',
    suspensions: [{ from: '2026-03-30', until: null }],
    site: { openingHours: alwaysOpen, closures: [{ from: '2026-03-29', to: '2026-03-29' }], holidayOptOuts: [] },
    counsellors: [],
  })
  t.same(codes(checkSlot(edges, slot('2026-03-29T23:30', 20, 0, 0), 0)), ['site_closed'], '23:30 +02:00 on the 29th is still the 29th')
  t.same(
    codes(checkSlot(edges, slot('2026-03-30T00:30', 20, 0, 0), 0)),
    ['after_planned_end', 'case_suspended'],
    '00:30 +02:00 on the 30th (22:30Z on the 29th)',
  )
  t.same(checkSlot(edges, slot('2026-03-28T23:30', 20, 0, 0), 0), [], '23:30 +01:00 on the 28th')
})
