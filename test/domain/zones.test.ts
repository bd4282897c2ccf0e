import t from 'tap'
import { IANAZone } from 'luxon'
import { zoneNamed } from '../../src/domain/zones.js'

t.test('the cached offset equals luxon\'s at every minute around DST transitions', async (t) => {
  // Brussels (on the hour), St John's (half-hour offset), Lord Howe (30-minute DST), Kathmandu (+05:45).
  const cases: [string, string][] = [
    ['Europe/Brussels', '2026-03-29T00:00:00Z'], ['Europe/Brussels', '2026-10-25T00:00:00Z'],
    ['America/St_Johns', '2026-03-08T02:00:00Z'], ['America/St_Johns', '2026-11-01T02:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'], ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'], ['Europe/Brussels', '1892-04-30T22:00:00Z'],
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
