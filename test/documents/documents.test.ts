import t from 'tap'
import { createHash } from 'node:crypto'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { acceptedCase, testCentre, call, tokenFor } from '../helpers/app.js'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString()

t.test('document versions: numbered per kind and language, SHA-256, immutable, in force', async (t) => {
  const { app, database, centre } = await testCentre(t)
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const publish = (body: Record<string, unknown>, token = staff) =>
    call(app, { method: 'POST', url: '/v1/documents', token, body: { title: 'Huishoudelijk reglement', ...body } })

  const body2 = '1. Je komt op tijd.\n2. Geen gsm tijdens het bezoek — ook niet in de gang.'
  const v2 = await publish({ kind: 'house_rules', language: 'nl', body: body2 })
  t.equal(v2.status, 201, v2.body)
  t.match(v2.json, {
    centreId: centre.centreId,
    kind: 'house_rules',
    language: 'nl',
    version: 2,
    body: body2,
    contentSha256: sha256(body2),
    effectiveFrom: String,
    createdAt: String,
  })
  const fr1 = await publish({ kind: 'house_rules', language: 'fr', title: 'Règlement d’ordre intérieur', body: 'Règle 1.' })
  t.match(fr1.json, { language: 'fr', version: 1, contentSha256: sha256('Règle 1.') }, 'each language counts its own versions')
  const start = new Date(Date.now() + 48 * 3_600_000)
  start.setUTCMilliseconds(0)
  const info2 = await publish({
    kind: 'information',
    language: 'nl',
    title: 'Informatie',
    body: 'Info 2.',
    effectiveFrom: start.toISOString().replace('.000Z', '+00:00'),
  })
  t.match(info2.json, { kind: 'information', version: 2 })
  t.equal(new Date(info2.json.effectiveFrom).getTime(), start.getTime(), 'effectiveFrom as given')
  // Same text, same hash; the hash is of the body only.
  const same = await publish({ kind: 'house_rules', language: 'nl', title: 'Another title', body: body2 })
  t.match(same.json, { version: 3, contentSha256: sha256(body2) })

  // Invalid: unknown kind or language, empty body, not before the latest version's start.
  for (const [name, bad] of [
    ['unknown kind', { kind: 'menu', language: 'nl', body: 'x' }],
    ['unknown language', { kind: 'house_rules', language: 'xx', body: 'x' }],
    ['empty body', { kind: 'house_rules', language: 'nl', body: '' }],
    ['before the latest', { kind: 'information', language: 'nl', body: 'x', effectiveFrom: hours(24) }],
    ['not a timestamp', { kind: 'information', language: 'nl', body: 'x', effectiveFrom: 'tomorrow' }],
  ] as const)
    t.equal((await publish(bad)).status, 400, name)
  // No route changes or removes a version.
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const)
    t.equal((await call(app, { method, url: `/v1/documents/${v2.json.id}`, token: staff, body: {} })).status, 404, `${method} a version`)

  const list = async (query: string, token = staff) => {
    const response = await call(app, { url: `/v1/documents${query}`, token })
    t.equal(response.status, 200, `${query}: ${response.body}`)
    return response.json.items.map((d: { kind: string; language: string; version: number }) => `${d.kind}/${d.language}/${d.version}`)
  }
  t.same(await list(''), ['house_rules/nl/1', 'information/nl/1', 'house_rules/nl/2', 'house_rules/fr/1', 'information/nl/2', 'house_rules/nl/3'])
  t.same(await list('?kind=house_rules'), ['house_rules/nl/1', 'house_rules/nl/2', 'house_rules/fr/1', 'house_rules/nl/3'])
  t.same(await list('?kind=house_rules&language=nl'), ['house_rules/nl/1', 'house_rules/nl/2', 'house_rules/nl/3'])
  t.same(
    await list('?inForce=true'),
    ['information/nl/1', 'house_rules/fr/1', 'house_rules/nl/3'],
    'the latest in force of each kind and language; information 2 is not in force yet',
  )
  t.same(await list('?inForce=true&kind=information'), ['information/nl/1'])
  t.same(await list('?inForce=false'), await list(''), 'inForce=false filters nothing')
  const page = await call(app, { url: '/v1/documents?limit=4', token: staff })
  const rest = await call(app, { url: `/v1/documents?limit=4&cursor=${page.json.nextCursor}`, token: staff })
  t.equal(page.json.items.length + rest.json.items.length, 6)
  t.equal(rest.json.nextCursor, null)
  t.equal((await call(app, { url: '/v1/documents?kind=menu', token: staff })).status, 400)

  // Scope: another centre has its own; clerks and integrations do not read or write documents.
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  const otherStaff = (await tokenFor(database, 'staff', { centreId: other.centreId })).token
  t.same(await list('', otherStaff), ['house_rules/nl/1', 'information/nl/1'])
  const otherPublished = await publish({ kind: 'house_rules', language: 'nl', body: 'B 2.' }, otherStaff)
  t.match(otherPublished.json, { centreId: other.centreId, version: 2 }, 'numbered per centre')
  const counsellor = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token
  t.equal((await list('?inForce=true', counsellor)).length, 3, 'counsellors read them')
  t.equal((await publish({ kind: 'house_rules', language: 'nl', body: 'x' }, counsellor)).status, 403)
  for (const [role, scope] of [
    ['clerk', { courtId: centre.demo.courtId }],
    ['integration', { centreId: centre.centreId }],
  ] as const) {
    const token = (await tokenFor(database, role, scope)).token
    t.equal((await call(app, { url: '/v1/documents', token })).status, 403, `${role} reads no documents`)
    t.equal((await publish({ kind: 'house_rules', language: 'nl', body: 'x' }, token)).status, 403, `${role} publishes none`)
  }
})

t.test('signatures: one per party and version, by adults of the case', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const c = await acceptedCase(ctx)
  const sign = (body: Record<string, unknown>) =>
    call(app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/signatures`,
      token: c.staff,
      body: { partyId: c.visiting, documentId: centre.demo.documentIds.houseRules, method: 'paper', signedAt: hours(-1), ...body },
    })

  const signed = await sign({})
  t.equal(signed.status, 201, signed.body)
  t.match(signed.json, {
    caseId: c.caseId,
    partyId: c.visiting,
    documentId: centre.demo.documentIds.houseRules,
    kind: 'house_rules',
    version: 1,
    method: 'paper',
    recordedByTokenId: String,
  })
  const twice = await sign({ method: 'e_id' })
  t.equal(twice.status, 409)
  t.match(twice.json, { type: 'urn:bezoekruimte:problem:already-signed', detail: /house_rules version 1/ })
  t.equal((await sign({ partyId: c.child })).status, 400, 'a child signs nothing')
  t.equal((await sign({ partyId: c.residing, signedAt: hours(2) })).status, 400, 'not in the future')
  t.equal((await sign({ partyId: c.residing, method: 'fax' })).status, 400, 'unknown method')
  t.equal((await sign({ partyId: c.residing, documentId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' })).status, 404, 'unknown document')
  const event = (await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.at(-1)
  t.match(event, { type: 'document_signed', data: { partyId: c.visiting, kind: 'house_rules', version: 1 } })
})

t.test('agreement: each PUT a new version; signatures per adult on the current version', async (t) => {
  const ctx = await testCentre(t)
  const { app } = ctx
  const c = await acceptedCase(ctx)
  const put = (body: unknown) => call(app, { method: 'PUT', url: `/v1/cases/${c.caseId}/agreement`, token: c.staff, body })
  const sign = (body: Record<string, unknown>) =>
    call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/agreement/signatures`, token: c.staff, body: { signedAt: hours(-1), ...body } })
  const agreementMissing = async () =>
    (await call(app, { url: `/v1/cases/${c.caseId}/readiness`, token: c.staff })).json.missing.filter(
      (m: { requirement: string }) => m.requirement === 'agreement',
    )

  const none = await sign({ partyId: c.visiting })
  t.equal(none.status, 409)
  t.match(none.json, { type: 'urn:bezoekruimte:problem:no-agreement' })
  t.same(await agreementMissing(), [
    { partyId: c.visiting, requirement: 'agreement' },
    { partyId: c.residing, requirement: 'agreement' },
  ])

  const v1 = await put({
    kinds: ['supervised_visit', 'supervised_handover'],
    frequency: 'every two weeks',
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA',
    durationMinutes: 90,
    maxVisits: 3,
    conditions: ['No phones'],
    authorisedVisitors: [{ name: 'Maria', relation: 'grandmother' }],
  })
  t.equal(v1.status, 201, v1.body)
  t.match(v1.json, {
    caseId: c.caseId,
    version: 1,
    kinds: ['supervised_visit', 'supervised_handover'],
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA',
    maxVisits: 3,
    conditions: ['No phones'],
    authorisedVisitors: [{ name: 'Maria', relation: 'grandmother' }],
    signatures: [],
  })
  const signedV1 = await sign({ partyId: c.visiting, version: 1 })
  t.equal(signedV1.status, 201, signedV1.body)
  t.match(signedV1.json, { agreementId: v1.json.id, version: 1, partyId: c.visiting })
  t.equal((await sign({ partyId: c.visiting })).status, 409, 'signed once')
  t.equal((await sign({ partyId: c.child })).status, 400, 'not by the child')
  t.same(await agreementMissing(), [{ partyId: c.residing, requirement: 'agreement', version: 1 }])

  // A new version needs new signatures; a signature for the old one is refused.
  const v2 = await put({ kinds: ['supervised_visit'], validUntil: '2099-06-30' })
  t.equal(v2.status, 200)
  t.match(v2.json, { version: 2, validUntil: '2099-06-30', signatures: [] })
  t.same(await agreementMissing(), [
    { partyId: c.visiting, requirement: 'agreement', version: 2 },
    { partyId: c.residing, requirement: 'agreement', version: 2 },
  ])
  const stale = await sign({ partyId: c.residing, version: 1 })
  t.equal(stale.status, 409)
  t.match(stale.json, { type: 'urn:bezoekruimte:problem:agreement-version-changed', currentVersion: 2 })
  for (const partyId of [c.visiting, c.residing]) t.equal((await sign({ partyId, version: 2 })).status, 201)
  t.same(await agreementMissing(), [])
  const read = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })
  t.match(read.json.agreement, { version: 2, signatures: [{ partyId: c.visiting }, { partyId: c.residing }] })
  t.same(
    (await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.map((e: { type: string }) => e.type),
    ['created', 'agreement_updated', 'agreement_signed', 'agreement_updated', 'agreement_signed', 'agreement_signed'],
  )

  // Invalid agreements.
  for (const [name, bad] of [
    ['no kinds', { kinds: [] }],
    ['unknown kind', { kinds: ['picnic'] }],
    ['valid until yesterday', { kinds: ['supervised_visit'], validUntil: '2020-01-01' }],
    ['bad rrule', { kinds: ['supervised_visit'], rrule: 'FREQ=SOMETIMES' }],
    ['zero visits', { kinds: ['supervised_visit'], maxVisits: 0 }],
  ] as const)
    t.equal((await put(bad)).status, 400, name)
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.agreement.version, 2, 'no version added by refused requests')
})
