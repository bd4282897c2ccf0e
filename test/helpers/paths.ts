/**
 * The repository's root, found from this file whether it runs as TypeScript (`test/helpers/`) or as
 * the JavaScript `npm test` compiles into `dist/test/helpers/`: the nearest directory above with a
 * package.json.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}

export const repositoryRoot = findRoot(dirname(fileURLToPath(import.meta.url)))

/** A path inside the repository, e.g. `fromRoot('migrations', '0005_reason_codes.sql')`. */
export const fromRoot = (...parts: string[]) => join(repositoryRoot, ...parts)
