import t from 'tap'
import { localDatesOf, overlapsDateRanges, withinWeeklyHours, type WeeklyHours } from '../../src/domain/opening-hours.js'

const BRUSSELS = 'Europe/Brussels'
const NEW_YORK = 'America/New_York'
const d = (iso: string) => new Date(iso)

const hours: WeeklyHours = {
  mon: [
    { from: '09:00', to: '12:00' },
    { from: '13:00', to: '17:00' },
  ],
  wed: [{ from: '13:00', to: '20:00' }],
  sat: [{ from: '09:00', to: '18:00' }],
}

t.test('withinWeeklyHours: inside one interval of the local day', async (t) => {
  // Monday 9 March 2026, Brussels is +01:00.
  const cases: [string, string, boolean, string][] = [
    ['2026-03-09T09:00:00+01:00', '2026-03-09T11:00:00+01:00', true, 'inside the morning'],
    ['2026-03-09T09:00:00+01:00', '2026-03-09T12:00:00+01:00', true, 'exactly the morning'],
    ['2026-03-09T13:00:00+01:00', '2026-03-09T17:00:00+01:00', true, 'exactly the afternoon'],
    ['2026-03-09T08:59:00+01:00', '2026-03-09T10:00:00+01:00', false, 'starts before opening'],
    ['2026-03-09T16:30:00+01:00', '2026-03-09T17:01:00+01:00', false, 'ends after closing'],
    ['2026-03-09T11:30:00+01:00', '2026-03-09T13:30:00+01:00', false, 'spans the lunch break'],
    ['2026-03-09T12:00:00+01:00', '2026-03-09T13:00:00+01:00', false, 'during the lunch break'],
    ['2026-03-10T10:00:00+01:00', '2026-03-10T11:00:00+01:00', false, 'Tuesday: closed'],
    ['2026-03-08T10:00:00+01:00', '2026-03-08T11:00:00+01:00', false, 'Sunday: no hours given'],
    ['2026-03-14T09:00:00+01:00', '2026-03-14T18:00:00+01:00', true, 'Saturday all day'],
    ['2026-03-09T10:00:00+01:00', '2026-03-09T10:00:00+01:00', true, 'an empty span inside'],
  ]
  for (const [from, to, expected, title] of cases) {
    t.equal(withinWeeklyHours(hours, d(from), d(to), BRUSSELS), expected, title)
  }
})

t.test('withinWeeklyHours uses local time, in summer too', async (t) => {
  // 09:00-11:00 local on Monday 1 June is 07:00-09:00Z.
  t.equal(withinWeeklyHours(hours, d('2026-06-01T07:00:00Z'), d('2026-06-01T09:00:00Z'), BRUSSELS), true)
  // 06:30Z in summer is 08:30 local: before opening.
  t.equal(withinWeeklyHours(hours, d('2026-06-01T06:30:00Z'), d('2026-06-01T08:00:00Z'), BRUSSELS), false)
})

t.test('withinWeeklyHours takes the weekday of the local date', async (t) => {
  // Saturday 20:00 in New York is Sunday 01:00Z.
  const nyHours: WeeklyHours = { sat: [{ from: '18:00', to: '22:00' }] }
  t.equal(withinWeeklyHours(nyHours, d('2026-03-08T01:00:00Z'), d('2026-03-08T02:00:00Z'), NEW_YORK), true)
  t.equal(withinWeeklyHours(nyHours, d('2026-03-08T01:00:00Z'), d('2026-03-08T02:00:00Z'), 'UTC'), false)
})

t.test('withinWeeklyHours compares wall-clock times on DST days', async (t) => {
  const night: WeeklyHours = { sun: [{ from: '01:00', to: '04:00' }] }
  // 01:30+01:00 to 03:30+02:00: one real hour, 01:30-03:30 on the wall.
  t.equal(withinWeeklyHours(night, d('2026-03-29T00:30:00Z'), d('2026-03-29T01:30:00Z'), BRUSSELS), true)
  // 03:30+02:00 to 04:30+02:00 ends after 04:00 local.
  t.equal(withinWeeklyHours(night, d('2026-03-29T01:30:00Z'), d('2026-03-29T02:30:00Z'), BRUSSELS), false)
})

t.test('withinWeeklyHours: spans crossing midnight are never inside', async (t) => {
  const allDay: WeeklyHours = { fri: [{ from: '00:00', to: '24:00' }], sat: [{ from: '00:00', to: '24:00' }] }
  t.equal(withinWeeklyHours(allDay, d('2026-03-13T23:00:00+01:00'), d('2026-03-14T01:00:00+01:00'), BRUSSELS), false)
  t.equal(withinWeeklyHours(allDay, d('2026-03-13T22:00:00+01:00'), d('2026-03-14T00:00:00+01:00'), BRUSSELS), true, 'ends at midnight')
  t.equal(withinWeeklyHours(allDay, d('2026-03-13T00:00:00+01:00'), d('2026-03-14T00:00:00+01:00'), BRUSSELS), true, 'the whole day')
  const untilTen: WeeklyHours = { fri: [{ from: '18:00', to: '22:00' }] }
  t.equal(withinWeeklyHours(untilTen, d('2026-03-13T22:00:00+01:00'), d('2026-03-14T00:00:00+01:00'), BRUSSELS), false)
})

t.test('withinWeeklyHours rejects bad input', async (t) => {
  const monday = [d('2026-03-09T09:00:00+01:00'), d('2026-03-09T10:00:00+01:00')] as const
  const bad: [WeeklyHours, RegExp][] = [
    [{ mon: [{ from: '9:00', to: '12:00' }] }, /'HH:mm'/],
    [{ mon: [{ from: '09:00', to: '12:60' }] }, /'HH:mm'/],
    [{ mon: [{ from: '24:00', to: '24:00' }] }, /'HH:mm'/],
    [{ mon: [{ from: '09:00', to: '24:01' }] }, /'HH:mm'/],
    [{ mon: [{ from: '12:00', to: '09:00' }] }, /must end after it starts/],
    [{ mon: [{ from: '09:00', to: '09:00' }] }, /must end after it starts/],
  ]
  for (const [h, message] of bad) {
    t.throws(() => withinWeeklyHours(h, ...monday, BRUSSELS), { name: 'RangeError', message }, JSON.stringify(h))
  }
  t.throws(() => withinWeeklyHours(hours, monday[1], monday[0], BRUSSELS), { name: 'RangeError', message: /spanEnd must not be before spanStart/ })
  t.throws(() => withinWeeklyHours(hours, d('x'), monday[1], BRUSSELS), { name: 'RangeError', message: /spanStart/ })
  t.throws(() => withinWeeklyHours(hours, monday[0], d('x'), BRUSSELS), { name: 'RangeError', message: /spanEnd must be a valid Date/ })
  t.throws(() => withinWeeklyHours(hours, ...monday, 'Europe/Atlantis'), { name: 'RangeError', message: /timeZone/ })
})

t.test('localDatesOf', async (t) => {
  t.same(localDatesOf(d('2026-03-09T09:00:00+01:00'), d('2026-03-09T10:00:00+01:00'), BRUSSELS), ['2026-03-09'])
  t.same(localDatesOf(d('2026-03-09T23:00:00+01:00'), d('2026-03-10T01:00:00+01:00'), BRUSSELS), ['2026-03-09', '2026-03-10'])
  t.same(localDatesOf(d('2026-03-09T22:00:00+01:00'), d('2026-03-10T00:00:00+01:00'), BRUSSELS), ['2026-03-09'], 'the end is exclusive')
  t.same(localDatesOf(d('2026-03-10T00:00:00+01:00'), d('2026-03-10T00:00:00+01:00'), BRUSSELS), ['2026-03-10'], 'an empty span')
  t.same(localDatesOf(d('2026-12-30T12:00:00+01:00'), d('2027-01-02T12:00:00+01:00'), BRUSSELS), ['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02'])
  // 23:30Z on 23 December is already the 24th in Brussels, still the 23rd in New York.
  t.same(localDatesOf(d('2026-12-23T23:30:00Z'), d('2026-12-24T00:30:00Z'), BRUSSELS), ['2026-12-24'])
  t.same(localDatesOf(d('2026-12-23T23:30:00Z'), d('2026-12-24T00:30:00Z'), NEW_YORK), ['2026-12-23'])
  // The 23-hour and 25-hour days.
  t.same(localDatesOf(d('2026-03-28T23:00:00Z'), d('2026-03-29T22:00:00Z'), BRUSSELS), ['2026-03-29'])
  t.same(localDatesOf(d('2026-10-24T22:00:00Z'), d('2026-10-25T23:00:00Z'), BRUSSELS), ['2026-10-25'])
  t.throws(() => localDatesOf(d('2026-03-10T00:00:00Z'), d('2026-03-09T00:00:00Z'), BRUSSELS), { name: 'RangeError' })
})

t.test('overlapsDateRanges', async (t) => {
  const closures = [
    { from: '2026-12-24', to: '2026-12-26' },
    { from: '2026-07-21', to: '2026-07-21' },
  ]
  const cases: [string, string, boolean, string][] = [
    ['2026-12-24T10:00:00+01:00', '2026-12-24T11:00:00+01:00', true, 'inside the first range'],
    ['2026-12-26T10:00:00+01:00', '2026-12-26T11:00:00+01:00', true, 'on the last day (inclusive)'],
    ['2026-12-23T10:00:00+01:00', '2026-12-23T11:00:00+01:00', false, 'the day before'],
    ['2026-12-27T10:00:00+01:00', '2026-12-27T11:00:00+01:00', false, 'the day after'],
    ['2026-12-23T23:00:00+01:00', '2026-12-24T01:00:00+01:00', true, 'crosses midnight into the range'],
    ['2026-12-23T22:00:00+01:00', '2026-12-24T00:00:00+01:00', false, 'ends exactly at midnight before the range'],
    ['2026-07-21T10:00:00+02:00', '2026-07-21T11:00:00+02:00', true, 'a one-day range'],
    ['2026-12-24T00:30:00+01:00', '2026-12-24T01:00:00+01:00', true, 'local date, not the UTC date (23 December 23:30Z)'],
  ]
  for (const [from, to, expected, title] of cases) {
    t.equal(overlapsDateRanges(closures, d(from), d(to), BRUSSELS), expected, title)
  }
  t.equal(overlapsDateRanges([], d('2026-12-24T10:00:00Z'), d('2026-12-24T11:00:00Z'), BRUSSELS), false, 'no ranges')
  t.throws(() => overlapsDateRanges([{ from: '2026-12-24', to: '2026-12-32' }], d('2026-12-24T10:00:00Z'), d('2026-12-24T11:00:00Z'), BRUSSELS), {
    name: 'RangeError',
    message: /calendar dates 'YYYY-MM-DD'/,
  })
  t.throws(() => overlapsDateRanges([{ from: '24-12-2026', to: '2026-12-26' }], d('2026-12-24T10:00:00Z'), d('2026-12-24T11:00:00Z'), BRUSSELS), {
    name: 'RangeError',
  })
  t.throws(() => overlapsDateRanges([{ from: '2026-12-26', to: '2026-12-24' }], d('2026-12-24T10:00:00Z'), d('2026-12-24T11:00:00Z'), BRUSSELS), {
    name: 'RangeError',
    message: /must not end before it starts/,
  })
})
