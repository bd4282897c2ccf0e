import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * tsc compiles only TypeScript: the page templates that modules read beside their own file
 * (`*.eta`) are copied into the same place under the build's output (`npm run build`), so
 * `node dist/src/…` finds them where `tsx src/…` does.
 */
export function copyTemplates(sourceDir: string, targetDir: string): string[] {
  const copied: string[] = []
  for (const entry of readdirSync(sourceDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.eta')) continue
    const from = join(entry.parentPath, entry.name)
    const to = join(targetDir, relative(sourceDir, from))
    mkdirSync(dirname(to), { recursive: true })
    copyFileSync(from, to)
    copied.push(relative(sourceDir, from))
  }
  return copied.sort()
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const copied = copyTemplates(join(root, 'src'), join(root, 'dist', 'src'))
  process.stdout.write(`copied ${copied.length} template(s) to dist/src\n`)
}
