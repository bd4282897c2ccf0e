// `npm run build`: swc compiles src/ and scripts/ into dist/ (with .swcrc, as `swc -d dist --copy-files`
// would), then the data template is written. In this process, with @swc/core: the CLI would cost a
// fresh clone's first `npm start` another node process and its own start, about 0.3 s here.
// Each file is written beside its place and renamed into it. A rename replaces a file at once, where a
// plain write empties it first: a process loading dist/ while another builds (`npm run cli` beside a
// running server, test files beside the walkthrough's `npm start`) reads the whole old file or the
// whole new one, never half of one.
// Plain JavaScript: it must run before anything is compiled.
import { transformFile } from '@swc/core'
import { copyFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')

/** Writes `write(partial)` to a file of its own, then renames it to `path`. */
function replace(path, write) {
  const partial = `${path}.${process.pid}.partial`
  write(partial)
  renameSync(partial, path)
}

const sources = ['src', 'scripts'].flatMap((dir) =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'build.mjs')
    .map((entry) => relative(root, join(entry.parentPath, entry.name))),
)
await Promise.all(
  sources.map(async (source) => {
    const target = join(dist, source)
    mkdirSync(dirname(target), { recursive: true })
    if (!source.endsWith('.ts')) return replace(target, (partial) => copyFileSync(join(root, source), partial))
    const js = target.replace(/\.ts$/, '.js')
    const { code, map } = await transformFile(join(root, source), { cwd: root, sourceFileName: relative(dirname(js), join(root, source)), outputPath: js })
    replace(`${js}.map`, (partial) => writeFileSync(partial, map))
    replace(js, (partial) => writeFileSync(partial, `${code}\n//# sourceMappingURL=${basename(js)}.map`))
  }),
)
await import('../dist/scripts/build-data-template.js')
