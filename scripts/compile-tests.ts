import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyTemplates } from './copy-templates.js'

/**
 * The second half of `npm run compile:tests`, after swc has compiled src/, test/ and scripts/ into
 * dist/: copies the page templates, and writes one runner per directory of the compiled tests
 * (`dist/test/cases.test.js` for `dist/test/cases/**\/*.test.js`) that runs the directory's files in
 * one process, one after another (test/helpers/test-files.ts says why). tap's `include` names the
 * runners and the files at the top of `dist/test/`, so a new test file is run wherever it is put.
 * Returns the runners written, by directory, with their files.
 */
export function writeDirectoryRunners(testDir: string): Map<string, string[]> {
  const runners = new Map<string, string[]>()
  for (const entry of readdirSync(testDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'helpers') continue
    const files = readdirSync(join(testDir, entry.name), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.js') && !file.split('/').includes('fixtures'))
      .sort()
    if (!files.length) continue
    const runner = join(testDir, `${entry.name}.test.js`)
    if (existsSync(runner)) throw new Error(`${relative(testDir, runner)} is a test file and the runner of ${entry.name}/: rename one`)
    const urls = files.map((file) => `  new URL('./${entry.name}/${file}', import.meta.url),`).join('\n')
    writeFileSync(
      runner,
      `// Written by scripts/compile-tests.ts: the test files of test/${entry.name}/, one after another in one process.\n` +
        `import { runTestFiles } from './helpers/test-files.js'\n\nawait runTestFiles([\n${urls}\n])\n`,
    )
    runners.set(entry.name, files)
  }
  return runners
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  copyTemplates(join(root, 'src'), join(root, 'dist', 'src'))
  writeDirectoryRunners(join(root, 'dist', 'test'))
}
