/**
 * The migrated data directory a first start loads instead of running initdb and the migrations:
 * written as `npm run build` writes it, found only for the migrations it was made with, and read
 * only when the data directory is new.
 */
import t from 'tap'
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { openDatabase, rawRows } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { buildTemplateDir, pruneDataTemplates, readDataTemplate, templateKey, writeDataTemplate } from '../../src/db/template.js'

const dir = mkdtempSync(join(tmpdir(), 'bzr-template-'))

t.test('written once per set of migrations; stale ones pruned, nothing else', async (t) => {
  t.equal(readDataTemplate(dir, 'gzip'), undefined, 'no template yet')
  const path = await writeDataTemplate(dir, 'gzip')
  t.equal(path, join(dir, `pgdata-${templateKey()}.tar.gz`), 'named by the migrations and the PGlite release')
  const written = statSync(path).mtimeMs
  t.equal(await writeDataTemplate(dir, 'gzip'), path)
  t.equal(statSync(path).mtimeMs, written, 'not made again')
  t.ok(readDataTemplate(dir, 'gzip'), 'found')
  t.equal(readDataTemplate(dir, 'none'), undefined, 'the other format is another file')

  writeFileSync(join(dir, 'pgdata-0123456789abcdef.tar.gz'), 'made for other migrations')
  writeFileSync(join(dir, 'notes.txt'), 'not a template')
  t.same(pruneDataTemplates(dir), ['pgdata-0123456789abcdef.tar.gz'])
  t.same(readdirSync(dir).sort(), ['notes.txt', `pgdata-${templateKey()}.tar.gz`])
})

t.test('a new data directory is made from the template: migrated, without the migrator', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bzr-template-data-'))
  const database = await openDatabase({ dataDir, template: () => readDataTemplate(dir, 'gzip') })
  t.teardown(() => database.close())
  t.equal(database.created, 'template')
  t.equal(await migrate(database), 0, 'nothing pending')
  const [row] = await rawRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
  t.ok(row!.n > 0, 'the migrations are recorded')
  await database.db.execute(sql`create table kept (n int)`)
  await database.close()

  const again = await openDatabase({
    dataDir,
    template: () => {
      throw new Error('read on a restart')
    },
  })
  t.teardown(() => again.close())
  t.equal(again.created, undefined, 'a restart neither runs initdb nor reads the template')
  t.same(await rawRows(again.db, sql`select * from kept`), [], 'what the first start wrote is there')
})

t.test('the build writes the template where the server looks', async (t) => {
  t.equal(buildTemplateDir, fileURLToPath(new URL('../../', import.meta.url)), 'dist/, the root of the compiled program the tests run')
  t.ok(existsSync(join(buildTemplateDir, 'src', 'server.js')))
})
