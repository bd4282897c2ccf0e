import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditEvents, parties, referrals } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
type Errors = { pointer: string; detail: string }[]

t.test('the referral validation matrix: each defect → 400 naming it; all defects in one problem', async (t) => {
  const { app, database, centre } = await buildTestApp(t, { ownDatabase: true })
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const base = referralBody(centre)
  const [child, visiting, residing] = base.parties
  const cases: { name: string; body: Record<string, unknown>; pointer: string; detail: RegExp }[] = [
    { name: 'no child', body: { parties: [visiting, residing] }, pointer: '/parties', detail: /at least one child/ },
    { name: 'no visiting party', body: { parties: [child, residing] }, pointer: '/parties', detail: /at least one visiting party/ },
    { name: 'no parties at all', body: { parties: [] }, pointer: '/parties', detail: /child/ },
    { name: 'court-ordered without court reference', body: { courtReference: undefined }, pointer: '/courtReference', detail: /required for a court-ordered/ },
    { name: 'court-ordered without decision date', body: { decisionDate: undefined }, pointer: '/decisionDate', detail: /required for a court-ordered/ },
    {
      name: 'birth date in the future',
      body: { parties: [{ ...child, birthDate: tomorrow() }, visiting, residing] },
      pointer: '/parties/0/birthDate',
      detail: /future/,
    },
    {
      name: 'impossible birth date',
      body: { parties: [{ ...child, birthDate: '2019-02-30' }, visiting, residing] },
      pointer: '/parties/0/birthDate',
      detail: /format/,
    },
    {
      name: 'child without birth date',
      body: { parties: [{ ...child, birthDate: undefined }, visiting, residing] },
      pointer: '/parties/0/birthDate',
      detail: /required for a child/,
    },
    {
      name: 'a language that is no BCP 47 tag',
      body: { parties: [child, { ...visiting, language: 'Dutch!' }, residing] },
      pointer: '/parties/1/language',
      detail: /must match pattern/,
    },
    { name: 'unknown party role', body: { parties: [child, visiting, { ...residing, role: 'uncle' }] }, pointer: '/parties/2/role', detail: /one of: child/ },
    { name: 'decision date in the future', body: { decisionDate: tomorrow() }, pointer: '/decisionDate', detail: /future/ },
    { name: 'hearing before the decision', body: { hearingDate: '2026-01-01' }, pointer: '/hearingDate', detail: /before the decision/ },
    { name: 'no reason', body: { reason: undefined }, pointer: '/reason', detail: /required/ },
    { name: 'unknown legal framework', body: { legalFramework: 'maybe' }, pointer: '/legalFramework', detail: /court_ordered, voluntary/ },
    { name: 'a clerk referring as a lawyer', body: { source: 'lawyer' }, pointer: '/source', detail: /must be court/ },
    { name: 'unknown property', body: { favouriteColour: 'red' }, pointer: '/favouriteColour', detail: /unknown property/ },
    {
      name: 'invalid email',
      body: { parties: [child, { ...visiting, contact: { email: 'not-an-email' } }, residing] },
      pointer: '/parties/1/contact/email',
      detail: /format/,
    },
  ]
  for (const c of cases) {
    const response = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: { ...base, ...c.body } })
    t.equal(response.status, 400, `${c.name}: ${response.body}`)
    t.match(response.headers['content-type'], /application\/problem\+json/)
    t.match(response.json, { type: 'urn:bezoekruimte:problem:validation', status: 400 })
    const hit = (response.json.errors as Errors).find((e) => e.pointer === c.pointer)
    t.ok(hit && c.detail.test(hit.detail), `${c.name}: errors[] names ${c.pointer} (${JSON.stringify(response.json.errors)})`)
    t.match(response.json.detail, c.pointer, `${c.name}: the detail names the field`)
  }

  // Every defect at once, schema findings and the referral's own rules together.
  const everything = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: clerk,
    body: {
      ...base,
      reason: undefined,
      courtReference: undefined,
      decisionDate: undefined,
      parties: [{ ...residing, language: 'Dutch!', birthDate: tomorrow() }],
    },
  })
  t.equal(everything.status, 400)
  const pointers = (everything.json.errors as Errors).map((e) => e.pointer)
  for (const pointer of ['/reason', '/parties/0/language', '/parties', '/parties/0/birthDate', '/courtReference', '/decisionDate']) {
    t.ok(pointers.includes(pointer), `all at once: ${pointer}`)
  }
  t.equal((everything.json.errors as Errors).filter((e) => e.pointer === '/parties').length, 2, 'no child and no visiting party, both')
  t.equal((await database.db.select().from(referrals)).length, 0, 'nothing stored')

  // A voluntary referral needs no court data; an organisation as residing party needs no birth date.
  const voluntary = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: centre.adminToken,
    body: {
      ...base,
      source: 'youth_services',
      legalFramework: 'voluntary',
      courtId: undefined,
      courtReference: undefined,
      decisionDate: undefined,
      hearingDate: undefined,
      parties: [child, visiting, { role: 'residing_other', familyName: 'Pleeggezin De Smet', language: 'nl' }],
    },
  })
  t.equal(voluntary.status, 201, voluntary.body)
  t.match(voluntary.json, { source: 'youth_services', legalFramework: 'voluntary', courtId: null, courtReference: null })
})

t.test('who may submit, for which court and centre', async (t) => {
  const { app, database, centre, operator } = await buildTestApp(t, { ownDatabase: true })
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const court2 = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: operator,
    body: { name: 'Familierechtbank Mechelen', judicialDistrict: 'Antwerpen' },
  })
  const other = await setupCentre(database.db, { centreName: 'B', demo: true })

  // A clerk's referral carries their own court, even when it leaves courtId out.
  const withoutCourt = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre, { courtId: undefined }) })
  t.equal(withoutCourt.status, 201, withoutCourt.body)
  t.equal(withoutCourt.json.courtId, centre.demo.courtId)
  const [stored] = await database.db.select().from(referrals).where(eq(referrals.id, withoutCourt.json.id))
  t.match(stored, { courtId: centre.demo.courtId, source: 'court', status: 'submitted' })
  t.equal((await database.db.select().from(parties).where(eq(parties.referralId, stored!.id))).length, 3)
  const [audited] = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, stored!.id))
  t.match(audited, { action: 'referral.submitted', actorRole: 'clerk', centreId: centre.centreId, courtId: centre.demo.courtId })

  const otherCourt = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre, { courtId: court2.json.id }) })
  t.equal(otherCourt.status, 422, 'a clerk cannot refer for another court')
  t.match(otherCourt.json, { type: 'urn:bezoekruimte:problem:court-not-yours', errors: [{ pointer: '/courtId' }] })

  // Clerks may refer to any centre that exists.
  t.equal((await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre, { centreId: other.centreId }) })).status, 201)
  const unknownCentre = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: clerk,
    body: referralBody(centre, { centreId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' }),
  })
  t.equal(unknownCentre.status, 422)
  t.match(unknownCentre.json, { type: 'urn:bezoekruimte:problem:unknown-centre', detail: /centreId names no centre/, errors: [{ pointer: '/centreId' }] })

  // Staff register referrals of any source, for their own centre only.
  const lawyer = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: staff,
    body: referralBody(centre, { source: 'lawyer', legalFramework: 'voluntary', courtId: undefined }),
  })
  t.equal(lawyer.status, 201, lawyer.body)
  t.match(lawyer.json, { source: 'lawyer', courtId: null, parties: [{ contact: {} }, { contact: { phone: '+32 470 11 22 33' } }, {}] })
  const foreign = await call(app, { method: 'POST', url: '/v1/referrals', token: staff, body: referralBody(centre, { centreId: other.centreId }) })
  t.equal(foreign.status, 422)
  t.match(foreign.json, { type: 'urn:bezoekruimte:problem:centre-not-yours' })
  const courtWithoutId = await call(app, { method: 'POST', url: '/v1/referrals', token: staff, body: referralBody(centre, { courtId: undefined }) })
  t.equal(courtWithoutId.status, 400)
  t.match(courtWithoutId.json.errors, [{ pointer: '/courtId' }])
  const unknownCourt = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: staff,
    body: referralBody(centre, { courtId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' }),
  })
  t.equal(unknownCourt.status, 422)
  t.match(unknownCourt.json, { type: 'urn:bezoekruimte:problem:unknown-court' })

  // Integration tokens never write; counsellors do not take referrals.
  for (const role of ['integration', 'counsellor'] as const) {
    const scope = role === 'counsellor' ? { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] } : { centreId: centre.centreId }
    const token = (await tokenFor(database, role, scope)).token
    const response = await call(app, { method: 'POST', url: '/v1/referrals', token, body: referralBody(centre) })
    t.equal(response.status, 403, role)
  }
  const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token
  t.equal(
    (await call(app, { method: 'POST', url: '/v1/referrals', token: courtIntegration, body: referralBody(centre) })).status,
    403,
    'court integration token',
  )
  t.equal((await call(app, { method: 'POST', url: '/v1/referrals', body: referralBody(centre) })).status, 401)
})
