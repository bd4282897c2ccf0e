import t from 'tap'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

t.test('a family’s whole path through HTTP: referral → case → activation → suspension → resumption → end', async (t) => {
  const ctx = await buildTestApp(t)
  const { app, database, centre } = ctx
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const counsellorId = centre.demo.counsellorIds[0]!
  const eventTypes = async () => (await call(app, { url: `/v1/cases/${caseId}/events`, token: staff })).json.items.map((e: { type: string }) => e.type)
  const lastEvent = async () => (await call(app, { url: `/v1/cases/${caseId}/events`, token: staff })).json.items.at(-1)
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
  const history: string[] = []
  /** The case's events so far are exactly the expected history plus `added`. */
  const expectEvents = async (...added: string[]) => {
    history.push(...added)
    t.same(await eventTypes(), history, `events: ${history.join(', ')}`)
  }
  let caseId = ''

  // 1. The clerk submits; court and source follow the token.
  const submitted = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre) })
  t.equal(submitted.status, 201, submitted.body)
  t.match(submitted.json, { status: 'submitted', courtId: centre.demo.courtId, source: 'court', legalFramework: 'court_ordered', caseId: null, case: null })
  t.notOk('contact' in submitted.json.parties[1], 'the clerk gets the referrer’s view back')
  const referralId = submitted.json.id

  // 2. Staff put it on the waiting list.
  const waitlisted = await call(app, { method: 'POST', url: `/v1/referrals/${referralId}/waitlist`, token: staff, body: {} })
  t.equal(waitlisted.status, 200, waitlisted.body)
  t.match(waitlisted.json, { status: 'waitlisted', waitingList: { position: 1, daysWaiting: 0 }, allowedActions: ['accept', 'refuse', 'return', 'withdraw'] })
  t.ok(waitlisted.json.parties[1].contact.phone, 'staff see contact details')
  const clerkWaiting = await call(app, { url: `/v1/referrals/${referralId}`, token: clerk })
  t.match(clerkWaiting.json, { status: 'waitlisted', waitingList: { position: 1, daysWaiting: 0 }, caseId: null })
  t.notOk(clerkWaiting.body.includes('Kerkstraat'), 'the clerk follows the referral without contact details')

  // 3. Accepted: the case opens in intake, fee-exempt because court-ordered, with the parties.
  const accepted = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${referralId}/accept`,
    token: staff,
    body: { leadCounsellorId: counsellorId, siteId: centre.demo.siteId },
  })
  t.equal(accepted.status, 201, accepted.body)
  caseId = accepted.json.caseId
  t.match(accepted.json, {
    referral: { status: 'accepted', caseId, case: { id: caseId, status: 'intake' } },
    case: {
      id: caseId,
      status: 'intake',
      feeExempt: true,
      leadCounsellorId: counsellorId,
      siteId: centre.demo.siteId,
      courtReference: '24/1234/A',
      plannedEndDate: null,
      readiness: { ready: false },
    },
  })
  t.equal(accepted.json.case.parties.length, 3)
  await expectEvents('created')
  t.match(await lastEvent(), { type: 'created', actorRole: 'staff', actorTokenId: String, at: String, reason: null })
  const partyOf = (role: string) => accepted.json.case.parties.find((p: { role: string }) => p.role === role).id as string
  const adults = [partyOf('visiting_parent'), partyOf('residing_parent')]
  const readiness = await call(app, { url: `/v1/cases/${caseId}/readiness`, token: staff })
  t.equal(readiness.json.missing.length, 8, 'per adult: intake, house rules, information, agreement')

  // 4. An intake with each adult.
  for (const partyId of adults) {
    const intake = await call(app, {
      method: 'POST',
      url: `/v1/cases/${caseId}/intakes`,
      token: staff,
      body: { partyId, heldAt: '2026-01-05T10:00:00+01:00', counsellorId, summary: 'Went through the house rules.' },
    })
    t.equal(intake.status, 201, intake.body)
    t.match(intake.json, { caseId, partyId, counsellorId, summary: 'Went through the house rules.' })
  }
  await expectEvents('intake_recorded', 'intake_recorded')
  t.same(
    (await call(app, { url: `/v1/cases/${caseId}/readiness`, token: staff })).json.missing.filter((m: { requirement: string }) => m.requirement === 'intake'),
    [],
    'no intake missing',
  )

  // 5. Both sign the house rules and the information document in force.
  for (const partyId of adults) {
    for (const documentId of [centre.demo.documentIds.houseRules, centre.demo.documentIds.information]) {
      const signed = await call(app, {
        method: 'POST',
        url: `/v1/cases/${caseId}/signatures`,
        token: staff,
        body: { partyId, documentId, method: 'paper', signedAt: '2026-01-05T10:30:00+01:00' },
      })
      t.equal(signed.status, 201, signed.body)
      t.match(signed.json, { partyId, documentId, version: 1, method: 'paper' })
    }
  }
  await expectEvents('document_signed', 'document_signed', 'document_signed', 'document_signed')
  t.same(
    (await call(app, { url: `/v1/cases/${caseId}/readiness`, token: staff })).json.missing.map((m: { requirement: string }) => m.requirement),
    ['agreement', 'agreement'],
    'only the agreement is missing',
  )
  t.equal((await call(app, { method: 'POST', url: `/v1/cases/${caseId}/activate`, token: staff })).status, 409, 'not yet: no agreement')

  // 6. The agreement, signed by both.
  const agreement = await call(app, {
    method: 'PUT',
    url: `/v1/cases/${caseId}/agreement`,
    token: staff,
    body: {
      kinds: ['supervised_visit'],
      frequency: 'every two weeks',
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA',
      durationMinutes: 90,
      maxVisits: 3,
      conditions: ['No mobile phones during the visit'],
      authorisedVisitors: [{ name: 'Maria Vermeulen', relation: 'grandmother' }],
    },
  })
  t.equal(agreement.status, 201, agreement.body)
  t.match(agreement.json, { version: 1, kinds: ['supervised_visit'], maxVisits: 3, signatures: [] })
  for (const partyId of adults) {
    const signed = await call(app, {
      method: 'POST',
      url: `/v1/cases/${caseId}/agreement/signatures`,
      token: staff,
      body: { partyId, signedAt: '2026-01-05T11:00:00+01:00', version: 1 },
    })
    t.equal(signed.status, 201, signed.body)
  }
  await expectEvents('agreement_updated', 'agreement_signed', 'agreement_signed')
  t.same((await call(app, { url: `/v1/cases/${caseId}/readiness`, token: staff })).json, { ready: true, missing: [] })

  // 7. Activation: the planned end follows the centre's default of six months.
  const activated = await call(app, { method: 'POST', url: `/v1/cases/${caseId}/activate`, token: staff })
  t.equal(activated.status, 200, activated.body)
  const sixMonths = new Date(`${today}T12:00:00Z`)
  sixMonths.setUTCMonth(sixMonths.getUTCMonth() + 6)
  t.match(activated.json, { status: 'active', activatedAt: String, allowedActions: ['extend', 'suspend', 'end', 'record'] })
  if (sixMonths.getUTCDate() === new Date(`${today}T12:00:00Z`).getUTCDate()) t.equal(activated.json.plannedEndDate, sixMonths.toISOString().slice(0, 10))
  await expectEvents('activated')
  t.match(await lastEvent(), { type: 'activated', actorRole: 'staff', reason: null, data: { plannedEndDate: activated.json.plannedEndDate } })

  // 8. Suspension, with its reason and period (from today for thirty days).
  const suspended = await call(app, {
    method: 'POST',
    url: `/v1/cases/${caseId}/suspend`,
    token: staff,
    body: { reasonCode: 'house_rules_violation', explanation: 'Shouting in the waiting room on 28 March.', from: today, until: inDays(30) },
  })
  t.equal(suspended.status, 200, suspended.body)
  t.match(suspended.json, {
    status: 'suspended',
    allowedActions: ['extend', 'resume', 'end', 'record'],
    suspensions: [
      {
        from: today,
        until: inDays(30),
        resumedAt: null,
        reason: { code: 'house_rules_violation', category: 'suspension', label: { nl: 'Overtreding van het huishoudelijk reglement' } },
      },
    ],
  })
  await expectEvents('suspended')
  t.match(await lastEvent(), {
    type: 'suspended',
    actorRole: 'staff',
    actorTokenId: String,
    at: String,
    reason: {
      category: 'suspension',
      code: 'house_rules_violation',
      label: { nl: 'Overtreding van het huishoudelijk reglement', fr: String, en: 'Violation of the house rules' },
    },
    explanation: 'Shouting in the waiting room on 28 March.',
    data: { from: today, until: inDays(30), cancelledVisitIds: [] },
  })

  // 9. Resumption.
  const resumed = await call(app, {
    method: 'POST',
    url: `/v1/cases/${caseId}/resume`,
    token: staff,
    body: { explanation: 'Evaluation talk held with both parents.' },
  })
  t.equal(resumed.status, 200, resumed.body)
  t.equal(resumed.json.status, 'active')
  t.ok(resumed.json.suspensions[0].resumedAt, 'the suspension is closed')
  t.equal(resumed.json.suspensions[0].until, today, 'it ends today')
  await expectEvents('resumed')
  t.match(await lastEvent(), {
    type: 'resumed',
    actorRole: 'staff',
    at: String,
    reason: null,
    explanation: 'Evaluation talk held with both parents.',
    data: { until: today },
  })

  // 10. The end.
  const ended = await call(app, {
    method: 'POST',
    url: `/v1/cases/${caseId}/end`,
    token: staff,
    body: { reasonCode: 'goal_reached', explanation: 'The parents arrange handovers themselves.', effectiveDate: today },
  })
  t.equal(ended.status, 200, ended.body)
  t.match(ended.json, {
    status: 'ended',
    endEffectiveDate: today,
    endedAt: String,
    allowedActions: [],
    ending: {
      effectiveDate: today,
      refusedAfterIntake: false,
      reason: { category: 'ending', code: 'goal_reached', label: { nl: 'Doel bereikt', fr: 'Objectif atteint', en: 'Goal reached' } },
    },
  })
  await expectEvents('ended')
  t.match(await lastEvent(), {
    type: 'ended',
    actorRole: 'staff',
    at: String,
    reason: { category: 'ending', code: 'goal_reached', label: { en: 'Goal reached' } },
    explanation: 'The parents arrange handovers themselves.',
    data: { effectiveDate: today, refusedAfterIntake: false, previousStatus: 'active' },
  })
  const all = await call(app, { url: `/v1/cases/${caseId}/events`, token: staff })
  t.same(
    all.json.items.map((e: { type: string }) => e.type),
    [
      'created',
      'intake_recorded',
      'intake_recorded',
      'document_signed',
      'document_signed',
      'document_signed',
      'document_signed',
      'agreement_updated',
      'agreement_signed',
      'agreement_signed',
      'activated',
      'suspended',
      'resumed',
      'ended',
    ],
  )
  t.equal(
    (await call(app, { method: 'POST', url: `/v1/cases/${caseId}/resume`, token: staff, body: { explanation: 'x' } })).status,
    409,
    'an ended case stays ended',
  )
  t.ok(
    all.json.items.every((e: { actorRole: string; at: string }) => e.actorRole === 'staff' && e.at),
    'every event has an actor and a time',
  )

  // 11. The clerk's view at the end: statuses, dates and coded reasons — no contact details, addresses, intake summaries or explanations.
  const clerkReferral = await call(app, { url: `/v1/referrals/${referralId}`, token: clerk })
  t.equal(clerkReferral.status, 200)
  t.match(clerkReferral.json, {
    status: 'accepted',
    courtReference: '24/1234/A',
    case: {
      id: caseId,
      status: 'ended',
      activatedAt: String,
      plannedEndDate: String,
      endEffectiveDate: today,
      suspensions: [
        {
          from: today,
          until: today,
          resumedAt: String,
          reason: {
            category: 'suspension',
            code: 'house_rules_violation',
            label: { nl: 'Overtreding van het huishoudelijk reglement', en: 'Violation of the house rules' },
          },
        },
      ],
      ending: { reason: { code: 'goal_reached', label: { en: 'Goal reached' } } },
    },
  })
  const clerkCase = await call(app, { url: `/v1/cases/${caseId}`, token: clerk })
  t.equal(clerkCase.status, 200)
  t.match(clerkCase.json, { status: 'ended', courtReference: '24/1234/A', ending: { reason: { code: 'goal_reached' } } })
  const clerkEvents = await call(app, { url: `/v1/cases/${caseId}/events`, token: clerk })
  t.same(
    clerkEvents.json.items.map((e: { type: string }) => e.type),
    ['created', 'activated', 'suspended', 'resumed', 'ended'],
    'transitions only',
  )
  t.match(clerkEvents.json.items, [
    { type: 'created', reason: null, at: String, actorRole: 'staff' },
    { type: 'activated', data: { plannedEndDate: activated.json.plannedEndDate } },
    { type: 'suspended', reason: { code: 'house_rules_violation', label: { en: 'Violation of the house rules' } }, data: { from: today, until: inDays(30) } },
    { type: 'resumed' },
    { type: 'ended', reason: { code: 'goal_reached', label: { nl: 'Doel bereikt' } }, data: { effectiveDate: today, refusedAfterIntake: false } },
  ])
  const clerkCases = await call(app, { url: '/v1/cases', token: clerk })
  t.match(clerkCases.json.items, [{ id: caseId, status: 'ended', courtReference: '24/1234/A', endEffectiveDate: today }])
  for (const response of [clerkReferral, clerkCase, clerkEvents, clerkCases]) {
    for (const secret of [
      'Shouting in the waiting room',
      'Evaluation talk held',
      'arrange handovers themselves',
      'Kerkstraat',
      'Geheime Dreef',
      '+32 470',
      'tom@example.be',
      'Went through the house rules',
      'contact',
      'confidentialAddress',
      'summary',
      'intakes',
      'actorTokenId',
      'suspensionId',
      'cancelledVisitIds',
      'previousStatus',
      'No mobile phones',
      'Maria Vermeulen',
      'leadCounsellorId',
      'feeExempt',
    ]) {
      t.notOk(response.body.includes(secret), `the clerk never sees ${secret}`)
    }
  }

  // Another court's clerk and another centre's staff see none of it.
  const otherCourt = await call(app, {
    method: 'POST',
    url: '/v1/courts',
    token: ctx.operator,
    body: { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' },
  })
  const otherClerk = (await tokenFor(database, 'clerk', { courtId: otherCourt.json.id })).token
  const other = await setupCentre(database.db, { centreName: 'B', demo: true })
  const otherStaff = (await tokenFor(database, 'staff', { centreId: other.centreId })).token
  for (const token of [otherClerk, otherStaff]) {
    for (const url of [`/v1/referrals/${referralId}`, `/v1/cases/${caseId}`, `/v1/cases/${caseId}/events`]) {
      t.equal((await call(app, { url, token })).status, 404, url)
    }
    t.same((await call(app, { url: '/v1/cases', token })).json.items, [], 'and no case in their list')
  }
  // The court's integration token reads but never writes.
  const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token
  t.equal((await call(app, { url: `/v1/cases/${caseId}/events`, token: courtIntegration })).status, 200)
  t.equal((await call(app, { method: 'POST', url: `/v1/referrals/${referralId}/withdraw`, token: courtIntegration })).status, 403)
})
