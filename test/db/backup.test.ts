/**
 * Backup and restore, both round trips as an operator makes them. Embedded: a backup downloaded from
 * the running service (GET /v1/backup) and restored into an empty DATA_DIR with the CLI. PostgreSQL:
 * pg_dump, then pg_restore into a fresh cluster (its own initdb, so transaction ids start anew), where
 * a reader's saved feed cursor still sees every new report and none twice.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../src/app.js'
import { main } from '../../src/cli.js'
import { openDatabase } from '../../src/db/client.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { call, onPostgres, referralBody, tokenFor, type TestContext } from '../helpers/app.js'
import { pgliteTemplate } from '../helpers/databases.js'

/** A centre with a refused referral (so one report in the feed), on an app over `database`. */
async function installation(database: Awaited<ReturnType<typeof openDatabase>>) {
  const app = await buildApp({ database })
  const centre = (await setupCentre(database.db, { centreName: 'Centrum Backup', demo: true })) as TestContext['centre']
  const operator = (await tokenFor(database, 'operator', {})).token
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const refuse = async () => {
    const submitted = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre) })
    const refused = await call(app, {
      method: 'POST',
      url: `/v1/referrals/${submitted.json.id}/refuse`,
      token: staff,
      body: { reasonCode: 'no_capacity', explanation: 'x' },
    })
    if (refused.status !== 200) throw new Error(refused.body)
  }
  await refuse()
  return { app, centre, operator, clerk, refuse }
}

/** The feed after a cursor, to its end: the reports' ids and where to continue. */
async function feedAfter(app: Awaited<ReturnType<typeof buildApp>>, token: string, cursor?: string) {
  const ids: string[] = []
  for (;;) {
    const page = await call(app, { url: `/v1/reports?limit=50${cursor ? `&after=${cursor}` : ''}`, token })
    if (page.status !== 200) throw new Error(page.body)
    if (!page.json.items.length) return { ids, cursor: page.json.nextCursor as string }
    ids.push(...page.json.items.map((r: { id: string }) => r.id))
    cursor = page.json.nextCursor
  }
}

t.test('embedded: a backup taken while the service runs, restored into an empty DATA_DIR with the CLI', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bzr-backup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const template = await pgliteTemplate()
  const live = await openDatabase({ dataDir: join(dir, 'live'), template: () => template })
  const first = await installation(live)
  t.teardown(async () => {
    await first.app.close()
    await live.close()
  })
  const { ids, cursor } = await feedAfter(first.app, first.clerk)
  t.equal(ids.length, 1)

  const forbidden = await call(first.app, { url: '/v1/backup', token: first.centre.adminToken })
  t.equal(forbidden.status, 403, 'for the operator only')
  const backup = await first.app.inject({ url: '/v1/backup', headers: { authorization: `Bearer ${first.operator}` } })
  t.equal(backup.statusCode, 200)
  t.equal(backup.headers['content-type'], 'application/gzip')
  t.match(backup.headers['content-disposition'], /^attachment; filename="bezoekruimte-\d{8}T\d{6}Z\.tar\.gz"$/)
  const file = join(dir, 'backup.tar.gz')
  writeFileSync(file, backup.rawPayload)
  await first.refuse() // the service goes on after the backup; this report is not in it

  const out: string[] = []
  const err: string[] = []
  const io = { env: { DATA_DIR: join(dir, 'restored') }, stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }
  t.equal(await main(['restore', '--from', file], io), 0, err.join(''))
  t.match(JSON.parse(out[0]!), { restored: file, centres: 1 })
  t.equal(await main(['restore', '--from', file], io), 1, 'never over an existing database')
  t.match(err.at(-1), /already holds a database: restore into an empty DATA_DIR/)

  const restored = await openDatabase({ dataDir: join(dir, 'restored') })
  const app = await buildApp({ database: restored })
  t.teardown(async () => {
    await app.close()
    await restored.close()
  })
  t.same((await feedAfter(app, first.clerk)).ids, ids, 'the restored feed, tokens and all')
  t.same((await feedAfter(app, first.clerk, cursor)).ids, [], 'a saved cursor: nothing new yet')
})

t.test(
  'PostgreSQL: pg_dump, pg_restore into a fresh cluster, and the feed goes on for a saved cursor',
  { skip: onPostgres ? false : 'needs PostgreSQL (DATABASE_URL) and its tools' },
  async (t) => {
    const { scratchDatabase } = await import('../helpers/databases.js')
    const source = await scratchDatabase(process.env.DATABASE_URL!, 'bzr_backup', 4)
    t.teardown(source.drop)
    const first = await installation(source.database)
    t.teardown(() => first.app.close())
    const before = await feedAfter(first.app, first.clerk)
    const dump = join(mkdtempSync(join(tmpdir(), 'bzr-dump-')), 'db.dump')
    execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, source.url])

    // A fresh cluster of the same PostgreSQL, owned by the postgres user, on a free port.
    const bin = `/usr/lib/postgresql/${execFileSync('pg_config', ['--version']).toString().match(/\d+/)![0]}/bin`
    const cluster = mkdtempSync(join(tmpdir(), 'bzr-cluster-'))
    chownSync(cluster, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()))
    const port = await freePort()
    const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/${command}`, ...args], { stdio: 'pipe' })
    asPostgres('initdb', ['-D', join(cluster, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync'])
    asPostgres('pg_ctl', [
      '-D',
      join(cluster, 'data'),
      '-o',
      `-p ${port} -k ${cluster} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      '-l',
      join(cluster, 'log'),
      'start',
    ])
    t.teardown(() => {
      asPostgres('pg_ctl', ['-D', join(cluster, 'data'), '-m', 'immediate', 'stop'])
      rmSync(cluster, { recursive: true, force: true })
    })
    const url = `postgres://postgres@127.0.0.1:${port}/restored`
    execFileSync('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'restored'])
    execFileSync('pg_restore', ['--no-owner', `--dbname=${url}`, dump])

    const restored = await openDatabase({ databaseUrl: url, poolSize: 2 })
    const app = await buildApp({ database: restored })
    t.teardown(async () => {
      await app.close()
      await restored.close()
    })
    t.same((await feedAfter(app, first.clerk)).ids, before.ids, 'every report, from the start')
    const backup = await call(app, { url: '/v1/backup', token: first.operator })
    t.equal(backup.status, 409, 'PostgreSQL is backed up with pg_dump')
    const centreStaff = (await tokenFor(restored, 'staff', { centreId: first.centre.centreId })).token
    const submitted = await call(app, { method: 'POST', url: '/v1/referrals', token: first.clerk, body: referralBody(first.centre) })
    const refused = await call(app, {
      method: 'POST',
      url: `/v1/referrals/${submitted.json.id}/refuse`,
      token: centreStaff,
      body: { reasonCode: 'no_capacity', explanation: 'x' },
    })
    t.equal(refused.status, 200, refused.body)
    const next = await feedAfter(app, first.clerk, before.cursor)
    t.equal(next.ids.length, 1, 'the saved cursor sees the new report, once')
    t.notOk(before.ids.includes(next.ids[0]!))
    t.ok(existsSync(dump))
  },
)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}
