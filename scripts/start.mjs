// `npm start`: the service from its TypeScript sources, run as JavaScript with no TypeScript loader in
// the process. A loader (tsx) runs every module through hooks on a thread of its own: 0.5 s more to a
// start and 50 MB more memory. So src/ is compiled with swc into dist/src/ when any source is newer
// than its output (0.4 s; `npm test` and `npm run build` write the same files), then run from there,
// with source maps so that stack traces name the TypeScript lines. Plain JavaScript, so that it needs
// nothing compiled itself.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The output of a source file under dist/: a module's .js, or a copy of anything else (a page template). */
const outputOf = (source) => join(root, 'dist', relative(root, source).replace(/\.ts$/, '.js'))

const modified = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity

function outdated() {
  for (const entry of readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const source = join(entry.parentPath, entry.name)
    if (modified(outputOf(source)) < modified(source)) return true
  }
  return false
}

if (outdated()) {
  const swc = join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js')
  const compiled = spawnSync(process.execPath, [swc, 'src', '-d', 'dist', '--copy-files', '--quiet'], { cwd: root, stdio: 'inherit' })
  if (compiled.status !== 0) process.exit(compiled.status ?? 1)
}
process.setSourceMapsEnabled(true)
await import('../dist/src/server.js')
