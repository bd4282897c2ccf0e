/**
 * A case's fee: an admin sets it with a reason (audited); a court-ordered case stays exempt, an exempt
 * case never pays a contribution (PostgreSQL itself refuses one); the statistics count the exemptions;
 * a court never sees the fee.
 */
import t from 'tap'
import { and, eq, sql } from 'drizzle-orm'
import { auditEvents, cases } from '../../src/db/schema.js'
import { acceptedCase, call, completeIntake, testCentre } from '../helpers/app.js'

const ctx = await testCentre(t)
const { app, database, centre } = ctx
const admin = centre.adminToken
// A court can also refer a family for voluntary supervision (no court order): such a case may pay a contribution.
const voluntary = { legalFramework: 'voluntary' }

t.test('an admin sets the fee with a reason; staff may not; a court-ordered case stays exempt; the court never sees it', async (t) => {
  const courtOrdered = await acceptedCase(ctx)
  const ordered = await call(app, { url: `/v1/cases/${courtOrdered.caseId}`, token: admin })
  t.match(ordered.json, { feeExempt: true, feeReason: null, contributionPerVisitCents: null }, 'court-ordered: exempt')
  const charged = await call(app, {
    method: 'PUT',
    url: `/v1/cases/${courtOrdered.caseId}/fee`,
    token: admin,
    body: { exempt: false, reason: 'x', contributionPerVisitCents: 500 },
  })
  t.equal(charged.status, 409, 'no fee in a mandatory legal framework')
  t.match(charged.json, { type: /fee-in-mandatory-framework/ })

  const c = await acceptedCase(ctx, voluntary)
  t.match((await call(app, { url: `/v1/cases/${c.caseId}`, token: admin })).json, { feeExempt: false }, 'voluntary: not exempt')
  const url = `/v1/cases/${c.caseId}/fee`
  const body = { exempt: false, reason: 'Income above the threshold.', contributionPerVisitCents: 500 }
  t.equal((await call(app, { method: 'PUT', url, token: c.staff, body })).status, 403, 'staff may not')
  const set = await call(app, { method: 'PUT', url, token: admin, body })
  t.equal(set.status, 200, set.body)
  t.match(set.json, { feeExempt: false, feeReason: body.reason, contributionPerVisitCents: 500 })
  const [event] = await database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityId, c.caseId), eq(auditEvents.action, 'case.fee_changed')))
  t.match(event, { reason: body.reason }, 'audited with its reason')

  const byClerk = await call(app, { url: `/v1/cases/${courtOrdered.caseId}`, token: courtOrdered.clerk })
  t.equal(byClerk.status, 200)
  t.same(
    ['feeExempt', 'feeReason', 'contributionPerVisitCents'].filter((field) => field in byClerk.json),
    [],
    'not part of the referrer view',
  )
})

t.test('an exempt case pays nothing: refused by the API and by PostgreSQL', async (t) => {
  const c = await acceptedCase(ctx)
  const refused = await call(app, {
    method: 'PUT',
    url: `/v1/cases/${c.caseId}/fee`,
    token: admin,
    body: { exempt: true, reason: 'x', contributionPerVisitCents: 100 },
  })
  t.equal(refused.status, 400)
  t.match(refused.json.errors, [{ pointer: '/contributionPerVisitCents' }])
  await t.rejects(
    database.db.execute(sql`update ${cases} set contribution_per_visit_cents = 100 where id = ${c.caseId}`),
    'the database refuses a contribution on an exempt case',
  )
})

t.test('the statistics count the exemptions as the admin set them', async (t) => {
  const other = await testCentre(t)
  const c = await acceptedCase(other, voluntary)
  await completeIntake(other, c)
  t.equal((await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff })).status, 200)
  const year = new Date().toISOString().slice(0, 4)
  const exempt = async () => {
    const figures = await call(app, { url: `/v1/statistics?from=${year}-01-01&to=${year}-12-31`, token: other.centre.adminToken })
    return figures.json.groups[0].figures.casesFeeExempt.total as number
  }
  t.equal(await exempt(), 0, 'voluntary: not exempt')
  const exempted = await call(app, {
    method: 'PUT',
    url: `/v1/cases/${c.caseId}/fee`,
    token: other.centre.adminToken,
    body: { exempt: true, reason: 'Income below the threshold.' },
  })
  t.equal(exempted.status, 200, exempted.body)
  t.equal(await exempt(), 1, 'counted once the admin exempted it')
})
