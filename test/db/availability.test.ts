/**
 * DatabaseAvailability: which errors mean the database is unavailable, and an outage logged as one
 * warning and one line when the probe finds the database back, however many failures meet it.
 */
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { DatabaseAvailability, isDatabaseUnavailable } from '../../src/db/availability.js'

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code })

t.test('what counts as the database being unavailable', async (t) => {
  t.ok(isDatabaseUnavailable(pgError('57P01', 'terminating connection due to administrator command')))
  t.ok(isDatabaseUnavailable(pgError('08006')))
  t.ok(isDatabaseUnavailable(pgError('53300')))
  t.ok(isDatabaseUnavailable(new Error('Failed query: select 1', { cause: pgError('ECONNREFUSED') })), 'through drizzle’s wrapper')
  t.ok(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable')))
  t.notOk(isDatabaseUnavailable(pgError('23505')), 'a unique violation is about the request')
  t.notOk(isDatabaseUnavailable(new Error('boom')))
})

t.test('one warning down, one line up; failures in between are not logged', async (t) => {
  const lines: [string, unknown][] = []
  const logger = { warn: (o: unknown, m: string) => void lines.push([m, o]), info: (m: string) => void lines.push([m, undefined]) }
  let answers = false
  let pings = 0
  const availability = new DatabaseAvailability(
    async () => {
      pings++
      if (!answers) throw new Error('down')
    },
    logger as never,
    20,
  )
  t.teardown(() => availability.stop())
  const failure = new Error('Failed query: select "name" from people where id = $1\nparams: Jan Peeters', { cause: pgError('57P01', 'terminating connection') })
  t.equal(availability.report(new Error('boom')), false, 'another error is left to its caller to log')
  for (let i = 0; i < 50; i++) t.equal(availability.report(failure), true)
  t.equal(availability.down, true)
  await sleep(100)
  t.ok(pings >= 2, 'the probe keeps pinging while down')
  answers = true
  for (let i = 0; i < 50 && availability.down; i++) await sleep(10)
  t.equal(availability.down, false)
  t.same(
    lines.map(([m]) => m),
    ['database unavailable: answering 503 until it is back', 'database available again'],
  )
  t.same(lines[0]![1], { reason: { code: '57P01', message: 'terminating connection' } }, "the driver's words, not the query and its parameters")
  const after = pings
  await sleep(60)
  t.equal(pings, after, 'no probe once up')
})
