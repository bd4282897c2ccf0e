import t from 'tap'
import { belgianHolidays, easterSunday, HOLIDAY_NAMES, holidayOn, type HolidayCode } from '../../src/domain/belgian-holidays.js'

const DAY_MS = 86_400_000
const plusDays = (date: string, days: number) => new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10)
const weekday = (date: string) => new Date(Date.parse(date)).getUTCDay()

const KNOWN_EASTERS: Record<number, string> = {
  2019: '2019-04-21',
  2020: '2020-04-12',
  2021: '2021-04-04',
  2022: '2022-04-17',
  2023: '2023-04-09',
  2024: '2024-03-31',
  2025: '2025-04-20',
  2026: '2026-04-05',
  2027: '2027-03-28',
  2028: '2028-04-16',
  2029: '2029-04-01',
  2030: '2030-04-21',
  // The extremes of the Gregorian range (22 March and 25 April).
  1818: '1818-03-22',
  1943: '1943-04-25',
  2038: '2038-04-25',
  2285: '2285-03-22',
  // First Gregorian year and the last one we accept.
  1583: '1583-04-10',
  2000: '2000-04-23',
}

t.test('easterSunday matches known dates', async (t) => {
  for (const [year, date] of Object.entries(KNOWN_EASTERS)) {
    t.equal(easterSunday(Number(year)), date, year)
  }
})

t.test('easterSunday is always a Sunday between 22 March and 25 April', async (t) => {
  for (let year = 1900; year <= 2200; year++) {
    const easter = easterSunday(year)
    t.equal(weekday(easter), 0, `${year} Sunday`)
    t.ok(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25', `${year} in range`)
  }
})

t.test('the holidays of 2026', async (t) => {
  t.same(
    belgianHolidays(2026).map((h) => [h.date, h.code]),
    [
      ['2026-01-01', 'new_year'],
      ['2026-04-05', 'easter_sunday'],
      ['2026-04-06', 'easter_monday'],
      ['2026-05-01', 'labour_day'],
      ['2026-05-14', 'ascension'],
      ['2026-05-24', 'whit_sunday'],
      ['2026-05-25', 'whit_monday'],
      ['2026-07-21', 'national_day'],
      ['2026-08-15', 'assumption'],
      ['2026-11-01', 'all_saints'],
      ['2026-11-11', 'armistice'],
      ['2026-12-25', 'christmas'],
    ],
  )
  t.same(belgianHolidays(2026)[7]!.names, { nl: 'Nationale feestdag', fr: 'Fête nationale', en: 'National Day' })
})

t.test('movable feasts follow Easter: Monday +1, Ascension +39, Whit Sunday +49, Whit Monday +50', async (t) => {
  for (let year = 2019; year <= 2030; year++) {
    const easter = easterSunday(year)
    const byCode = new Map(belgianHolidays(year).map((h) => [h.code, h.date]))
    t.equal(byCode.get('easter_sunday'), easter)
    t.equal(byCode.get('easter_monday'), plusDays(easter, 1))
    t.equal(byCode.get('ascension'), plusDays(easter, 39))
    t.equal(weekday(byCode.get('ascension')!), 4, `${year}: Ascension is a Thursday`)
    t.equal(byCode.get('whit_sunday'), plusDays(easter, 49))
    t.equal(byCode.get('whit_monday'), plusDays(easter, 50))
    t.equal(weekday(byCode.get('whit_monday')!), 1, `${year}: Whit Monday is a Monday`)
  }
  t.equal(belgianHolidays(2024).find((h) => h.code === 'ascension')?.date, '2024-05-09')
  t.equal(belgianHolidays(2025).find((h) => h.code === 'whit_monday')?.date, '2025-06-09')
})

t.test('every year has twelve holidays, sorted by date, each with three names', async (t) => {
  for (let year = 2019; year <= 2030; year++) {
    const holidays = belgianHolidays(year)
    t.equal(holidays.length, 12)
    t.same(
      holidays.map((h) => h.date),
      holidays.map((h) => h.date).sort(),
    )
    t.equal(new Set(holidays.map((h) => h.code)).size, 12)
    t.ok(holidays.every((h) => h.date.startsWith(`${year}-`) && h.names.nl && h.names.fr && h.names.en))
  }
})

t.test('two holidays on one date: Ascension on Labour Day in 2008', async (t) => {
  const onMayDay = belgianHolidays(2008).filter((h) => h.date === '2008-05-01')
  t.same(
    onMayDay.map((h) => h.code),
    ['labour_day', 'ascension'],
  )
  t.equal(holidayOn('2008-05-01')?.code, 'labour_day')
  t.equal(holidayOn('2008-05-01', ['labour_day'])?.code, 'ascension')
  t.equal(holidayOn('2008-05-01', ['labour_day', 'ascension']), undefined)
})

t.test('holidayOn', async (t) => {
  t.same(holidayOn('2026-07-21'), { code: 'national_day', names: HOLIDAY_NAMES.national_day })
  t.same(holidayOn('2026-05-14')?.names, { nl: 'Onze-Lieve-Heer-Hemelvaart', fr: 'Ascension', en: 'Ascension Day' })
  t.equal(holidayOn('2026-07-22'), undefined)
  t.equal(holidayOn('2026-04-06')?.code, 'easter_monday')
  t.equal(holidayOn('2026-12-25', ['christmas']), undefined)
  t.equal(holidayOn('2026-12-25', ['new_year'] as HolidayCode[])?.code, 'christmas')
  t.equal(holidayOn('2027-03-29')?.code, 'easter_monday')
})

t.test('returned names are copies', async (t) => {
  const first = holidayOn('2026-12-25')!
  first.names.en = 'changed'
  t.equal(holidayOn('2026-12-25')?.names.en, 'Christmas Day')
  t.equal(HOLIDAY_NAMES.christmas.en, 'Christmas Day')
})

t.test('invalid input is a RangeError', async (t) => {
  for (const date of ['2026-02-30', '2026-13-01', '26-12-25', '2026-12-25T00:00', '', '1500-01-01']) {
    t.throws(() => holidayOn(date), { name: 'RangeError' }, date)
  }
  for (const year of [1582, 10000, 2026.5, NaN]) {
    t.throws(() => easterSunday(year), { name: 'RangeError', message: /year must be a whole number from 1583 to 9999/ }, String(year))
    t.throws(() => belgianHolidays(year), { name: 'RangeError' }, String(year))
  }
})
