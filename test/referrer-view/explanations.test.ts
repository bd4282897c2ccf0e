/**
 * A court reads facts, coded reasons and the centre's court notes, never the centre's explanations. A marker is planted in
 * the explanation of every decision a centre explains (a referral's refusal, return, waiting list
 * and withdrawal; a case's extension, suspension, resumption and ending); no answer to a clerk or a
 * court-scoped integration may carry it, while centre staff still read every one of them.
 */
import t from 'tap'
import { buildTestApp, call, completeIntake, acceptedCase, referralBody, tokenFor } from '../helpers/app.js'

const MARKER = 'CENTRE-ONLY-7f3a'
const explained = (what: string) => `${MARKER} ${what}: written for the centre's own file.`
/** The court note: the neutral wording written for the referrer, which it does read. */
const noted = (what: string) => `COURT-NOTE ${what}: the facts for the referrer.`
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' })

const ctx = await buildTestApp(t)
const { app, database, centre } = ctx
const c = await acceptedCase(ctx)
const staff = c.staff
const courtIntegration = (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token

const post = async (url: string, body: unknown, token = staff) => {
  const response = await call(app, { method: 'POST', url, token, body })
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${response.body}`)
  return response
}
const submit = async () => (await post('/v1/referrals', referralBody(centre), c.clerk)).json.id as string

// Referrals: each decision a centre explains.
const refused = await submit()
await post(`/v1/referrals/${refused}/refuse`, { reasonCode: 'no_capacity', explanation: explained('refusal'), courtNote: noted('refusal') })
const returned = await submit()
await post(`/v1/referrals/${returned}/return`, {
  reasonCode: 'incomplete_referral',
  explanation: explained('return'),
  courtNote: noted('return'),
  missingItems: ['the decision of 10 February'],
})
const waiting = await submit()
await post(`/v1/referrals/${waiting}/waitlist`, { explanation: explained('waiting list') })
const withdrawn = await submit()
await post(`/v1/referrals/${withdrawn}/waitlist`, {})
await post(`/v1/referrals/${withdrawn}/withdraw`, { explanation: explained('withdrawal') })

// A case through every transition that carries an explanation (with room for an ordinary extension).
await call(app, { method: 'PATCH', url: `/v1/centres/${centre.centreId}`, token: centre.adminToken, body: { settings: { maxTrajectoryMonths: 24 } } })
await completeIntake(ctx, c)
await post(`/v1/cases/${c.caseId}/activate`, {})
await post(`/v1/cases/${c.caseId}/extend`, {
  plannedEndDate: inDays(400),
  reasonCode: 'awaiting_court_decision',
  explanation: explained('extension'),
  courtNote: noted('extension'),
})
await post(`/v1/cases/${c.caseId}/suspend`, { reasonCode: 'illness', explanation: explained('suspension'), courtNote: noted('suspension'), from: today() })
await post(`/v1/cases/${c.caseId}/resume`, { explanation: explained('resumption'), courtNote: noted('resumption') })
await post(`/v1/cases/${c.caseId}/end`, { reasonCode: 'goal_reached', explanation: explained('ending'), courtNote: noted('ending'), effectiveDate: today() })

const reads = [
  '/v1/referrals',
  ...[refused, returned, waiting, withdrawn, c.referralId].map((id) => `/v1/referrals/${id}`),
  ...['refused', 'returned', 'waitlisted', 'withdrawn', 'accepted'].map((status) => `/v1/referrals?status=${status}`),
  '/v1/cases',
  `/v1/cases/${c.caseId}`,
  `/v1/cases/${c.caseId}/events`,
]

t.test('the centre reads every explanation (the markers are there to be found)', async (t) => {
  const seen = (await Promise.all(reads.map(async (url) => (await call(app, { url, token: staff })).body))).join('\n')
  for (const what of ['refusal', 'return', 'waiting list', 'withdrawal', 'extension', 'suspension', 'resumption', 'ending']) {
    t.ok(seen.includes(explained(what)), `staff read the ${what}'s explanation`)
  }
})

t.test('no answer to a clerk or a court integration carries an explanation', async (t) => {
  for (const [who, token] of [
    ['clerk', c.clerk],
    ['court integration', courtIntegration],
  ] as const) {
    for (const url of reads) {
      const response = await call(app, { url, token })
      t.equal(response.status, 200, `${who} GET ${url}`)
      t.notOk(response.body.includes(MARKER), `${who} GET ${url}: no explanation`)
    }
  }
  // The clerk's own decision is answered in the referrer view too.
  const another = await submit()
  await post(`/v1/referrals/${another}/waitlist`, { explanation: explained('waiting list') })
  const answer = await post(`/v1/referrals/${another}/withdraw`, {}, c.clerk)
  t.notOk(answer.body.includes(MARKER), "the clerk's withdrawal answers without the waiting list's explanation")
})

t.test('what a court does read: the coded reasons, with their labels', async (t) => {
  const referral = await call(app, { url: `/v1/referrals/${refused}`, token: c.clerk })
  t.match(referral.json, { status: 'refused', statusReason: { category: 'refusal', code: 'no_capacity', label: { en: String } } })
  t.notOk('statusExplanation' in referral.json)
  const theCase = await call(app, { url: `/v1/cases/${c.caseId}`, token: courtIntegration })
  t.match(theCase.json, { status: 'ended', suspensions: [{ reason: { code: 'illness' } }], ending: { reason: { code: 'goal_reached' } } })
  t.notOk('explanation' in theCase.json.suspensions[0])
  t.notOk('explanation' in theCase.json.ending)
  const events = await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })
  t.match(
    events.json.items.find((e: { type: string }) => e.type === 'extended'),
    { reason: { category: 'extension', code: 'awaiting_court_decision' } },
  )
  t.ok(
    events.json.items.every((e: object) => !('explanation' in e)),
    'no event has an explanation',
  )
})

t.test('a court reads the court note of each decision, and only that text of it', async (t) => {
  for (const token of [c.clerk, courtIntegration]) {
    const refusedReferral = await call(app, { url: `/v1/referrals/${refused}`, token })
    t.equal(refusedReferral.json.courtNote, noted('refusal'))
    const returnedReferral = await call(app, { url: `/v1/referrals/${returned}`, token })
    t.equal(returnedReferral.json.courtNote, noted('return'))
    const theCase = await call(app, { url: `/v1/cases/${c.caseId}`, token })
    t.equal(theCase.json.suspensions[0].courtNote, noted('suspension'))
    t.equal(theCase.json.ending.courtNote, noted('ending'))
    const events = await call(app, { url: `/v1/cases/${c.caseId}/events`, token })
    const noteOf = (type: string) => events.json.items.find((e: { type: string }) => e.type === type)?.courtNote
    t.same(['extended', 'suspended', 'resumed', 'ended'].map(noteOf), ['extension', 'suspension', 'resumption', 'ending'].map(noted))
  }
  const waitingReferral = await call(app, { url: `/v1/referrals/${waiting}`, token: c.clerk })
  t.equal(waitingReferral.json.courtNote, null, 'no note where the centre wrote none')
})

t.test('the centre reads both texts side by side', async (t) => {
  const theCase = await call(app, { url: `/v1/cases/${c.caseId}`, token: staff })
  t.match(theCase.json.ending, { explanation: explained('ending'), courtNote: noted('ending') })
  const referral = await call(app, { url: `/v1/referrals/${refused}`, token: staff })
  t.match(referral.json, { statusExplanation: explained('refusal'), courtNote: noted('refusal') })
})
