import t from 'tap'
import { referrals } from '../../src/db/schema.js'
import { buildTestApp, call, referralBody, tokenFor } from '../helpers/app.js'

t.test('Idempotency-Key: same key and body replays the first response; another body → 422', async (t) => {
  const { app, database, centre } = await buildTestApp(t, { ownDatabase: true })
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const submit = (body: unknown, key?: string, token = clerk) =>
    call(app, { method: 'POST', url: '/v1/referrals', token, body, headers: key ? { 'idempotency-key': key } : {} })
  const count = async () => (await database.db.select().from(referrals)).length

  const first = await submit(referralBody(centre), 'key-1')
  t.equal(first.status, 201, first.body)
  t.notOk(first.headers['idempotent-replayed'], 'the first response is not a replay')

  const replay = await submit(referralBody(centre), 'key-1')
  t.equal(replay.status, 201)
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.same(replay.json, first.json, 'the very same response body')
  t.equal(await count(), 1, 'acted once')

  // The same content with its keys in another order is the same request.
  const reordered = Object.fromEntries(Object.entries(referralBody(centre)).reverse())
  const replayReordered = await submit(reordered, 'key-1')
  t.equal(replayReordered.status, 201)
  t.equal(replayReordered.json.id, first.json.id)

  // Another body with the same key: refused, nothing created.
  const conflict = await submit(referralBody(centre, { courtReference: '24/9999/B' }), 'key-1')
  t.equal(conflict.status, 422)
  t.match(conflict.headers['content-type'], /application\/problem\+json/)
  t.match(conflict.json, { type: 'urn:bezoekruimte:problem:idempotency-key-reused', status: 422, detail: /key-1.*different request/ })
  t.equal(await count(), 1)

  // A new key acts again; no key acts every time.
  t.not((await submit(referralBody(centre), 'key-2')).json.id, first.json.id)
  t.equal((await submit(referralBody(centre))).status, 201)
  t.equal((await submit(referralBody(centre))).status, 201)
  t.equal(await count(), 4)

  // Keys belong to a token: another clerk of the same court with the same key is a new request.
  const colleague = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const theirs = await submit(referralBody(centre), 'key-1', colleague)
  t.equal(theirs.status, 201)
  t.not(theirs.json.id, first.json.id)
  t.notOk(theirs.headers['idempotent-replayed'])

  // A rejected request stores nothing under its key: corrected, the same key goes through.
  const invalid = await submit(referralBody(centre, { parties: [] }), 'key-3')
  t.equal(invalid.status, 400)
  const refused = await submit(referralBody(centre, { centreId: '01a207aa-2853-7399-9beb-4e6a29a64dd6' }), 'key-3')
  t.equal(refused.status, 422, 'unknown centre, refused inside the transaction')
  const corrected = await submit(referralBody(centre), 'key-3')
  t.equal(corrected.status, 201, corrected.body)
  t.notOk(corrected.headers['idempotent-replayed'])
  t.equal(await count(), 6)

  // A malformed key is a 400.
  t.equal((await submit(referralBody(centre), 'with space')).status, 400)
  t.equal((await submit(referralBody(centre), 'x'.repeat(256))).status, 400)
})

t.test('concurrent retries with one key create one referral', async (t) => {
  const { app, database, centre } = await buildTestApp(t, { ownDatabase: true })
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const responses = await Promise.all(
    Array.from({ length: 5 }, () =>
      call(app, { method: 'POST', url: '/v1/referrals', token: staff, body: referralBody(centre), headers: { 'idempotency-key': 'race' } }),
    ),
  )
  t.same(
    responses.map((r) => r.status),
    [201, 201, 201, 201, 201],
  )
  t.equal(new Set(responses.map((r) => r.json.id)).size, 1, 'one id for all')
  t.equal(responses.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 4, 'four replays')
  t.equal((await database.db.select().from(referrals)).length, 1)
})
