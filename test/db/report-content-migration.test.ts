/**
 * The reports migration turns the old boolean `reportableObservations` into `reportContent`: true
 * becomes factual_observations, false (or nothing) attendance_only, other settings untouched.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { migrationsFolder } from '../../src/db/migrate.js'
import { centres } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { openTestDatabase } from '../helpers/app.js'

const database = await openTestDatabase(t)
const { db } = database
const statements = readFileSync(join(migrationsFolder, '0017_reports_append_only.sql'), 'utf8').split('--> statement-breakpoint')
const mapping = statements.find((statement) => statement.includes('reportContent'))!

t.test('reportableObservations becomes reportContent', async (t) => {
  const ids = {
    reported: (await setupCentre(db, { centreName: 'Reported', demo: false })).centreId,
    notReported: (await setupCentre(db, { centreName: 'Not reported', demo: false })).centreId,
    unset: (await setupCentre(db, { centreName: 'Unset', demo: false })).centreId,
  }
  // The settings as centres had them before the migration.
  const old = (id: string, flag: boolean | undefined) =>
    db.execute(
      sql`update centres set settings = (settings - 'reportContent') || ${JSON.stringify(flag === undefined ? { plannedDurationMonths: 9 } : { reportableObservations: flag, plannedDurationMonths: 9 })}::jsonb where id = ${id}`,
    )
  await old(ids.reported, true)
  await old(ids.notReported, false)
  await old(ids.unset, undefined)
  await db.execute(sql.raw(mapping))
  const settingsOf = async (id: string): Promise<Record<string, unknown>> => ({
    ...(await db.select({ settings: centres.settings }).from(centres).where(eq(centres.id, id)))[0]!.settings,
  })
  for (const [name, expected] of [
    ['reported', 'factual_observations'],
    ['notReported', 'attendance_only'],
    ['unset', 'attendance_only'],
  ] as const) {
    const settings = await settingsOf(ids[name])
    t.equal(settings.reportContent, expected, `${name}: ${expected}`)
    t.notOk('reportableObservations' in settings, `${name}: the old setting is gone`)
    t.equal(settings.plannedDurationMonths, 9, `${name}: other settings kept`)
  }
})
