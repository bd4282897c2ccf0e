/**
 * Migration 0021 carries each observation's child-protection record over into a concern: open,
 * about the case's children, resting on that observation, with the one step the record named
 * (consulted: the VK consulted; reported: reported to the VK) and its author's name.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { rawRows } from '../../src/db/client.js'
import { migrationsFolder } from '../../src/db/migrate.js'
import { createCase } from '../helpers/cases.js'
import { testCentre } from '../helpers/app.js'

const statements = readFileSync(join(migrationsFolder, '0021_court_and_child.sql'), 'utf8').split('--> statement-breakpoint')
const start = statements.findIndex((s) => s.includes('CREATE TEMPORARY TABLE "carried_concerns"'))
const carryOver = statements.slice(start, start + 4)

t.test('child-protection records become open concerns with their step', async (t) => {
  t.match(carryOver[3], /INSERT INTO "concern_observations"/, 'the four statements of the carry-over')
  const { database, centre } = await testCentre(t)
  const f = await createCase(database, centre)
  const db = database.db
  const [visit] = await rawRows<{ id: string }>(
    db,
    sql`insert into visits (id, centre_id, case_id, counsellor_ids, party_ids, kind, time_zone, starts_at, ends_at, span_start, span_end)
      values (gen_random_uuid(), ${centre.centreId}, ${f.caseId}, array[${centre.demo.counsellorIds[0]}::uuid], array[${f.child}::uuid, ${f.visiting}::uuid],
        'supervised_visit', 'Europe/Brussels', now() - interval '7 days', now() - interval '7 days' + interval '1 hour',
        now() - interval '7 days', now() - interval '7 days' + interval '1 hour') returning id`,
  )
  const observations = await db.transaction(async (tx) => {
    // The column as it was before the migration, and records in it.
    await tx.execute(sql`alter table visit_observations add column child_protection jsonb`)
    const rows = await rawRows<{ id: string; kind: string }>(
      tx,
      sql`insert into visit_observations (id, visit_id, case_id, kind, text, child_protection) values
        (gen_random_uuid(), ${visit!.id}, ${f.caseId}, 'incident', 'Consulted about it', '{"action": "consulted", "at": "2026-03-07T12:30:00+01:00", "by": "Coordinator An"}'),
        (gen_random_uuid(), ${visit!.id}, ${f.caseId}, 'incident', 'Reported it', '{"action": "reported", "at": "2026-03-08T09:00:00+01:00", "by": "Director Bo"}'),
        (gen_random_uuid(), ${visit!.id}, ${f.caseId}, 'observation', 'Nothing to report', null)
        returning id, kind`,
    )
    for (const statement of carryOver) await tx.execute(sql.raw(statement))
    await tx.execute(sql`alter table visit_observations drop column child_protection`)
    return rows
  })
  const concerns = await rawRows<Record<string, any>>(
    db,
    sql`select k.summary, k.status, k.child_party_ids::text[] as children, k.case_id, co.observation_id, s.step, s.reported_to, s.at, s.author_name, s.note
      from concerns k join concern_observations co on co.concern_id = k.id join concern_steps s on s.concern_id = k.id
      where k.case_id = ${f.caseId} order by k.summary`,
  )
  t.equal(concerns.length, 2, 'one concern per record; none for the observation without one')
  t.match(concerns, [
    {
      summary: 'Consulted about it',
      status: 'open',
      children: [f.child],
      observation_id: observations[0]!.id,
      step: 'vk_consulted',
      reported_to: null,
      author_name: 'Coordinator An',
      note: null,
    },
    {
      summary: 'Reported it',
      status: 'open',
      children: [f.child],
      observation_id: observations[1]!.id,
      step: 'reported',
      reported_to: 'vk',
      author_name: 'Director Bo',
    },
  ])
  t.equal(new Date(concerns[0]!.at).toISOString(), '2026-03-07T11:30:00.000Z', 'the step keeps the record’s time')
})
