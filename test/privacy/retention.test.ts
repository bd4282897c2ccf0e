/**
 * Retention: cases ended longer ago than the centre's retentionYears are pseudonymised by
 * applyRetention — names, contact and free texts gone, observations deleted, coded facts kept — so
 * the statistics of their period do not change; a second run and two runs at once change nothing
 * more and audit each case once; a case ended recently is left as it was.
 */
import t from 'tap'
import { sql, type SQL } from 'drizzle-orm'
import { main } from '../../src/cli.js'
import { openDatabase, type Db } from '../../src/db/client.js'
import { applyRetention, pseudonym } from '../../src/modules/retention/service.js'
import { buildTestApp, call, onPostgres, type TestContext } from '../helpers/app.js'
import { FROM, REFERRALS, seed, TO, type ReferralSpec, type Seeded } from '../statistics/dataset.js'

const NOW = new Date('2031-06-01T00:00:00Z')
const SECRET = /Private|Jan\b|Oma Jet|\+32|No phone/

/** A case ended in 2030: within five years of NOW. */
const RECENT: ReferralSpec = {
  centre: 'A',
  source: 'court',
  legalFramework: 'court_ordered',
  court: 'antwerpen',
  submittedAt: '2029-01-05T10:00:00Z',
  status: 'accepted',
  decidedAt: '2029-01-08T10:00:00Z',
  case: {
    site: 'S1',
    feeExempt: false,
    parties: ['child', 'visiting_parent', 'residing_parent'],
    intakes: ['2029-01-20T10:00:00Z'],
    activatedAt: '2029-02-01T10:00:00Z',
    ended: { effectiveDate: '2030-03-01', reason: 'goal_reached', at: '2030-03-01T15:00:00Z' },
    visits: [{ kind: 'supervised_visit', startsAt: '2029-02-15T10:00:00Z', outcomes: [{ outcome: 'interrupted' }] }],
  },
}

async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  // Both drivers answer raw SQL with { rows }; drizzle types the union of their results loosely.
  const result: unknown = await db.execute(query)
  return (result as { rows: T[] }).rows
}

/** Free texts everywhere the dataset leaves them empty: names, contact, notes, observations, explanations. */
async function addPersonalData(db: Db) {
  await db.execute(
    sql`update parties set given_name = 'Jan', birth_date = '1985-04-12', contact = '{"phone": "+32 470 12 34 56"}', confidential_address = true`,
  )
  await db.execute(
    sql`update referrals set reason = 'Private reason', requested = '{"kind": "supervised_visit", "notes": "Private notes"}', status_explanation = 'Private', status_court_note = 'Private', court_reference = 'Private 25/123'`,
  )
  // The stored replay of a referral's creation repeats the parties' names.
  await db.execute(sql`insert into idempotency_keys (token_id, key, route, request_sha256, status, response)
    select gen_random_uuid(), 'key-' || id, 'POST /v1/referrals', 'x', 201, jsonb_build_object('id', id, 'parties', '[{"givenName": "Jan"}]'::jsonb) from referrals`)
  await db.execute(sql`update intakes set summary = 'Private summary'`)
  await db.execute(sql`update case_events set explanation = 'Private', court_note = 'Private'`)
  await db.execute(sql`update suspensions set explanation = 'Private', court_note = 'Private'`)
  await db.execute(sql`update visits set cancel_explanation = 'Private' where status = 'cancelled'`)
  await db.execute(sql`update visits set interpreter = '{"name": "Private interpreter", "language": "ar"}', location = '{"description": "Private place"}'`)
  await db.execute(
    sql`insert into safety_profiles (case_id, contact_bans, notes) select id, '[{"partyId": "x", "details": "Private ban"}]', 'Private note' from cases`,
  )
  await db.execute(sql`insert into agreements (id, case_id, version, kinds, conditions, authorised_visitors)
    select gen_random_uuid(), id, 1, '["supervised_visit"]', '["No phone during the visit"]', '[{"name": "Oma Jet", "relation": "grandmother"}]' from cases`)
  await db.execute(sql`insert into visit_attendances (id, visit_id, party_id, checked_in_at, brought_by_visitor)
    select gen_random_uuid(), id, party_ids[1], starts_at, 'Oma Jet' from visits where status <> 'cancelled' and cardinality(party_ids) > 0`)
  await db.execute(
    sql`insert into visit_observations (id, visit_id, case_id, kind, text) select gen_random_uuid(), id, case_id, 'observation', 'Private observation' from visits`,
  )
  // A concern on every case, closed, resting on its observations, with a step and the stored replay of its creation.
  await db.execute(sql`insert into concerns (id, centre_id, case_id, summary, child_party_ids, observed_at, status, outcome, close_note, closed_at)
    select gen_random_uuid(), centre_id, id, 'Private concern', '{}', now(), 'closed', 'Private outcome', 'Private close note', now() from cases`)
  await db.execute(sql`insert into concern_observations (concern_id, observation_id)
    select k.id, o.id from concerns k join visit_observations o on o.case_id = k.case_id`)
  await db.execute(sql`insert into concern_steps (id, concern_id, step, at, note, author_name)
    select gen_random_uuid(), id, 'vk_consulted', now(), 'Private step', 'Private author' from concerns`)
  await db.execute(sql`insert into idempotency_keys (token_id, key, route, request_sha256, status, response)
    select gen_random_uuid(), 'key-' || id, 'POST /v1/cases/{id}/concerns', 'x', 201, jsonb_build_object('id', id, 'summary', 'Private concern') from concerns`)
  // A correction of each last outcome, with the same facts and an internal explanation.
  await db.execute(sql`insert into visit_outcomes (id, visit_id, outcome, actual_start, actual_end, absent_party_ids, reason_code, explanation, interrupted_at, supersedes)
    select gen_random_uuid(), visit_id, outcome, actual_start, actual_end, absent_party_ids, reason_code, 'Private explanation', interrupted_at, id
    from visit_outcomes o where not exists (select 1 from visit_outcomes n where n.supersedes = o.id)`)
}

/** Every row held about the given cases, as JSON, in a fixed order. */
async function dump(db: Db, caseIds: string[]) {
  if (caseIds.length === 0) return []
  const ids = sql.join(
    caseIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )
  const visitIds = sql`(select id from visits where case_id in (${ids}))`
  const referralIds = sql`(select referral_id from cases where id in (${ids}))`
  return rows<{ t: string; row: Record<string, unknown> }>(
    db,
    sql`select * from (
      select 'cases' t, to_jsonb(x) "row" from cases x where id in (${ids})
      union all select 'referrals', to_jsonb(x) from referrals x where id in ${referralIds}
      union all select 'parties', to_jsonb(x) from parties x where referral_id in ${referralIds}
      union all select 'intakes', to_jsonb(x) from intakes x where case_id in (${ids})
      union all select 'case_events', to_jsonb(x) from case_events x where case_id in (${ids})
      union all select 'suspensions', to_jsonb(x) from suspensions x where case_id in (${ids})
      union all select 'agreements', to_jsonb(x) from agreements x where case_id in (${ids})
      union all select 'visits', to_jsonb(x) from visits x where case_id in (${ids})
      union all select 'safety_profiles', to_jsonb(x) from safety_profiles x where case_id in (${ids})
      union all select 'visit_attendances', to_jsonb(x) from visit_attendances x where visit_id in ${visitIds}
      union all select 'visit_outcomes', to_jsonb(x) from visit_outcomes x where visit_id in ${visitIds}
      union all select 'visit_observations', to_jsonb(x) from visit_observations x where case_id in (${ids})
      union all select 'idempotency_keys', to_jsonb(x) from idempotency_keys x where response->>'id' in (select id::text from referrals where id in ${referralIds})
      union all select 'concerns', to_jsonb(x) from concerns x where case_id in (${ids})
      union all select 'concern_steps', to_jsonb(x) from concern_steps x where concern_id in (select id from concerns where case_id in (${ids}))
      union all select 'concern_observations', to_jsonb(x) from concern_observations x where concern_id in (select id from concerns where case_id in (${ids}))
      union all select 'concern_idempotency_keys', to_jsonb(x) from idempotency_keys x where response->>'id' in (select id::text from concerns where case_id in (${ids}))
      union all select 'audit_events', to_jsonb(x) - 'id' - 'at' from audit_events x where entity_id in (${ids})
    ) d order by t, "row"::text`,
  )
}

async function statistics(ctx: TestContext, s: Seeded) {
  const figures = []
  for (const [token, query] of [
    [s.tokens.adminA, ''],
    [s.tokens.adminB, ''],
    [ctx.operator, '&groupBy=site'],
  ] as const) {
    const r = await call(ctx.app, { url: `/v1/statistics?from=${FROM}&to=${TO}${query}`, token })
    if (r.status !== 200) throw new Error(`statistics: ${r.status} ${r.body}`)
    figures.push(r.json)
  }
  return figures
}

async function endedIds(db: Db, before: Date) {
  const found = await rows<{ id: string }>(db, sql`select id from cases where ended_at < ${before.toISOString()}::timestamptz order by id`)
  return found.map((r) => r.id)
}

async function seeded(t: Parameters<typeof buildTestApp>[0]) {
  const ctx = await buildTestApp(t, { ownDatabase: true })
  const s = await seed(ctx, REFERRALS)
  await seed(ctx, [RECENT], s)
  const db = ctx.database.db
  await addPersonalData(db)
  const due = await endedIds(db, new Date('2026-01-01T00:00:00Z'))
  const recent = (await endedIds(db, NOW)).filter((id) => !due.includes(id))
  return { ctx, s, db, due, recent }
}

t.test('cases past the retention period are pseudonymised; statistics and recent cases stay as they were', async (t) => {
  const { ctx, s, db, due, recent } = await seeded(t)
  t.ok(due.length >= 5, `${due.length} cases ended in 2024–2025`)
  t.equal(recent.length, 1, 'one case ended in 2030')

  const statisticsBefore = await statistics(ctx, s)
  const recentBefore = await dump(db, recent)
  t.match(JSON.stringify(await dump(db, due)), SECRET, 'the old cases hold names and free texts before')
  const countsBefore = await rows(
    db,
    sql`select (select count(*) from visits)::int visits, (select count(*) from visit_outcomes)::int outcomes, (select count(*) from case_events)::int events, (select count(*) from parties)::int parties`,
  )

  const [first, second] = await Promise.all([applyRetention(db, NOW), applyRetention(db, NOW)])
  t.same([...first, ...second].sort(), due, 'two runs at once: every due case done, each by one of them')

  const after = await dump(db, due)
  t.notMatch(JSON.stringify(after), SECRET, 'no name, contact detail or free text is left')
  t.equal(after.filter((r) => r.t === 'visit_observations').length, 0, 'observations are deleted')
  t.equal(after.filter((r) => r.t === 'idempotency_keys').length, 0, 'so is the stored replay of the referral')
  t.equal(after.filter((r) => r.t === 'concern_observations').length, 0, 'concerns no longer rest on the deleted observations')
  t.equal(after.filter((r) => r.t === 'concern_idempotency_keys').length, 0, 'the stored replay of a concern’s creation is deleted')
  t.same(
    after.filter((r) => r.t === 'concerns').map((r) => [r.row.status, r.row.summary, r.row.outcome, r.row.close_note]),
    due.map(() => ['closed', '', '', null]),
    'concerns are kept as coded facts, without their texts',
  )
  t.equal(after.filter((r) => r.t === 'concern_steps' && r.row.step === 'vk_consulted' && r.row.note === null).length, due.length, 'and so are their steps')
  t.ok(
    after.filter((r) => r.t === 'cases').every((r) => r.row.pseudonymised_at !== null),
    'each case records when it was pseudonymised',
  )
  const audits = after.filter((r) => r.t === 'audit_events' && r.row.action === 'case.pseudonymised')
  t.equal(audits.length, due.length, 'one audit entry per case')
  t.ok(
    audits.every((r) => r.row.actor_role === 'system' && r.row.actor_token_id === null),
    'by the system',
  )
  for (const party of after.filter((r) => r.t === 'parties').map((r) => r.row)) {
    t.equal(party.family_name, pseudonym(party.id as string))
    t.equal(party.given_name, null)
    t.equal(party.birth_date, '1985-01-01', 'the year of birth stays')
    t.same(party.contact, {})
    t.equal(party.confidential_address, false)
  }
  for (const agreement of after.filter((r) => r.t === 'agreements'))
    t.same(agreement.row.authorised_visitors, [{ name: 'X', relation: 'grandmother' }], 'an authorised visitor keeps the relation, not the name')
  t.same(
    await rows(
      db,
      sql`select (select count(*) from visits)::int visits, (select count(*) from visit_outcomes)::int outcomes, (select count(*) from case_events)::int events, (select count(*) from parties)::int parties`,
    ),
    countsBefore,
    'visits, outcomes, events and parties are all kept',
  )
  t.same(await statistics(ctx, s), statisticsBefore, 'the statistics of the period are the same')
  t.same(await dump(db, recent), recentBefore, 'a case ended within the period is untouched')

  const once = await dump(db, [...due, ...recent])
  t.same(await applyRetention(db, NOW), [], 'a second run finds nothing to do')
  t.same(await dump(db, [...due, ...recent]), once, 'and changes nothing')

  // The outcome trigger lets only the explanation's removal through.
  const [outcome] = await rows<{ id: string }>(db, sql`select id from visit_outcomes where explanation is not null limit 1`)
  for (const change of [sql`outcome = 'noshow'`, sql`explanation = 'rewritten'`, sql`explanation = null, reason_code = 'other'`]) {
    const refused = await db.execute(sql`update visit_outcomes set ${change} where id = ${outcome!.id}`).then(
      () => 'updated',
      (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
    )
    t.match(refused, /append-only/, 'any other change of an outcome is refused')
  }

  // A centre that keeps records longer: its own setting counts.
  await db.execute(sql`update centres set settings = jsonb_set(settings, '{retentionYears}', '10')`)
  t.same(await applyRetention(db, new Date('2036-01-01T00:00:00Z')), [], 'the 2030 case is kept for ten years')
  t.same(await applyRetention(db, new Date('2040-03-02T00:00:00Z')), recent, 'and pseudonymised after them')

  // The operator's command runs the same job now: nothing is left to do.
  let printed = ''
  t.equal(await main(['retention', 'run'], { database: ctx.database, stdout: (text) => (printed += text) }), 0)
  t.same(JSON.parse(printed), { pseudonymisedCaseIds: [] }, 'npm run cli -- retention run prints the cases it did')
})

t.test(
  'two processes at once pseudonymise each case once',
  { skip: onPostgres ? false : 'needs real PostgreSQL (DATABASE_URL): PGlite is one connection, so nothing can race' },
  async (t) => {
    const { ctx, db, due } = await seeded(t)
    const url = (ctx.database as { url?: string }).url!
    const a = await openDatabase({ databaseUrl: url, poolSize: 4 })
    const b = await openDatabase({ databaseUrl: url, poolSize: 4 })
    t.teardown(async () => {
      await a.close()
      await b.close()
    })
    const runs = await Promise.all([a, b, a, b].map((d) => applyRetention(d.db, NOW)))
    t.same(runs.flat().sort(), due, 'every due case done once in all')
    const audits = await rows<{ entity_id: string; n: number }>(
      db,
      sql`select entity_id, count(*)::int n from audit_events where action = 'case.pseudonymised' group by entity_id order by entity_id`,
    )
    t.same(
      audits,
      due.map((id) => ({ entity_id: id, n: 1 })),
      'one audit entry per case',
    )
    const once = await dump(db, due)
    t.same(await applyRetention(a.db, NOW), [])
    t.same(await dump(db, due), once, 'a later run changes nothing')
  },
)
