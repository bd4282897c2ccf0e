/**
 * The day sheet as a printable page (Accept: text/html): first names only, every value escaped, and
 * — printed to PDF by headless Chromium and read back with pdftotext — the same visits, times,
 * rooms and names as the JSON.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { call, tokenFor } from '../helpers/app.js'
import { printedHtml, printingSkip } from '../helpers/printing.js'
import { dayWithVisits, PRIVATE } from './fixtures.js'

interface SheetVisit {
  start: string
  end: string
  room: { name: string } | null
  parties: { givenName: string | null; arriveAt: string | null; leaveAt: string | null }[]
}

// The JSON's instants are UTC; the page prints the site's clock.
const clock = (instant: string) => DateTime.fromISO(instant, { zone: 'Europe/Brussels' }).toFormat('HH:mm')
const span = (from: string, to: string) => `${clock(from)}–${clock(to)}`

t.test('the printable page: the site, the Dutch date, first names, escaped', async (t) => {
  const day = await dayWithVisits(t)
  const { app, centre } = day.ctx
  const url = `/v1/sites/${centre.demo.siteId}/day-sheet?date=${day.date}`

  const page = await call(app, { url, token: day.staff, headers: { accept: 'text/html' } })
  t.equal(page.status, 200, page.body.slice(0, 300))
  t.match(page.headers['content-type'], /^text\/html; charset=utf-8/)
  t.equal(page.headers.vary, 'Accept')
  const html = page.body
  t.match(html, /^<!doctype html>/)
  t.match(html, /@page\s*\{\s*size:\s*A4/, 'an A4 page')
  t.match(html, 'Dagoverzicht Bezoekruimte Demo')
  const longDate = DateTime.fromISO(day.date).setLocale('nl').toFormat('cccc d LLLL yyyy')
  t.match(longDate, /^(maandag|dinsdag|woensdag|donderdag|vrijdag) \d+ \p{L}+ \d{4}$/u)
  t.ok(html.includes(longDate), `the date in Dutch: ${longDate}`)
  for (const text of [
    'Tom',
    'Sofie',
    'Lena',
    'Karel',
    'Mila',
    'Speelkamer',
    'Grote zaal',
    'An Peeters',
    'Jonas Claes',
    '24/1234/A',
    '24/5678/B',
    '09:45–11:45',
  ])
    t.ok(html.includes(text), `shows ${text}`)
  t.ok(html.includes('&lt;b&gt;x&lt;/b&gt;'), 'a name with markup is escaped')
  t.notOk(html.includes('<b>x</b>'), 'and never markup')
  t.same(
    PRIVATE.filter((text) => html.includes(text)),
    [],
    'no family name, birth date, phone, e-mail or address',
  )

  const browser = await call(app, { url, token: day.staff, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } })
  t.match(browser.headers['content-type'], /^text\/html/, 'a browser gets the page')
  for (const accept of ['*/*', 'application/json', 'application/json, text/html', 'text/html;q=0.5, application/json'])
    t.match((await call(app, { url, token: day.staff, headers: { accept } })).headers['content-type'], /^application\/json/, `${accept}: JSON`)

  const counsellorToken = (await tokenFor(day.ctx.database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
  const counsellor = await call(app, {
    url,
    token: counsellorToken,
    headers: { accept: 'text/html' },
  })
  t.match(counsellor.body, 'enkel de bezoeken die u begeleidt', 'a counsellor’s page says it is not the whole day')
  t.notOk(counsellor.body.includes('Karel'), 'and leaves out the visits of others')

  const empty = await call(app, { url: `/v1/sites/${centre.demo.siteId}/day-sheet?date=2030-01-02`, token: day.staff, headers: { accept: 'text/html' } })
  t.match(empty.body, 'Geen bezoeken op deze dag.')
})

t.test('printed to PDF by headless Chromium, the page reads back as the JSON’s visits', { skip: printingSkip() }, async (t) => {
  const day = await dayWithVisits(t)
  const { app, centre } = day.ctx
  const url = `/v1/sites/${centre.demo.siteId}/day-sheet?date=${day.date}`
  // Family A's parents must not meet: their visits carry the flag, never the profile's note.
  const a = day.families.a
  const safety = { mustNotMeet: [[a.visiting, a.residing]], contactBans: [], notes: 'SAFETY-NOTE' }
  t.equal((await call(app, { method: 'PUT', url: `/v1/cases/${a.caseId}/safety`, token: day.staff, body: safety })).status, 200)
  const sheet = (await call(app, { url, token: day.staff })).json as { visits: (SheetVisit & { caseId: string; mustNotMeet: boolean })[] }
  t.same(
    sheet.visits.map((v) => v.mustNotMeet),
    sheet.visits.map((v) => v.caseId === a.caseId),
    'the flag on family A’s visits only',
  )
  const html = (await call(app, { url, token: day.staff, headers: { accept: 'text/html' } })).body
  const text = printedHtml(html, { layout: true })

  t.match(text, 'Dagoverzicht Bezoekruimte Demo')
  t.ok(text.includes(DateTime.fromISO(day.date).setLocale('nl').toFormat('cccc d LLLL yyyy')), 'the Dutch date is printed')
  t.equal(text.match(/\f/g)?.length ?? 0, 1, 'one A4 page')
  // Reading order is the table's: each visit's time, then its people's arrival and leave times, visit after visit.
  t.same(
    text.match(/\d\d:\d\d–\d\d:\d\d/g),
    sheet.visits.flatMap((v) => [span(v.start, v.end), ...v.parties.filter((p) => p.arriveAt && p.leaveAt).map((p) => span(p.arriveAt!, p.leaveAt!))]),
    'the visits’ times and the staggered arrivals, in order',
  )
  const names = sheet.visits.flatMap((v) => v.parties.map((p) => p.givenName!))
  const pattern = new RegExp([...new Set(names)].map((n) => n.replace(/[<>/]/g, (c) => `\\${c}`)).join('|'), 'g')
  t.same(text.match(pattern), names, 'the first names, visit by visit in order of arrival')
  t.ok(text.includes('<b>x</b>'), 'the escaped name prints as typed')
  // Each visit's row starts on the line of its time, with its room.
  for (const v of sheet.visits) {
    const line = text.split('\n').find((l) => l.includes(span(v.start, v.end)))
    t.ok(line?.includes(v.room!.name), `${span(v.start, v.end)} is in ${v.room!.name}`)
  }
  t.same(
    PRIVATE.filter((x) => text.includes(x)),
    [],
    'nothing private on paper',
  )
  t.equal(text.match(/⚠ Mogen/g)?.length, sheet.visits.filter((v) => v.mustNotMeet).length, 'the flag is printed on each of those visits')
  t.notOk(text.includes('SAFETY-NOTE'), 'the note is not')
})
