import { spawn, type ChildProcess } from 'node:child_process'
import { repositoryRoot } from './paths.js'

/** The real entry points (`npm start`, `npm run cli`) as child processes, as a person or operator runs them. */

export interface Running {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/**
 * The server and the CLI as `npm start`, `npm run cli` and the container run them: the compiled
 * program in dist/ (`npm test` has just built it), with `env` (tap's own instrumentation left out),
 * output collected; `preload` adds modules node imports first (`--import`).
 */
export function start(script: 'server' | 'cli', env: Record<string, string>, args: string[] = [], preload: string[] = []): Running {
  const clean = { ...env }
  delete clean.TAP
  delete clean.NODE_OPTIONS
  clean._TAPJS_PROCESSINFO_COVERAGE_ = '0' // tap's spawn hook would record these processes' coverage too
  const entry = ['--enable-source-maps', script === 'server' ? 'dist/src/server.js' : 'dist/src/cli.js']
  const child = spawn(process.execPath, [...preload.flatMap((path) => ['--import', path]), ...entry, ...args], {
    cwd: repositoryRoot,
    env: clean,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => {
    output += d
  })
  child.stderr.on('data', (d) => {
    output += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** The server's base URL once its log says it listens (PORT=0 picks a free port). */
export async function listening(server: Running): Promise<string> {
  // Up to a minute: a first start runs initdb and every migration, slow on a loaded 2-core machine.
  for (let i = 0; i < 600; i++) {
    const match = /listening on (http:\/\/[\d.:]+)/.exec(server.output())
    if (match) return match[1]!
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server did not start: ${server.output()}`)
}

/** SIGTERM, as an orchestrator stops it; resolves to the exit status. */
export async function stop(server: Running) {
  server.child.kill('SIGTERM')
  return server.exited
}
