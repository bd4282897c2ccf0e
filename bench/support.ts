import autocannon from 'autocannon'
import type { Database } from '../src/db/client.js'
import { scratchDatabase } from '../test/helpers/databases.js'

/** Shared bench plumbing: a throw-away PostgreSQL database and an autocannon run reduced to the figures we report. */
export async function freshPostgres(): Promise<{ database: Database; url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('Benchmarks run on real PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test')
  return scratchDatabase(adminUrl, 'bzr_bench', 20)
}

export interface Figures {
  name: string
  requestsPerSecond: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

export async function load(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections: 20, duration: Number(process.env.BENCH_SECONDS ?? 8), ...options })
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** In-process loop with `concurrency` workers, for floors that are not HTTP (raw SQL). */
export async function loop(name: string, concurrency: number, seconds: number, work: () => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const started = performance.now()
        await work()
        latencies.push(performance.now() - started)
      }
    }),
  )
  const at = percentiles(latencies)
  return { name, requestsPerSecond: Math.round(latencies.length / seconds), p50: at(0.5), p99: at(0.99), non2xx: 0, errors: 0 }
}

function percentiles(latencies: number[]) {
  latencies.sort((a, b) => a - b)
  return (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2))
}

/**
 * A fixed amount of work (`count` jobs, e.g. bookings, which cannot be repeated like a read) on
 * `concurrency` workers; throughput is jobs per second of wall time. `work` answers whether the job
 * succeeded; failures are reported as non2xx.
 */
export async function fixed(name: string, concurrency: number, count: number, work: (i: number) => Promise<boolean>): Promise<Figures & { seconds: number }> {
  const latencies: number[] = []
  let next = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const begun = performance.now()
        if (!(await work(i))) failures++
        latencies.push(performance.now() - begun)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const at = percentiles(latencies)
  return { name, requestsPerSecond: Math.round(count / seconds), p50: at(0.5), p99: at(0.99), non2xx: failures, errors: 0, seconds }
}

export function report(title: string, rows: Figures[], ratios: [string, string, string][]) {
  const byName = new Map(rows.map((r) => [r.name, r]))
  console.log(`\n${title}`)
  console.table(rows.map((r) => ({ target: r.name, 'req/s': r.requestsPerSecond, 'p50 ms': r.p50, 'p99 ms': r.p99, non2xx: r.non2xx, errors: r.errors })))
  for (const [label, a, b] of ratios) {
    const x = byName.get(a)!
    const y = byName.get(b)!
    console.log(`${label}: throughput ${(x.requestsPerSecond / y.requestsPerSecond).toFixed(2)}×, p99 ${(x.p99 / Math.max(y.p99, 0.01)).toFixed(2)}×`)
  }
}
