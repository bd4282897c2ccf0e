/**
 * Data migrations, each on a database as it was before it. 0021: a child-protection record on an observation
 * becomes a concern linked to it, a reportable child statement becomes internal, a visit "cancelled
 * by the child" and a no-show naming the child are put on the adult who was to bring the child,
 * existing cases get dossier numbers in creation order (and new ones continue from there), and
 * courts get the language of their proceedings. 0022: existing reports keep their feed order, and new
 * ones follow.
 */
import t from 'tap'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { randomBytes, randomUUID } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'
import { openDatabase, rawRows } from '../../src/db/client.js'
import { migrate, migrationsFolder } from '../../src/db/migrate.js'
import { onPostgres } from '../helpers/app.js'

/** The migrations folder as it was before a migration: the same files, the journal cut before its tag. */
function foldersBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-migrations-'))
  cpSync(migrationsFolder, dir, { recursive: true })
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  journal.entries = journal.entries.slice(
    0,
    journal.entries.findIndex((e) => e.tag === tag),
  )
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal))
  return dir
}

/** An empty database of the kind under test, and how to drop it. */
async function emptyDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!onPostgres) {
    const database = await openDatabase({ memory: true })
    return { database, drop: () => database.close() }
  }
  const adminUrl = process.env.DATABASE_URL!
  const name = `bzr_migration_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 })
  return {
    database,
    drop: async () => {
      await database.close()
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

async function migrateWith(database: Database, folder: string) {
  if (database.pool) {
    const [{ drizzle }, { migrate: run }] = await Promise.all([import('drizzle-orm/node-postgres'), import('drizzle-orm/node-postgres/migrator')])
    await run(drizzle({ client: database.pool }), { migrationsFolder: folder })
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator')
    await run(database.db as never, { migrationsFolder: folder })
  }
}

t.test('0021 and 0022 carry records over to the adults, the concerns, the court and the feed', async (t) => {
  const { database, drop } = await emptyDatabase()
  t.teardown(drop)
  await migrateWith(database, foldersBefore('0021_court_and_child'))
  const rows = <T = Record<string, unknown>>(query: SQL) => rawRows<T>(database.db, query)
  const id = () => randomUUID()

  // The installation as it was: one centre, one court, two cases of 2025 and one of 2026.
  const centre = id()
  const court = id()
  const site = id()
  const counsellor = id()
  await rows(sql`insert into centres (id, name, settings) values (${centre}, 'Centre', '{"plannedDurationMonths": 6}')`)
  await rows(sql`insert into courts (id, name, judicial_district) values (${court}, 'Rechtbank Antwerpen', 'Antwerpen')`)
  await rows(
    sql`insert into sites (id, centre_id, name, time_zone, judicial_district, opening_hours) values (${site}, ${centre}, 'Site', 'Europe/Brussels', 'Antwerpen', '{}')`,
  )
  await rows(sql`insert into counsellors (id, centre_id, name, working_hours) values (${counsellor}, ${centre}, 'An', '{}')`)
  const caseOf = async (createdAt: string) => {
    const referral = id()
    const caseId = id()
    await rows(sql`insert into referrals (id, centre_id, source, legal_framework, court_id, reason, status)
      values (${referral}, ${centre}, 'court', 'court_ordered', ${court}, 'Reason', 'accepted')`)
    await rows(sql`insert into cases (id, centre_id, referral_id, court_id, site_id, status, fee_exempt, lead_counsellor_id, created_at)
      values (${caseId}, ${centre}, ${referral}, ${court}, ${site}, 'active', true, ${counsellor}, ${createdAt})`)
    const party = async (role: string) => {
      const partyId = id()
      await rows(sql`insert into parties (id, centre_id, referral_id, case_id, role, given_name, family_name, language)
        values (${partyId}, ${centre}, ${referral}, ${caseId}, ${role}, ${role}, 'Family', 'nl')`)
      return partyId
    }
    return { caseId, child: await party('child'), visiting: await party('visiting_parent'), residing: await party('residing_parent') }
  }
  const second = await caseOf('2025-11-02T10:00:00Z')
  const first = await caseOf('2025-03-01T10:00:00Z')
  const third = await caseOf('2026-01-05T10:00:00Z')
  const visit = async (status: string, extra: SQL = sql``) => {
    const visitId = id()
    await rows(sql`insert into visits (id, centre_id, case_id, site_id, counsellor_ids, party_ids, kind, time_zone, starts_at, ends_at, span_start, span_end, status ${extra})
      values (${visitId}, ${centre}, ${first.caseId}, ${site}, array[${counsellor}::uuid], array[${first.child}::uuid, ${first.visiting}::uuid, ${first.residing}::uuid],
        'supervised_visit', 'Europe/Brussels', '2025-04-05T09:00:00Z', '2025-04-05T10:00:00Z', '2025-04-05T08:45:00Z', '2025-04-05T10:15:00Z', ${status})`)
    return visitId
  }
  const cancelledByChild = await visit('cancelled')
  await rows(
    sql`update visits set cancelled_by = 'child', cancel_reason_code = null, cancel_explanation = 'Did not want to come.' where id = ${cancelledByChild}`,
  )
  const cancelledIll = await visit('cancelled')
  await rows(sql`update visits set cancelled_by = 'child', cancel_reason_code = 'illness' where id = ${cancelledIll}`)
  const noshow = await visit('noshow')
  const outcome = id()
  await rows(
    sql`insert into visit_outcomes (id, visit_id, outcome, absent_party_ids) values (${outcome}, ${noshow}, 'noshow', array[${first.child}::uuid, ${first.visiting}::uuid])`,
  )
  const held = await visit('fulfilled')
  const incident = id()
  const statement = id()
  const plain = id()
  await rows(sql`insert into visit_observations (id, visit_id, case_id, kind, text, reportable, child_protection) values
    (${incident}, ${held}, ${first.caseId}, 'incident', 'Bruise on the arm.', false, '{"action": "reported", "at": "2025-04-05T12:00:00Z", "by": "Coordinator An"}'),
    (${statement}, ${held}, ${first.caseId}, 'child_statement', 'I like the swings.', true, null),
    (${plain}, ${held}, ${first.caseId}, 'observation', 'Calm.', true, null)`)

  // Reports as the feed ordered them before 0022: by issuing transaction (each insert its own), with ids that sort the other way.
  const [referral] = await rows<{ referral_id: string }>(sql`select referral_id from cases where id = ${first.caseId}`)
  const reportIds = ['0193a5b2-0000-7000-8000-000000000003', '0193a5b2-0000-7000-8000-000000000002', '0193a5b2-0000-7000-8000-000000000001']
  for (const reportId of reportIds)
    await rows(sql`insert into reports (id, centre_id, referral_id, kind, language, content, sha256, issued_at)
      values (${reportId}, ${centre}, ${referral!.referral_id}, 'referral_refused', 'nl', '{}', 'x', now())`)

  const notices: string[] = []
  t.ok((await migrate(database, (message) => notices.push(message))) >= 2, 'the migrations from 0021 on run')
  // On PostgreSQL the server logs what the migration says (PGlite's migrator passes no notices on).
  if (database.pool) t.match(notices, [/^court Rechtbank Antwerpen \(.*\) : language set to nl/], 'the courts given a language are named')

  t.same(
    await rows(sql`select position::int, report_id from report_feed order by position`),
    reportIds.map((reportId, i) => ({ position: i + 1, report_id: reportId })),
    '0022: existing reports keep the order the feed showed them in',
  )

  const [concern] = await rows<{ id: string; summary: string; status: string; child_party_ids: string[] | string; case_id: string }>(
    sql`select id, summary, status, child_party_ids, case_id from concerns`,
  )
  t.match(concern, { summary: 'Bruise on the arm.', status: 'open', case_id: first.caseId }, 'the record became an open concern')
  t.match(String(concern!.child_party_ids), first.child, 'about the case’s child')
  t.match(await rows(sql`select step, reported_to, author_name, at from concern_steps where concern_id = ${concern!.id}`), [
    { step: 'reported', reported_to: 'vk', author_name: 'Coordinator An' },
  ])
  t.same(
    await rows(sql`select observation_id from concern_observations where concern_id = ${concern!.id}`),
    [{ observation_id: incident }],
    'linked to its observation',
  )
  t.same(
    await rows(sql`select reportable from visit_observations where id in (${statement}, ${plain}) order by kind`),
    [{ reportable: false }, { reportable: true }],
    'the child statement is internal now; the rest as it was',
  )
  t.same(
    await rows(sql`select count(*)::int as n from information_schema.columns where table_name = 'visit_observations' and column_name = 'child_protection'`),
    [{ n: 0 }],
    'the old column is gone',
  )

  t.match(await rows(sql`select cancelled_by, cancelled_by_party_id, cancel_reason_code from visits where id = ${cancelledByChild}`), [
    { cancelled_by: 'residing_party', cancelled_by_party_id: first.residing, cancel_reason_code: 'child_refuses' },
  ])
  t.match(
    await rows(sql`select cancelled_by, cancel_reason_code from visits where id = ${cancelledIll}`),
    [{ cancelled_by: 'residing_party', cancel_reason_code: 'illness' }],
    'a given reason is kept',
  )
  const [absent] = await rows<{ absent_party_ids: string[] | string }>(sql`select absent_party_ids from visit_outcomes where id = ${outcome}`)
  const absentIds = Array.isArray(absent!.absent_party_ids) ? absent!.absent_party_ids : absent!.absent_party_ids.replace(/[{}]/g, '').split(',')
  t.same([...absentIds].sort(), [first.visiting, first.residing].sort(), 'the child’s absence is the residing parent’s')

  t.same(await rows(sql`select id, dossier_number from cases order by created_at`), [
    { id: first.caseId, dossier_number: '2025-0001' },
    { id: second.caseId, dossier_number: '2025-0002' },
    { id: third.caseId, dossier_number: '2026-0001' },
  ])
  const next = await caseOf('2025-12-31T10:00:00Z')
  t.same(await rows(sql`select dossier_number from cases where id = ${next.caseId}`), [{ dossier_number: '2025-0003' }], 'a new case continues its year')
  t.same(await rows(sql`select language from courts`), [{ language: 'nl' }], 'courts speak Dutch unless the operator says otherwise')
  t.match(
    await rows(sql`select settings from centres`),
    [{ settings: { courtSeesVisits: false, language: 'nl', plannedDurationMonths: 6 } }],
    'centres share no visits by default',
  )
  await t.rejects(rows(sql`update visits set cancelled_by = 'child' where id = ${cancelledIll}`), 'PostgreSQL refuses a child as the one who cancelled')
  await t.rejects(
    rows(
      sql`insert into visit_observations (id, visit_id, case_id, kind, text, reportable) values (${id()}, ${held}, ${first.caseId}, 'child_statement', 'x', true)`,
    ),
    'and a reportable child statement',
  )
  await rows(sql`insert into reports (id, centre_id, referral_id, kind, language, content, sha256, issued_at)
      values ('0193a5b2-0000-7000-8000-000000000000', ${centre}, ${referral!.referral_id}, 'referral_refused', 'nl', '{}', 'x', now())`)
  t.same(
    await rows(sql`select position::int from report_feed where report_id = '0193a5b2-0000-7000-8000-000000000000'`),
    [{ position: 4 }],
    'a new report comes next',
  )
})

t.test('0035 gives an ending recorded without an effective date the day it was recorded, and ends no case without one again', async (t) => {
  const { database, drop } = await emptyDatabase()
  t.teardown(drop)
  await migrateWith(database, foldersBefore('0035_statistics_period_indexes'))
  const rows = <T = Record<string, unknown>>(query: SQL) => rawRows<T>(database.db, query)
  const centre = randomUUID()
  const counsellor = randomUUID()
  await rows(sql`insert into centres (id, name, settings) values (${centre}, 'Centre', '{}')`)
  await rows(sql`insert into counsellors (id, centre_id, name, working_hours) values (${counsellor}, ${centre}, 'An', '{}')`)
  const endedCase = async (endedAt: string, effectiveDate: string | null) => {
    const referral = randomUUID()
    const caseId = randomUUID()
    await rows(
      sql`insert into referrals (id, centre_id, source, legal_framework, reason, status) values (${referral}, ${centre}, 'self', 'voluntary', 'Reason', 'accepted')`,
    )
    await rows(sql`insert into cases (id, centre_id, referral_id, status, fee_exempt, lead_counsellor_id, ended_at, end_effective_date)
      values (${caseId}, ${centre}, ${referral}, 'ended', true, ${counsellor}, ${endedAt}, ${effectiveDate})`)
    return caseId
  }
  // Half past midnight in Brussels (summer time) is still the previous day in UTC.
  const withoutDate = await endedCase('2025-06-30T22:30:00Z', null)
  const withDate = await endedCase('2025-06-30T22:30:00Z', '2025-06-15')

  await migrateWith(database, migrationsFolder)
  const days = await rows<{ id: string; day: string }>(sql`select id, end_effective_date as day from cases order by ended_at, end_effective_date`)
  t.same(Object.fromEntries(days.map((d) => [d.id, d.day])), { [withoutDate]: '2025-07-01', [withDate]: '2025-06-15' })
  const refused: unknown = await endedCase('2025-07-02T10:00:00Z', null).catch((error: unknown) => error)
  t.match(refused, { cause: { message: /cases_ended_on_a_day/ } }, 'an ended case without its day is refused by the database')
})
