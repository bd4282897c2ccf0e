/**
 * A family's record staff can keep right: a party's data corrected (audited by field name, never by
 * value), a grandparent added who attends only once cleared, a safety profile that bookings and
 * availability obey and no court output carries, conversations with a purpose, outside visits with
 * a place, interpreters on the day sheet and in the statistics.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { acceptedCase, buildTestApp, call, completeIntake, type AcceptedCase } from '../helpers/app.js'
import { workingDayAfter } from '../day-sheet/fixtures.js'
import { codesOf, scheduling } from '../scheduling/fixtures.js'

const ctx = await buildTestApp(t)
const { app, centre } = ctx
const admin = centre.adminToken
const s = scheduling(ctx)
// A working day n weeks on: each subtest's visits fall in a week of their own (the centre's rooms are shared).
const day = (weeks: number) => workingDayAfter(new Date(), 7 * weeks)
const minutesApart = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 60_000

async function activeCase() {
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c)
  const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
  if (activated.status !== 200) throw new Error(activated.body)
  return c
}

/** A new agreement version covering every kind, signed by `adults`. */
async function agreeToEverything(c: AcceptedCase, adults = [c.visiting, c.residing]) {
  const put = await call(app, {
    method: 'PUT',
    url: `/v1/cases/${c.caseId}/agreement`,
    token: c.staff,
    body: { kinds: ['supervised_visit', 'supervised_handover', 'outside_visit'], frequency: 'weekly', durationMinutes: 90 },
  })
  if (put.status !== 200) throw new Error(put.body)
  for (const partyId of adults) {
    const signed = await call(app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/agreement/signatures`,
      token: c.staff,
      body: { partyId, signedAt: new Date(Date.now() - 1000).toISOString() },
    })
    if (signed.status !== 201) throw new Error(signed.body)
  }
}

t.test('a party’s data is corrected; the audit trail names the fields, never the values', async (t) => {
  const c = await activeCase()
  const url = `/v1/parties/${c.visiting}`
  const changed = await call(app, {
    method: 'PATCH',
    url,
    token: c.staff,
    body: { contact: { phone: '+32 499 11 22 33', address: 'Nieuwstraat 9, 2000 Antwerpen' }, language: 'ar', interpreter: { needed: true, language: 'ar' } },
  })
  t.equal(changed.status, 200, changed.body)
  t.match(changed.json, { language: 'ar', contact: { phone: '+32 499 11 22 33', address: 'Nieuwstraat 9, 2000 Antwerpen' }, interpreter: { needed: true } })

  const trail = await call(app, { url: `/v1/audit?entityType=party&entityId=${c.visiting}`, token: admin })
  const entry = trail.json.items.find((e: { action: string }) => e.action === 'party.changed')
  t.same([...entry.fields].sort(), ['contact.address', 'contact.phone', 'interpreter', 'language'], 'the fields changed, by name')
  t.equal(entry.actorRole, 'staff')
  t.notOk(/\+32 499|Nieuwstraat/.test(trail.body), 'no value in the audit trail')

  const renamed = { givenName: 'Thomas' }
  const noReason = await call(app, { method: 'PATCH', url, token: c.staff, body: renamed })
  t.equal(noReason.status, 400)
  t.match(noReason.json.errors, [{ pointer: '/reason' }])
  const withReason = await call(app, { method: 'PATCH', url, token: c.staff, body: { ...renamed, reason: 'Misspelled in the referral.' } })
  t.equal(withReason.json.givenName, 'Thomas')
  const cleared = await call(app, { method: 'PATCH', url, token: c.staff, body: { contact: { phone: null } } })
  t.notOk('phone' in cleared.json.contact, 'null removes a detail')
  t.equal(cleared.json.contact.address, 'Nieuwstraat 9, 2000 Antwerpen', 'the rest stays')
  t.equal((await call(app, { method: 'PATCH', url, token: c.staff, body: { language: 'Arabic!' } })).status, 400, 'a language is a BCP 47 tag')
  t.equal((await call(app, { method: 'PATCH', url, token: c.clerk, body: { language: 'fr' } })).status, 403)

  const byClerk = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.clerk })
  t.equal(byClerk.json.view, 'referrer')
  t.notOk(/Nieuwstraat|interpreter|contact/.test(byClerk.body), 'the court keeps its referrer view')
})

t.test('an added grandparent attends visits only once their intake and signatures are recorded', async (t) => {
  const c = await activeCase()
  const added = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/parties`,
    token: c.staff,
    body: { role: 'visiting_grandparent', givenName: 'Maria', familyName: 'Peeters', language: 'tr' },
  })
  t.equal(added.status, 201, added.body)
  const grandparent = added.json.id as string
  t.ok(added.json.joinedAt)

  const before = await s.book(c.caseId, { start: `${day(1)}T10:00` })
  t.equal(before.status, 201, 'the case goes on')
  t.notOk(before.json.partyIds.includes(grandparent), 'without the grandparent')
  const readiness = await call(app, { url: `/v1/cases/${c.caseId}/readiness`, token: c.staff })
  t.same(
    readiness.json.missing.filter((m: { partyId: string }) => m.partyId === grandparent).map((m: { requirement: string }) => m.requirement),
    ['intake', 'house_rules', 'information', 'agreement'],
  )

  const signedAt = new Date(Date.now() - 1000).toISOString()
  const post = (path: string, body: unknown) => call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/${path}`, token: c.staff, body })
  t.equal((await post('intakes', { partyId: grandparent, heldAt: signedAt, counsellorId: s.counsellor1 })).status, 201)
  for (const documentId of [centre.demo.documentIds.houseRules, centre.demo.documentIds.information])
    t.equal((await post('signatures', { partyId: grandparent, documentId, method: 'paper', signedAt })).status, 201)
  t.equal((await post('agreement/signatures', { partyId: grandparent, signedAt })).status, 201)

  const after = await s.book(c.caseId, { start: `${day(2)}T10:00` })
  t.equal(after.status, 201, after.body)
  t.ok(after.json.partyIds.includes(grandparent), 'the grandparent attends from now on')
  t.ok(after.json.arrivals.some((a: { partyId: string }) => a.partyId === grandparent))
  t.equal(
    (await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/parties`, token: c.staff, body: { role: 'child', familyName: 'X', language: 'nl' } }))
      .status,
    400,
    'a child needs a birth date',
  )
})

t.test('a pair that must not meet: bookings and availability keep them apart, no court output carries the profile', async (t) => {
  const c = await activeCase()
  const safety = { mustNotMeet: [[c.visiting, c.residing]], contactBans: [{ partyId: c.visiting, details: 'BAN-DETAILS' }], notes: 'SAFETY-NOTE' }
  const put = await call(app, { method: 'PUT', url: `/v1/cases/${c.caseId}/safety`, token: c.staff, body: safety })
  t.equal(put.status, 200, put.body)
  t.match(put.json, { mustNotMeet: [[c.visiting, c.residing]], minimumGapMinutes: 15, notes: 'SAFETY-NOTE' })
  const twice = await call(app, {
    method: 'PUT',
    url: `/v1/cases/${c.caseId}/safety`,
    token: c.staff,
    body: { ...safety, mustNotMeet: [[c.visiting, c.visiting]] },
  })
  t.match(twice.json.errors, [{ pointer: '/mustNotMeet/0' }])
  t.match((await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.safety, { notes: 'SAFETY-NOTE' }, 'staff read it on the case')

  const date = day(3)
  const tight = await s.book(c.caseId, { start: `${date}T10:00`, stagger: { arrivalGapMinutes: 5, departureGapMinutes: 5 } })
  t.equal(tight.status, 409)
  t.same(codesOf(tight.json.conflicts), ['must_not_meet'])
  t.match(tight.json.detail, /must be at least 15 minutes apart/)

  // The centre asks for 30 minutes: a booking that gives no gaps gets them.
  const settings = await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { minimumGapMinutes: 30 } } })
  t.equal(settings.status, 200, settings.body)
  t.teardown(() => call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: admin, body: { settings: { minimumGapMinutes: 15 } } }))
  const booked = await s.book(c.caseId, { start: `${date}T10:00` })
  t.equal(booked.status, 201, booked.body)
  const [first, second] = booked.json.arrivals as { arriveAt: string; leaveAt: string }[]
  t.equal(minutesApart(first!.arriveAt, second!.arriveAt), 30, 'arrivals 30 minutes apart')
  t.equal(minutesApart(first!.leaveAt, second!.leaveAt), 30, 'and departures')

  // Availability stops where the longer staggering no longer fits before closing (20:00).
  const search = (extra: string) =>
    call(app, {
      url: `/v1/availability?siteId=${centre.demo.siteId}&from=${day(4)}&to=${day(4)}T23:00&durationMinutes=90&stepMinutes=15&limit=200${extra}`,
      token: c.staff,
    })
  const lastStart = (items: { start: string }[]) => DateTime.fromISO(items.at(-1)!.start, { zone: 'Europe/Brussels' }).toFormat('HH:mm')
  const anyFamily = await search('')
  const thisFamily = await search(`&caseId=${c.caseId}`)
  t.equal(lastStart(anyFamily.json.items), '18:15')
  t.equal(lastStart(thisFamily.json.items), '18:00', 'this family’s 18:15 is skipped')
  t.ok(thisFamily.json.items.every((slot: { arrivals: { arriveAt: string }[] }) => minutesApart(slot.arrivals[0]!.arriveAt, slot.arrivals[1]!.arriveAt) >= 30))
  const tooTight = await search(`&caseId=${c.caseId}&arrivalGapMinutes=10`)
  t.equal(tooTight.status, 400)
  t.match(tooTight.json.detail, /must_not_meet/)

  // An evaluation brings the parents together, except a pair kept apart: staggered, and never at once.
  const talk = { kind: 'conversation', purpose: 'evaluation', start: `${date}T15:00`, durationMinutes: 60 }
  const evaluation = await s.book(c.caseId, talk)
  t.equal(evaluation.status, 201, evaluation.body)
  t.equal(minutesApart(evaluation.json.arrivals[0].arriveAt, evaluation.json.arrivals[1].arriveAt), 30)
  const together = await s.book(c.caseId, { ...talk, start: `${date}T17:00`, stagger: { arrivalGapMinutes: 0, departureGapMinutes: 0 } })
  t.equal(together.status, 409)
  t.same(codesOf(together.json.conflicts), ['must_not_meet'])

  const courtSees = [
    (await call(app, { url: `/v1/cases/${c.caseId}`, token: c.clerk })).body,
    (await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })).body,
    (await call(app, { url: `/v1/referrals/${c.referralId}`, token: c.clerk })).body,
    (await call(app, { url: '/v1/reports?limit=200', token: c.clerk })).body,
  ].join('\n')
  t.notOk(/SAFETY-NOTE|BAN-DETAILS|mustNotMeet|safety/.test(courtSees), 'no court output carries the profile')
})

t.test('conversations say what they are for; an outside visit says where; interpreters are shown and counted', async (t) => {
  const c = await activeCase()
  await agreeToEverything(c)
  const date = day(5)
  const noPurpose = await s.book(c.caseId, { kind: 'conversation', start: `${date}T09:30`, durationMinutes: 60 })
  t.equal(noPurpose.status, 400)
  t.match(noPurpose.json.errors, [{ pointer: '/purpose' }])
  const evaluation = await s.book(c.caseId, { kind: 'conversation', purpose: 'evaluation', start: `${date}T09:30`, durationMinutes: 60 })
  t.equal(evaluation.status, 201, evaluation.body)
  t.equal(evaluation.json.purpose, 'evaluation')
  t.ok(
    evaluation.json.arrivals.every((a: { arriveAt: string; leaveAt: string }) => a.arriveAt === evaluation.json.start && a.leaveAt === evaluation.json.end),
    'both parents at once: no staggering',
  )

  const outside = { kind: 'outside_visit', start: `${date}T14:00`, durationMinutes: 90, roomId: undefined }
  const nowhere = await s.book(c.caseId, outside)
  t.equal(nowhere.status, 400)
  t.match(nowhere.json.errors, [{ pointer: '/location' }])
  const park = await s.book(c.caseId, {
    ...outside,
    location: { description: 'Speeltuin Stadspark', address: 'Rubenslei, 2018 Antwerpen' },
    interpreter: { name: 'Samira El Amrani', language: 'ar' },
  })
  t.equal(park.status, 201, park.body)
  t.match(park.json, { location: { description: 'Speeltuin Stadspark' }, interpreter: { language: 'ar' } })

  const sheet = await call(app, { url: `/v1/sites/${centre.demo.siteId}/day-sheet?date=${date}`, token: c.staff })
  t.match(
    sheet.json.visits.find((v: { id: string }) => v.id === park.json.id),
    { location: { description: 'Speeltuin Stadspark' }, interpreter: { name: 'Samira El Amrani' }, mustNotMeet: false },
  )
  const page = (await call(app, { url: `/v1/sites/${centre.demo.siteId}/day-sheet?date=${date}`, token: c.staff, headers: { accept: 'text/html' } })).body
  t.ok(page.includes('Speeltuin Stadspark, Rubenslei') && page.includes('Tolk: Samira El Amrani (ar)'), 'the page shows the place and the interpreter')
  t.ok(page.includes('gesprek (evaluatie)'), 'and the conversation’s purpose')

  const figures = (await call(app, { url: `/v1/statistics?from=${date}&to=${date}`, token: admin })).json.groups[0].figures
  t.match(figures.visitsWithInterpreter, { total: 1, byLanguage: { ar: 1 } })
  t.match(figures.conversations, { total: 1, byPurpose: { evaluation: 1 } })
})
