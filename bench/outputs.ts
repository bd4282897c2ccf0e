import { setTimeout as sleep } from 'node:timers/promises'
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { Agent, createServer as createHttpServer, request as httpRequest, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { v7 as uuidv7 } from 'uuid'
import { setupCentre, type DemoIds, type SetupResult } from '../src/modules/admin/demo.js'
import { contentSha256, type ReportContent } from '../src/domain/reports.js'
import { reportPage } from '../src/modules/reports/page.js'
import { renderReportPdf } from '../src/modules/reports/render.js'
import type { Report } from '../src/modules/reports/schemas.js'
import { post as deliver } from '../src/modules/webhooks/destination.js'
import { createCase } from '../test/helpers/cases.js'
import {
  backendMs,
  cpuMsOf,
  fixed,
  freshPostgres,
  inTransaction,
  load,
  loop,
  report,
  rssMegabytes,
  serverCommand,
  serverReady,
  stop,
  type Figures,
} from './support.js'

/**
 * What the service sends out, under load, on real PostgreSQL, each against a floor measured in the same run:
 *   1. report PDFs: GET /v1/reports/{id} with Accept: application/pdf, BENCH_PDF_CLIENTS (10) clients for
 *      BENCH_SECONDS (30), spread over BENCH_PDF_REPORTS (20) issued progress reports, with the server's RSS
 *      sampled every 200 ms (goal: under 300 MB). Floors: the same reports as JSON (same clients, same time),
 *      and pdfkit's renderer called directly in this process, one at a time (BENCH_SECONDS / 3).
 *   2. webhooks: BENCH_EVENTS (1000) reports issued through the API (POST /v1/cases/{id}/reports, by
 *      BENCH_ISSUERS (4) clients), each a `report.issued` event to BENCH_RECEIVERS (10) webhooks whose
 *      receivers are local HTTP servers in this process, verifying every signature with `standardwebhooks`;
 *      one receiver accepts the connection and never answers. Goals: every healthy delivery received within
 *      60 s of the first report issued, and the healthy deliveries' delay (the API's answer to the issuing
 *      request, after the commit, to the receiver's receipt) p99 under 1 s. The bench waits at most
 *      BENCH_WEBHOOK_WAIT (180) s. Floor: the same signed bodies POSTed by a plain loop with the worker's
 *      concurrency (8) through the worker's own `post` to the same healthy receivers, no database.
 *   3. the report feed: BENCH_FEED_REPORTS (100 000) reports added in SQL (copies of the issued ones, each
 *      with its own id and hash, their feed positions given by the real trigger at each batch's commit), then
 *      one reader following GET /v1/reports?cursor= from the start to the empty page, at the default page
 *      size (50) and the largest (200). Floor: the same keyset SELECT through pg, paging the same way.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:outputs
 * The API runs as its own process, as in production: `node dist/src/server.js` (built first when dist is
 * older than src) on the bench's scratch database, LOG_LEVEL=warn, WEBHOOK_ALLOW_PRIVATE_URLS=true (the
 * receivers are on 127.0.0.1), every other setting its default (the worker's 250 ms poll, 8 lanes at once,
 * 10 s timeout). So its RSS is the server's alone, and the load clients and receivers here do not share its
 * thread. BENCH_PARTS (pdf,webhooks,feed) picks the parts; BENCH_NODE_OPTIONS passes flags to the server's node
 * (e.g. --max-old-space-size=160, to see what bounds its RSS).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const PDF_CLIENTS = Number(process.env.BENCH_PDF_CLIENTS ?? 10)
const PDF_REPORTS = Number(process.env.BENCH_PDF_REPORTS ?? 20)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000)
const ISSUERS = Number(process.env.BENCH_ISSUERS ?? 4)
const RECEIVERS = Number(process.env.BENCH_RECEIVERS ?? 10)
const WEBHOOK_WAIT = Number(process.env.BENCH_WEBHOOK_WAIT ?? 180)
const FEED_REPORTS = Number(process.env.BENCH_FEED_REPORTS ?? 100_000)
const PARTS = new Set((process.env.BENCH_PARTS ?? 'pdf,webhooks,feed').split(','))
/** The worker's default concurrency (src/modules/webhooks/worker.ts): the floor sends with as many at once. */
const WORKER_CONCURRENCY = 8
const RSS_GOAL_MB = 300
const CASES = 20

const root = new URL('..', import.meta.url).pathname
const log = (line: string) => process.stderr.write(`${line}\n`)
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN
}
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1))

/** The server the bench spawns runs the compiled code: build it when any source is newer than dist. */
function ensureBuilt() {
  const newest = (dir: string): number =>
    Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)))
  let built = 0
  try {
    built = statSync(join(root, 'dist/src/server.js')).mtimeMs
  } catch {
    // Never built.
  }
  if (built >= newest(join(root, 'src'))) return
  log(`[${elapsed()}] dist is older than src: npm run build`)
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
}

ensureBuilt()
const { database, url, drop } = await freshPostgres()
const pool = database.pool!
const serverEnv: Record<string, string> = {
  ...(process.env as Record<string, string>),
  DATABASE_URL: url,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
}
// BENCH_NODE_OPTIONS: flags for the server's node (e.g. --max-old-space-size=160), to see what bounds its RSS.
if (process.env.BENCH_NODE_OPTIONS) serverEnv.NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS
else delete serverEnv.NODE_OPTIONS
const server = await serverReady(serverCommand, serverEnv)
const pid = server.child.pid!
const base = server.base!
const closers: (() => unknown)[] = []

/** Peaks of the server's RSS, sampled every 200 ms, by the part of the run that was going on. */
const rssPeaks = new Map<string, number>()
let rssPart = 'setup'
const sampleRss = () => {
  if (server.child.exitCode !== null) return
  const now = rssMegabytes(pid)
  rssPeaks.set(rssPart, Math.max(rssPeaks.get(rssPart) ?? 0, now))
}
const rssSampler = setInterval(sampleRss, 200)
/** Runs `work` as its own part of the RSS record and answers its peak. */
const rssDuring = async <T>(part: string, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> => {
  sampleRss()
  rssPart = part
  const result = await work()
  sampleRss()
  rssPart = 'between'
  return { result, peakMb: rssPeaks.get(part)! }
}

interface Line {
  target: string
  figure: string
  floor: string
  ratio: string
  goal: string
  met: string
}
const summary: Line[] = []
const line = (target: string, figure: string, floor = '', ratio = '', goal = '', met?: boolean) =>
  summary.push({ target, figure, floor, ratio, goal, met: met === undefined ? '' : met ? 'yes' : 'NO' })

try {
  const centre = (await setupCentre(database.db, { centreName: 'Bench', demo: true })) as SetupResult & { demo: DemoIds }
  const auth = { authorization: `Bearer ${centre.adminToken}` }
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(ISSUERS, 4) })
  closers.push(() => agent.destroy())
  /** One request over a keep-alive connection; the answer's bytes, its status and its time to the last byte. */
  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; bytes: Buffer; json: () => any }> => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        `${base}${path}`,
        {
          method,
          agent,
          headers: { ...auth, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => {
            const bytes = Buffer.concat(chunks)
            resolve({ status: response.statusCode!, bytes, json: () => JSON.parse(bytes.toString('utf8')) })
          })
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(payload)
    })
  }

  // ── Set-up: cases referred by the demo court, and the reports the PDF load reads ──────────────
  log(`[${elapsed()}] server ready in ${Math.round(server.ms)} ms (pid ${pid}, ${base}); ${CASES} cases, ${PDF_REPORTS} progress reports`)
  const caseIds: string[] = []
  for (let i = 0; i < CASES; i++) {
    const { caseId } = await createCase(database, centre)
    // A court and its roll number on the referral: the report's referrer section is filled, as a court's is.
    await pool.query('update referrals set court_id = $1, court_reference = $2 where case_id = $3', [centre.demo.courtId, `25/${1000 + i}/A`, caseId])
    caseIds.push(caseId)
  }
  const issue = async (i: number) => {
    const issued = await call('POST', `/v1/cases/${caseIds[i % CASES]}/reports`, { kind: 'progress' })
    if (issued.status !== 201) throw new Error(`issuing a report answered ${issued.status}: ${issued.bytes.toString().slice(0, 300)}`)
    return issued.json() as Report
  }
  const pdfReports: Report[] = []
  for (let i = 0; i < PDF_REPORTS; i++) pdfReports.push(await issue(i))
  const rssIdle = rssMegabytes(pid)
  console.log(
    `\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, PostgreSQL ${(await pool.query('show server_version')).rows[0].server_version}, ` +
      `load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; the API is node dist/src/server.js (pid ${pid}), its RSS ${Math.round(rssIdle)} MB idle after set-up`,
  )

  // ── 1. Report PDFs under load ─────────────────────────────────────────────────────────────────
  if (PARTS.has('pdf')) {
    const requests = pdfReports.map((r) => ({ method: 'GET' as const, path: `/v1/reports/${r.id}` }))
    const sample = await fetch(`${base}/v1/reports/${pdfReports[0]!.id}`, { headers: { ...auth, accept: 'application/pdf' } })
    const pdfBytes = Buffer.from(await sample.arrayBuffer())
    if (sample.status !== 200 || pdfBytes.subarray(0, 5).toString() !== '%PDF-') throw new Error(`GET /v1/reports/{id} as PDF answered ${sample.status}`)
    const pages = (pdfBytes.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length
    const jsonBytes = (await call('GET', `/v1/reports/${pdfReports[0]!.id}`)).bytes.length
    log(
      `[${elapsed()}] 1. reports: JSON then PDF, ${PDF_CLIENTS} clients, ${SECONDS} s each (a PDF is ${pdfBytes.length} bytes, ${pages} page(s); the JSON ${jsonBytes})`,
    )
    const json = await rssDuring('JSON load', () =>
      load('GET /v1/reports/{id} JSON', { url: base, requests, headers: { ...auth, accept: 'application/json' }, connections: PDF_CLIENTS, duration: SECONDS }),
    )
    const pdf = await rssDuring('PDF load', () =>
      load('GET /v1/reports/{id} PDF', { url: base, requests, headers: { ...auth, accept: 'application/pdf' }, connections: PDF_CLIENTS, duration: SECONDS }),
    )
    const rssAfter = rssMegabytes(pid)
    log(`[${elapsed()}] the renderer alone, in this process, one at a time, ${Math.round(SECONDS / 3)} s`)
    let next = 0
    // One PDF first: the renderer's first loads pdfkit and parses the fonts, as the server's first did before the runs.
    await renderReportPdf(reportPage(pdfReports[0]!), { issuedAt: new Date(pdfReports[0]!.issuedAt), centreName: pdfReports[0]!.issuer.centreName })
    const direct = await loop('renderReportPdf direct (no HTTP, 1 at a time)', 1, SECONDS / 3, () => {
      const r = pdfReports[next++ % pdfReports.length]!
      return renderReportPdf(reportPage(r), { issuedAt: new Date(r.issuedAt), centreName: r.issuer.centreName })
    })
    report(
      `1. Report PDFs: ${PDF_CLIENTS} clients, ${SECONDS} s, over ${PDF_REPORTS} reports (pdfkit, DejaVu Sans embedded as a subset)`,
      [pdf.result, json.result, direct],
      [
        ['PDF vs the same reports as JSON', 'GET /v1/reports/{id} PDF', 'GET /v1/reports/{id} JSON'],
        ['PDF vs the renderer alone', 'GET /v1/reports/{id} PDF', 'renderReportPdf direct (no HTTP, 1 at a time)'],
      ],
    )
    console.log(
      `   server RSS: idle ${Math.round(rssIdle)} MB, peak under JSON ${Math.round(json.peakMb)} MB, peak under PDF ${Math.round(pdf.peakMb)} MB, ` +
        `${Math.round(rssAfter)} MB just after (goal < ${RSS_GOAL_MB} MB)`,
    )
    const failures = pdf.result.non2xx + pdf.result.errors + json.result.non2xx + json.result.errors
    if (failures) console.log(`   FAILURES: ${failures} non-2xx or errors`)
    line(
      `GET /v1/reports/{id} PDF, ${PDF_CLIENTS} clients`,
      `${pdf.result.requestsPerSecond} req/s, p50 ${pdf.result.p50} ms, p99 ${pdf.result.p99} ms`,
      `JSON ${json.result.requestsPerSecond} req/s`,
      `${(pdf.result.requestsPerSecond / json.result.requestsPerSecond).toFixed(2)}×`,
    )
    line('', '', `renderer alone ${direct.requestsPerSecond}/s`, `${(pdf.result.requestsPerSecond / direct.requestsPerSecond).toFixed(2)}×`)
    line(
      'server RSS peak under the PDF load',
      `${Math.round(pdf.peakMb)} MB`,
      `under JSON ${Math.round(json.peakMb)} MB`,
      `${(pdf.peakMb / json.peakMb).toFixed(2)}×`,
      `< ${RSS_GOAL_MB} MB`,
      pdf.peakMb < RSS_GOAL_MB,
    )
  }

  // ── 2. Webhooks: one event per report to every receiver, one of which hangs ───────────────────
  if (PARTS.has('webhooks')) {
    interface Receipt {
      at: number
      receiver: number
      reportId: string
      verified: boolean
    }
    let phase: 'worker' | 'floor' = 'worker'
    const receipts = new Map<string, Receipt>() // by webhook-id: the first receipt of each delivery
    const floorReceipts = new Map<string, number>()
    const bodies = new Map<string, { receiver: number; body: string }>() // what the worker sent, replayed by the floor
    let duplicates = 0
    let unverified = 0
    const secrets: string[] = []
    const healthy: Server[] = []
    const hanging = createNetServer((socket: Socket) => {
      hangingConnections++
      hangingSockets.add(socket)
      socket.on('close', () => hangingSockets.delete(socket))
      socket.resume() // reads the request, never answers
    })
    let hangingConnections = 0
    const hangingSockets = new Set<Socket>()
    closers.push(() => {
      for (const socket of hangingSockets) socket.destroy()
      hanging.close()
    })
    const listen = (s: Server | ReturnType<typeof createNetServer>) =>
      new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}/hooks`)))
    const urls: string[] = []
    for (let i = 0; i < RECEIVERS - 1; i++) {
      const receiver = createHttpServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', (chunk: Buffer) => chunks.push(chunk))
        request.on('end', () => {
          const at = performance.now()
          const body = Buffer.concat(chunks).toString('utf8')
          const id = String(request.headers['webhook-id'])
          let verified = true
          try {
            new Webhook(secrets[i]!).verify(body, {
              'webhook-id': id,
              'webhook-timestamp': String(request.headers['webhook-timestamp']),
              'webhook-signature': String(request.headers['webhook-signature']),
            })
          } catch {
            verified = false
            unverified++
          }
          if (phase === 'floor') floorReceipts.set(id, at)
          else if (receipts.has(id)) duplicates++
          else {
            receipts.set(id, { at, receiver: i, reportId: (JSON.parse(body) as { data: { reportId: string } }).data.reportId, verified })
            bodies.set(id, { receiver: i, body })
          }
          response.statusCode = verified ? 204 : 401
          response.end()
        })
      })
      healthy.push(receiver)
      urls.push(await listen(receiver))
      closers.push(() => receiver.close())
    }
    // The hanging receiver is registered in the middle, so it is neither the first nor the last webhook.
    const hangingAt = Math.floor((RECEIVERS - 1) / 2)
    urls.splice(hangingAt, 0, await listen(hanging))
    const webhookIds: string[] = []
    for (const [i, receiverUrl] of urls.entries()) {
      const created = await call('POST', '/v1/webhooks', { url: receiverUrl, events: ['report.issued'], description: `Bench receiver ${i}` })
      if (created.status !== 201) throw new Error(`POST /v1/webhooks answered ${created.status}: ${created.bytes.toString().slice(0, 300)}`)
      const { id, secret } = created.json() as { id: string; secret: string }
      webhookIds.push(id)
      if (i !== hangingAt) secrets.push(secret)
    }
    const expected = EVENTS * (RECEIVERS - 1)
    log(
      `[${elapsed()}] 2. webhooks: ${EVENTS} reports issued by ${ISSUERS} clients, each an event to ${RECEIVERS} receivers (receiver ${hangingAt} hangs): ${expected} healthy deliveries`,
    )
    const answered = new Map<string, number>() // report id → when the API's answer (after the commit) arrived
    const firstIssue = performance.now()
    const serverCpuBefore = cpuMsOf(pid)
    let issuing: { result: Figures & { seconds: number }; peakMb: number } | undefined
    // CPU of the database's backends (the server's pool) from the first report issued to the last delivery.
    const postgresMs = await backendMs(pool, async () => {
      issuing = await rssDuring('webhooks', () =>
        fixed('POST /v1/cases/{id}/reports (issuing)', ISSUERS, EVENTS, async (i) => {
          const r = await issue(PDF_REPORTS + i)
          answered.set(r.id, performance.now())
          return true
        }),
      )
      log(
        `[${elapsed()}] issued in ${issuing.result.seconds.toFixed(1)} s (${issuing.result.requestsPerSecond}/s); waiting for the deliveries (at most ${WEBHOOK_WAIT} s)`,
      )
      rssPart = 'webhooks'
      const deadline = firstIssue + WEBHOOK_WAIT * 1000
      let lastProgress = performance.now()
      let lastCount = 0
      while (receipts.size < expected && performance.now() < deadline) {
        await sleep(50)
        if (performance.now() - lastProgress >= 10_000) {
          log(`[${elapsed()}]    ${receipts.size} of ${expected} healthy deliveries received (+${receipts.size - lastCount} in 10 s)`)
          lastProgress = performance.now()
          lastCount = receipts.size
        }
      }
      rssPart = 'between'
    })
    const serverMs = cpuMsOf(pid) - serverCpuBefore
    const issued = issuing!
    const all = [...receipts.values()]
    const delays = all.map((r) => Math.max(0, r.at - answered.get(r.reportId)!))
    const beforeAnswer = all.filter((r) => r.at < answered.get(r.reportId)!).length
    const lastReceipt = Math.max(...all.map((r) => r.at))
    const firstAnswer = Math.min(...answered.values())
    const doneSeconds = (lastReceipt - firstIssue) / 1000
    const complete = receipts.size === expected
    const throughput = all.length / ((lastReceipt - firstAnswer) / 1000)
    const perReceiver = Array.from({ length: RECEIVERS - 1 }, (_, i) =>
      percentile(
        delays.filter((_, k) => all[k]!.receiver === i),
        0.99,
      ),
    )
    const { rows: outbox } = await pool.query<{ hanging: boolean; status: string; n: number; attempts: number }>(
      `select w.url = $1 as hanging, d.status, count(*)::int as n, sum(d.attempts)::int as attempts
       from webhook_deliveries d join webhooks w on w.id = d.webhook_id group by 1, 2 order by 1, 2`,
      [urls[hangingAt]],
    )
    // How long the worker's healthy POSTs took as it timed them (its delivery log), and how long a delivery waited to be claimed.
    const { rows: attemptTimes } = await pool.query<{ post_p50: number; post_p99: number; claim_p50: number; claim_p99: number }>(
      `select percentile_cont(0.5) within group (order by a.duration_ms) as post_p50, percentile_cont(0.99) within group (order by a.duration_ms) as post_p99,
         percentile_cont(0.5) within group (order by extract(epoch from a.at - d.created_at) * 1000) as claim_p50,
         percentile_cont(0.99) within group (order by extract(epoch from a.at - d.created_at) * 1000) as claim_p99
       from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id join webhooks w on w.id = d.webhook_id
       where w.url <> $1 and a.response_status between 200 and 299`,
      [urls[hangingAt]],
    )

    // The floor: the worker's own signed POST, with its concurrency, the same bodies to the same receivers, no database.
    phase = 'floor'
    const replay = [...bodies.entries()]
    log(`[${elapsed()}] floor: the same ${replay.length} bodies POSTed by a plain loop, ${WORKER_CONCURRENCY} at once`)
    const floor = await fixed(`plain loop of signed POSTs, ${WORKER_CONCURRENCY} at once`, WORKER_CONCURRENCY, replay.length, async (i) => {
      const [id, { receiver, body }] = replay[i]!
      const at = new Date()
      const status = await deliver(urls[receiver >= hangingAt ? receiver + 1 : receiver]!, body, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Bezoekruimte-Webhooks/1',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(secrets[receiver]!).sign(id, at, body),
        },
        allowPrivate: true,
        signal: AbortSignal.timeout(10_000),
      })
      return status >= 200 && status < 300
    })
    const worker: Figures = {
      name: 'worker: event committed → received',
      requestsPerSecond: Math.round(throughput),
      p50: Number(percentile(delays, 0.5).toFixed(1)),
      p99: Number(percentile(delays, 0.99).toFixed(1)),
      non2xx: expected - receipts.size,
      errors: unverified,
    }
    report(
      `2. Webhooks: ${EVENTS} report.issued events × ${RECEIVERS} receivers, one hanging (req/s = healthy deliveries/s; p50/p99 = delay, or the floor's POST)`,
      [worker, floor, issued.result],
      [['worker vs plain loop of POSTs', worker.name, floor.name]],
    )
    console.log(
      `   ${receipts.size} of ${expected} healthy deliveries received, the last ${doneSeconds.toFixed(1)} s after the first report was issued ` +
        `(issuing took ${issued.result.seconds.toFixed(1)} s); delay max ${ms(Math.max(...delays))} ms; per healthy receiver p99 ` +
        `${ms(Math.min(...perReceiver))}–${ms(Math.max(...perReceiver))} ms; ${duplicates} duplicates, ${unverified} signatures refused, ${beforeAnswer} received before the API's answer`,
    )
    console.log(
      `   hanging receiver: ${hangingConnections} connections accepted; outbox: ${outbox
        .map((o) => `${o.hanging ? 'hanging' : 'healthy'} ${o.status} ${o.n} (${o.attempts} attempts)`)
        .join(', ')}; server RSS peak ${Math.round(issued.peakMb)} MB`,
    )
    const times = attemptTimes[0]!
    console.log(
      `   the worker's log: a healthy delivery waited p50 ${ms(Number(times.claim_p50))} ms, p99 ${ms(Number(times.claim_p99))} ms from its event to its attempt; ` +
        `its POST took p50 ${ms(Number(times.post_p50))} ms, p99 ${ms(Number(times.post_p99))} ms`,
    )
    console.log(
      `   CPU from the first report issued to the last delivery, per healthy delivery (the issuing requests included): ` +
        `server ${(serverMs / expected).toFixed(2)} ms, PostgreSQL ${(postgresMs / expected).toFixed(2)} ms; the server used ` +
        `${((100 * serverMs) / (lastReceipt - firstIssue)).toFixed(0)}% of a core`,
    )
    line(
      `webhooks, ${EVENTS} events × ${RECEIVERS} receivers (1 hangs)`,
      `${complete ? 'all' : `${receipts.size} of ${expected}`} healthy in ${doneSeconds.toFixed(1)} s`,
      '',
      '',
      '≤ 60 s',
      complete && doneSeconds <= 60,
    )
    line(
      'healthy deliveries, delay from commit',
      `p50 ${ms(worker.p50)} ms, p99 ${ms(worker.p99)} ms`,
      `POST p50 ${floor.p50} ms, p99 ${floor.p99} ms`,
      '',
      'p99 < 1000 ms',
      worker.p99 < 1000,
    )
    line(
      'healthy deliveries/s',
      `${worker.requestsPerSecond}/s (issued ${issued.result.requestsPerSecond} reports/s)`,
      `plain loop ${floor.requestsPerSecond}/s`,
      `${(worker.requestsPerSecond / floor.requestsPerSecond).toFixed(2)}×`,
    )
    // Nothing more is sent: the hanging receiver's pending deliveries are given up.
    for (const id of webhookIds) await call('DELETE', `/v1/webhooks/${id}`)
    // The receivers go (the keep-alive agent, the first closer, stays for the feed).
    for (const close of closers.splice(1)) await close()
  }

  // ── 3. The report feed through 100 000 reports ─────────────────────────────────────────────────
  if (PARTS.has('feed')) {
    log(`[${elapsed()}] 3. feed: adding ${FEED_REPORTS} reports`)
    const loadStarted = performance.now()
    const { rows: templates } = await pool.query<{ row: Record<string, unknown> & { content: ReportContent } }>('select to_jsonb(r) as row from reports r')
    const BATCH = 2000
    for (let from = 0; from < FEED_REPORTS; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, FEED_REPORTS - from) }, (_, k) => {
        const template = templates[(from + k) % templates.length]!.row
        const id = uuidv7()
        const content = { ...template.content, id }
        return { ...template, id, content, sha256: contentSha256(content) }
      })
      // One transaction per batch: the deferred trigger gives each report its feed position at the commit.
      await inTransaction(pool, (client) =>
        client.query('insert into reports select * from jsonb_populate_recordset(null::reports, $1)', [JSON.stringify(batch)]),
      )
    }
    await pool.query('vacuum analyze reports, report_feed')
    const loadSeconds = (performance.now() - loadStarted) / 1000
    const { rows: counted } = await pool.query<{ reports: number; positions: number; last: number }>(
      `select (select count(*)::int from reports) as reports, (select count(*)::int from report_feed) as positions, (select last::int from feed_counter) as last`,
    )
    const total = counted[0]!.reports
    if (counted[0]!.positions !== total || counted[0]!.last !== total) throw new Error(`feed positions do not match the reports: ${JSON.stringify(counted[0])}`)
    log(`[${elapsed()}] loaded in ${loadSeconds.toFixed(1)} s: ${total} reports in the feed`)

    /** One reader from the start to the empty page; req/s here is reports per second, p50/p99 per page. */
    const readApi = async (limit: number | undefined): Promise<Figures & { pages: number; seconds: number }> => {
      const pageMs: number[] = []
      let cursor: string | undefined
      let seen = 0
      const begun = performance.now()
      for (;;) {
        const at = performance.now()
        const query = [limit ? `limit=${limit}` : '', cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&')
        const answer = await call('GET', `/v1/reports${query ? `?${query}` : ''}`)
        if (answer.status !== 200) throw new Error(`GET /v1/reports answered ${answer.status}: ${answer.bytes.toString().slice(0, 300)}`)
        const page = answer.json() as { items: Report[]; nextCursor: string }
        pageMs.push(performance.now() - at)
        seen += page.items.length
        if (page.items.length === 0) break
        cursor = page.nextCursor
      }
      const seconds = (performance.now() - begun) / 1000
      if (seen !== total) throw new Error(`the feed gave ${seen} reports of ${total}`)
      const name = `GET /v1/reports?cursor=, limit ${limit ?? '50 (default)'}`
      return {
        name,
        requestsPerSecond: Math.round(seen / seconds),
        p50: Number(percentile(pageMs, 0.5).toFixed(1)),
        p99: Number(percentile(pageMs, 0.99).toFixed(1)),
        non2xx: 0,
        errors: 0,
        pages: pageMs.length,
        seconds,
      }
    }
    // The floor: the route's own keyset query (src/modules/reports/queries.ts feedPage), through pg, paging on the last position.
    const FEED_SQL = `select r.*, f.position from report_feed f join reports r on r.id = f.report_id
      where r.centre_id = $1 and f.position > $2 order by f.position limit $3`
    const readRaw = async (limit: number): Promise<Figures> => {
      const pageMs: number[] = []
      let position = '0'
      let seen = 0
      const begun = performance.now()
      for (;;) {
        const at = performance.now()
        const { rows } = await pool.query<{ position: string }>(FEED_SQL, [centre.centreId, position, limit])
        pageMs.push(performance.now() - at)
        seen += rows.length
        if (rows.length === 0) break
        position = rows[rows.length - 1]!.position
      }
      const seconds = (performance.now() - begun) / 1000
      if (seen !== total) throw new Error(`the raw SELECT gave ${seen} reports of ${total}`)
      return {
        name: `raw keyset SELECT via pg, limit ${limit}`,
        requestsPerSecond: Math.round(seen / seconds),
        p50: Number(percentile(pageMs, 0.5).toFixed(1)),
        p99: Number(percentile(pageMs, 0.99).toFixed(1)),
        non2xx: 0,
        errors: 0,
      }
    }
    const runs: Figures[] = []
    for (const limit of [undefined, 200]) {
      log(`[${elapsed()}] reading the feed, limit ${limit ?? 'default'}: through the API, then the raw SELECT`)
      const api = await rssDuring(`feed ${limit ?? 50}`, () => readApi(limit))
      runs.push(api.result, await readRaw(limit ?? 50))
      line(
        `feed reader, ${total} reports, limit ${limit ?? '50 (default)'}`,
        `${api.result.requestsPerSecond} reports/s (${api.result.seconds.toFixed(1)} s), page p99 ${ms(api.result.p99)} ms`,
        `raw SELECT ${runs.at(-1)!.requestsPerSecond}/s`,
        `${(api.result.requestsPerSecond / runs.at(-1)!.requestsPerSecond).toFixed(2)}×`,
      )
      log(`[${elapsed()}]    ${api.result.pages} pages, server RSS peak ${Math.round(api.peakMb)} MB`)
    }
    report(
      `3. The report feed: one reader from the start, ${total} reports loaded in ${loadSeconds.toFixed(1)} s (req/s = reports/s; p50/p99 per page)`,
      runs,
      [
        ['feed, default limit, vs raw SELECT', runs[0]!.name, runs[1]!.name],
        ['feed, limit 200, vs raw SELECT', runs[2]!.name, runs[3]!.name],
      ],
    )
  }

  sampleRss()
  console.log(`\nSummary (server RSS peak over the whole run ${Math.round(Math.max(...rssPeaks.values()))} MB; total run time ${elapsed()})`)
  console.table(summary)
} finally {
  clearInterval(rssSampler)
  for (const close of closers) await close()
  await stop(server.child)
  await drop()
}
