import t from 'tap'
import { IANAZone } from 'luxon'
import { zoneNamed } from '../../src/domain/time.js'

t.test("the cached offset equals luxon's at every minute around DST transitions", async (t) => {
  // Brussels (on the hour), St John's (half-hour offset), Lord Howe (30-minute DST), Kathmandu (+05:45).
  const cases: [string, string][] = [
    ['Europe/Brussels', '2026-03-29T00:00:00Z'],
    ['Europe/Brussels', '2026-10-25T00:00:00Z'],
    ['America/St_Johns', '2026-03-08T02:00:00Z'],
    ['America/St_Johns', '2026-11-01T02:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
    ['Europe/Brussels', '1892-04-30T22:00:00Z'],
  ]
  for (const [name, around] of cases) {
    const zone = zoneNamed(name)!
    const exact = IANAZone.create(name)
    let mismatches = 0
    for (let minute = 0; minute < 6 * 60; minute++) {
      const instant = Date.parse(around) + minute * 60_000 + (minute % 7) * 1000
      if (zone.offset(instant) !== exact.offset(instant)) mismatches++
    }
    t.equal(mismatches, 0, `${name} around ${around}`)
  }
  t.equal(zoneNamed('Europe/Brussels'), zoneNamed('Europe/Brussels'), 'one instance per name')
  t.equal(zoneNamed('Europe/Brussels')!.name, 'Europe/Brussels')
  t.equal(zoneNamed('Mars/Olympus_Mons'), undefined)
})

t.test('formatInstant writes what luxon writes, across DST and odd offsets', async (t) => {
  const { DateTime } = await import('luxon')
  const { formatInstant } = await import('../../src/domain/time.js')
  const zones = ['Europe/Brussels', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'UTC', 'Pacific/Chatham']
  let mismatches = 0
  for (const name of zones) {
    for (let i = 0; i < 2000; i++) {
      // Every ~4.4 hours through 2026, with and without milliseconds.
      const instant = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 15_767_000 + (i % 3 === 0 ? 123 : 0))
      if (formatInstant(instant, name) !== DateTime.fromJSDate(instant, { zone: name }).toISO({ suppressMilliseconds: true })) mismatches++
    }
  }
  t.equal(mismatches, 0)
  t.equal(formatInstant(new Date('2026-03-29T08:00:00Z'), 'Europe/Brussels'), '2026-03-29T10:00:00+02:00')
  t.equal(formatInstant(new Date('2026-03-28T09:00:00.500Z'), 'Europe/Brussels'), '2026-03-28T10:00:00.500+01:00')
  t.equal(formatInstant(new Date('2026-07-01T12:00:00Z'), 'America/New_York'), '2026-07-01T08:00:00-04:00')
  t.throws(() => formatInstant(new Date(), 'Mars/Olympus_Mons'), RangeError)
})

t.test('isoUtc writes what Date#toISOString writes', async (t) => {
  const { isoUtc } = await import('../../src/domain/time.js')
  let mismatches = 0
  // Random instants from about 1600 to 10000 (the fallback past 9999), and every day's edges around leap years.
  for (let i = 0; i < 200_000; i++) {
    const ms = Math.floor((Math.random() * 2 - 0.7) * 2.7e14)
    if (isoUtc(ms) !== new Date(ms).toISOString()) mismatches++
  }
  for (let day = Date.UTC(1899, 11, 1); day < Date.UTC(2101, 2, 1); day += 86_400_000) {
    for (const ms of [day, day - 1, day + 43_200_123]) if (isoUtc(new Date(ms)) !== new Date(ms).toISOString()) mismatches++
  }
  t.equal(mismatches, 0)
  t.equal(isoUtc(new Date('2024-02-29T23:59:59.999Z')), '2024-02-29T23:59:59.999Z')
  t.equal(isoUtc(0), '1970-01-01T00:00:00.000Z')
  t.equal(isoUtc(-1), '1969-12-31T23:59:59.999Z')
  t.equal(isoUtc(-62_167_219_200_000), '0000-01-01T00:00:00.000Z')
  t.equal(isoUtc(-62_167_219_200_001), '-000001-12-31T23:59:59.999Z', 'before year 0: as toISOString')
  t.equal(isoUtc(253_402_300_800_000), '+010000-01-01T00:00:00.000Z', 'after 9999: as toISOString')
  t.throws(() => isoUtc(new Date(Number.NaN)), RangeError, 'an invalid date throws as toISOString does')
})
