import Fastify from 'fastify'
import { buildApp } from '../src/app.js'
import { setupCentre } from '../src/modules/admin/demo.js'
import { freshPostgres, load, loop, report } from './support.js'

/**
 * GET /v1/sites/{id} (bearer auth, scope, serialisation) against floors measured in the same run on
 * the same PostgreSQL: a bare fastify hello-world, and the same row read with raw SQL through pg.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:http
 */
const { database, drop } = await freshPostgres()
try {
  const centre = await setupCentre(database.db, { centreName: 'Bench', demo: true })
  const siteId = centre.demo!.siteId
  const pool = database.pool!

  const hello = Fastify()
  hello.get('/', async () => ({ hello: 'world' }))
  const helloUrl = await hello.listen({ port: 0, host: '127.0.0.1' })

  const rawSql = Fastify()
  rawSql.get('/', async () => (await pool.query('select * from sites where id = $1', [siteId])).rows[0])
  const rawSqlUrl = await rawSql.listen({ port: 0, host: '127.0.0.1' })

  const app = await buildApp({ database })
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' })

  const rows = [
    await load('fastify hello-world', { url: helloUrl }),
    await loop('raw SELECT via pg (no HTTP)', 20, Number(process.env.BENCH_SECONDS ?? 8), () => pool.query('select * from sites where id = $1', [siteId])),
    await load('fastify + raw SELECT via pg', { url: rawSqlUrl }),
    await load('GET /v1/sites/{id}', { url: `${appUrl}/v1/sites/${siteId}`, headers: { authorization: `Bearer ${centre.adminToken}` } }),
  ]
  report('HTTP read path (20 connections)', rows, [
    ['GET /v1/sites/{id} vs hello-world', 'GET /v1/sites/{id}', 'fastify hello-world'],
    ['GET /v1/sites/{id} vs fastify + raw SELECT', 'GET /v1/sites/{id}', 'fastify + raw SELECT via pg'],
  ])
  await Promise.all([hello.close(), rawSql.close(), app.close()])
} finally {
  await drop()
}
