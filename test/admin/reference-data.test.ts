import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditEvents } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { testCentre, call, tokenFor } from '../helpers/app.js'

t.test('reference data: create, read, list with cursor, update, deactivate — each audited', async (t) => {
  const { app, database, centre, operator } = await testCentre(t)
  const token = centre.adminToken
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const created: { type: string; id: string }[] = []

  const site = await call(app, {
    method: 'POST',
    url: '/v1/sites',
    token,
    body: {
      name: 'Gent',
      address: 'Kouter 1',
      timeZone: 'Europe/Brussels',
      judicialDistrict: 'Oost-Vlaanderen',
      openingHours: { wed: [{ from: '13:00', to: '18:00' }] },
      closures: [{ from: '2026-12-24', to: '2027-01-01', reason: 'Kerstverlof' }],
    },
  })
  t.equal(site.status, 201)
  t.match(site.json, { centreId: centre.centreId, timeZone: 'Europe/Brussels', closures: [{ reason: 'Kerstverlof' }], active: true })
  created.push({ type: 'site', id: site.json.id })

  const room = await call(app, { method: 'POST', url: '/v1/rooms', token, body: { siteId: site.json.id, name: 'Kamer 1' } })
  t.equal(room.status, 201)
  t.equal(room.json.capacity, 1, 'capacity defaults to 1')
  created.push({ type: 'room', id: room.json.id })

  const counsellor = await call(app, {
    method: 'POST',
    url: '/v1/counsellors',
    token,
    body: {
      name: 'Sara',
      email: 'sara@caw.example',
      languages: ['nl'],
      workingHours: { wed: [{ from: '12:00', to: '19:00' }] },
    },
  })
  t.equal(counsellor.status, 201)
  created.push({ type: 'counsellor', id: counsellor.json.id })

  const court = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: operator,
    body: { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' },
  })
  t.equal(court.status, 201)
  created.push({ type: 'court', id: court.json.id })

  const absence = await call(app, {
    method: 'POST',
    url: `/v1/counsellors/${counsellor.json.id}/absences`,
    token: staff,
    body: { from: '2026-04-01T00:00:00+02:00', until: '2026-04-08T00:00:00+02:00', reason: 'Verlof' },
  })
  t.equal(absence.status, 201)
  t.match(absence.json, { counsellorId: counsellor.json.id, from: '2026-03-31T22:00:00.000Z', reason: 'Verlof' })
  created.push({ type: 'counsellor_absence', id: absence.json.id })
  const absences = await call(app, { url: `/v1/counsellors/${counsellor.json.id}/absences`, token: staff })
  t.equal(absences.json.items.length, 1)

  // staff read; only admins write
  t.equal((await call(app, { url: `/v1/rooms/${room.json.id}`, token: staff })).json.name, 'Kamer 1')
  t.equal((await call(app, { method: 'PATCH', url: `/v1/rooms/${room.json.id}`, token: staff, body: { capacity: 2 } })).status, 403)

  const patched = await call(app, { method: 'PATCH', url: `/v1/rooms/${room.json.id}`, token, body: { capacity: 2, features: ['garden'] } })
  t.match(patched.json, { capacity: 2, features: ['garden'], name: 'Kamer 1' })
  const renamed = await call(app, {
    method: 'PATCH',
    url: `/v1/sites/${site.json.id}`,
    token,
    body: { openingHours: { sat: [{ from: '09:00', to: '12:00' }] } },
  })
  t.same(renamed.json.openingHours, { sat: [{ from: '09:00', to: '12:00' }] })

  const filtered = await call(app, { url: `/v1/rooms?siteId=${site.json.id}`, token: staff })
  t.same(
    filtered.json.items.map((r: { id: string }) => r.id),
    [room.json.id],
  )

  // cursor pagination walks every row once, in creation order
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await call(app, {
      url: `/v1/rooms?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      token,
    })
    seen.push(...page.json.items.map((r) => r.id))
    cursor = page.json.nextCursor
  } while (cursor)
  t.same(seen, [...centre.demo.roomIds, room.json.id])

  const deactivated = await call(app, { method: 'DELETE', url: `/v1/counsellors/${counsellor.json.id}`, token })
  t.equal(deactivated.status, 200)
  t.equal(deactivated.json.active, false)
  t.equal((await call(app, { url: `/v1/counsellors/${counsellor.json.id}`, token })).json.active, false, 'kept, marked inactive')

  const centreRead = await call(app, { url: `/v1/centres/${centre.centreId}`, token: staff })
  t.match(centreRead.json, { id: centre.centreId, settings: { plannedDurationMonths: 6, stagger: { firstToArrive: 'visiting' } } })
  const centrePatched = await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token, body: { settings: { plannedDurationMonths: 9 } } })
  t.match(centrePatched.json.settings, { plannedDurationMonths: 9, stagger: { arrivalGapMinutes: 15 } })

  // every mutation above left an audit event for its entity, with actor and request id
  for (const { type, id } of created) {
    const rows = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, id))
    t.ok(
      rows.some((r) => r.action === `${type}.created` && r.requestId && r.actorTokenId),
      `audit for ${type}.created`,
    )
  }
  const roomAudit = await call(app, { url: `/v1/audit?entityType=room&entityId=${room.json.id}`, token })
  t.same(
    roomAudit.json.items.map((e: { action: string }) => e.action),
    ['room.updated', 'room.created'],
    'newest first',
  )
  const counsellorAudit = await call(app, { url: `/v1/audit?entityId=${counsellor.json.id}`, token })
  t.ok(counsellorAudit.json.items.some((e: { action: string }) => e.action === 'counsellor.deactivated'))
  t.ok((await call(app, { url: `/v1/audit?entityId=${centre.centreId}`, token })).json.items.some((e: { action: string }) => e.action === 'centre.updated'))
  t.equal((await call(app, { url: '/v1/audit', token: staff })).status, 403, 'audit is for admins')
})

t.test('scope: another centre’s staff and admin get 404; clerks get 403; revoked tokens 401', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const staffB = (await tokenFor(database, 'staff', { centreId: other.centreId })).token
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const targets = [
    `/v1/sites/${centre.demo.siteId}`,
    `/v1/rooms/${centre.demo.roomIds[0]}`,
    `/v1/counsellors/${centre.demo.counsellorIds[0]}`,
    `/v1/centres/${centre.centreId}`,
    `/v1/counsellors/${centre.demo.counsellorIds[0]}/absences`,
  ]
  for (const url of targets) {
    t.equal((await call(app, { url, token: staffB })).status, 404, `staff B GET ${url}`)
    t.equal((await call(app, { url, token: centre.adminToken })).status, 200, `admin A GET ${url}`)
  }
  for (const url of targets.slice(0, 3)) {
    t.equal((await call(app, { method: 'PATCH', url, token: other.adminToken, body: { name: 'taken over' } })).status, 404, `admin B PATCH ${url}`)
    t.equal((await call(app, { method: 'DELETE', url, token: other.adminToken })).status, 404, `admin B DELETE ${url}`)
  }
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/rooms', token: other.adminToken, body: { siteId: centre.demo.siteId, name: 'sneaky' } })).status,
    404,
    'no room on another centre’s site',
  )
  const listB = await call(app, { url: '/v1/sites', token: staffB })
  t.same(
    listB.json.items.map((s: { id: string }) => s.id),
    [other.demo!.siteId],
    'lists hold only the own centre',
  )

  t.equal((await call(app, { url: '/v1/sites', token: clerk })).status, 403)
  t.equal((await call(app, { method: 'POST', url: '/v1/courts', token: clerk, body: { name: 'x', judicialDistrict: 'y' } })).status, 403)
  t.equal((await call(app, { url: '/v1/tokens', token: clerk })).status, 403)
  const clerkCourt = await call(app, { url: `/v1/courts/${centre.demo.courtId}`, token: clerk })
  t.equal(clerkCourt.status, 200, 'a clerk reads their own court')
  t.equal((await call(app, { url: `/v1/courts/${other.demo!.courtId}`, token: clerk })).status, 404, 'but no other court')

  const created = await call(app, { method: 'POST', url: '/v1/tokens', token: centre.adminToken, body: { role: 'staff' } })
  t.equal((await call(app, { url: '/v1/sites', token: created.json.token })).status, 200)
  t.equal((await call(app, { method: 'DELETE', url: `/v1/tokens/${created.json.id}`, token: centre.adminToken })).status, 200)
  const revoked = await call(app, { url: '/v1/sites', token: created.json.token })
  t.equal(revoked.status, 401)
  t.match(revoked.headers['www-authenticate'], /Bearer/)
})
