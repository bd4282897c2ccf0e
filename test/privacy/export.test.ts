/**
 * GET /v1/parties/{id}/export gives every row that mentions the party — checked against the schema
 * itself: every foreign key to parties(id) and every uuid[] column — for the centre's admin only;
 * reads of contact details and internal notes (a case, a referral, a visit's observations, the
 * export) are recorded in the audit trail with the reader's token, a referrer's reads are not.
 */
import t from 'tap'
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../src/db/client.js'
import { call, testCentre, tokenFor } from '../helpers/app.js'
import { createCase } from '../helpers/cases.js'

async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  // Both drivers answer raw SQL with { rows }; drizzle types the union of their results loosely.
  const result: unknown = await db.execute(query)
  return (result as { rows: T[] }).rows
}

/** Every id in a JSON document, wherever it sits. */
function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) idsIn(item, into)
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' && typeof inner === 'string') into.add(inner)
      idsIn(inner, into)
    }
  }
  return into
}

t.test('the export holds every row that mentions the party', async (t) => {
  const ctx = await testCentre(t)
  const { database, centre, app } = ctx
  const db = database.db
  const f = await createCase(database, centre)
  const counsellor = centre.demo.counsellorIds[0]!
  await db.execute(sql`update parties set given_name = 'Jan', contact = '{"phone": "+32 470 12 34 56"}' where id = ${f.visiting}`)
  await db.execute(sql`insert into intakes (id, case_id, party_id, held_at, counsellor_id, summary)
    values (gen_random_uuid(), ${f.caseId}, ${f.visiting}, now(), ${counsellor}, 'Private summary'),
           (gen_random_uuid(), ${f.caseId}, ${f.residing}, now(), ${counsellor}, 'Of the other parent')`)
  const visitIds = await rows<{ id: string }>(
    db,
    sql`insert into visits (id, centre_id, case_id, counsellor_ids, party_ids, kind, time_zone, starts_at, ends_at, span_start, span_end)
      select gen_random_uuid(), ${centre.centreId}, ${f.caseId}, array[${counsellor}::uuid], array[${f.child}::uuid, ${f.visiting}::uuid, ${f.residing}::uuid],
        'supervised_visit', 'Europe/Brussels', s, s + interval '1 hour', s, s + interval '1 hour'
      from (values (now() - interval '14 days'), (now() - interval '7 days')) v(s) returning id`,
  )
  const [first, second] = visitIds.map((v) => v.id)
  await db.execute(sql`insert into visit_attendances (id, visit_id, party_id, checked_in_at, brought_by_party_id)
    values (gen_random_uuid(), ${first}, ${f.visiting}, now() - interval '14 days', null),
           (gen_random_uuid(), ${first}, ${f.child}, now() - interval '14 days', ${f.visiting})`)
  await db.execute(sql`insert into visit_outcomes (id, visit_id, outcome, actual_start, actual_end)
    values (gen_random_uuid(), ${first}, 'fulfilled', now() - interval '14 days', now() - interval '14 days' + interval '1 hour')`)
  await db.execute(
    sql`insert into visit_outcomes (id, visit_id, outcome, absent_party_ids) values (gen_random_uuid(), ${second}, 'noshow', array[${f.visiting}::uuid])`,
  )
  await db.execute(sql`insert into visit_observations (id, visit_id, case_id, kind, text, reportable)
    values (gen_random_uuid(), ${first}, ${f.caseId}, 'observation', 'Calm handover.', true),
           (gen_random_uuid(), ${first}, ${f.caseId}, 'incident', 'Not for the referrer.', false)`)

  const r = await call(app, { url: `/v1/parties/${f.visiting}/export`, token: centre.adminToken })
  t.equal(r.status, 200, r.body.slice(0, 300))
  t.equal(r.json.party.id, f.visiting)
  t.equal(r.json.party.givenName, 'Jan')
  t.same(r.json.party.contact, { phone: '+32 470 12 34 56' })
  t.equal(r.json.case.id, f.caseId)
  t.equal(r.json.observations.length, 2, 'non-reportable observations too')
  t.same(
    r.json.intakes.map((i: { summary: string }) => i.summary),
    ['Private summary'],
    'its own intake, not the other parent’s',
  )
  const exported = idsIn(r.json)

  // Every foreign key to parties(id), read from the catalogue, and every uuid[] column.
  const references = await rows<{ table_name: string; column_name: string }>(
    db,
    sql`select c.conrelid::regclass::text table_name, a.attname column_name
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'f' and c.confrelid = 'parties'::regclass
      union
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type = 'ARRAY' and udt_name = '_uuid'
      order by 1, 2`,
  )
  t.ok(references.length >= 7, `${references.length} columns can name a party: ${references.map((c) => `${c.table_name}.${c.column_name}`).join(', ')}`)
  let mentioning = 0
  for (const { table_name: table, column_name: column } of references) {
    const found = await rows<{ id: string }>(
      db,
      // array[column] is an array for a uuid column and a nested one for a uuid[] column; ANY reads every element of both.
      sql`select id from ${sql.identifier(table)} where ${f.visiting}::uuid = any(array[${sql.identifier(column)}])`,
    )
    for (const row of found) t.ok(exported.has(row.id), `${table}.${column}: row ${row.id} is in the export`)
    mentioning += found.length
  }
  t.ok(mentioning >= 8, `${mentioning} rows mention the party, each exported`)

  const another = await testCentre(t)
  t.equal((await call(app, { url: `/v1/parties/${f.visiting}/export`, token: another.centre.adminToken })).status, 404, 'another centre’s party is not found')
  const staff = await tokenFor(database, 'staff', { centreId: centre.centreId })
  t.equal((await call(app, { url: `/v1/parties/${f.visiting}/export`, token: staff.token })).status, 403, 'for the admin only')
})

t.test('reads of contact details and internal notes are in the audit trail; a referrer’s are not', async (t) => {
  const { database, centre, app } = await testCentre(t)
  const db = database.db
  const f = await createCase(database, centre)
  await db.execute(sql`update cases set court_id = ${centre.demo.courtId} where id = ${f.caseId}`)
  await db.execute(sql`update referrals set court_id = ${centre.demo.courtId}, source = 'court' where case_id = ${f.caseId}`)
  const [{ referral_id: referralId } = { referral_id: '' }] = await rows<{ referral_id: string }>(db, sql`select referral_id from cases where id = ${f.caseId}`)
  const [visit] = await rows<{ id: string }>(
    db,
    sql`insert into visits (id, centre_id, case_id, counsellor_ids, party_ids, kind, time_zone, starts_at, ends_at, span_start, span_end)
      values (gen_random_uuid(), ${centre.centreId}, ${f.caseId}, array[${centre.demo.counsellorIds[0]!}::uuid], array[${f.visiting}::uuid],
        'supervised_visit', 'Europe/Brussels', now(), now() + interval '1 hour', now(), now() + interval '1 hour') returning id`,
  )
  const staff = await tokenFor(database, 'staff', { centreId: centre.centreId })
  const clerk = await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })
  const trail = async (entityId: string) =>
    (await call(app, { url: `/v1/audit?entityId=${entityId}`, token: centre.adminToken })).json.items as { action: string; actorTokenId: string | null }[]

  t.equal((await call(app, { url: `/v1/cases/${f.caseId}`, token: staff.token })).status, 200)
  t.match(await trail(f.caseId), [{ action: 'case.read', actorTokenId: staff.id }], 'reading a case is recorded with the reader’s token')
  t.equal((await call(app, { url: `/v1/referrals/${referralId}`, token: staff.token })).status, 200)
  t.match(await trail(referralId), [{ action: 'referral.read', actorTokenId: staff.id }], 'reading a referral')
  t.equal((await call(app, { url: `/v1/visits/${visit!.id}/observations`, token: staff.token })).status, 200)
  t.match(await trail(visit!.id), [{ action: 'observations.read', actorTokenId: staff.id }], 'reading a visit’s observations')
  t.equal((await call(app, { url: `/v1/parties/${f.visiting}/export`, token: centre.adminToken })).status, 200)
  t.match(await trail(f.visiting), [{ action: 'party.exported' }], 'an export')

  const before = (await trail(f.caseId)).length
  t.equal((await call(app, { url: `/v1/cases/${f.caseId}`, token: clerk.token })).status, 200, 'the court reads its view')
  t.equal((await call(app, { url: `/v1/referrals/${referralId}`, token: clerk.token })).status, 200)
  t.equal((await trail(f.caseId)).length, before, 'a referrer’s view holds no contact details: nothing recorded')
  t.notOk(
    (await trail(referralId)).some((e) => e.actorTokenId === clerk.id),
    'nor for the referral',
  )
})

t.test('an access request withholds what belongs to others; an admin releases it with a recorded reason', async (t) => {
  const { database, centre, app } = await testCentre(t)
  const db = database.db
  const f = await createCase(database, centre)
  const MARKER = 'CONCERN~MARKER~7731'
  await db.execute(sql`update parties set given_name = 'Jan', family_name = 'Peeters' where id = ${f.visiting}`)
  await db.execute(sql`update parties set given_name = 'Griet', family_name = 'Verhulst', contact = '{"address": "Geheimstraat 9"}' where id = ${f.residing}`)
  await db.execute(sql`update parties set given_name = 'Lena', family_name = 'Peeters' where id = ${f.child}`)
  const [visit] = await rows<{ id: string }>(
    db,
    sql`insert into visits (id, centre_id, case_id, counsellor_ids, party_ids, kind, time_zone, starts_at, ends_at, span_start, span_end, arrivals)
      values (gen_random_uuid(), ${centre.centreId}, ${f.caseId}, array[${centre.demo.counsellorIds[0]!}::uuid], array[${f.child}::uuid, ${f.visiting}::uuid, ${f.residing}::uuid],
        'supervised_visit', 'Europe/Brussels', now() - interval '7 days', now() - interval '7 days' + interval '1 hour', now() - interval '7 days' - interval '15 minutes', now() - interval '7 days' + interval '75 minutes',
        ${JSON.stringify([
          { partyId: f.visiting, arriveAt: '2026-03-07T12:45:00Z', leaveAt: '2026-03-07T14:30:00Z' },
          { partyId: f.residing, arriveAt: '2026-03-07T13:00:00Z', leaveAt: '2026-03-07T14:15:00Z' },
        ])}::jsonb) returning id`,
  )
  await db.execute(
    sql`insert into visit_attendances (id, visit_id, party_id, checked_in_at) values (gen_random_uuid(), ${visit!.id}, ${f.residing}, now() - interval '7 days')`,
  )
  const [statement, aboutOther, plain] = await rows<{ id: string }>(
    db,
    sql`insert into visit_observations (id, visit_id, case_id, kind, text, reportable, created_at)
      values (gen_random_uuid(), ${visit!.id}, ${f.caseId}, 'child_statement', 'Lena: "I am scared at home."', false, now() - interval '3 seconds'),
             (gen_random_uuid(), ${visit!.id}, ${f.caseId}, 'observation', 'Griet arrived upset and left early.', false, now() - interval '2 seconds'),
             (gen_random_uuid(), ${visit!.id}, ${f.caseId}, 'observation', 'Jan brought a drawing book.', false, now() - interval '1 seconds')
      returning id`,
  )
  const [concern] = await rows<{ id: string }>(
    db,
    sql`insert into concerns (id, centre_id, case_id, summary, child_party_ids, observed_at)
      values (gen_random_uuid(), ${centre.centreId}, ${f.caseId}, ${MARKER}, array[${f.child}::uuid], now()) returning id`,
  )
  await db.execute(sql`insert into concern_observations (concern_id, observation_id) values (${concern!.id}, ${statement!.id})`)

  const plainExport = await call(app, { url: `/v1/parties/${f.visiting}/export`, token: centre.adminToken })
  t.equal(plainExport.status, 200, plainExport.body.slice(0, 300))
  const body = plainExport.body
  t.notOk(body.includes(MARKER), 'no concern')
  t.notOk(body.includes('scared'), 'no child statement')
  t.notOk(body.includes('Griet') || body.includes('Verhulst') || body.includes('Geheimstraat'), "nothing of the other parent's name or address")
  t.same(
    plainExport.json.observations.map((o: { id: string }) => o.id),
    [plain!.id],
    'only the observation that names no one else',
  )
  t.notOk(plainExport.json.observations.some((o: { id: string }) => o.id === aboutOther!.id))
  t.same(
    plainExport.json.visits[0].arrivals.map((a: { partyId: string }) => a.partyId),
    [f.visiting],
    'its own arrival time only',
  )
  t.notOk(
    plainExport.json.attendances.some((a: { partyId: string }) => a.partyId === f.residing),
    "not the other parent's check-in",
  )
  t.same(
    plainExport.json.withheld.map((w: { category: string }) => w.category),
    ['concerns', 'child_statements', 'other_parties', 'observations_about_others'],
    'each withheld category is listed',
  )
  t.ok(
    plainExport.json.withheld.every((w: { ground: string }) => /GDPR/.test(w.ground)),
    'with its ground',
  )
  t.notOk('concerns' in plainExport.json, 'no concerns key at all')

  // The same list when there is nothing to withhold: it never tells a parent that a concern exists.
  const other = await createCase(database, centre)
  t.same((await call(app, { url: `/v1/parties/${other.visiting}/export`, token: centre.adminToken })).json.withheld, plainExport.json.withheld)

  const noReason = await call(app, { url: `/v1/parties/${f.visiting}/export?include=restricted`, token: centre.adminToken })
  t.equal(noReason.status, 400, 'a restricted export needs a reason')
  t.match(noReason.json.errors, [{ pointer: '/reason' }])
  const staff = await tokenFor(database, 'staff', { centreId: centre.centreId })
  t.equal((await call(app, { url: `/v1/parties/${f.visiting}/export?include=restricted&reason=x`, token: staff.token })).status, 403, 'admin only')

  const reason = 'Court order of 4 May 2026: full disclosure'
  const full = await call(app, { url: `/v1/parties/${f.visiting}/export?include=restricted&reason=${encodeURIComponent(reason)}`, token: centre.adminToken })
  t.equal(full.status, 200, full.body.slice(0, 300))
  t.ok(full.body.includes(MARKER), 'the concern is released')
  t.ok(full.body.includes('scared'), 'the child statement too')
  t.ok(full.body.includes('Griet'), 'and the observation about the other parent')
  t.same(full.json.concerns[0].observationIds, [statement!.id])
  t.same(full.json.withheld, [])
  const trail = (await call(app, { url: `/v1/audit?entityId=${f.visiting}`, token: centre.adminToken })).json.items as {
    action: string
    reason: string | null
  }[]
  t.match(
    trail,
    [
      { action: 'party.exported_restricted', reason },
      { action: 'party.exported', reason: null },
    ],
    'audited with its reason',
  )
})
