/** A day at the demo site with visits of two families, shared by the day-sheet tests (not a test file itself). */
import { DateTime } from 'luxon'
import { fixedClock } from '../../src/clock.js'
import { holidayOn } from '../../src/domain/belgian-holidays.js'
import { acceptedCase, buildTestApp, call, completeIntake, type TestContext } from '../helpers/app.js'

interface Tap {
  teardown(fn: () => unknown): void
}

/** The first working day (Monday to Friday, not a Belgian public holiday) at least `days` after `from`. */
export function workingDayAfter(from: Date, days: number): string {
  let day = DateTime.fromJSDate(from, { zone: 'Europe/Brussels' }).plus({ days })
  while (day.weekday > 5 || holidayOn(day.toISODate()!)) day = day.plus({ days: 1 })
  return day.toISODate()!
}

/** What must never reach a day sheet: family names, birth dates, contact details, addresses. */
export const PRIVATE = [
  'Vermeulen',
  'Janssens',
  'Dewaele',
  'Maes',
  '2019-05-02',
  '1987-01-20',
  '1989-07-14',
  '+32 470',
  'tom@example.be',
  'karel@example.be',
  'Kerkstraat',
  'Geheime Dreef',
  'Molenweg',
]
export const PRIVATE_KEYS = ['familyName', 'birthDate', 'contact', 'phone', 'email', 'address', 'confidentialAddress', 'language']

/** The second family: its child's first name is markup, which every page must show as text. */
const secondFamily = [
  { role: 'child', givenName: '<b>x</b>', familyName: 'Dewaele', birthDate: '2019-05-02', language: 'nl' },
  {
    role: 'visiting_parent',
    givenName: 'Karel',
    familyName: 'Dewaele',
    birthDate: '1987-01-20',
    language: 'nl',
    contact: { phone: '+32 470 77 88 99', email: 'karel@example.be', address: 'Molenweg 3, 2000 Antwerpen' },
  },
  { role: 'residing_parent', givenName: 'Mila', familyName: 'Maes', birthDate: '1989-07-14', language: 'nl', confidentialAddress: true },
]

export interface Day {
  ctx: TestContext
  staff: string
  date: string
  nextDate: string
  families: { a: Awaited<ReturnType<typeof acceptedCase>>; b: Awaited<ReturnType<typeof acceptedCase>> }
  /** The visits of `date` that take place, as booked (in the order they were booked). */
  booked: { tenAm: any; twoPm: any; halfPastFour: any }
  cancelledId: string
  nextDayId: string
}

/**
 * Two active cases at the demo site and, on one working day: 16:30 (family A, Speelkamer, Jonas
 * Claes), 14:00 (family B, Grote zaal, Jonas Claes), 10:00 (family A, Speelkamer, An Peeters), booked
 * in that order, and 18:00 (family B) cancelled; family A again the next working day.
 */
export async function dayWithVisits(t: Tap): Promise<Day> {
  // A day ahead of the wall clock, to the second: the documents seeded now are in force then.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000)
  const ctx = await buildTestApp(t, { clock: fixedClock(at) })
  const { app, centre } = ctx
  const [room1, room2] = centre.demo.roomIds as [string, string]
  const [counsellor1, counsellor2] = centre.demo.counsellorIds as [string, string]
  const a = await acceptedCase(ctx)
  const b = await acceptedCase(ctx, { courtReference: '24/5678/B', parties: secondFamily })
  for (const c of [a, b]) {
    await completeIntake(ctx, c)
    const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
    if (activated.status !== 200) throw new Error(`activation: ${activated.body}`)
  }
  const date = workingDayAfter(at, 7)
  const nextDate = workingDayAfter(DateTime.fromISO(date).toJSDate(), 1)
  const book = async (caseId: string, start: string, roomId: string, counsellorId: string) => {
    const response = await call(app, {
      method: 'POST',
      url: `/v1/cases/${caseId}/visits`,
      token: a.staff,
      body: { kind: 'supervised_visit', roomId, counsellorIds: [counsellorId], start, durationMinutes: 90 },
    })
    if (response.status !== 201) throw new Error(`booking ${start}: ${response.body}`)
    return response.json
  }
  const halfPastFour = await book(a.caseId, `${date}T16:30`, room1, counsellor2)
  const twoPm = await book(b.caseId, `${date}T14:00`, room2, counsellor2)
  const tenAm = await book(a.caseId, `${date}T10:00`, room1, counsellor1)
  const nextDay = await book(a.caseId, `${nextDate}T10:00`, room1, counsellor1)

  const series = await call(app, {
    method: 'POST',
    url: `/v1/cases/${b.caseId}/series`,
    token: a.staff,
    body: { kind: 'supervised_visit', roomId: room2, counsellorIds: [counsellor1], start: `${date}T18:00`, durationMinutes: 90, rrule: 'FREQ=DAILY;COUNT=1' },
  })
  if (series.status !== 201) throw new Error(`series: ${series.body}`)
  const ended = await call(app, { method: 'DELETE', url: `/v1/series/${series.json.seriesId}?from=${date}&reasonCode=illness`, token: a.staff })
  if (ended.status !== 200 || ended.json.cancelled.length !== 1) throw new Error(`series end: ${ended.body}`)

  return {
    ctx,
    staff: a.staff,
    date,
    nextDate,
    families: { a, b },
    booked: { tenAm, twoPm, halfPastFour },
    cancelledId: series.json.visits[0].id,
    nextDayId: nextDay.id,
  }
}
