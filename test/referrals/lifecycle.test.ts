import t from 'tap'
import { eq } from 'drizzle-orm'
import { referrals } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { REFERRAL_ACTIONS } from '../../src/domain/referral-lifecycle.js'
import { testCentre, call, referralBody, tokenFor, type TestContext } from '../helpers/app.js'

const DAY_MS = 86_400_000

/** Tokens for the demo centre and court, another court's clerk and another centre's staff. */
async function actors(ctx: TestContext) {
  const { app, database, centre } = ctx
  const otherCourt = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: ctx.operator,
    body: { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' },
  })
  const other = await setupCentre(database.db, { centreName: 'Centre B', demo: true })
  return {
    other,
    staff: (await tokenFor(database, 'staff', { centreId: centre.centreId })).token,
    clerk: (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token,
    otherClerk: (await tokenFor(database, 'clerk', { courtId: otherCourt.json.id })).token,
    otherStaff: (await tokenFor(database, 'staff', { centreId: other.centreId })).token,
    integration: (await tokenFor(database, 'integration', { centreId: centre.centreId })).token,
    courtIntegration: (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token,
    counsellor: (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token,
  }
}

const bodies: Record<string, (ctx: TestContext) => unknown> = {
  waitlist: () => ({}),
  accept: (ctx) => ({ leadCounsellorId: ctx.centre.demo.counsellorIds[0] }),
  refuse: () => ({ reasonCode: 'no_capacity', explanation: 'No place before September.' }),
  return: () => ({ reasonCode: 'incomplete_referral', explanation: 'The decision is not attached.', missingItems: ['decision of 10 February'] }),
  withdraw: () => ({ explanation: 'Agreement reached at the hearing.' }),
}

t.test('waitlist, then each decision; every action refused afterwards with 409 naming status and allowed actions', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const a = await actors(ctx)
  const submit = async () => (await call(app, { method: 'POST', url: '/v1/referrals', token: a.clerk, body: referralBody(centre) })).json.id as string
  const act = (id: string, action: string, token = a.staff) =>
    call(app, { method: 'POST', url: `/v1/referrals/${id}/${action}`, token, body: bodies[action]!(ctx) })

  // waitlisted × waitlist: the only refused action of a waitlisted referral.
  const waiting = await submit()
  t.equal((await act(waiting, 'waitlist')).status, 200)
  const twice = await act(waiting, 'waitlist')
  t.equal(twice.status, 409)
  t.match(twice.json, {
    type: 'urn:bezoekruimte:problem:invalid-transition',
    status: 409,
    currentStatus: 'waitlisted',
    allowedActions: ['accept', 'refuse', 'return', 'withdraw'],
    detail: /Cannot waitlist a referral that is waitlisted; allowed actions: accept, refuse, return, withdraw/,
  })

  // Each final status, reached from submitted and from waitlisted, refuses every action.
  for (const decision of ['accept', 'refuse', 'return', 'withdraw'] as const) {
    for (const fromWaitlist of [false, true]) {
      const id = await submit()
      if (fromWaitlist) t.equal((await act(id, 'waitlist')).status, 200)
      const decided = await act(id, decision)
      t.equal(decided.status, decision === 'accept' ? 201 : 200, `${decision}${fromWaitlist ? ' from the waiting list' : ''}: ${decided.body}`)
      const status = { accept: 'accepted', refuse: 'refused', return: 'returned', withdraw: 'withdrawn' }[decision]
      const read = await call(app, { url: `/v1/referrals/${id}`, token: a.staff })
      t.match(read.json, { status, allowedActions: [], waitingList: null, decidedAt: String })
      for (const action of REFERRAL_ACTIONS) {
        const again = await act(id, action)
        t.equal(again.status, 409, `${status} × ${action}`)
        t.match(again.json, {
          currentStatus: status,
          allowedActions: [],
          detail: `Cannot ${action} a referral that is ${status}; no further actions are possible.`,
        })
      }
      t.equal((await call(app, { url: `/v1/referrals/${id}`, token: a.staff })).json.status, status, 'unchanged by the refused actions')
    }
  }
})

t.test('refuse and return: coded reasons of their own category, with explanation; the clerk sees the code and label, not the explanation', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const a = await actors(ctx)
  const id = (await call(app, { method: 'POST', url: '/v1/referrals', token: a.clerk, body: referralBody(centre) })).json.id as string
  const post = (action: string, body: unknown, token = a.staff) => call(app, { method: 'POST', url: `/v1/referrals/${id}/${action}`, token, body })

  // Reasons outside their category, or unknown: 400 naming the field and the allowed codes.
  for (const [action, code, category] of [
    ['refuse', 'incomplete_referral', 'refusal'],
    ['refuse', 'goal_reached', 'refusal'],
    ['refuse', 'illness', 'refusal'],
    ['refuse', 'nonsense', 'refusal'],
    ['return', 'no_capacity', 'return'],
    ['return', 'house_rules_violation', 'return'],
    ['return', 'case_ended', 'return'],
  ] as const) {
    const response = await post(action, { reasonCode: code, explanation: 'x', ...(action === 'return' ? { missingItems: ['y'] } : {}) })
    t.equal(response.status, 400, `${action} with ${code}`)
    t.match(response.json, { detail: new RegExp(`/reasonCode "${code}" is not a ${category} reason`), errors: [{ in: 'body', pointer: '/reasonCode' }] })
    t.ok(response.json.allowedCodes.includes(category === 'refusal' ? 'no_capacity' : 'wrong_district'), 'lists the allowed codes')
  }
  // An explanation goes with every reason.
  t.equal((await post('refuse', { reasonCode: 'no_capacity' })).status, 400, 'refusal without explanation')
  t.equal((await post('return', { reasonCode: 'wrong_district' })).status, 400, 'return without explanation')
  t.equal((await post('refuse', { reasonCode: 'no_capacity', explanation: '' })).status, 400, 'empty explanation')
  // incomplete_referral must say what is missing.
  const noItems = await post('return', { reasonCode: 'incomplete_referral', explanation: 'Incomplete.' })
  t.equal(noItems.status, 400)
  t.match(noItems.json.errors, [{ pointer: '/missingItems' }])
  t.equal((await call(app, { url: `/v1/referrals/${id}`, token: a.staff })).json.status, 'submitted', 'nothing changed')

  const returned = await post('return', {
    reasonCode: 'incomplete_referral',
    explanation: 'The court decision is not attached.',
    missingItems: ['decision of 10 February', 'hearing date'],
  })
  t.equal(returned.status, 200, returned.body)
  t.match(returned.json, {
    status: 'returned',
    statusReason: {
      category: 'return',
      code: 'incomplete_referral',
      label: { nl: 'Onvolledige verwijzing', fr: 'Demande incomplète', en: 'Incomplete referral' },
    },
    statusExplanation: 'The court decision is not attached.',
    missingItems: ['decision of 10 February', 'hearing date'],
  })
  const clerkView = await call(app, { url: `/v1/referrals/${id}`, token: a.clerk })
  t.match(clerkView.json, {
    status: 'returned',
    statusReason: { code: 'incomplete_referral', label: { en: 'Incomplete referral' } },
    missingItems: ['decision of 10 February', 'hearing date'],
  })
  t.notOk('statusExplanation' in clerkView.json, 'the explanation is internal')

  // A refusal, seen by the clerk with code and label; the explanation stays with the centre.
  const second = (await call(app, { method: 'POST', url: '/v1/referrals', token: a.clerk, body: referralBody(centre) })).json.id as string
  const refused = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${second}/refuse`,
    token: a.staff,
    body: { reasonCode: 'other', explanation: 'Please refer to CAW Gent.' },
  })
  t.equal(refused.status, 200, refused.body)
  t.match(refused.json, {
    status: 'refused',
    statusReason: { category: 'refusal', code: 'other', label: { nl: 'Andere reden' } },
    statusExplanation: 'Please refer to CAW Gent.',
    missingItems: null,
  })
  const clerkRefused = await call(app, { url: `/v1/referrals/${second}`, token: a.clerk })
  t.match(clerkRefused.json, { status: 'refused', statusReason: { category: 'refusal', code: 'other', label: { en: 'Other reason' } } })
  t.notOk(clerkRefused.body.includes('CAW Gent'), 'the explanation is internal')
  t.notOk('allowedActions' in clerkRefused.json)
})

t.test('accept: a case in intake with the parties, the lead counsellor, fee exemption for court orders', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const a = await actors(ctx)
  const courtOrdered = (await call(app, { method: 'POST', url: '/v1/referrals', token: a.clerk, body: referralBody(centre) })).json
  const voluntary = (
    await call(app, {
      method: 'POST',
      url: '/v1/referrals',
      token: a.staff,
      body: referralBody(centre, { source: 'self', legalFramework: 'voluntary', courtId: undefined, courtReference: undefined, decisionDate: undefined }),
    })
  ).json
  const accept = (id: string, body: unknown, token = a.staff) => call(app, { method: 'POST', url: `/v1/referrals/${id}/accept`, token, body })

  // The lead counsellor and site must be this centre's.
  t.equal((await accept(courtOrdered.id, {})).status, 400, 'a lead counsellor is required')
  t.equal((await accept(courtOrdered.id, { leadCounsellorId: a.other.demo!.counsellorIds[0] })).status, 404, 'another centre’s counsellor')
  t.equal(
    (await accept(courtOrdered.id, { leadCounsellorId: centre.demo.counsellorIds[0], siteId: a.other.demo!.siteId })).status,
    404,
    'another centre’s site',
  )
  t.equal((await call(app, { url: '/v1/cases', token: a.staff })).json.items.length, 0, 'no case was opened')

  const accepted = await accept(courtOrdered.id, { leadCounsellorId: centre.demo.counsellorIds[1] })
  t.equal(accepted.status, 201, accepted.body)
  const c = accepted.json.case
  t.match(c, {
    status: 'intake',
    feeExempt: true,
    leadCounsellorId: centre.demo.counsellorIds[1],
    siteId: null,
    referralId: courtOrdered.id,
    courtId: centre.demo.courtId,
    courtReference: '24/1234/A',
    activatedAt: null,
    plannedEndDate: null,
  })
  t.same(
    c.parties.map((p: { role: string; familyName: string }) => `${p.role}:${p.familyName}`).sort(),
    courtOrdered.parties.map((p: { role: string; familyName: string }) => `${p.role}:${p.familyName}`).sort(),
    'the referral’s parties',
  )
  t.same(c.parties.map((p: { id: string }) => p.id).sort(), courtOrdered.parties.map((p: { id: string }) => p.id).sort(), 'the same party records')
  t.match(
    c.parties.find((p: { role: string }) => p.role === 'visiting_parent'),
    { contact: { phone: '+32 470 11 22 33' }, birthDate: '1987-01-20' },
  )
  t.match(accepted.json.referral, { status: 'accepted', caseId: c.id, case: { id: c.id, status: 'intake' } })
  t.same(c.allowedActions, ['activate', 'end', 'record'])
  const events = await call(app, { url: `/v1/cases/${c.id}/events`, token: a.staff })
  t.match(events.json.items, [
    { type: 'created', actorRole: 'staff', reason: null, data: { referralId: courtOrdered.id, leadCounsellorId: centre.demo.counsellorIds[1] } },
  ])

  const voluntaryCase = await accept(voluntary.id, { leadCounsellorId: centre.demo.counsellorIds[0], siteId: centre.demo.siteId })
  t.equal(voluntaryCase.status, 201)
  t.match(voluntaryCase.json.case, { feeExempt: false, courtId: null, siteId: centre.demo.siteId })
})

t.test('who may decide: staff of the centre; the referring court’s clerk may withdraw', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const a = await actors(ctx)
  const submit = async () => (await call(app, { method: 'POST', url: '/v1/referrals', token: a.clerk, body: referralBody(centre) })).json.id as string
  const id = await submit()

  for (const action of ['waitlist', 'accept', 'refuse', 'return'] as const) {
    for (const [name, token] of [
      ['clerk', a.clerk],
      ['integration', a.integration],
      ['court integration', a.courtIntegration],
      ['counsellor', a.counsellor],
    ] as const) {
      t.equal(
        (await call(app, { method: 'POST', url: `/v1/referrals/${id}/${action}`, token, body: bodies[action]!(ctx) })).status,
        403,
        `${name} may not ${action}`,
      )
    }
    t.equal(
      (await call(app, { method: 'POST', url: `/v1/referrals/${id}/${action}`, token: a.otherStaff, body: bodies[action]!(ctx) })).status,
      404,
      `another centre’s staff: ${action} → 404`,
    )
  }
  for (const token of [a.integration, a.courtIntegration, a.counsellor]) {
    t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${id}/withdraw`, token, body: {} })).status, 403, 'read-only tokens may not withdraw')
  }
  t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${id}/withdraw`, token: a.otherClerk, body: {} })).status, 404, 'another court’s clerk')
  t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${id}/withdraw`, token: a.otherStaff, body: {} })).status, 404, 'another centre’s staff')
  t.equal((await call(app, { url: `/v1/referrals/${id}`, token: a.staff })).json.status, 'submitted', 'still submitted')

  // The referring clerk withdraws (an empty body may be left out), and gets the referrer’s view.
  const withdrawn = await call(app, { method: 'POST', url: `/v1/referrals/${id}/withdraw`, token: a.clerk })
  t.equal(withdrawn.status, 200, withdrawn.body)
  t.match(withdrawn.json, { status: 'withdrawn' })
  t.notOk('statusExplanation' in withdrawn.json, 'referrer’s view: no explanation')
  t.notOk('allowedActions' in withdrawn.json, 'referrer’s view')
  t.notOk(withdrawn.body.includes('Kerkstraat'), 'no contact details')
  // Staff withdraw too (e.g. on the court's phone call), from the waiting list.
  const second = await submit()
  await call(app, { method: 'POST', url: `/v1/referrals/${second}/waitlist`, token: a.staff })
  const byStaff = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${second}/withdraw`,
    token: a.staff,
    body: { explanation: 'The court called: agreement at the hearing.' },
  })
  t.match(byStaff.json, { status: 'withdrawn', statusExplanation: 'The court called: agreement at the hearing.' })
  // A final decision cannot be withdrawn.
  const refused = await submit()
  await call(app, { method: 'POST', url: `/v1/referrals/${refused}/refuse`, token: a.staff, body: bodies.refuse!(ctx) })
  const late = await call(app, { method: 'POST', url: `/v1/referrals/${refused}/withdraw`, token: a.clerk })
  t.equal(late.status, 409)
  t.match(late.json, { currentStatus: 'refused', allowedActions: [] })
})

t.test('the waiting list: per centre, in submission order, with position and days waiting', async (t) => {
  const ctx = await testCentre(t)
  const { app, database, centre } = ctx
  const a = await actors(ctx)
  const submit = async (token: string, centreId = centre.centreId, courtId: string | undefined = centre.demo.courtId) =>
    (await call(app, { method: 'POST', url: '/v1/referrals', token, body: referralBody(centre, { centreId, courtId }) })).json.id as string
  const first = await submit(a.clerk)
  const second = await submit(a.staff)
  const third = await submit(a.clerk)
  const elsewhere = await submit(a.clerk, a.other.centreId)
  const otherStaff = a.otherStaff
  // Waitlisted in another order than submitted: the place follows submission.
  for (const id of [third, first, second])
    t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${id}/waitlist`, token: a.staff, body: { explanation: 'Complete.' } })).status, 200)
  t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${elsewhere}/waitlist`, token: otherStaff })).status, 200)
  // The first was submitted 12 days ago, the second a day and a bit ago.
  await database.db
    .update(referrals)
    .set({ submittedAt: new Date(Date.now() - 12 * DAY_MS - 3_600_000) })
    .where(eq(referrals.id, first))
  await database.db
    .update(referrals)
    .set({ submittedAt: new Date(Date.now() - 1.5 * DAY_MS) })
    .where(eq(referrals.id, second))

  const list = await call(app, { url: '/v1/referrals?status=waitlisted', token: a.staff })
  t.equal(list.status, 200)
  t.same(
    list.json.items.map((r: { id: string; waitingList: unknown }) => [r.id, r.waitingList]),
    [
      [first, { position: 1, daysWaiting: 12 }],
      [second, { position: 2, daysWaiting: 1 }],
      [third, { position: 3, daysWaiting: 0 }],
    ],
  )
  t.match(list.json.items[0], { status: 'waitlisted', waitlistedAt: String, statusExplanation: 'Complete.' })
  t.same(
    (await call(app, { url: '/v1/referrals?status=waitlisted', token: otherStaff })).json.items.map((r: { id: string; waitingList: unknown }) => [
      r.id,
      r.waitingList,
    ]),
    [[elsewhere, { position: 1, daysWaiting: 0 }]],
    'another centre’s list is its own',
  )

  // The clerk sees their court's referrals (also one staff registered for the court) with their places.
  const clerkList = await call(app, { url: '/v1/referrals?status=waitlisted', token: a.clerk })
  t.same(
    clerkList.json.items.map((r: { id: string; waitingList: { position: number } }) => [r.id, r.waitingList.position]),
    [
      [first, 1],
      [second, 2],
      [third, 3],
      [elsewhere, 1],
    ],
  )
  t.same((await call(app, { url: '/v1/referrals?status=waitlisted', token: a.otherClerk })).json.items, [], 'another court sees nothing')

  // Taking the first off the list moves everyone up.
  await call(app, { method: 'POST', url: `/v1/referrals/${first}/accept`, token: a.staff, body: { leadCounsellorId: centre.demo.counsellorIds[0] } })
  const after = await call(app, { url: '/v1/referrals?status=waitlisted', token: a.staff })
  t.same(
    after.json.items.map((r: { id: string; waitingList: { position: number } }) => [r.id, r.waitingList.position]),
    [
      [second, 1],
      [third, 2],
    ],
  )
  t.equal((await call(app, { url: `/v1/referrals/${third}`, token: a.clerk })).json.waitingList.position, 2, 'also on the single read')
  t.equal((await call(app, { url: `/v1/referrals/${first}`, token: a.staff })).json.waitingList, null, 'an accepted referral has no place')
  // A submitted referral is not on the list yet.
  const fresh = await submit(a.clerk)
  t.equal((await call(app, { url: `/v1/referrals/${fresh}`, token: a.staff })).json.waitingList, null)
})

t.test('reading referrals: scope, views and pagination', async (t) => {
  const ctx = await testCentre(t)
  const { app, centre } = ctx
  const a = await actors(ctx)
  const ids: string[] = []
  for (let i = 0; i < 5; i++) ids.push((await call(app, { method: 'POST', url: '/v1/referrals', token: a.clerk, body: referralBody(centre) })).json.id)
  const voluntary = (
    await call(app, {
      method: 'POST',
      url: '/v1/referrals',
      token: a.staff,
      body: referralBody(centre, { source: 'lawyer', legalFramework: 'voluntary', courtId: undefined }),
    })
  ).json.id as string
  await call(app, { method: 'POST', url: `/v1/referrals/${ids[1]}/waitlist`, token: a.staff })

  // Pages of two, in submission order, until nextCursor is null.
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: Awaited<ReturnType<typeof call>> = await call(app, { url: `/v1/referrals?limit=2${cursor ? `&cursor=${cursor}` : ''}`, token: a.staff })
    t.equal(page.status, 200)
    t.ok(page.json.items.length <= 2)
    seen.push(...page.json.items.map((r: { id: string }) => r.id))
    cursor = page.json.nextCursor
    pages++
  } while (cursor)
  t.same(seen, [...ids, voluntary])
  t.equal(pages, 3)
  t.equal((await call(app, { url: '/v1/referrals?cursor=garbage', token: a.staff })).status, 400)
  t.same(
    (await call(app, { url: '/v1/referrals?status=waitlisted', token: a.staff })).json.items.map((r: { id: string }) => r.id),
    [ids[1]],
  )
  t.equal((await call(app, { url: '/v1/referrals?status=nonsense', token: a.staff })).status, 400)

  // The clerk sees the court's referrals only (not the lawyer's), as the referrer.
  const clerkList = await call(app, { url: '/v1/referrals', token: a.clerk })
  t.same(
    clerkList.json.items.map((r: { id: string }) => r.id),
    ids,
  )
  for (const secret of ['Kerkstraat', 'Geheime Dreef', '+32 470', 'tom@example.be', '"contact"', 'confidentialAddress', 'allowedActions'])
    t.notOk(clerkList.body.includes(secret), `clerk list without ${secret}`)
  const courtIntegration = await call(app, { url: `/v1/referrals/${ids[0]}`, token: a.courtIntegration })
  t.equal(courtIntegration.status, 200, 'a court integration token reads its court’s referrals')
  t.notOk(courtIntegration.body.includes('Kerkstraat'))
  const centreIntegration = await call(app, { url: `/v1/referrals/${voluntary}`, token: a.integration })
  t.equal(centreIntegration.status, 200)
  t.notOk(centreIntegration.body.includes('+32 470'), 'integration tokens get the referrer’s view')
  const staff = await call(app, { url: `/v1/referrals/${voluntary}`, token: a.staff })
  t.equal(staff.status, 200)
  t.equal(staff.json.parties[1].contact.phone, '+32 470 11 22 33', 'centre roles see contact details')
  const counsellor = await call(app, { url: `/v1/referrals/${voluntary}`, token: a.counsellor })
  t.equal(counsellor.status, 404, 'a counsellor reads only the referrals of the cases it works on')

  // Another scope: nothing, and 404 on each record.
  t.same((await call(app, { url: '/v1/referrals', token: a.otherClerk })).json.items, [])
  t.same((await call(app, { url: '/v1/referrals', token: a.otherStaff })).json.items, [])
  t.equal((await call(app, { url: `/v1/referrals/${voluntary}`, token: a.clerk })).status, 404, 'the clerk does not see the lawyer’s referral')
  for (const token of [a.otherClerk, a.otherStaff]) {
    for (const id of [ids[0], voluntary]) t.equal((await call(app, { url: `/v1/referrals/${id}`, token })).status, 404)
  }
  t.equal((await call(app, { url: '/v1/referrals/01a207aa-2853-7399-9beb-4e6a29a64dd6', token: a.staff })).status, 404)
  t.equal((await call(app, { url: '/v1/referrals/not-a-uuid', token: a.staff })).status, 400)
  t.equal((await call(app, { url: '/v1/referrals' })).status, 401)
})
