// `npm run build`: swc compiles src/ and scripts/ into dist/, then the data template is written.
// swc compiles into a directory of this build's own and each file is then renamed into dist/. A rename
// replaces a file at once, where swc's own writes empty it first: a process loading dist/ while another
// builds (`npm run cli` beside a running server, test files beside the walkthrough's `npm start`) reads
// the whole old file or the whole new one, never half of one.
// Plain JavaScript: it must run before anything is compiled.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
mkdirSync(dist, { recursive: true })
const staging = mkdtempSync(join(dist, '.build-'))
try {
  const swc = createRequire(import.meta.url).resolve('@swc/cli/bin/swc.js')
  const args = [swc, 'src', 'scripts', '-d', relative(root, staging), '--copy-files', '--quiet', '--ignore', 'scripts/build.mjs']
  const compiled = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (compiled.status !== 0) process.exit(compiled.status ?? 1)
  for (const entry of readdirSync(staging, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue
    const from = join(entry.parentPath, entry.name)
    const to = join(dist, relative(staging, from))
    mkdirSync(dirname(to), { recursive: true })
    renameSync(from, to)
  }
} finally {
  rmSync(staging, { recursive: true, force: true })
}
await import('../dist/scripts/build-data-template.js')
