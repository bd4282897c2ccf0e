/**
 * Consultations with other services about a case, and referrals on to them: recorded by the centre,
 * audited without their words, never seen by the court.
 */
import t from 'tap'
import { DateTime } from 'luxon'
import { auditEvents } from '../../src/db/schema.js'
import { eq } from 'drizzle-orm'
import { acceptedCase, call, testCentre } from '../helpers/app.js'

const ctx = await testCentre(t)
const { app, database } = ctx

t.test('a consultation is recorded, listed newest first, audited without its words, and internal', async (t) => {
  const c = await acceptedCase(ctx)
  const url = `/v1/cases/${c.caseId}/consultations`
  const body = {
    with: { kind: 'mental_health', name: 'CGG Kempen' },
    purpose: 'Therapy for the child after the contacts.',
    at: '2026-03-10T14:00:00Z',
    note: 'INTERNAL-NOTE intake there in May',
  }
  const first = await call(app, { method: 'POST', url, token: c.staff, body, headers: { 'idempotency-key': 'consultation-1' } })
  t.equal(first.status, 201, first.body)
  t.match(first.json, {
    caseId: c.caseId,
    with: { kind: 'mental_health', name: 'CGG Kempen' },
    at: '2026-03-10T14:00:00.000Z',
    note: 'INTERNAL-NOTE intake there in May',
  })
  const replay = await call(app, { method: 'POST', url, token: c.staff, body, headers: { 'idempotency-key': 'consultation-1' } })
  t.equal(replay.json.id, first.json.id, 'a retry records it once')
  const second = await call(app, {
    method: 'POST',
    url,
    token: c.staff,
    body: { with: { kind: 'lawyer', name: 'Mr. Peeters' }, purpose: 'The father’s lawyer asked for the dates.', at: '2026-03-11T09:00:00Z' },
  })
  t.equal(second.status, 201)

  const list = await call(app, { url, token: c.staff })
  t.same(
    list.json.items.map((x: { id: string }) => x.id),
    [second.json.id, first.json.id],
    'newest first',
  )

  const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, first.json.id))
  t.match(event, { action: 'consultation.recorded', entityType: 'consultation' })
  t.notOk(JSON.stringify(event).includes('INTERNAL-NOTE'), 'the audit trail names the act, never the words')

  t.equal((await call(app, { url, token: c.clerk })).status, 403, 'never the court')
  const clerkCase = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.clerk })
  t.notOk(clerkCase.body.includes('CGG Kempen'), 'nor in the referrer view of the case')
})

t.test('a consultation in the future, of another kind of service, or of a case out of scope is refused', async (t) => {
  const c = await acceptedCase(ctx)
  const url = `/v1/cases/${c.caseId}/consultations`
  const future = await call(app, {
    method: 'POST',
    url,
    token: c.staff,
    body: { with: { kind: 'school', name: 'De Klimop' }, purpose: 'x', at: '2999-01-01T00:00:00Z' },
  })
  t.equal(future.status, 400)
  t.match(future.json.errors, [{ pointer: '/at' }])
  const kind = await call(app, {
    method: 'POST',
    url,
    token: c.staff,
    body: { with: { kind: 'astrologer', name: 'x' }, purpose: 'x', at: '2026-03-10T14:00:00Z' },
  })
  t.equal(kind.status, 400)
  const other = await testCentre(t)
  const elsewhere = await call(app, {
    method: 'POST',
    url,
    token: other.centre.adminToken,
    body: { with: { kind: 'school', name: 'x' }, purpose: 'x', at: '2026-03-10T14:00:00Z' },
  })
  t.equal(elsewhere.status, 404, 'another centre’s case does not exist for it')
})

t.test('a family referred on: the ending names the kind of service, and the statistics count the reason', async (t) => {
  const c = await acceptedCase(ctx)
  const url = `/v1/cases/${c.caseId}/end`
  const today = DateTime.now().setZone('Europe/Brussels').toISODate()!
  const end = (body: Record<string, unknown>) =>
    call(app, { method: 'POST', url, token: c.staff, body: { explanation: 'Family therapy instead.', effectiveDate: today, ...body } })
  const missing = await end({ reasonCode: 'referred_elsewhere' })
  t.equal(missing.status, 400)
  t.match(missing.json.errors, [{ pointer: '/referredTo', detail: /required with the reason referred_elsewhere/ }])
  const misplaced = await end({ reasonCode: 'moved', referredTo: 'school' })
  t.equal(misplaced.status, 400)
  t.match(misplaced.json.errors, [{ pointer: '/referredTo' }])

  const ended = await end({ reasonCode: 'referred_elsewhere', referredTo: 'mental_health' })
  t.equal(ended.status, 200, ended.body)
  t.match(ended.json.ending, { reason: { code: 'referred_elsewhere', label: { en: 'Referred to another service' } } })
  const events = (await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.staff })).json.items
  t.match(events.at(-1), { type: 'ended', data: { referredTo: 'mental_health' } })
  const byClerk = await call(app, { url: `/v1/cases/${c.caseId}/events`, token: c.clerk })
  t.notOk(byClerk.body.includes('mental_health'), 'the kind of service stays with the centre')

  const year = today.slice(0, 4)
  const figures = await call(app, { url: `/v1/statistics?from=${year}-01-01&to=${year}-12-31`, token: ctx.centre.adminToken })
  t.equal(figures.status, 200, figures.body)
  t.equal(figures.json.groups[0].figures.casesEnded.byReasonCode.referred_elsewhere, 1, 'counted among the endings by reason')
})
