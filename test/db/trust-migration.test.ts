/**
 * The trust-model migration revokes the court-scoped tokens a centre's admin issued (and records
 * each in the audit trail), leaves every other token alone, and PostgreSQL refuses new ones.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { migrationsFolder } from '../../src/db/migrate.js'
import { apiTokens, auditEvents } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { createToken } from '../../src/modules/tokens/service.js'
import { openTestDatabase } from '../helpers/app.js'

const database = await openTestDatabase(t)
const { db } = database
const [revocation, ...constraints] = readFileSync(join(migrationsFolder, '0007_trust_model.sql'), 'utf8').split('--> statement-breakpoint')
const courtConstraint = constraints.find((statement) => statement.includes('api_tokens_court_scope_by_operator'))!

t.test('admin-issued court tokens are revoked; the rest are kept', async (t) => {
  const a = await setupCentre(db, { centreName: 'A', demo: true })
  const courtId = a.demo!.courtId
  // The state before the migration: what centre admins could issue then.
  await db.execute(sql`alter table api_tokens drop constraint api_tokens_court_scope_by_operator`)
  const issued = {
    clerkByAdmin: await createToken(db, { role: 'clerk', courtId, issuedByCentreId: a.centreId }),
    integrationByAdmin: await createToken(db, { role: 'integration', courtId, issuedByCentreId: a.centreId }),
    clerkByOperator: await createToken(db, { role: 'clerk', courtId }),
    staff: await createToken(db, { role: 'staff', centreId: a.centreId }),
    centreIntegration: await createToken(db, { role: 'integration', centreId: a.centreId }),
  }
  const revokedEarlier = new Date('2026-01-01T00:00:00Z')
  const old = await createToken(db, { role: 'clerk', courtId, issuedByCentreId: a.centreId })
  await db.update(apiTokens).set({ revokedAt: revokedEarlier }).where(eq(apiTokens.id, old.row.id))

  await db.execute(sql.raw(revocation!))
  await db.execute(sql.raw(courtConstraint))

  const revokedAt = async (id: string) => (await db.select().from(apiTokens).where(eq(apiTokens.id, id)))[0]!.revokedAt
  t.ok(await revokedAt(issued.clerkByAdmin.row.id), 'clerk token from an admin: revoked')
  t.ok(await revokedAt(issued.integrationByAdmin.row.id), 'court integration token from an admin: revoked')
  for (const name of ['clerkByOperator', 'staff', 'centreIntegration'] as const) t.equal(await revokedAt(issued[name].row.id), null, `${name}: kept`)
  t.same(await revokedAt(old.row.id), revokedEarlier, 'an earlier revocation keeps its time')

  const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'token.revoked'))
  t.same(audit.map((e) => e.entityId).sort(), [issued.clerkByAdmin.row.id, issued.integrationByAdmin.row.id].sort(), 'each revocation is in the audit trail')
  t.match(audit[0], { actorRole: 'system', entityType: 'token', centreId: a.centreId, courtId })
  t.match(audit[0]!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8/, 'a UUIDv7-shaped id')
})

t.test('PostgreSQL refuses a court token issued by a centre, and an operator token with a scope', async (t) => {
  const b = await setupCentre(db, { centreName: 'B', demo: true })
  await t.rejects(createToken(db, { role: 'clerk', courtId: b.demo!.courtId, issuedByCentreId: b.centreId }), 'court token from a centre')
  await t.rejects(createToken(db, { role: 'operator', centreId: b.centreId }), 'operator with a centre')
  await t.rejects(createToken(db, { role: 'root' as never }), 'unknown role')
  t.ok((await createToken(db, { role: 'operator' })).secret, 'an operator token has no scope')
})
