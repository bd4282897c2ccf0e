/**
 * insertRows: rows as one JSON parameter, and the values every row shares written once, as the record
 * each row starts from. What a row names is its own; what it leaves out takes the shared value, a
 * default made in JS, or the table's default.
 */
import t from 'tap'
import { eq } from 'drizzle-orm'
import { randomUUID } from 'node:crypto'
import { insertRows } from '../../src/db/client.js'
import { auditEvents } from '../../src/db/schema.js'
import { openTestDatabase } from '../helpers/app.js'

const { db } = await openTestDatabase(t)

const read = (requestId: string) => db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(auditEvents.action)

t.test('shared values go into every row, the rows keep their own, ids and the time come from the defaults', async (t) => {
  const requestId = randomUUID()
  const [first, second] = [randomUUID(), randomUUID()]
  const before = Date.now()
  await db.execute(
    insertRows(
      auditEvents,
      [
        { action: 'a.one', entityType: 'visit', entityId: first },
        { action: 'a.two', entityType: 'series', entityId: second, centreId: null },
      ],
      { actorRole: 'staff', requestId, actorTokenId: null },
    ),
  )
  const rows = await read(requestId)
  t.same(
    rows.map(({ action, entityType, entityId, actorRole, actorTokenId, requestId: request }) => ({
      action,
      entityType,
      entityId,
      actorRole,
      actorTokenId,
      request,
    })),
    [
      { action: 'a.one', entityType: 'visit', entityId: first, actorRole: 'staff', actorTokenId: null, request: requestId },
      { action: 'a.two', entityType: 'series', entityId: second, actorRole: 'staff', actorTokenId: null, request: requestId },
    ],
  )
  t.not(rows[0]!.id, rows[1]!.id, 'each row its own id (uuidv7, made in JS)')
  t.ok(
    rows.every((row) => row.at.getTime() >= before - 60_000),
    'the time from the table default',
  )
  t.equal(rows[0]!.centreId, null, 'a column only some rows name is null in the others')
})

t.test('a shared value wins over a row that names the same column', async (t) => {
  const requestId = randomUUID()
  await db.execute(insertRows(auditEvents, [{ action: 'b', entityType: 'visit', actorRole: 'admin' }], { actorRole: 'staff', requestId }))
  const [row] = await read(requestId)
  t.equal(row!.actorRole, 'staff')
})

t.test('without shared values, every value comes from the rows (a quote and a backslash kept as written)', async (t) => {
  const requestId = 'r"\\' + randomUUID()
  await db.execute(insertRows(auditEvents, [{ action: 'c', entityType: 'visit', actorRole: 'counsellor', requestId }]))
  const [row] = await read(requestId)
  t.same([row!.actorRole, row!.requestId], ['counsellor', requestId])
})
