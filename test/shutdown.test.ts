/**
 * SIGTERM under keep-alive load, on the real server: the requests it has received are answered,
 * connections close after their response, and the process exits 0 well inside its grace period.
 */
import t from 'tap'
import { Agent, request } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listening, start } from './helpers/processes.js'

t.test('SIGTERM with keep-alive connections busy: every request received is answered, exit 0 within seconds', async (t) => {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bzr-stop-')),
    PORT: '0',
    LOG_LEVEL: 'info',
  }
  delete env.DATABASE_URL
  const server = start('server', env)
  t.teardown(() => server.child.kill('SIGKILL'))
  const base = new URL(await listening(server))
  const token = /(bzr_[A-Za-z0-9_-]+)/.exec(server.output())![1]!

  const agent = new Agent({ keepAlive: true, maxSockets: 6 })
  t.teardown(() => agent.destroy())
  interface Sent {
    id: string
    at: number
    status?: number
    doneAt?: number
    error?: string
    connection?: string
  }
  const sent: Sent[] = []
  let sigtermAt = Infinity
  let n = 0
  const get = (path: string) =>
    new Promise<void>((resolve) => {
      const entry: Sent = { id: `stop-${n++}`, at: performance.now() }
      sent.push(entry)
      const req = request(
        { agent, host: base.hostname, port: base.port, path, headers: { authorization: `Bearer ${token}`, 'x-request-id': entry.id } },
        (res) => {
          entry.status = res.statusCode
          entry.doneAt = performance.now()
          entry.connection = res.headers.connection
          res.resume().on('end', resolve)
        },
      )
      req.on('error', (error: NodeJS.ErrnoException) => {
        entry.error = error.code ?? error.message
        resolve()
      })
      req.end()
    })
  // Twelve callers on six keep-alive connections, each asking again as soon as it has an answer,
  // until the server stops taking connections.
  const loops = Array.from({ length: 12 }, async (_, i) => {
    for (;;) {
      await get(i % 2 ? '/v1/counsellors' : '/v1/reason-codes')
      const last = sent.filter((s) => s.at > sigtermAt)
      if (last.some((s) => s.error)) return
    }
  })
  await new Promise((r) => setTimeout(r, 2500))
  const exited = server.exited.then((code) => ({ code, at: performance.now() }))
  sigtermAt = performance.now()
  server.child.kill('SIGTERM')
  const { code, at } = await exited
  await Promise.all(loops)
  const stoppedInMs = Math.round(at - sigtermAt)

  const received = new Set([...server.output().matchAll(/"reqId":"(stop-\d+)"[^\n]*"msg":"incoming request"/g)].map((m) => m[1]))
  const unanswered = sent.filter((s) => received.has(s.id) && s.status === undefined).map((s) => `${s.id}: ${s.error}`)
  // Answered after SIGTERM: in flight when it came, or arriving on a busy connection while closing.
  const duringClose = sent.filter((s) => s.doneAt !== undefined && s.doneAt >= sigtermAt)
  const inFlight = duringClose.filter((s) => s.at < sigtermAt).length
  t.comment(
    `${sent.length} requests, ${received.size} received by the server; exit ${code} ${stoppedInMs} ms after SIGTERM; ` +
      `${duringClose.length} answered after it, ${inFlight} of them in flight when it came; ` +
      `${sent.length - received.size} sent after it were refused or reset, none of them received`,
  )
  t.equal(code, 0, 'exit status 0')
  t.ok(stoppedInMs < 5000, `stopped in ${stoppedInMs} ms (the grace period is 10 s)`)
  t.ok(inFlight > 0, 'requests were in flight when SIGTERM came')
  t.same(
    sent.filter((s) => s.status === undefined && s.at < sigtermAt).map((s) => `${s.id}: ${s.error}`),
    [],
    'every request sent before SIGTERM was answered',
  )
  t.same(unanswered, [], 'every request the server received got its response')
  t.same(
    sent.filter((s) => s.status !== undefined && s.status !== 200).map((s) => `${s.id} ${s.status}`),
    [],
    'and every answer is a 200: work that arrived while closing was still served',
  )
  // Every answer the server finished after it began to close tells the client to close its connection.
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; time: number; reqId?: string })
  const closingAt = lines.find((l) => l.msg === 'shutting down')!.time
  const finishedWhileClosing = new Set(lines.filter((l) => l.msg === 'request completed' && l.time > closingAt).map((l) => l.reqId))
  const closingAnswers = sent.filter((s) => finishedWhileClosing.has(s.id))
  t.ok(closingAnswers.length > 0, `${closingAnswers.length} answers finished while closing`)
  t.same(
    closingAnswers.filter((s) => s.connection !== 'close').map((s) => s.id),
    [],
    'each says Connection: close',
  )
  t.match(server.output(), /"msg":"stopped"/)
  t.notMatch(server.output(), /killed by timeout|"level":50/, 'no forced exit, no error logged')
})
