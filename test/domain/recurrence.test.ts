import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { DateTime } from 'luxon'
import rrule from 'rrule'
import { fromRoot, repositoryRoot } from '../helpers/paths.js'
import { DEFAULT_MAX_OCCURRENCES, endOfLocalDate, expandRecurrence, instantToLocal, localToInstant, type RecurrenceInput } from '../../src/domain/recurrence.js'
import { RecurrenceError } from '../../src/domain/recurrence-rule.js'

const BRUSSELS = 'Europe/Brussels'
const NEW_YORK = 'America/New_York'

function expand(input: RecurrenceInput) {
  const result = expandRecurrence(input)
  return {
    ...result,
    locals: result.occurrences.map((o) => o.local),
    starts: result.occurrences.map((o) => o.start),
    codes: result.warnings.map((w) => w.code),
  }
}

t.test('the design example: every other Saturday, six times, one left out', async (t) => {
  const r = expand({
    start: '2026-03-07T10:00',
    timeZone: BRUSSELS,
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6',
    exdates: ['2026-04-04T10:00'],
  })
  // COUNT applies to the rule; the exdate then removes one of its six (RFC 5545).
  t.same(r.starts, [
    '2026-03-07T10:00:00+01:00',
    '2026-03-21T10:00:00+01:00',
    '2026-04-18T10:00:00+02:00',
    '2026-05-02T10:00:00+02:00',
    '2026-05-16T10:00:00+02:00',
  ])
  t.same(r.warnings, [])
  t.equal(r.occurrences[0]!.instant.toISOString(), '2026-03-07T09:00:00.000Z')
  t.equal(r.occurrences[2]!.instant.toISOString(), '2026-04-18T08:00:00.000Z')
  t.equal(r.occurrences[0]!.local, '2026-03-07T10:00')
})

t.test('daily and weekly rules give the dates rrule gives', async (t) => {
  // expandRecurrence walks these without rrule: compared here with rrule itself, in UTC (local = floating).
  const { RRule } = rrule
  const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
  let seed = 7
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed % n
  }
  for (let i = 0; i < 600; i++) {
    const freq = random(2) === 0 ? 'DAILY' : 'WEEKLY'
    const byday = random(3) === 0 ? [] : days.filter(() => random(3) === 0)
    const interval = 1 + random(4)
    const wkst = days[random(7)]!
    const dtstart = new Date(Date.UTC(2026, random(12), 1 + random(28), random(24), 15 * random(4)))
    const until = random(2) === 0 ? new Date(dtstart.getTime() + random(400) * 86_400_000) : undefined
    const count = until ? undefined : 1 + random(40)
    const text =
      `FREQ=${freq};INTERVAL=${interval};WKST=${wkst}` +
      (byday.length ? `;BYDAY=${byday.join(',')}` : '') +
      (until ? `;UNTIL=${until.toISOString().slice(0, 19).replace(/[-:]/g, '')}` : `;COUNT=${count}`)
    const expected = new RRule({
      freq: freq === 'DAILY' ? RRule.DAILY : RRule.WEEKLY,
      interval,
      wkst: RRule[wkst],
      byweekday: byday.length ? byday.map((d) => RRule[d]) : null,
      dtstart,
      until: until ?? null,
      count: count ?? null,
      tzid: null,
    })
      .all()
      .map((d) => d.toISOString().slice(0, 16))
    const start = dtstart.toISOString().slice(0, 16)
    const ours = expandRecurrence({ start, timeZone: 'UTC', rrule: text }).occurrences.map((o) => o.local)
    if (JSON.stringify(ours) !== JSON.stringify(expected)) t.fail(`${start} ${text}: ${ours.join(' ')} vs rrule ${expected.join(' ')}`)
  }
  t.pass('600 rules compared')
})

t.test('DST in Europe/Brussels', async (t) => {
  t.test('weekly Saturday 10:00 stays 10:00 local across the last Sunday of March and of October', async (t) => {
    const r = expand({ start: '2026-03-14T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20261114' })
    t.equal(r.occurrences.length, 36)
    t.ok(
      r.locals.every((l) => l.endsWith('T10:00')),
      'always 10:00 local',
    )
    t.same(r.warnings, [])
    const offsetOn = (date: string) => r.starts.find((s) => s.startsWith(date))?.slice(-6)
    t.equal(offsetOn('2026-03-21'), '+01:00')
    t.equal(offsetOn('2026-03-28'), '+01:00', 'the day before the spring change')
    t.equal(offsetOn('2026-04-04'), '+02:00', 'the first Saturday of summer time')
    t.equal(offsetOn('2026-10-24'), '+02:00', 'the day before the autumn change')
    t.equal(offsetOn('2026-10-31'), '+01:00', 'the first Saturday of winter time')
    t.equal(offsetOn('2026-11-14'), '+01:00')
    // The instants move by an hour in UTC, which is the point.
    t.equal(r.occurrences.find((o) => o.local === '2026-03-28T10:00')?.instant.toISOString(), '2026-03-28T09:00:00.000Z')
    t.equal(r.occurrences.find((o) => o.local === '2026-04-04T10:00')?.instant.toISOString(), '2026-04-04T08:00:00.000Z')
  })

  t.test('daily 02:30 across the spring gap moves forward to 03:30 with a warning', async (t) => {
    const r = expand({ start: '2026-03-28T02:30', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;COUNT=3' })
    t.same(r.starts, ['2026-03-28T02:30:00+01:00', '2026-03-29T03:30:00+02:00', '2026-03-30T02:30:00+02:00'])
    t.same(r.locals, ['2026-03-28T02:30', '2026-03-29T03:30', '2026-03-30T02:30'])
    t.equal(r.occurrences[1]!.instant.toISOString(), '2026-03-29T01:30:00.000Z')
    t.same(r.codes, ['dst_gap_shifted'])
    t.equal(r.warnings[0]!.local, '2026-03-29T02:30', 'the warning names the wall time that was asked for')
    t.match(r.warnings[0]!.message, /03:30:00\+02:00/)
  })

  t.test('daily 02:30 across the autumn overlap takes the first (+02:00) instant with a warning', async (t) => {
    const r = expand({ start: '2026-10-24T02:30', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;COUNT=3' })
    t.same(r.starts, ['2026-10-24T02:30:00+02:00', '2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00'])
    t.equal(r.occurrences[1]!.instant.toISOString(), '2026-10-25T00:30:00.000Z')
    t.same(r.warnings, [
      {
        code: 'dst_ambiguous_first_instant',
        local: '2026-10-25T02:30',
        message: '2026-10-25T02:30 occurs twice in Europe/Brussels (the clocks move back); the first one, 2026-10-25T02:30:00+02:00, is used',
      },
    ])
  })

  t.test('a whole year of daily 02:30 has exactly one gap and one overlap', async (t) => {
    const r = expand({ start: '2026-01-01T02:30', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;UNTIL=20261231' })
    t.equal(r.occurrences.length, 365)
    t.same(r.codes, ['dst_gap_shifted', 'dst_ambiguous_first_instant'])
    t.same(
      r.warnings.map((w) => w.local),
      ['2026-03-29T02:30', '2026-10-25T02:30'],
    )
    const instants = r.occurrences.map((o) => o.instant.getTime())
    t.ok(
      instants.every((x, i) => i === 0 || x > instants[i - 1]!),
      'instants strictly increase',
    )
  })

  t.test('times next to the transitions are exact', async (t) => {
    t.same(
      ['2026-03-29T01:59', '2026-03-29T02:00', '2026-03-29T03:00', '2026-10-25T01:59', '2026-10-25T02:00', '2026-10-25T02:59', '2026-10-25T03:00'].map(
        (local) => {
          const { instant, warning } = localToInstant(local, BRUSSELS)
          return [instant.toISOString(), warning?.code ?? null]
        },
      ),
      [
        ['2026-03-29T00:59:00.000Z', null],
        ['2026-03-29T01:00:00.000Z', 'dst_gap_shifted'], // 02:00 does not exist: 03:00+02:00
        ['2026-03-29T01:00:00.000Z', null],
        ['2026-10-24T23:59:00.000Z', null],
        ['2026-10-25T00:00:00.000Z', 'dst_ambiguous_first_instant'],
        ['2026-10-25T00:59:00.000Z', 'dst_ambiguous_first_instant'],
        ['2026-10-25T02:00:00.000Z', null],
      ],
    )
  })
})

t.test('DST in America/New_York', async (t) => {
  t.test('weekly Sunday 09:00 stays 09:00 local, -05:00 → -04:00 → -05:00', async (t) => {
    const r = expand({ start: '2026-03-01T09:00', timeZone: NEW_YORK, rrule: 'FREQ=WEEKLY;BYDAY=SU;UNTIL=20261108' })
    t.ok(r.locals.every((l) => l.endsWith('T09:00')))
    const offsetOn = (date: string) => r.starts.find((s) => s.startsWith(date))?.slice(-6)
    t.equal(offsetOn('2026-03-01'), '-05:00')
    t.equal(offsetOn('2026-03-08'), '-04:00', 'DST starts on the second Sunday of March')
    t.equal(offsetOn('2026-11-01'), '-05:00', 'and ends on the first Sunday of November')
    t.same(r.warnings, [])
  })

  t.test('daily 02:30 in the gap and 01:30 in the overlap', async (t) => {
    const spring = expand({ start: '2026-03-07T02:30', timeZone: NEW_YORK, rrule: 'FREQ=DAILY;COUNT=3' })
    t.same(spring.starts, ['2026-03-07T02:30:00-05:00', '2026-03-08T03:30:00-04:00', '2026-03-09T02:30:00-04:00'])
    t.same(spring.codes, ['dst_gap_shifted'])
    const autumn = expand({ start: '2026-10-31T01:30', timeZone: NEW_YORK, rrule: 'FREQ=DAILY;COUNT=3' })
    t.same(autumn.starts, ['2026-10-31T01:30:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00'])
    t.equal(autumn.occurrences[1]!.instant.toISOString(), '2026-11-01T05:30:00.000Z')
    t.same(autumn.codes, ['dst_ambiguous_first_instant'])
  })
})

t.test('localToInstant agrees with luxon except where luxon takes the later of two instants', async (t) => {
  // luxon moves gap times forward too, but resolves an ambiguous time to the
  // second instant; we want the first. Everything else must agree.
  for (const zone of [BRUSSELS, NEW_YORK]) {
    let disagreements = 0
    for (let day = 0; day < 365; day++) {
      for (const time of ['01:30', '02:30', '10:00']) {
        const date = DateTime.fromISO('2026-01-01', { zone: 'UTC' }).plus({ days: day }).toISODate()
        const local = `${date}T${time}`
        const ours = localToInstant(local, zone)
        const theirs = DateTime.fromISO(local, { zone }).toMillis()
        if (ours.warning?.code === 'dst_ambiguous_first_instant') {
          disagreements++
          t.equal(ours.instant.getTime(), theirs - 3_600_000, `${local} ${zone}: one hour before luxon's`)
        } else if (ours.instant.getTime() !== theirs) {
          t.fail(`${local} ${zone}: ${ours.instant.toISOString()} vs luxon ${new Date(theirs).toISOString()}`)
        }
      }
    }
    t.equal(disagreements, 1, `${zone}: only the ambiguous time differs`)
  }
})

t.test('endOfLocalDate is the last millisecond of the date, as luxon ends the day', async (t) => {
  // Zones whose clocks change at midnight (Santiago, Havana, Beirut) end a day in a gap or repeat its last hour.
  for (const zone of [BRUSSELS, NEW_YORK, 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC']) {
    for (let day = 0; day < 2 * 366; day++) {
      const date = DateTime.fromISO('2025-01-01', { zone: 'UTC' }).plus({ days: day }).toISODate()!
      const theirs = DateTime.fromISO(date, { zone }).endOf('day').toMillis()
      const ours = endOfLocalDate(date, zone).getTime()
      if (ours !== theirs) t.fail(`${date} ${zone}: ${new Date(ours).toISOString()} vs luxon ${new Date(theirs).toISOString()}`)
    }
  }
  t.equal(endOfLocalDate('2026-10-25', BRUSSELS).toISOString(), '2026-10-25T22:59:59.999Z')
  t.equal(endOfLocalDate('2026-03-29', BRUSSELS).toISOString(), '2026-03-29T21:59:59.999Z')
  t.throws(() => endOfLocalDate('2026-02-30', BRUSSELS), RecurrenceError)
})

t.test('instantToLocal', async (t) => {
  t.equal(instantToLocal(new Date('2026-03-07T09:00:00Z'), BRUSSELS), '2026-03-07T10:00')
  t.equal(instantToLocal(new Date('2026-07-01T00:00:00Z'), BRUSSELS), '2026-07-01T02:00')
  t.equal(instantToLocal(new Date('2026-07-01T03:00:00Z'), NEW_YORK), '2026-06-30T23:00')
  t.equal(instantToLocal(new Date('2026-10-25T00:30:00Z'), BRUSSELS), '2026-10-25T02:30')
  t.equal(instantToLocal(new Date('2026-10-25T01:30:00Z'), BRUSSELS), '2026-10-25T02:30')
  t.throws(() => instantToLocal(new Date('nope'), BRUSSELS), { name: 'RecurrenceError', field: 'instant' })
  t.throws(() => instantToLocal(new Date(), 'Europe/Nowhere'), { name: 'RecurrenceError', field: 'timeZone' })
  for (const local of ['2026-01-15T10:00', '2026-03-29T03:00', '2026-06-30T23:59', '2026-12-31T00:00']) {
    t.equal(instantToLocal(localToInstant(local, BRUSSELS).instant, BRUSSELS), local, `${local} round-trips`)
  }
})

t.test('localToInstant validates its input', async (t) => {
  t.throws(() => localToInstant('2026-02-30T10:00', BRUSSELS), { name: 'RecurrenceError', field: 'local' })
  t.throws(() => localToInstant('2026-03-07T10:00', 'Nowhere/City'), { name: 'RecurrenceError', field: 'timeZone' })
  t.same(localToInstant('2026-03-07T10:00', BRUSSELS), { instant: new Date('2026-03-07T09:00:00Z') })
})

t.test('RFC 5545 §3.8.5.3 examples (America/New_York, 09:00)', async (t) => {
  const examples: { title: string; start: string; rrule: string; dates: string[]; max?: number }[] = [
    {
      title: 'daily for 10 occurrences',
      start: '1997-09-02',
      rrule: 'FREQ=DAILY;COUNT=10',
      dates: ['1997-09-02', '1997-09-03', '1997-09-04', '1997-09-05', '1997-09-06', '1997-09-07', '1997-09-08', '1997-09-09', '1997-09-10', '1997-09-11'],
    },
    {
      title: 'every 10 days, 5 occurrences',
      start: '1997-09-02',
      rrule: 'FREQ=DAILY;INTERVAL=10;COUNT=5',
      dates: ['1997-09-02', '1997-09-12', '1997-09-22', '1997-10-02', '1997-10-12'],
    },
    {
      title: 'weekly for 10 occurrences',
      start: '1997-09-02',
      rrule: 'FREQ=WEEKLY;COUNT=10',
      dates: ['1997-09-02', '1997-09-09', '1997-09-16', '1997-09-23', '1997-09-30', '1997-10-07', '1997-10-14', '1997-10-21', '1997-10-28', '1997-11-04'],
    },
    {
      title: 'weekly on Tuesday and Thursday for five weeks',
      start: '1997-09-02',
      rrule: 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
      dates: ['1997-09-02', '1997-09-04', '1997-09-09', '1997-09-11', '1997-09-16', '1997-09-18', '1997-09-23', '1997-09-25', '1997-09-30', '1997-10-02'],
    },
    {
      title: 'every other week on Tuesday and Thursday, for 8 occurrences',
      start: '1997-09-02',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH',
      dates: ['1997-09-02', '1997-09-04', '1997-09-16', '1997-09-18', '1997-09-30', '1997-10-02', '1997-10-14', '1997-10-16'],
    },
    {
      title: 'monthly on the first Friday for 10 occurrences',
      start: '1997-09-05',
      rrule: 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
      dates: ['1997-09-05', '1997-10-03', '1997-11-07', '1997-12-05', '1998-01-02', '1998-02-06', '1998-03-06', '1998-04-03', '1998-05-01', '1998-06-05'],
    },
    {
      title: 'monthly on the second-to-last Monday for 6 months',
      start: '1997-09-22',
      rrule: 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
      dates: ['1997-09-22', '1997-10-20', '1997-11-17', '1997-12-22', '1998-01-19', '1998-02-16'],
    },
    {
      title: 'monthly on the third-to-the-last day of the month',
      start: '1997-09-28',
      rrule: 'FREQ=MONTHLY;BYMONTHDAY=-3',
      max: 6,
      dates: ['1997-09-28', '1997-10-29', '1997-11-28', '1997-12-29', '1998-01-29', '1998-02-26'],
    },
    {
      title: 'monthly on the 2nd and 15th for 10 occurrences',
      start: '1997-09-02',
      rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
      dates: ['1997-09-02', '1997-09-15', '1997-10-02', '1997-10-15', '1997-11-02', '1997-11-15', '1997-12-02', '1997-12-15', '1998-01-02', '1998-01-15'],
    },
    {
      title: 'every Tuesday, every other month',
      start: '1997-09-02',
      rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
      max: 13,
      dates: [
        '1997-09-02',
        '1997-09-09',
        '1997-09-16',
        '1997-09-23',
        '1997-09-30',
        '1997-11-04',
        '1997-11-11',
        '1997-11-18',
        '1997-11-25',
        '1998-01-06',
        '1998-01-13',
        '1998-01-20',
        '1998-01-27',
      ],
    },
    {
      title: 'yearly in June and July for 10 occurrences',
      start: '1997-06-10',
      rrule: 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
      dates: ['1997-06-10', '1997-07-10', '1998-06-10', '1998-07-10', '1999-06-10', '1999-07-10', '2000-06-10', '2000-07-10', '2001-06-10', '2001-07-10'],
    },
    {
      title: 'every other year on January, February and March for 10 occurrences',
      start: '1997-03-10',
      rrule: 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
      dates: ['1997-03-10', '1999-01-10', '1999-02-10', '1999-03-10', '2001-01-10', '2001-02-10', '2001-03-10', '2003-01-10', '2003-02-10', '2003-03-10'],
    },
    {
      title: 'every third year on the 1st, 100th and 200th day for 10 occurrences',
      start: '1997-01-01',
      rrule: 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
      dates: ['1997-01-01', '1997-04-10', '1997-07-19', '2000-01-01', '2000-04-09', '2000-07-18', '2003-01-01', '2003-04-10', '2003-07-19', '2006-01-01'],
    },
    {
      title: 'every 20th Monday of the year',
      start: '1997-05-19',
      rrule: 'FREQ=YEARLY;BYDAY=20MO',
      max: 3,
      dates: ['1997-05-19', '1998-05-18', '1999-05-17'],
    },
    {
      title: 'Monday of week number 20',
      start: '1997-05-12',
      rrule: 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
      max: 3,
      dates: ['1997-05-12', '1998-05-11', '1999-05-17'],
    },
    {
      title: 'every Thursday in March',
      start: '1997-03-13',
      rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
      max: 11,
      dates: [
        '1997-03-13',
        '1997-03-20',
        '1997-03-27',
        '1998-03-05',
        '1998-03-12',
        '1998-03-19',
        '1998-03-26',
        '1999-03-04',
        '1999-03-11',
        '1999-03-18',
        '1999-03-25',
      ],
    },
    {
      title: 'every Friday the 13th',
      start: '1997-09-02',
      rrule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
      max: 5,
      dates: ['1998-02-13', '1998-03-13', '1998-11-13', '1999-08-13', '2000-10-13'],
    },
    {
      title: 'the first Saturday that follows the first Sunday of the month',
      start: '1997-09-13',
      rrule: 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
      max: 10,
      dates: ['1997-09-13', '1997-10-11', '1997-11-08', '1997-12-13', '1998-01-10', '1998-02-07', '1998-03-07', '1998-04-11', '1998-05-09', '1998-06-13'],
    },
    {
      title: 'every 4 years, the first Tuesday after a Monday in November',
      start: '1996-11-05',
      rrule: 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
      max: 3,
      dates: ['1996-11-05', '2000-11-07', '2004-11-02'],
    },
    {
      title: 'the third instance into the month of one of Tuesday, Wednesday or Thursday, for the next 3 months',
      start: '1997-09-04',
      rrule: 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
      dates: ['1997-09-04', '1997-10-07', '1997-11-06'],
    },
    {
      title: 'the second-to-last weekday of the month',
      start: '1997-09-29',
      rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2',
      max: 7,
      dates: ['1997-09-29', '1997-10-30', '1997-11-27', '1997-12-30', '1998-01-29', '1998-02-26', '1998-03-30'],
    },
    {
      title: 'WKST matters: every other week on Tuesday and Sunday, weeks starting on Monday',
      start: '1997-08-05',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO',
      dates: ['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24'],
    },
    {
      title: 'WKST matters: the same with weeks starting on Sunday',
      start: '1997-08-05',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU',
      dates: ['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31'],
    },
    {
      title: 'an invalid date (30 February) is skipped',
      start: '2007-01-15',
      rrule: 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
      dates: ['2007-01-15', '2007-01-30', '2007-02-15', '2007-03-15', '2007-03-30'],
    },
  ]
  for (const ex of examples) {
    const r = expand({ start: `${ex.start}T09:00`, timeZone: NEW_YORK, rrule: ex.rrule, maxOccurrences: ex.max })
    t.same(
      r.locals,
      ex.dates.map((d) => `${d}T09:00`),
      ex.title,
    )
    t.same(r.codes, ex.max ? ['capped'] : [], `${ex.title}: warnings`)
  }

  t.test('daily until 24 December 1997 (UTC): 113 days, and EDT/EST offsets', async (t) => {
    const r = expand({ start: '1997-09-02T09:00', timeZone: NEW_YORK, rrule: 'FREQ=DAILY;UNTIL=19971224T000000Z' })
    t.equal(r.occurrences.length, 113)
    t.equal(r.locals.at(-1), '1997-12-23T09:00')
    t.equal(r.starts[0], '1997-09-02T09:00:00-04:00')
    t.equal(r.starts.at(-1), '1997-12-23T09:00:00-05:00')
  })

  t.test('every day in January for 3 years, UNTIL inclusive on the last instant', async (t) => {
    // 09:00 EST on 31 January 2000 is exactly 14:00Z: the UNTIL instant itself.
    const yearly = expand({
      start: '1998-01-01T09:00',
      timeZone: NEW_YORK,
      rrule: 'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
    })
    const daily = expand({ start: '1998-01-01T09:00', timeZone: NEW_YORK, rrule: 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1' })
    t.equal(yearly.occurrences.length, 93)
    t.same(daily.locals, yearly.locals)
    t.equal(yearly.locals.at(-1), '2000-01-31T09:00')
  })
})

t.test('monthly patterns used by centres', async (t) => {
  t.test('second Wednesday of the month', async (t) => {
    const r = expand({ start: '2026-01-01T14:00', timeZone: BRUSSELS, rrule: 'FREQ=MONTHLY;BYDAY=2WE;COUNT=6' })
    t.same(r.locals, ['2026-01-14T14:00', '2026-02-11T14:00', '2026-03-11T14:00', '2026-04-08T14:00', '2026-05-13T14:00', '2026-06-10T14:00'])
  })

  t.test('last weekday of the month (BYSETPOS=-1)', async (t) => {
    const r = expand({ start: '2026-01-01T16:00', timeZone: BRUSSELS, rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=6' })
    // January ends on a Saturday, May on a Sunday.
    t.same(r.locals, ['2026-01-30T16:00', '2026-02-27T16:00', '2026-03-31T16:00', '2026-04-30T16:00', '2026-05-29T16:00', '2026-06-30T16:00'])
  })

  t.test('last Sunday of the month, which is also the DST change day twice a year', async (t) => {
    const r = expand({ start: '2026-01-01T02:30', timeZone: BRUSSELS, rrule: 'FREQ=MONTHLY;BYDAY=-1SU;COUNT=12' })
    t.equal(r.locals[2], '2026-03-29T03:30')
    t.equal(r.starts[9], '2026-10-25T02:30:00+02:00')
    t.same(r.codes, ['dst_gap_shifted', 'dst_ambiguous_first_instant'])
  })

  t.test('the 31st only in months that have one', async (t) => {
    const r = expand({ start: '2026-01-31T10:00', timeZone: BRUSSELS, rrule: 'FREQ=MONTHLY;COUNT=4' })
    t.same(r.locals, ['2026-01-31T10:00', '2026-03-31T10:00', '2026-05-31T10:00', '2026-07-31T10:00'])
  })
})

t.test('start only counts when it matches the rule', async (t) => {
  // 2026-03-06 is a Friday: the first visit is the Saturday after.
  const r = expand({ start: '2026-03-06T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=2' })
  t.same(r.locals, ['2026-03-07T10:00', '2026-03-14T10:00'])
})

t.test('UNTIL', async (t) => {
  const base = { start: '2026-03-07T10:00', timeZone: BRUSSELS }
  t.test('in UTC form it bounds instants, inclusively', async (t) => {
    // 21 March 10:00+01:00 is 09:00Z.
    t.same(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321T090000Z' }).locals, ['2026-03-07T10:00', '2026-03-14T10:00', '2026-03-21T10:00'])
    t.same(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321T085959Z' }).locals, ['2026-03-07T10:00', '2026-03-14T10:00'])
    // 09:30 floating would exclude 10:00; as an instant (09:30Z = 10:30 local) it includes it.
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321T093000Z' }).locals.length, 3)
  })

  t.test('in UTC form across DST: 4 April 10:00+02:00 is 08:00Z', async (t) => {
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260404T080000Z' }).locals.at(-1), '2026-04-04T10:00')
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260404T075959Z' }).locals.at(-1), '2026-03-28T10:00')
  })

  t.test('floating date-time compares local wall time, inclusively', async (t) => {
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321T100000' }).locals.at(-1), '2026-03-21T10:00')
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321T095959' }).locals.at(-1), '2026-03-14T10:00')
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321T093000' }).locals.at(-1), '2026-03-14T10:00')
  })

  t.test('a date covers that whole local day', async (t) => {
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260321' }).locals.at(-1), '2026-03-21T10:00')
    t.equal(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260320' }).locals.at(-1), '2026-03-14T10:00')
  })

  t.test('UNTIL before start gives nothing, without warnings', async (t) => {
    t.same(expand({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260101' }), { occurrences: [], warnings: [], locals: [], starts: [], codes: [] })
  })

  t.test('a UTC UNTIL far beyond the search horizon still lets the cap apply', async (t) => {
    const r = expand({ ...base, rrule: 'FREQ=YEARLY;UNTIL=99991231T000000Z', maxOccurrences: 3 })
    t.same(r.codes, ['capped'])
  })
})

t.test('EXDATE', async (t) => {
  const base = { start: '2026-03-07T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY;COUNT=4' }
  t.test('removes the occurrence at that local minute', async (t) => {
    const r = expand({ ...base, exdates: ['2026-03-14T10:00', '2026-03-28T10:00:00'] })
    t.same(r.locals, ['2026-03-07T10:00', '2026-03-21T10:00'])
    t.same(r.warnings, [])
  })

  t.test('an exdate that matches nothing is a warning, not an error', async (t) => {
    const r = expand({ ...base, exdates: ['2026-03-14T11:00', '2026-03-21T10:00', '2027-01-02T10:00'] })
    t.same(r.locals, ['2026-03-07T10:00', '2026-03-14T10:00', '2026-03-28T10:00'])
    t.same(r.warnings, [
      { code: 'exdate_unmatched', local: '2026-03-14T11:00', message: 'exdate 2026-03-14T11:00 does not match any occurrence' },
      { code: 'exdate_unmatched', local: '2027-01-02T10:00', message: 'exdate 2027-01-02T10:00 does not match any occurrence' },
    ])
  })

  t.test('a gap-shifted occurrence matches both the asked and the actual wall time', async (t) => {
    const daily = { start: '2026-03-28T02:30', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;COUNT=3' }
    for (const exdate of ['2026-03-29T02:30', '2026-03-29T03:30']) {
      const r = expand({ ...daily, exdates: [exdate] })
      t.same(r.locals, ['2026-03-28T02:30', '2026-03-30T02:30'], exdate)
      t.same(r.warnings, [], `${exdate}: no warnings`)
    }
  })

  t.test('exdates beyond where an unbounded search stopped are not reported', async (t) => {
    const r = expand({ start: '2026-03-07T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY', maxOccurrences: 2, exdates: ['2030-01-05T10:00'] })
    t.same(r.codes, ['capped'])
    const bounded = expand({
      start: '2026-03-07T10:00',
      timeZone: BRUSSELS,
      rrule: 'FREQ=WEEKLY',
      notAfter: new Date('2026-03-15T00:00:00Z'),
      exdates: ['2030-01-05T10:00', '2026-03-07T11:00'],
    })
    t.same(bounded.codes, ['exdate_unmatched', 'bounded_by_planned_end'])
    t.equal(bounded.warnings[0]!.local, '2026-03-07T11:00')
  })

  t.test('exdates also remove rdates and the single start', async (t) => {
    t.same(expand({ ...base, rdates: ['2026-03-10T18:00'], exdates: ['2026-03-10T18:00'] }).occurrences.length, 4)
    t.same(expand({ start: '2026-03-07T10:00', timeZone: BRUSSELS, exdates: ['2026-03-07T10:00'] }), {
      occurrences: [],
      warnings: [],
      locals: [],
      starts: [],
      codes: [],
    })
  })
})

t.test('RDATE', async (t) => {
  t.test('adds occurrences, sorted and deduplicated', async (t) => {
    const r = expand({
      start: '2026-03-07T10:00',
      timeZone: BRUSSELS,
      rrule: 'FREQ=WEEKLY;COUNT=3',
      rdates: ['2026-04-01T18:00', '2026-03-10T18:00', '2026-03-14T10:00', '2026-03-10T18:00'],
    })
    t.same(r.locals, ['2026-03-07T10:00', '2026-03-10T18:00', '2026-03-14T10:00', '2026-03-21T10:00', '2026-04-01T18:00'])
    t.equal(r.starts[4], '2026-04-01T18:00:00+02:00')
  })

  t.test('rdates are not bound by COUNT or UNTIL, but get the DST treatment', async (t) => {
    const r = expand({
      start: '2026-03-07T10:00',
      timeZone: BRUSSELS,
      rrule: 'FREQ=WEEKLY;UNTIL=20260314',
      rdates: ['2026-03-29T02:30'],
    })
    t.same(r.locals, ['2026-03-07T10:00', '2026-03-14T10:00', '2026-03-29T03:30'])
    t.same(r.codes, ['dst_gap_shifted'])
  })

  t.test('a gap-shifted rule occurrence and an rdate at the same instant are one occurrence', async (t) => {
    const r = expand({ start: '2026-03-29T02:30', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;COUNT=1', rdates: ['2026-03-29T03:30'] })
    t.same(r.locals, ['2026-03-29T03:30'])
  })

  t.test('without a rule: start plus the rdates', async (t) => {
    const r = expand({ start: '2026-03-07T10:00', timeZone: BRUSSELS, rdates: ['2026-03-01T10:00'] })
    t.same(r.locals, ['2026-03-01T10:00', '2026-03-07T10:00'])
  })
})

t.test('no rule: a single occurrence at start', async (t) => {
  const r = expand({ start: '2026-03-07T10:00', timeZone: BRUSSELS })
  t.same(r.occurrences, [{ start: '2026-03-07T10:00:00+01:00', instant: new Date('2026-03-07T09:00:00Z'), local: '2026-03-07T10:00' }])
  t.same(r.warnings, [])
  const gap = expand({ start: '2026-03-29T02:30', timeZone: BRUSSELS })
  t.same(gap.locals, ['2026-03-29T03:30'])
  t.same(gap.codes, ['dst_gap_shifted'])
  const late = expand({ start: '2026-03-07T10:00', timeZone: BRUSSELS, notAfter: new Date('2026-03-07T08:59:59Z') })
  t.same(late.locals, [])
  t.same(late.codes, ['bounded_by_planned_end'])
})

t.test('seconds in start are kept; local and exdates work at minute precision', async (t) => {
  const r = expand({ start: '2026-03-07T10:00:30', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;COUNT=2', exdates: ['2026-03-08T10:00'] })
  t.same(r.starts, ['2026-03-07T10:00:30+01:00'])
  t.same(r.locals, ['2026-03-07T10:00'])
})

t.test('zones without DST and UTC', async (t) => {
  t.same(expand({ start: '2026-03-07T10:00', timeZone: 'UTC', rrule: 'FREQ=DAILY;COUNT=1' }).starts, ['2026-03-07T10:00:00+00:00'])
  t.same(expand({ start: '2026-03-07T10:00', timeZone: 'Asia/Kolkata' }).starts, ['2026-03-07T10:00:00+05:30'])
  t.same(expand({ start: '2026-03-07T10:00', timeZone: 'America/St_Johns' }).starts, ['2026-03-07T10:00:00-03:30'])
})

t.test('bounded by notAfter (the planned end)', async (t) => {
  const base = { start: '2026-03-07T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY;BYDAY=SA' }
  t.test('an infinite rule stops at the planned end with a warning', async (t) => {
    const r = expand({ ...base, notAfter: new Date('2026-04-01T00:00:00Z') })
    t.same(r.locals, ['2026-03-07T10:00', '2026-03-14T10:00', '2026-03-21T10:00', '2026-03-28T10:00'])
    t.same(r.warnings, [
      {
        code: 'bounded_by_planned_end',
        local: '2026-04-04T10:00',
        message: 'occurrences after the planned end (2026-04-01T02:00:00+02:00) are left out',
      },
    ])
  })

  t.test('an occurrence starting exactly at notAfter is kept', async (t) => {
    const r = expand({ ...base, notAfter: new Date('2026-03-21T09:00:00Z') })
    t.equal(r.locals.at(-1), '2026-03-21T10:00')
    t.same(r.codes, ['bounded_by_planned_end'])
  })

  t.test('no warning when the rule ends before notAfter', async (t) => {
    const r = expand({ ...base, rrule: 'FREQ=WEEKLY;COUNT=3', notAfter: new Date('2026-03-21T09:00:00Z') })
    t.equal(r.occurrences.length, 3)
    t.same(r.warnings, [])
  })

  t.test('rdates after notAfter are cut too', async (t) => {
    const r = expand({
      ...base,
      rrule: 'FREQ=WEEKLY;COUNT=2',
      rdates: ['2026-12-24T10:00', '2026-03-10T10:00'],
      notAfter: new Date('2026-06-30T22:00:00Z'),
    })
    t.same(r.locals, ['2026-03-07T10:00', '2026-03-10T10:00', '2026-03-14T10:00'])
    t.same(
      r.warnings.map((w) => [w.code, w.local]),
      [['bounded_by_planned_end', '2026-12-24T10:00']],
    )
  })

  t.test('a sparse rule does not have to be searched to the end of time', async (t) => {
    const r = expand({ ...base, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', notAfter: new Date('2026-12-31T00:00:00Z') })
    t.same(r.locals, [])
    t.same(
      r.warnings.map((w) => [w.code, w.local]),
      [['bounded_by_planned_end', '2028-02-29T10:00']],
    )
  })
})

t.test('capped at maxOccurrences', async (t) => {
  t.test('an infinite rule returns the default cap with a warning', async (t) => {
    const r = expand({ start: '2026-01-01T10:00', timeZone: BRUSSELS, rrule: 'FREQ=DAILY' })
    t.equal(r.occurrences.length, DEFAULT_MAX_OCCURRENCES)
    t.equal(DEFAULT_MAX_OCCURRENCES, 500)
    t.same(r.warnings, [{ code: 'capped', local: '2027-05-16T10:00', message: 'the rule yields more than 500 occurrences; only the first 500 are returned' }])
  })

  t.test('a custom cap', async (t) => {
    const r = expand({ start: '2026-01-01T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY', maxOccurrences: 3 })
    t.same(r.locals, ['2026-01-01T10:00', '2026-01-08T10:00', '2026-01-15T10:00'])
    t.same(
      r.warnings.map((w) => [w.code, w.local]),
      [['capped', '2026-01-22T10:00']],
    )
  })

  t.test('exactly the cap is not capped; one more is', async (t) => {
    const base = { start: '2026-01-01T10:00', timeZone: BRUSSELS, maxOccurrences: 5 }
    t.same(expand({ ...base, rrule: 'FREQ=DAILY;COUNT=5' }).codes, [])
    t.same(expand({ ...base, rrule: 'FREQ=DAILY;COUNT=6' }).codes, ['capped'])
    t.same(expand({ ...base, rrule: 'FREQ=DAILY;COUNT=5', rdates: ['2025-12-31T10:00'] }).locals[0], '2025-12-31T10:00')
    t.same(expand({ ...base, rrule: 'FREQ=DAILY;COUNT=5', rdates: ['2025-12-31T10:00'] }).codes, ['capped'])
  })

  t.test('a rule that never matches ends quickly, with a warning', async (t) => {
    for (const rrule of ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6']) {
      const r = expand({ start: '2026-01-01T10:00', timeZone: BRUSSELS, rrule })
      t.same(r.occurrences, [], rrule)
      t.same(r.codes, ['capped'], rrule)
      t.match(r.warnings[0]!.message, /100 years/)
    }
  })

  t.test('a sparse infinite rule is searched up to 100 years ahead', async (t) => {
    const r = expand({ start: '2026-01-01T10:00', timeZone: BRUSSELS, rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29' })
    // Leap years 2028..2124, but not 2100.
    t.equal(r.occurrences.length, 24)
    t.equal(r.locals[0], '2028-02-29T10:00')
    t.equal(r.locals.at(-1), '2124-02-29T10:00')
    t.same(r.codes, ['capped'])
  })

  t.test('COUNT reached before the search horizon is not capped', async (t) => {
    const r = expand({ start: '2026-01-01T10:00', timeZone: BRUSSELS, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3' })
    t.same(r.locals, ['2028-02-29T10:00', '2032-02-29T10:00', '2036-02-29T10:00'])
    t.same(r.warnings, [])
  })
})

t.test('rule syntax', async (t) => {
  const base = { start: '2026-03-07T10:00', timeZone: BRUSSELS }
  t.test('accepts an RRULE: prefix, lower case and surrounding blanks', async (t) => {
    for (const rrule of ['RRULE:FREQ=WEEKLY;COUNT=2', 'rrule:freq=weekly;count=2', '  FREQ=WEEKLY;COUNT=2\n', 'COUNT=2;FREQ=WEEKLY']) {
      t.same(expand({ ...base, rrule }).locals, ['2026-03-07T10:00', '2026-03-14T10:00'], JSON.stringify(rrule))
    }
  })

  t.test('rejects sub-daily frequencies as not supported for visits', async (t) => {
    for (const freq of ['HOURLY', 'MINUTELY', 'SECONDLY']) {
      t.throws(() => expandRecurrence({ ...base, rrule: `FREQ=${freq};COUNT=3` }), {
        name: 'RecurrenceError',
        field: 'rrule',
        message: new RegExp(`FREQ=${freq} is not supported for visits`),
      })
    }
  })

  t.test('rejects malformed rules with field rrule and a clear message', async (t) => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['BYDAY=MO', /FREQ is required/],
      ['FREQ=FORTNIGHTLY', /FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY/],
      ['FREQ=WEEKLY;BYDAY=XX', /BYDAY must be one of MO, TU/],
      ['FREQ=WEEKLY;BYDAY=MO,', /BYDAY values look like/],
      ['FREQ=WEEKLY;BYDAY=MONDAY', /BYDAY values look like/],
      ['FREQ=WEEKLY;FOO=1', /unknown rule part 'FOO'/],
      ['FREQ=WEEKLY;BYEASTER=0', /unknown rule part 'BYEASTER'/],
      ['FREQ=WEEKLY;INTERVAL=0', /INTERVAL must be a whole number from 1/],
      ['FREQ=WEEKLY;INTERVAL=-1', /INTERVAL/],
      ['FREQ=WEEKLY;INTERVAL=abc', /INTERVAL/],
      ['FREQ=WEEKLY;INTERVAL=1.5', /INTERVAL/],
      ['FREQ=WEEKLY;COUNT=0', /COUNT must be a whole number from 1/],
      ['FREQ=WEEKLY;COUNT=3;UNTIL=20260630', /COUNT and UNTIL cannot both be given/],
      ['DTSTART:20260307T100000Z\nRRULE:FREQ=WEEKLY', /DTSTART is not allowed/],
      ['FREQ=WEEKLY;DTSTART=20260307T100000', /DTSTART is not allowed/],
      ['RRULE:FREQ=WEEKLY\nEXDATE:20260314T100000', /single RRULE line/],
      ['FREQ=WEEKLY;FREQ=DAILY', /FREQ is given more than once/],
      ['FREQ=WEEKLY;;COUNT=2', /'' is not a NAME=VALUE rule part/],
      ['FREQ=WEEKLY;COUNT=2;', /not a NAME=VALUE/],
      ['FREQ=WEEKLY;COUNT', /'COUNT' is not a NAME=VALUE/],
      ['FREQ=WEEKLY;UNTIL=2026-06-30', /UNTIL must be a date \(YYYYMMDD\)/],
      ['FREQ=WEEKLY;UNTIL=20260230', /UNTIL '20260230' is not a valid date/],
      ['FREQ=WEEKLY;UNTIL=20260630T250000Z', /not a valid date/],
      ['FREQ=WEEKLY;BYDAY=2WE', /ordinals .* only allowed with FREQ=MONTHLY or FREQ=YEARLY/],
      ['FREQ=DAILY;BYDAY=-1SU', /ordinals/],
      ['FREQ=MONTHLY;BYDAY=6WE', /ordinal in BYDAY '6WE' must be from 1 to 5/],
      ['FREQ=MONTHLY;BYDAY=0WE', /ordinal in BYDAY/],
      ['FREQ=YEARLY;BYDAY=54MO', /from 1 to 53/],
      ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY values must be from 1 to 31/],
      ['FREQ=MONTHLY;BYMONTHDAY=0', /BYMONTHDAY/],
      ['FREQ=MONTHLY;BYMONTHDAY=-32', /BYMONTHDAY/],
      ['FREQ=WEEKLY;BYMONTHDAY=1', /BYMONTHDAY cannot be used with FREQ=WEEKLY/],
      ['FREQ=YEARLY;BYMONTH=13', /BYMONTH values must be from 1 to 12/],
      ['FREQ=YEARLY;BYMONTH=0', /BYMONTH/],
      ['FREQ=MONTHLY;BYYEARDAY=1', /BYYEARDAY can only be used with FREQ=YEARLY/],
      ['FREQ=YEARLY;BYYEARDAY=367', /BYYEARDAY values/],
      ['FREQ=MONTHLY;BYWEEKNO=1', /BYWEEKNO can only be used with FREQ=YEARLY/],
      ['FREQ=YEARLY;BYWEEKNO=54', /BYWEEKNO values/],
      ['FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO', /cannot be combined with BYWEEKNO/],
      ['FREQ=MONTHLY;BYSETPOS=1', /BYSETPOS needs another BYxxx part/],
      ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', /BYSETPOS values/],
      ['FREQ=WEEKLY;WKST=XX', /WKST must be one of/],
      ['FREQ=DAILY;BYHOUR=10', /BYHOUR is not supported: the time of day/],
      ['FREQ=DAILY;BYMINUTE=30', /BYMINUTE is not supported/],
      ['FREQ=DAILY;BYSECOND=0', /BYSECOND is not supported/],
    ]
    for (const [rrule, message] of cases) {
      t.throws(() => expandRecurrence({ ...base, rrule }), { name: 'RecurrenceError', field: 'rrule', message }, JSON.stringify(rrule))
    }
    const error = (() => {
      try {
        expandRecurrence({ ...base, rrule: 'FREQ=WEEKLY;INTERVAL=0' })
      } catch (e) {
        return e
      }
    })()
    t.ok(error instanceof RecurrenceError)
    t.ok(error instanceof Error)
    t.equal((error as RecurrenceError).message, "rrule: INTERVAL must be a whole number from 1 to 1000, got '0'")
  })

  t.test('rejects a non-string rule', async (t) => {
    t.throws(() => expandRecurrence({ ...base, rrule: 42 as unknown as string }), { name: 'RecurrenceError', field: 'rrule' })
  })
})

t.test('input validation names the field at fault', async (t) => {
  const base = { start: '2026-03-07T10:00', timeZone: BRUSSELS, rrule: 'FREQ=WEEKLY;COUNT=2' }
  const cases: [Partial<RecurrenceInput>, string][] = [
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    [{ timeZone: '' }, 'timeZone'],
    [{ timeZone: '+01:00' }, 'timeZone'],
    [{ start: '2026-02-30T10:00' }, 'start'],
    [{ start: '2026-02-29T10:00' }, 'start'],
    [{ start: '2026-13-01T10:00' }, 'start'],
    [{ start: '2026-03-07T24:00' }, 'start'],
    [{ start: '2026-03-07T10:60' }, 'start'],
    [{ start: '2026-03-07T10:00:60' }, 'start'],
    [{ start: '2026-03-07 10:00' }, 'start'],
    [{ start: '2026-03-07T10:00+01:00' }, 'start'],
    [{ start: '2026-03-07T10:00Z' }, 'start'],
    [{ start: '2026-03-07T10:00:00.000' }, 'start'],
    [{ start: '2026-03-07' }, 'start'],
    [{ start: '0026-03-07T10:00' }, 'start'],
    [{ start: '' }, 'start'],
    [{ exdates: ['2026-03-14T10:00', 'next week'] }, 'exdates/1'],
    [{ exdates: ['2026-04-31T10:00'] }, 'exdates/0'],
    [{ exdates: '2026-03-14T10:00' as unknown as string[] }, 'exdates'],
    [{ rdates: ['2026-03-14'] }, 'rdates/0'],
    [{ maxOccurrences: 0 }, 'maxOccurrences'],
    [{ maxOccurrences: 2.5 }, 'maxOccurrences'],
    [{ notAfter: new Date('not a date') }, 'notAfter'],
  ]
  for (const [override, field] of cases) {
    t.throws(() => expandRecurrence({ ...base, ...override }), { name: 'RecurrenceError', field }, JSON.stringify(override))
  }
  t.throws(() => expandRecurrence({ ...base, start: '2026-02-30T10:00' }), {
    message: "start '2026-02-30T10:00' is not a valid date and time: 2026-02 has no day 30",
  })
})

t.test('the result does not depend on the process time zone', async (t) => {
  const fixture = fromRoot('test', 'domain', 'fixtures', 'expand-print.ts')
  const cwd = repositoryRoot
  const run = promisify(execFile)
  const outputs: Record<string, { processTimeZone: string; expansions: unknown; conversions: unknown }> = {}
  // One at a time: the machine is shared.
  for (const tz of ['UTC', 'Europe/Brussels', 'America/New_York']) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture], { cwd, env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', TZ: tz } }) // no coverage: tsx's source maps lack the sources
    outputs[tz] = JSON.parse(stdout)
    t.equal(outputs[tz]!.processTimeZone, tz, `the child really ran with TZ=${tz}`)
  }
  const { UTC, ...others } = outputs
  for (const [tz, output] of Object.entries(others)) {
    t.same(output.expansions, UTC!.expansions, `expansions under TZ=${tz} equal those under TZ=UTC`)
    t.same(output.conversions, UTC!.conversions, `conversions under TZ=${tz} equal those under TZ=UTC`)
  }
  // And they are the right ones, not merely the same ones.
  const expansions = UTC!.expansions as { occurrences: { start: string }[]; warnings: { code: string }[] }[]
  t.equal(expansions[0]!.occurrences[2]!.start, '2026-04-04T10:00:00+02:00')
  t.same(
    expansions[1]!.occurrences.map((o) => o.start),
    ['2026-03-27T02:30:00+01:00', '2026-03-28T02:30:00+01:00', '2026-03-29T03:30:00+02:00'],
  )
  t.same(
    expansions[2]!.occurrences.map((o) => o.start),
    ['2026-10-23T02:30:00+02:00', '2026-10-24T02:30:00+02:00', '2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00'],
  )
  t.same(UTC!.conversions, ['2026-10-25T00:30:00.000Z', '2026-06-30T20:00'])
})
