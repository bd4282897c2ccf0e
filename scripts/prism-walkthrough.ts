/**
 * The walkthrough's requests through a validating proxy: docs/walkthrough.md's commands run as
 * written (a fresh PGlite data directory, the demo centre, `npm start` on a free port), except that
 * once the server answers, `prism proxy openapi/openapi.json <server> --errors` is started on another
 * free port and every later call goes through it. Prism checks each request and each response
 * against the committed document; any violation fails the run (exit 1). Run by .ci/run.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readWalkthrough, WALKTHROUGH } from './walkthrough-blocks.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'bzr-prism-'))
const prismLog = join(work, 'prism.log')

// After the block that waits for the server: the proxy, and BZR pointed at it.
const PROXY = `
PRISM_PORT=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
npx prism proxy openapi/openapi.json "$BZR" --errors --host 127.0.0.1 --port "$PRISM_PORT" > "${prismLog}" 2>&1 &
for _ in $(seq 1 120); do curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$PRISM_PORT/health/live" && break; sleep 0.5; done
curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$PRISM_PORT/health/live" || { echo "prism did not start:" >&2; tail -n 20 "${prismLog}" >&2; exit 1; }
BZR=http://127.0.0.1:$PRISM_PORT
`

const { walkthrough, dayOfVisit } = readWalkthrough(join(root, WALKTHROUGH))
const blocks = [...walkthrough, ...dayOfVisit]
const ready = blocks.findIndex((block) => block.includes('/health/ready'))
if (ready < 0) throw new Error(`${WALKTHROUGH}: no block waits for the server (/health/ready)`)
const script = [...blocks.slice(0, ready + 1), PROXY, ...blocks.slice(ready + 1)].join('\n')
writeFileSync(join(work, 'walkthrough.sh'), script)

const env = { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>
for (const name of ['DATA_DIR', 'PORT', 'DATABASE_URL', 'NODE_OPTIONS']) delete env[name]

// Its own process group, so the server and the proxy started in the background stop with it.
const bash = spawn('bash', ['-euo', 'pipefail', join(work, 'walkthrough.sh')], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
let output = ''
bash.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
const status = await new Promise<number>((resolve) => bash.on('close', (code) => resolve(code ?? 1)))
try {
  process.kill(-bash.pid!, 'SIGTERM')
} catch {
  // already gone
}
await new Promise((resolve) => setTimeout(resolve, 500))

const log = readFileSync(prismLog, 'utf8')
if (process.env.PRISM_LOG) writeFileSync(process.env.PRISM_LOG, log)
rmSync(work, { recursive: true, force: true })
// With --errors Prism answers a request that breaks the document with a 422 of its own
// (UNPROCESSABLE_ENTITY) and a response that breaks it with a 500 (VIOLATIONS), logging each as an
// error; without it a violation is a "Violation: …" warning. Any of them counts.
const violations = log.split('\n').filter((line) => /violation|✖/i.test(line))
const requests = violations.filter((line) => /UNPROCESSABLE_ENTITY|Violation: request/i.test(line)).length
console.log(`prism: ${requests} request and ${violations.length - requests} response violations`)
for (const line of violations) console.log(line)
if (status !== 0) {
  console.log(output.split('\n').slice(-30).join('\n'))
  console.log(`the walkthrough through prism failed (exit ${status})`)
}
process.exit(status === 0 && violations.length === 0 ? 0 : 1)
