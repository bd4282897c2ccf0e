import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrationsFolder } from './migrations-folder.js'

/**
 * A migrated PGlite data directory, dumped as a tarball: what a new embedded database loads instead
 * of running initdb and every migration (seconds of WebAssembly on a first start). `npm run build`
 * writes one beside the compiled program; tests keep one per set of migrations. A template is named
 * by the migrations and the PGlite release it was made with, so a stale one is never loaded.
 */

/** Changes whenever a migration or the PGlite release does. */
export const templateKey = (() => {
  let memo: string | undefined
  return () => {
    if (memo) return memo
    // PGlite's package.json is not among its exports: read it beside the module the import resolves to.
    const pglite = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')), 'utf8')) as { version: string }
    const hash = createHash('sha256').update(`pglite ${pglite.version}\n`)
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else hash.update(name).update(readFileSync(path))
      }
    }
    walk(migrationsFolder)
    return (memo = hash.digest('hex').slice(0, 16))
  }
})()

/** Where `npm run build` puts the template: the build's root (dist/), whether this runs from src/ under tsx or from dist/. */
export const buildTemplateDir = fileURLToPath(new URL(import.meta.url.includes('/dist/src/') ? '../../' : '../../dist/', import.meta.url))

const templateName = (compression: 'gzip' | 'none') => `pgdata-${templateKey()}.tar${compression === 'gzip' ? '.gz' : ''}`

/** A fresh in-memory database, migrated, dumped. */
async function dumpMigratedDatabase(compression: 'gzip' | 'none'): Promise<Blob> {
  // Imported here: the build's template step, run by every `npm start`, mostly finds the template made.
  const [{ openDatabase }, { migrate }] = await Promise.all([import('./client.js'), import('./migrate.js')])
  const database = await openDatabase({ memory: true })
  try {
    await migrate(database)
    return await database.pglite!.dumpDataDir(compression)
  } finally {
    await database.close()
  }
}

/**
 * Writes the template for these migrations into `dir` unless it is there, and answers its path.
 * Written aside and renamed: a process reading it at the same time never sees half a file.
 */
export async function writeDataTemplate(dir: string, compression: 'gzip' | 'none'): Promise<string> {
  const path = join(dir, templateName(compression))
  if (!existsSync(path)) {
    const dump = await dumpMigratedDatabase(compression)
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, path)
  }
  return path
}

/** Removes the templates in `dir` made for other migrations or another PGlite release. */
export function pruneDataTemplates(dir: string): string[] {
  const current = [templateName('gzip'), templateName('none')]
  const stale = readdirSync(dir).filter((name) => /^pgdata-[0-9a-f]{16}\.tar(\.gz)?$/.test(name) && !current.includes(name))
  for (const name of stale) rmSync(join(dir, name), { force: true })
  return stale
}

/** The template for these migrations in `dir`, if one was written there. */
export function readDataTemplate(dir: string, compression: 'gzip' | 'none'): Blob | undefined {
  const path = join(dir, templateName(compression))
  if (!existsSync(path)) return undefined
  const bytes = readFileSync(path)
  return new ReadBlob(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

/**
 * A Blob whose bytes are already in memory. PGlite reads its `loadDataDir` with `arrayBuffer()`, which
 * on Node 20 streams a 40 MB Blob in small chunks: most of a second on every database opened from it.
 */
class ReadBlob extends Blob {
  readonly #bytes: ArrayBuffer
  constructor(bytes: ArrayBuffer) {
    super([bytes])
    this.#bytes = bytes
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes)
  }
}
