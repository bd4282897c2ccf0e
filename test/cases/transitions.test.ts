import t from 'tap'
import { CASE_ACTIONS, allowedCaseActions, type CaseAction } from '../../src/domain/case-lifecycle.js'
import { REASON_CATALOGUE } from '../../src/domain/reason-codes.js'
import { acceptedCase, testCentre, call, completeIntake, type AcceptedCase, type TestContext } from '../helpers/app.js'

type Status = 'intake' | 'active' | 'suspended' | 'ended'
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })

/** A case brought to `status` through HTTP. */
async function caseIn(ctx: TestContext, status: Status): Promise<AcceptedCase> {
  const c = await acceptedCase(ctx)
  const post = async (path: string, body: unknown) => {
    const response = await call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/${path}`, token: c.staff, body })
    if (response.status !== 200) throw new Error(`${path}: ${response.body}`)
  }
  if (status === 'intake') return c
  if (status === 'ended') {
    await post('end', { reasonCode: 'parties_do_not_consent', explanation: 'The residing parent withdrew consent at the intake.', effectiveDate: today() })
    return c
  }
  await completeIntake(ctx, c)
  await post('activate', {})
  if (status === 'suspended') await post('suspend', { reasonCode: 'illness', explanation: 'The child is in hospital.', from: today() })
  return c
}

/** Every write a case action stands for, with a valid body: only the state may refuse it. */
function requests(ctx: TestContext, c: AcceptedCase, action: CaseAction) {
  const url = `/v1/cases/${c.caseId}`
  const signedAt = new Date(Date.now() - 60_000).toISOString()
  switch (action) {
    case 'activate':
      return [{ method: 'POST' as const, url: `${url}/activate`, body: {} }]
    case 'extend':
      return [{ method: 'POST' as const, url: `${url}/extend`, body: { plannedEndDate: inDays(400), explanation: 'Hearing postponed.' } }]
    case 'suspend':
      return [
        { method: 'POST' as const, url: `${url}/suspend`, body: { reasonCode: 'safety_concern', explanation: 'Threats in the car park.', from: today() } },
      ]
    case 'resume':
      return [{ method: 'POST' as const, url: `${url}/resume`, body: { explanation: 'Evaluation held.' } }]
    case 'end':
      return [{ method: 'POST' as const, url: `${url}/end`, body: { reasonCode: 'other', explanation: 'Moved abroad.', effectiveDate: today() } }]
    case 'record':
      return [
        { method: 'POST' as const, url: `${url}/intakes`, body: { partyId: c.visiting, heldAt: signedAt, counsellorId: ctx.centre.demo.counsellorIds[0] } },
        {
          method: 'POST' as const,
          url: `${url}/signatures`,
          body: { partyId: c.visiting, documentId: ctx.centre.demo.documentIds.houseRules, method: 'paper', signedAt },
        },
        { method: 'PUT' as const, url: `${url}/agreement`, body: { kinds: ['supervised_visit'] } },
        { method: 'POST' as const, url: `${url}/agreement/signatures`, body: { partyId: c.visiting, signedAt } },
      ]
  }
}

t.test('every action a status does not allow → 409 naming the current status and the allowed actions', async (t) => {
  const ctx = await testCentre(t)
  for (const status of ['intake', 'active', 'suspended', 'ended'] as const) {
    const c = await caseIn(ctx, status)
    const allowed = allowedCaseActions(status)
    const before = (await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.length
    for (const action of CASE_ACTIONS.filter((a) => !allowed.includes(a))) {
      for (const request of requests(ctx, c, action)) {
        const response = await call(ctx.app, { ...request, token: c.staff })
        t.equal(response.status, 409, `${status} × ${request.method} ${request.url.split(c.caseId)[1]}: ${response.body}`)
        t.match(response.json, {
          type: 'urn:bezoekruimte:problem:invalid-transition',
          currentStatus: status,
          allowedActions: allowed,
          detail: new RegExp(`a case that is ${status}`),
        })
      }
    }
    const after = await call(ctx.app, { url: `/v1/cases/${c.caseId}`, token: c.staff })
    t.equal(after.json.status, status, `${status}: unchanged`)
    t.same(after.json.allowedActions, allowed)
    t.equal((await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.length, before, `${status}: no event added`)
  }
})

t.test('every reason outside its category → 400; refusal reasons only end a case from intake', async (t) => {
  const ctx = await testCentre(t)
  const active = await caseIn(ctx, 'active')
  const intake = await caseIn(ctx, 'intake')
  const post = (c: AcceptedCase, path: string, body: unknown) => call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/${path}`, token: c.staff, body })
  const all = new Set(Object.values(REASON_CATALOGUE).flat())
  const outside = (category: keyof typeof REASON_CATALOGUE, also: string[] = []) =>
    [...all, 'nonsense'].filter((code) => !REASON_CATALOGUE[category].includes(code) && !also.includes(code))

  const checks: { c: AcceptedCase; path: string; categories: string; codes: string[]; body: (code: string) => unknown }[] = [
    {
      c: active,
      path: 'suspend',
      categories: 'suspension',
      codes: outside('suspension'),
      body: (reasonCode) => ({ reasonCode, explanation: 'x', from: today() }),
    },
    {
      c: active,
      path: 'end',
      categories: 'ending',
      codes: outside('ending'),
      body: (reasonCode) => ({ reasonCode, explanation: 'x', effectiveDate: today() }),
    },
    {
      c: active,
      path: 'extend',
      categories: 'extension',
      codes: outside('extension'),
      body: (reasonCode) => ({ reasonCode, explanation: 'x', plannedEndDate: inDays(400) }),
    },
    {
      c: intake,
      path: 'end',
      categories: 'refusal or ending',
      codes: outside('ending', [...REASON_CATALOGUE.refusal]),
      body: (reasonCode) => ({ reasonCode, explanation: 'x', effectiveDate: today() }),
    },
  ]
  for (const check of checks) {
    t.ok(check.codes.length > 5)
    for (const code of check.codes) {
      const response = await post(check.c, check.path, check.body(code))
      t.equal(response.status, 400, `${check.path} with ${code}`)
      t.match(response.json, { detail: `"${code}" is not a ${check.categories} reason`, errors: [{ in: 'body', pointer: '/reasonCode' }] })
    }
  }
  t.ok(outside('ending').includes('no_capacity'), 'a refusal reason does not end an active case')
  t.equal((await call(ctx.app, { url: `/v1/cases/${active.caseId}`, token: active.staff })).json.status, 'active')
  t.equal((await call(ctx.app, { url: `/v1/cases/${intake.caseId}`, token: intake.staff })).json.status, 'intake')
  // Every reason also takes a free-text explanation.
  for (const [c, path, body] of [
    [active, 'suspend', { reasonCode: 'illness', from: today() }],
    [active, 'end', { reasonCode: 'moved', effectiveDate: today() }],
    [active, 'extend', { plannedEndDate: inDays(400) }],
    [active, 'suspend', { reasonCode: 'illness', explanation: '', from: today() }],
  ] as const)
    t.equal((await post(c, path, body)).status, 400, `${path} without explanation`)
})

t.test('refusal after intake: ending from intake with a refusal reason', async (t) => {
  const ctx = await testCentre(t)
  const c = await acceptedCase(ctx)
  await completeIntake(ctx, c, { agreement: true })
  const ended = await call(ctx.app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/end`,
    token: c.staff,
    body: { reasonCode: 'safety_risk_unmanageable', explanation: 'The intake showed risks the centre cannot manage.', effectiveDate: today() },
  })
  t.equal(ended.status, 200, ended.body)
  t.match(ended.json, {
    status: 'ended',
    activatedAt: null,
    endEffectiveDate: today(),
    allowedActions: [],
    ending: { refusedAfterIntake: true, reason: { category: 'refusal', code: 'safety_risk_unmanageable', label: { en: 'Safety risk cannot be managed' } } },
  })
  const event = (await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.at(-1)
  t.match(event, {
    type: 'ended',
    actorRole: 'staff',
    reason: { category: 'refusal', code: 'safety_risk_unmanageable' },
    explanation: 'The intake showed risks the centre cannot manage.',
    data: { previousStatus: 'intake', refusedAfterIntake: true, effectiveDate: today() },
  })
  const clerk = await call(ctx.app, { url: `/v1/referrals/${c.referralId}`, token: c.clerk })
  t.match(clerk.json, {
    status: 'accepted',
    case: {
      status: 'ended',
      ending: { refusedAfterIntake: true, reason: { code: 'safety_risk_unmanageable', label: { nl: 'Veiligheidsrisico niet beheersbaar' } } },
    },
  })
  t.notOk(clerk.body.includes('risks the centre cannot manage'), 'the clerk gets the coded reason, not the explanation')
  // An ending reason is fine from intake too.
  const other = await acceptedCase(ctx)
  const byEnding = await call(ctx.app, {
    method: 'POST',
    url: `/v1/cases/${other.caseId}/end`,
    token: other.staff,
    body: { reasonCode: 'moved', explanation: 'The family moved to Liège.', effectiveDate: today() },
  })
  t.match(byEnding.json, { status: 'ended', ending: { refusedAfterIntake: true, reason: { category: 'ending', code: 'moved' } } })
})

t.test('extend, suspend, resume, end: their rules and their events', async (t) => {
  const ctx = await testCentre(t)
  const c = await caseIn(ctx, 'active')
  // Room for ordinary extensions: the limits themselves are test/cases/trajectory.test.ts's.
  const settings = { maxTrajectoryMonths: 24, maxExtensions: 5 }
  await call(ctx.app, { method: 'PATCH', url: `/v1/centres/${ctx.centre.centreId}`, token: ctx.centre.adminToken, body: { settings } })
  const post = (path: string, body: unknown) => call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/${path}`, token: c.staff, body })
  const lastEvent = async () => (await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items.at(-1)
  const planned = (await call(ctx.app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.plannedEndDate as string

  // Extend: only later; a coded reason is optional.
  const earlier = await post('extend', { plannedEndDate: planned, explanation: 'x' })
  t.equal(earlier.status, 400)
  t.match(earlier.json, { errors: [{ pointer: '/plannedEndDate', detail: new RegExp(`after the current planned end ${planned}`) }] })
  const extended = await post('extend', { plannedEndDate: inDays(300), explanation: 'Contact is restoring.', reasonCode: 'goal_not_yet_reached' })
  t.equal(extended.status, 200, extended.body)
  t.match(extended.json, { status: 'active', plannedEndDate: inDays(300) })
  t.match(await lastEvent(), {
    type: 'extended',
    reason: { category: 'extension', code: 'goal_not_yet_reached', label: { en: String } },
    explanation: 'Contact is restoring.',
    data: { previousPlannedEndDate: planned, plannedEndDate: inDays(300) },
  })
  const again = await post('extend', { plannedEndDate: inDays(330), explanation: 'Hearing moved.' })
  t.equal(again.status, 200)
  t.match(await lastEvent(), { type: 'extended', reason: null, explanation: 'Hearing moved.' })

  // Suspend: until after from; the period and reason are kept.
  const backwards = await post('suspend', { reasonCode: 'illness', explanation: 'x', from: inDays(10), until: inDays(10) })
  t.equal(backwards.status, 400)
  t.match(backwards.json.errors, [{ pointer: '/until' }])
  t.equal((await post('suspend', { reasonCode: 'illness', explanation: 'x', from: '2026-02-30' })).status, 400, 'an impossible date')
  const suspended = await post('suspend', {
    reasonCode: 'awaiting_court_decision',
    explanation: 'New hearing on the 15th.',
    from: inDays(3),
    until: inDays(20),
  })
  t.equal(suspended.status, 200, suspended.body)
  t.match(suspended.json, {
    // From a later day: active, the suspension scheduled (test/cases/suspension-dates.test.ts follows its dates).
    status: 'active',
    allowedActions: ['extend', 'resume', 'end', 'record'],
    suspensions: [
      { from: inDays(3), until: inDays(20), resumedAt: null, reason: { code: 'awaiting_court_decision' }, explanation: 'New hearing on the 15th.' },
    ],
  })
  t.match(await lastEvent(), {
    type: 'suspended',
    reason: { category: 'suspension', code: 'awaiting_court_decision', label: { fr: "Dans l'attente d'une décision judiciaire" } },
    data: { from: inDays(3), until: inDays(20), cancelledVisitIds: [] },
  })
  t.equal(
    (await post('extend', { plannedEndDate: inDays(360), explanation: 'The suspension lasts.', reasonCode: 'suspension_period' })).status,
    200,
    'a suspended case can be extended',
  )

  // Resume: a suspension that has not started yet is withdrawn, left empty.
  const resumed = await post('resume', { explanation: 'The court decided early.' })
  t.equal(resumed.status, 200)
  t.match(resumed.json, { status: 'active', suspensions: [{ from: inDays(3), until: inDays(3), resumedAt: String }] })
  t.match(await lastEvent(), {
    type: 'resumed',
    reason: null,
    explanation: 'The court decided early.',
    data: { from: inDays(3), until: inDays(20), withdrawn: true },
  })
  t.equal((await post('resume', { explanation: 'again' })).status, 409)

  // Open-ended suspension from today, resumed today.
  await post('suspend', { reasonCode: 'child_refuses', explanation: 'The child refuses to come.', from: today() })
  const reopened = await post('resume', { explanation: 'The child wants to come again.' })
  t.match(reopened.json.suspensions[1], { from: today(), until: today(), resumedAt: String, reason: { code: 'child_refuses' } })

  // End: not before the case was opened.
  const tooEarly = await post('end', { reasonCode: 'goal_reached', explanation: 'x', effectiveDate: '2020-01-01' })
  t.equal(tooEarly.status, 400)
  t.match(tooEarly.json.errors, [{ pointer: '/effectiveDate', detail: /before the case was opened/ }])
  const ended = await post('end', { reasonCode: 'max_duration_reached', explanation: 'Six months are over.', effectiveDate: inDays(7) })
  t.equal(ended.status, 200)
  t.match(ended.json, {
    status: 'ended',
    endEffectiveDate: inDays(7),
    ending: { refusedAfterIntake: false, effectiveDate: inDays(7), reason: { category: 'ending', code: 'max_duration_reached' } },
  })

  // The history: every transition with actor, time, reason (code and label) and explanation.
  const events = (await call(ctx.app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items as {
    type: string
    at: string
    actorRole: string
    actorTokenId: string
    reason: { code: string; label: object } | null
    explanation: string | null
  }[]
  const transitions = events.filter((e) => ['activated', 'extended', 'suspended', 'resumed', 'ended'].includes(e.type))
  t.same(
    transitions.map((e) => e.type),
    ['activated', 'extended', 'extended', 'suspended', 'extended', 'resumed', 'suspended', 'resumed', 'ended'],
  )
  for (const e of transitions) {
    t.ok(e.actorRole === 'staff' && e.actorTokenId && !Number.isNaN(Date.parse(e.at)), `${e.type}: actor and time`)
    if (['suspended', 'ended'].includes(e.type)) t.ok(e.reason?.code && e.reason.label && e.explanation, `${e.type}: reason, label and explanation`)
  }
  t.same(
    events.map((e) => e.at),
    [...events.map((e) => e.at)].sort(),
    'oldest first',
  )

  // Paged.
  const page = await call(ctx.app, { url: `/v1/cases/${c.caseId}/events?limit=5`, token: c.staff })
  t.equal(page.json.items.length, 5)
  const rest = await call(ctx.app, { url: `/v1/cases/${c.caseId}/events?limit=200&cursor=${page.json.nextCursor}`, token: c.staff })
  t.same(
    [...page.json.items, ...rest.json.items].map((e: { id: string }) => e.id),
    events.map((e) => (e as unknown as { id: string }).id),
  )
  t.equal(rest.json.nextCursor, null)
})
