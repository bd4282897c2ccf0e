// Preloaded (`node --import ./test/helpers/without-pglite.mjs`) where a test proves that a process
// never loads PGlite: resolving any module of PGlite or of drizzle's PGlite adapter fails the process.
// The module is both the preload (main thread) and the resolve hook (node's hooks thread).
import { register } from 'node:module'
import { isMainThread } from 'node:worker_threads'

if (isMainThread) register(import.meta.url)

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  if (/\/node_modules\/(@electric-sql\/pglite|drizzle-orm\/pglite)\//.test(resolved.url)) {
    throw new Error(`PGlite was loaded: ${specifier}, imported by ${context.parentURL}`)
  }
  return resolved
}
