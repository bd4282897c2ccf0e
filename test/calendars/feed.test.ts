/**
 * A counsellor's calendar feed (GET /v1/counsellors/{id}/calendar.ics?key=) and its key (POST and
 * DELETE /v1/counsellors/{id}/calendar-key): the feed parses as RFC 5545 with ical.js, keeps a
 * Saturday 10:00 visit at 10:00 local across the start of summer time, shows a cancelled visit as
 * cancelled, names no party, and opens only with the counsellor's live key.
 */
import t from 'tap'
import ICAL from 'ical.js'
import pino from 'pino'
import { and, asc, eq } from 'drizzle-orm'
import { fixedClock } from '../../src/clock.js'
import { auditEvents, counsellors } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { acceptedCase, buildTestApp, call, completeIntake, tokenFor } from '../helpers/app.js'

// Before the series below: the visits are in the future, and in the feed's window.
const NOW = '2027-03-01T08:00:00Z'

/** The demo centre with one active case (the referral's family of test/helpers/app.ts) and three Saturday visits, 10:00 local. */
async function centreWithSeries(t: { teardown(fn: () => unknown): void }, options: { logger?: unknown } = {}) {
  const clock = fixedClock(NOW)
  const ctx = await buildTestApp(t, { clock, ...options })
  const { app, centre } = ctx
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
  if (activated.status !== 200) throw new Error(`activation: ${activated.body}`)
  // Saturdays 20 and 27 March and 3 April 2027: summer time starts on Sunday 28 March.
  const series = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/series`,
    token: c.staff,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[0],
      counsellorIds: [centre.demo.counsellorIds[0]],
      start: '2027-03-20T10:00',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;COUNT=3',
    },
  })
  if (series.status !== 201) throw new Error(`series: ${series.body}`)
  return { ctx, clock, c, series: series.json as { seriesId: string; visits: { id: string; start: string }[] } }
}

/** The feed parsed by ical.js, its VTIMEZONEs registered so that local times convert to instants. */
function parse(body: string) {
  const calendar = new ICAL.Component(ICAL.parse(body))
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone)
  return {
    calendar,
    events: calendar.getAllSubcomponents('vevent').map((component) => ({ component, event: new ICAL.Event(component) })),
  }
}

t.test('the feed: RFC 5545 in the site zone, wall-clock times kept across DST, cancelled visits marked', async (t) => {
  const { ctx, clock, c, series } = await centreWithSeries(t)
  const { app, centre } = ctx
  const made = await call(app, { method: 'POST', url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/calendar-key`, token: c.staff })
  t.equal(made.status, 201, made.body)
  t.match(made.json.key, /^bzc_[\w-]{43}$/, 'a key of its own, not an API token')
  t.equal(made.json.url, `/v1/counsellors/${centre.demo.counsellorIds[0]}/calendar.ics?key=${made.json.key}`)

  const feed = await app.inject({ url: made.json.url })
  t.equal(feed.statusCode, 200, feed.body)
  t.equal(feed.headers['content-type'], 'text/calendar; charset=utf-8')
  t.equal(feed.headers['cache-control'], 'private, no-store')

  const { calendar, events } = parse(feed.body)
  t.equal(calendar.getFirstPropertyValue('version'), '2.0')
  t.same(
    calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')),
    ['Europe/Brussels'],
    'one VTIMEZONE, for the site',
  )
  t.same(
    events.map(({ event }) => event.uid),
    series.visits.map((v) => v.id),
    'one event per visit, its UID the visit id',
  )
  const [before, after] = events.map(({ event }) => event)
  t.same(
    events.map(({ event }) => [event.startDate.toString(), event.startDate.zone?.tzid, event.endDate.toString()]),
    [
      ['2027-03-20T10:00:00', 'Europe/Brussels', '2027-03-20T11:30:00'],
      ['2027-03-27T10:00:00', 'Europe/Brussels', '2027-03-27T11:30:00'],
      ['2027-04-03T10:00:00', 'Europe/Brussels', '2027-04-03T11:30:00'],
    ],
    '10:00 in Europe/Brussels each Saturday',
  )
  t.equal(before!.startDate.toJSDate().toISOString(), '2027-03-20T09:00:00.000Z', 'winter time: UTC+1')
  t.equal(after!.startDate.toJSDate().toISOString(), '2027-03-27T09:00:00.000Z', 'the last Saturday of winter time')
  const third = events[2]!.event
  t.equal(third.startDate.toJSDate().toISOString(), '2027-04-03T08:00:00.000Z', 'summer time: UTC+2')
  t.equal(third.startDate.toJSDate().getTime() - after!.startDate.toJSDate().getTime(), 7 * 86_400_000 - 3_600_000, 'a week less the hour lost')
  t.match(feed.body, /DTSTART;TZID=Europe\/Brussels:20270403T100000\r\n/)

  const first = events[0]!
  t.equal(first.event.summary, 'Begeleid bezoek — dossier 24/1234/A')
  t.equal(first.event.location, 'Bezoekruimte Demo, Speelkamer')
  t.equal(first.component.getFirstPropertyValue('status'), 'CONFIRMED')
  t.equal(first.component.getFirstPropertyValue('class'), 'PRIVATE')
  t.equal(first.event.sequence, 1)
  t.equal(
    first.event.description,
    [
      'Begeleid bezoek (gepland)',
      'Dossier: 24/1234/A',
      'Lokaal: Speelkamer',
      'Begeleiding: An Peeters',
      'Aankomst en vertrek (gespreid):',
      '- bezoekende ouder: komt 09:45, vertrekt 11:45',
      '- verblijfsouder: komt 10:00, vertrekt 11:30',
    ].join('\n'),
    'room, kind, case number and each role’s arrival and leave',
  )

  // Ending the series from April cancels the third visit: it stays in the feed, cancelled, with a higher SEQUENCE.
  const ended = await call(app, { method: 'DELETE', url: `/v1/series/${series.seriesId}?from=2027-04-01&reasonCode=illness`, token: c.staff })
  t.equal(ended.status, 200, ended.body)
  const again = parse((await app.inject({ url: made.json.url })).body).events
  t.same(
    again.map(({ component, event }) => [event.uid, component.getFirstPropertyValue('status'), event.sequence]),
    [
      [series.visits[0]!.id, 'CONFIRMED', 1],
      [series.visits[1]!.id, 'CONFIRMED', 1],
      [series.visits[2]!.id, 'CANCELLED', 2],
    ],
  )
  t.equal(again[2]!.component.getFirstPropertyValue('transp'), 'TRANSPARENT', 'a cancelled visit does not block the counsellor’s time')

  t.test('never a party’s name, contact detail, birth date or address', async (t) => {
    const body = (await app.inject({ url: made.json.url })).body
    const party = (await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.parties as Record<string, any>[]
    const values = party.flatMap((p) =>
      [p.givenName, p.familyName, p.birthDate, p.contact?.phone, p.contact?.email, p.contact?.address].filter((v): v is string => typeof v === 'string'),
    )
    t.ok(values.length >= 12, `the case's party fields: ${values.join(', ')}`)
    const unfolded = body.replace(/\r\n[ \t]/g, '')
    t.same(
      values.filter((v) => new RegExp(`\\b${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(unfolded)),
      [],
      'none of them in the feed',
    )
    t.notMatch(unfolded, /\+32|@example|straat|dreef/i)
  })

  t.test('a counsellor sees only the visits it supervises', async (t) => {
    const other = await call(app, { method: 'POST', url: `/v1/counsellors/${centre.demo.counsellorIds[1]}/calendar-key`, token: c.staff })
    t.equal(other.status, 201)
    const { events } = parse((await app.inject({ url: other.json.url })).body)
    t.same(events, [], 'the other counsellor supervises none of them')
  })

  t.test('the window: from 30 days back to 180 days ahead', async (t) => {
    const uids = async (now: string) => {
      clock.set(now)
      return parse((await app.inject({ url: made.json.url })).body).events.map(({ event }) => event.uid)
    }
    t.same(await uids('2026-09-25T08:00:00Z'), [series.visits[0]!.id], 'up to 180 days ahead: 20 March, not 27 March')
    t.same(await uids('2027-04-25T08:00:00Z'), [series.visits[1]!.id, series.visits[2]!.id], 'from 30 days back: 27 March on, not 20 March')
    t.same(await uids('2027-10-01T08:00:00Z'), [], 'an empty feed is still a calendar')
    clock.set(NOW)
  })
})

t.test('the key: made, replaced and revoked by whom it may be; the feed opens only with the live one', async (t) => {
  const { ctx } = await centreWithSeries(t)
  const { app, database, centre } = ctx
  const [mine, theirs] = centre.demo.counsellorIds as [string, string]
  const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: mine })).token
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const feed = (url: string) => app.inject({ url })
  const keyUrl = (id: string) => `/v1/counsellors/${id}/calendar-key`

  const own = await call(app, { method: 'POST', url: keyUrl(mine), token: counsellor })
  t.equal(own.status, 201, 'a counsellor makes its own key')
  t.equal((await feed(own.json.url)).statusCode, 200)

  const forOther = await call(app, { method: 'POST', url: keyUrl(theirs), token: counsellor })
  t.equal(forOther.status, 404, 'not another counsellor’s: as if it did not exist')
  t.equal((await call(app, { method: 'DELETE', url: keyUrl(theirs), token: counsellor })).status, 404)

  const elsewhere = (await setupCentre(database.db, { centreName: 'Centre B', demo: true })) as { demo: { counsellorIds: string[] } }
  t.equal((await call(app, { method: 'POST', url: keyUrl(elsewhere.demo.counsellorIds[0]!), token: staff })).status, 404, 'not another centre’s counsellor')
  t.equal((await call(app, { method: 'POST', url: keyUrl(mine), token: ctx.operator })).status, 403)

  const replaced = await call(app, { method: 'POST', url: keyUrl(mine), token: staff })
  t.equal(replaced.status, 201)
  t.not(replaced.json.key, own.json.key)
  const gone = await feed(own.json.url)
  t.equal(gone.statusCode, 404, 'the replaced key stops working at once')
  t.equal(gone.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal((await feed(replaced.json.url)).statusCode, 200)

  // Every way of not having the key answers the same 404, which says nothing of the counsellor.
  const refusals = await Promise.all(
    [
      own.json.url,
      `/v1/counsellors/${mine}/calendar.ics`,
      `/v1/counsellors/${mine}/calendar.ics?key=`,
      `/v1/counsellors/${mine}/calendar.ics?key=bzc_wrong`,
      `/v1/counsellors/${mine}/calendar.ics?key=${staff}`,
      `/v1/counsellors/${theirs}/calendar.ics?key=${encodeURIComponent(replaced.json.key)}`,
      `/v1/counsellors/00000000-0000-4000-8000-000000000000/calendar.ics?key=${encodeURIComponent(replaced.json.key)}`,
    ].map(feed),
  )
  t.same(
    refusals.map((r) => r.statusCode),
    [404, 404, 404, 404, 404, 404, 404],
  )
  t.equal(new Set(refusals.map((r) => r.json().detail)).size, 1, 'one answer for all of them')
  // A bearer token does not open a feed either.
  t.equal((await app.inject({ url: `/v1/counsellors/${mine}/calendar.ics`, headers: { authorization: `Bearer ${staff}` } })).statusCode, 404)

  const revoked = await call(app, { method: 'DELETE', url: keyUrl(mine), token: counsellor })
  t.equal(revoked.status, 200)
  t.equal(revoked.json.counsellorId, mine)
  t.ok(revoked.json.revokedAt, 'revoked at')
  t.equal((await feed(replaced.json.url)).statusCode, 404, 'the revoked key stops working at once')
  const twice = await call(app, { method: 'DELETE', url: keyUrl(mine), token: staff })
  t.equal(twice.status, 200, 'revoking again is harmless')
  t.equal(twice.json.revokedAt, revoked.json.revokedAt)
  t.equal((await call(app, { method: 'DELETE', url: keyUrl(theirs), token: staff })).status, 404, 'no key to revoke')

  const audited = await database.db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'calendar_key'), eq(auditEvents.entityId, mine)))
    .orderBy(asc(auditEvents.id))
  t.same(
    audited.map((a) => a.action),
    ['calendar_key.created', 'calendar_key.created', 'calendar_key.revoked'],
    'making and revoking are audited (revoking twice once)',
  )

  // A deactivated counsellor has no feed, and gets no new key.
  const again = await call(app, { method: 'POST', url: keyUrl(mine), token: staff })
  await database.db.update(counsellors).set({ active: false }).where(eq(counsellors.id, mine))
  t.equal((await feed(again.json.url)).statusCode, 404)
  const refused = await call(app, { method: 'POST', url: keyUrl(mine), token: staff })
  t.equal(refused.status, 409)
  t.equal(refused.json.type, 'urn:bezoekruimte:problem:counsellor-inactive')
})

t.test('the key never reaches the log', async (t) => {
  const lines: string[] = []
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) })
  const { ctx } = await centreWithSeries(t, { logger })
  const { app, centre } = ctx
  const made = await call(app, { method: 'POST', url: `/v1/counsellors/${centre.demo.counsellorIds[0]}/calendar-key`, token: centre.adminToken })
  t.equal(made.status, 201)
  t.equal((await app.inject({ url: made.json.url })).statusCode, 200)
  t.equal((await app.inject({ url: `${made.json.url}x` })).statusCode, 404)
  const log = lines.join('\n')
  t.match(log, /"url":"\/v1\/counsellors\/:id\/calendar.ics","query":\{"key":"\(hidden\)"\}/, 'the request is logged, its key hidden')
  t.notOk(log.includes(made.json.key.slice(4)), 'neither the key nor the URL carrying it is in the log')
})
