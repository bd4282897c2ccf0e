/**
 * preparedRows: on PostgreSQL a named statement, prepared once per connection and reused; on PGlite
 * the plain query. The same rows either way, on the database and in a transaction.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { preparedRows, rawRows, type Queryable } from '../../src/db/client.js'
import { onPostgres, openTestDatabase } from '../helpers/app.js'

// One connection: what one statement prepared, the next one on the pool sees.
const database = await openTestDatabase(t, 1)
const { db } = database

const probe = (n: number) => sql`select ${n}::int + 1 as n, ${`{a,${n}}`}::text[] as list, now() as at`
const ours = (q: Queryable) =>
  rawRows<{ name: string; statement: string; generic_plans: string }>(
    q,
    sql`select name, statement, generic_plans from pg_prepared_statements where name like 'prepared_probe%' order by name`,
  )

t.test('the same rows as rawRows, on the database and in a transaction', async (t) => {
  for (const n of [1, 2]) {
    const [named] = await preparedRows<{ n: number; list: string[]; at: unknown }>(db, 'prepared_probe', probe(n))
    const [plain] = await rawRows<{ n: number; list: string[]; at: unknown }>(db, probe(n))
    t.same({ ...named, at: typeof named!.at }, { ...plain, at: typeof plain!.at })
    t.equal(named!.n, n + 1)
    t.same(named!.list, ['a', String(n)])
  }
  const inside = await db.transaction(async (tx) => preparedRows<{ n: number; list: string[]; at: unknown }>(tx, 'prepared_probe', probe(5)))
  t.same(inside, [{ n: 6, list: ['a', '5'], at: inside[0]!.at }])
})

t.test('on PostgreSQL: prepared once per connection and text, reused with new values', { skip: onPostgres ? false : 'PGlite runs it unnamed' }, async (t) => {
  for (let n = 0; n < 8; n++) await preparedRows(db, 'prepared_probe', probe(n))
  // Another text under the same name is a statement of its own, never a clash with the first.
  const [other] = await preparedRows<{ two: number }>(db, 'prepared_probe', sql`select ${2}::int as two`)
  t.same(other, { two: 2 })
  const statements = await ours(db)
  t.equal(statements.length, 2, 'one statement per text')
  t.match(statements.map((s) => s.statement).sort(), [/^select \$1::int \+ 1 as n/, /^select \$1::int as two/])
  // After five executions the server plans no more: the probe runs on its generic plan.
  t.ok(Number(statements.find((s) => s.statement.includes('as n'))!.generic_plans) > 0)

  await db.transaction(async (tx) => {
    await preparedRows(tx, 'prepared_probe', probe(42))
    t.equal((await ours(tx)).length, 2, 'a transaction on that connection uses the statement already prepared')
  })
})
