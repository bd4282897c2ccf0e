/**
 * The report feed: a reader that always continues from the cursor it was given sees every report
 * of its scope once. Paging and cursors are checked on both databases; that this holds while
 * transactions commit reports concurrently and out of order — some held open on purpose after their
 * report is written — needs real PostgreSQL and its own connections, so that part is skipped on PGlite.
 */
import t from 'tap'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { rawRows } from '../../src/db/client.js'
import { courts } from '../../src/db/schema.js'
import type { Actor } from '../../src/domain/actor.js'
import { refuseReferral } from '../../src/modules/referrals/service.js'
import { buildTestApp, call, onPostgres, referralBody, tokenFor } from '../helpers/app.js'

const ctx = await buildTestApp(t, { poolSize: 24 })
const { app, database, centre } = ctx
const staffToken = await tokenFor(database, 'staff', { centreId: centre.centreId })
const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
const [otherCourt] = await database.db.insert(courts).values({ name: 'Elders', judicialDistrict: 'Gent' }).returning()
const otherClerk = (await tokenFor(database, 'clerk', { courtId: otherCourt!.id })).token
const staff: Actor = { tokenId: staffToken.id, role: 'staff', centreId: centre.centreId, courtId: null, counsellorId: null, requestId: null }

const submit = async () => {
  const r = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre) })
  if (r.status !== 201) throw new Error(r.body)
  return r.json.id as string
}
const page = async (after: string | undefined, token = clerk, limit = 5) => {
  const r = await call(app, { url: `/v1/reports?limit=${limit}${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`, token })
  if (r.status !== 200) throw new Error(`${r.status} ${r.body}`)
  return r.json as { items: { id: string }[]; nextCursor: string }
}

t.test('pages follow each other; every page, an empty one too, says where to continue', async (t) => {
  const start = await page(undefined)
  t.same(start.items, [], 'no report yet')
  t.type(start.nextCursor, 'string', 'an empty first page still carries a cursor: the start')
  for (let i = 0; i < 7; i++) {
    const id = await submit()
    const refused = await call(app, {
      method: 'POST',
      url: `/v1/referrals/${id}/refuse`,
      token: staffToken.token,
      body: { reasonCode: 'no_capacity', explanation: 'x' },
    })
    t.equal(refused.status, 200, refused.body)
  }
  // Followed as a reader does.
  const ids: string[] = []
  let cursor = start.nextCursor
  for (const deadline = Date.now() + 30_000; ids.length < 7 && Date.now() < deadline;) {
    const next = await page(cursor)
    t.ok(next.items.length <= 5, 'no page longer than asked')
    ids.push(...next.items.map((r) => r.id))
    if (!next.items.length) {
      t.equal(next.nextCursor, cursor, 'an empty page gives back the cursor sent')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    cursor = next.nextCursor
  }
  const empty = await page(cursor)
  t.same(empty.items, [], 'then nothing more')
  t.equal(empty.nextCursor, cursor, 'an empty page gives back the cursor sent')
  t.equal(new Set(ids).size, 7, 'seven reports, each once')
  t.same(
    (await page(undefined, clerk, 200)).items.map((r) => r.id),
    ids,
    'the same order in one page',
  )
  t.same((await page(undefined, otherClerk)).items, [], 'another court’s clerk sees none')
  const tampered = await call(app, { url: `/v1/reports?after=${Buffer.from('1|not-a-uuid').toString('base64url')}`, token: clerk })
  t.equal(tampered.status, 400, 'a cursor this service did not issue is refused')
  const huge = await call(app, {
    url: `/v1/reports?after=${Buffer.from(`${'9'.repeat(25)}|00000000-0000-0000-0000-000000000000`).toString('base64url')}`,
    token: clerk,
  })
  t.equal(huge.status, 400, 'a transaction id out of range is refused')
})

t.test(
  'concurrent writers committing out of order: the reader sees every report exactly once',
  { skip: onPostgres ? false : 'needs PostgreSQL (DATABASE_URL): PGlite runs one transaction at a time, so nothing commits out of order there' },
  async (t) => {
    const WRITERS = 24
    const ids = await Promise.all(Array.from({ length: WRITERS }, () => submit()))
    // The reader starts after what the first test issued.
    let startCursor: string | undefined
    for (;;) {
      const p = await page(startCursor, clerk, 200)
      if (!p.items.length) break
      startCursor = p.nextCursor
    }

    // Each writer refuses one referral (issuing its report) in its own transaction; every third one
    // then holds its transaction open, so it commits after writers that started — and took their
    // transaction ids — later. One more holds a transaction open on a client of its own meanwhile.
    const committed: { id: string; xid: string }[] = []
    let writing = true
    const holder = await database.pool!.connect()
    await holder.query('begin')
    await holder.query('select pg_current_xact_id()')
    const writers = ids.map(async (referralId, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i % 4) * 15))
      const xid = await database.db.transaction(async (tx) => {
        await refuseReferral(tx, staff, new Date(), referralId, { reasonCode: 'no_capacity', explanation: `writer ${i}` })
        const [row] = await rawRows<{ xid: string }>(tx, sql`select pg_current_xact_id()::text as xid`)
        if (i % 3 === 0) await tx.execute(sql`select pg_sleep(${0.2 + (i % 5) * 0.1})`)
        return row!.xid
      })
      committed.push({ id: referralId, xid })
    })
    const released = new Promise((resolve) => setTimeout(resolve, 800)).then(() => holder.query('commit').finally(() => holder.release()))
    const done = Promise.all([...writers, released]).finally(() => {
      writing = false
    })

    // The reader polls from the cursor it was last given until the writers are done, then drains.
    const seen: string[] = []
    let cursor = startCursor!
    let polls = 0
    let emptyWhileWriting = 0
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      const stillWriting = writing
      const p = await page(cursor, clerk, 4)
      polls++
      seen.push(...p.items.map((r) => r.id))
      t.ok(p.nextCursor, 'every page carries a cursor')
      if (!p.items.length && stillWriting) emptyWhileWriting++
      cursor = p.nextCursor
      if (!stillWriting && !p.items.length && seen.length >= WRITERS) break
      if (!p.items.length) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await done

    const reportIds = await rawRows<{ id: string; referral_id: string }>(
      database.db,
      sql`select id, referral_id from reports where referral_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    )
    t.equal(reportIds.length, WRITERS, 'every writer issued its report')
    t.equal(seen.length, new Set(seen).size, 'no report seen twice')
    t.same([...seen].sort(), reportIds.map((r) => r.id).sort(), 'every report seen')
    // The test means something only if commits really came out of transaction-id order.
    const outOfOrder = committed.some((c, i) => committed.slice(i + 1).some((later) => BigInt(later.xid) < BigInt(c.xid)))
    t.ok(outOfOrder, 'some transactions committed after transactions with a higher id')
    t.comment(`${polls} polls, ${emptyWhileWriting} empty pages while writing`)
  },
)

/** Refuses a new referral, which issues its report; answers the report's id. */
async function refusedReport() {
  const id = await submit()
  const refused = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${id}/refuse`,
    token: staffToken.token,
    body: { reasonCode: 'no_capacity', explanation: 'x' },
  })
  if (refused.status !== 200) throw new Error(refused.body)
  const [row] = await rawRows<{ id: string }>(database.db, sql`select id from reports where referral_id = ${id}`)
  return row!.id
}

/** Every report after the cursor, followed to the end. */
async function drain(cursor: string | undefined) {
  const ids: string[] = []
  for (;;) {
    const p = await page(cursor, clerk, 50)
    if (!p.items.length) return { ids, cursor: p.nextCursor }
    ids.push(...p.items.map((r) => r.id))
    cursor = p.nextCursor
  }
}

t.test('a cursor saved before feed positions continues after the report it names', async (t) => {
  const all = (await drain(undefined)).ids
  t.ok(all.length >= 3)
  const old = (id: string) => Buffer.from(`${8_000_000 + all.length}|${id}`).toString('base64url')
  t.same((await drain(old(all[1]!))).ids, all.slice(2), 'after the second report: the rest, in order')
  t.same((await drain(old('00000000-0000-0000-0000-000000000000'))).ids, all, 'the former start is the start')
  const gone = await call(app, { url: `/v1/reports?after=${old('01a24c59-0000-7000-8000-000000000000')}`, token: clerk })
  t.equal(gone.status, 400, 'a report that is not in the feed')
  t.match(gone.json.errors, [{ pointer: '/after', detail: /start again without it/ }])
})

t.test(
  'a transaction held open in another database does not hold the feed back',
  { skip: onPostgres ? false : 'needs PostgreSQL (DATABASE_URL): PGlite has one database' },
  async (t) => {
    const { cursor } = await drain(undefined)
    // The server's other database (the one DATABASE_URL names) with a write transaction left open.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await other.connect()
    t.teardown(() => other.end())
    await other.query('begin')
    await other.query('select pg_current_xact_id()')
    const id = await refusedReport()
    t.same((await drain(cursor)).ids, [id], 'the new report is in the feed at once')
    await other.query('rollback')
  },
)

t.test('?cursor= pages the feed like every list; ?after= is its deprecated alias and still works', async (t) => {
  const get = (query: string) => call(app, { url: `/v1/reports?limit=2${query}`, token: clerk })
  const first = await get('')
  t.equal(first.status, 200, first.body)
  const byCursor = await get(`&cursor=${encodeURIComponent(first.json.nextCursor)}`)
  const byAfter = await get(`&after=${encodeURIComponent(first.json.nextCursor)}`)
  t.equal(byCursor.status, 200, byCursor.body)
  t.same(byAfter.json, byCursor.json, 'after continues where cursor does')
  const both = `&cursor=${encodeURIComponent(first.json.nextCursor)}`
  t.same((await get(`${both}&after=${encodeURIComponent(first.json.nextCursor)}`)).json, byCursor.json, 'the same value under both names')
  const differ = await get(`${both}&after=${encodeURIComponent(byCursor.json.nextCursor)}`)
  t.equal(differ.status, 400, 'two different positions are refused')
  t.match(differ.json.errors, [{ in: 'query', pointer: '/after' }])
  const bad = await get('&cursor=bm90LWEtY3Vyc29y')
  t.equal(bad.status, 400, 'a cursor this service did not issue')
})
