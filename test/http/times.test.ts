/**
 * A local date given where a time is asked for means the first instant of that day. startOfDate reads
 * it by the calendar's own resolution instead of luxon: the same instant on every day of every zone
 * tried, DST days (and those whose midnight a gap swallows) above all, except where midnight happens
 * twice (clocks moved back at 01:00 to 00:00): there the first, as for every ambiguous local time
 * (docs/architecture.md, "Time"), where luxon took the second and left the day's first hour out.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { instantToLocal } from '../../src/domain/recurrence.js'
import { zoneNamed } from '../../src/domain/time.js'
import { parseTime, startOfDate } from '../../src/http/times.js'

const luxonStart = (date: string, zone: string) => DateTime.fromISO(date, { zone }).startOf('day').toJSDate()

// Zones whose clocks change at midnight (Santiago, São Paulo before 2019, Havana, Beirut, Asunción,
// Cairo, Tehran), by half an hour (Lord Howe), by two hours (Troll), that skipped a whole day (Apia,
// Kiritimati), and plain ones.
const ZONES = [
  'Europe/Brussels',
  'America/Santiago',
  'America/Sao_Paulo',
  'America/Havana',
  'Asia/Beirut',
  'America/Asuncion',
  'Africa/Cairo',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Antarctica/Troll',
  'Pacific/Apia',
  'Pacific/Kiritimati',
  'America/St_Johns',
  'Asia/Kolkata',
  'UTC',
  'Etc/GMT+1',
]
const DAY_MS = 86_400_000

t.test('the same instant as luxon around every DST change from 1970 to 2040 and on every 97th day, but an ambiguous midnight', async (t) => {
  let compared = 0
  let transitions = 0
  let ambiguous = 0
  for (const name of ZONES) {
    const zone = zoneNamed(name)!
    const differing: string[] = []
    const days: number[] = []
    // Every day of a week whose offset changes (with a day either side), and every 97th day.
    for (let week = Date.UTC(1970, 0, 1); week < Date.UTC(2041, 0, 1); week += 7 * DAY_MS) {
      if (zone.offset(week) !== zone.offset(week + 7 * DAY_MS)) {
        for (let day = week - DAY_MS; day <= week + 8 * DAY_MS; day += DAY_MS) days.push(day)
        transitions++
      } else for (let day = week; day < week + 7 * DAY_MS; day += DAY_MS) if ((day / DAY_MS) % 97 === 0) days.push(day)
    }
    for (const day of days) {
      compared++
      const date = new Date(day).toISOString().slice(0, 10)
      const ours = startOfDate(date, name)
      const theirs = luxonStart(date, name)
      if (ours.getTime() === theirs.getTime()) continue
      // Both are that date's midnight, ours the earlier: the day's first instant.
      if (ours < theirs && instantToLocal(ours, name) === `${date}T00:00` && instantToLocal(theirs, name) === `${date}T00:00`) ambiguous++
      else differing.push(`${date}: ${ours.toISOString()} vs ${theirs.toISOString()}`)
    }
    t.same(differing, [], name)
  }
  t.ok(transitions > 500, `${transitions} weeks with a change`)
  t.ok(compared > 5_000, `${compared} dates`)
  t.ok(ambiguous > 10, `${ambiguous} ambiguous midnights (Havana, Tehran, St John's)`)
})

t.test('the days a gap swallows midnight start when the gap ends', async (t) => {
  t.equal(startOfDate('2018-11-04', 'America/Sao_Paulo').toISOString(), '2018-11-04T03:00:00.000Z', '01:00-02:00')
  t.equal(startOfDate('2022-09-11', 'America/Santiago').toISOString(), '2022-09-11T04:00:00.000Z', '01:00-03:00')
  t.equal(startOfDate('2011-12-31', 'Pacific/Apia').toISOString(), '2011-12-30T10:00:00.000Z', 'the day after the skipped one')
  t.equal(startOfDate('2026-03-29', 'Europe/Brussels').toISOString(), '2026-03-28T23:00:00.000Z', 'the gap at 02:00 leaves midnight alone')
  // Havana moved its clocks back from 01:00 to 00:00: the day starts at the first midnight (-04:00).
  t.equal(startOfDate('2025-11-02', 'America/Havana').toISOString(), '2025-11-02T04:00:00.000Z')
  t.equal(
    startOfDate('2025-11-02', 'America/Havana').getTime(),
    parseTime('2025-11-02T00:00', 'America/Havana', { in: 'query', pointer: '/from' }).getTime(),
    'as the local time 00:00',
  )
})

t.test('what the calendar refuses is read as luxon reads it', async (t) => {
  const at = { in: 'query' as const, pointer: '/from', dates: true }
  for (const date of ['1899-12-31', '0001-01-01', '0000-06-15', '1900-01-01', '9999-12-31']) {
    t.equal(startOfDate(date, 'Europe/Brussels').getTime(), luxonStart(date, 'Europe/Brussels').getTime(), date)
    t.equal(parseTime(date, 'Europe/Brussels', at).getTime(), luxonStart(date, 'Europe/Brussels').getTime(), date)
  }
  for (const date of ['2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29']) {
    t.ok(Number.isNaN(startOfDate(date, 'Europe/Brussels').getTime()), `${date} is no date`)
    let thrown: unknown
    try {
      parseTime(date, 'Europe/Brussels', at)
    } catch (error) {
      thrown = error
    }
    t.match(thrown, { kind: 'invalid', extensions: { errors: [{ pointer: '/from', detail: 'is not a real date and time' }] } }, `${date}: a 400`)
  }
  t.ok(Number.isNaN(startOfDate('2026-03-01', 'Mars/Olympus').getTime()), 'an unknown zone')
})
