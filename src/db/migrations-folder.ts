import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// From src/db when run with tsx, from dist/src/db when compiled: the folder sits at the project root.
// A module of its own: the build's template step reads it without loading drizzle and the schema.
export const migrationsFolder = [new URL('../../migrations', import.meta.url), new URL('../../../migrations', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path))!
