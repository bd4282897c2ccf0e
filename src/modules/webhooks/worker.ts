import { and, asc, eq, lte, notInArray, sql } from 'drizzle-orm'
import type { Logger } from 'pino'
import { Webhook as Signer } from 'standardwebhooks'
import type { Db } from '../../db/client.js'
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.js'
import { expired, retryDelay } from '../../domain/webhooks.js'
import { post, RefusedDestination } from './destination.js'

/**
 * Delivers the outbox. Any number of API processes may run a worker against one database: a
 * delivery is claimed with `FOR UPDATE SKIP LOCKED` and leased by moving its next attempt forward,
 * in one short transaction, so no two processes make the same attempt; the HTTP call happens
 * outside any transaction. A process that dies mid-attempt leaves the lease to run out, after
 * which another worker (or the same one, restarted) tries again: nothing is lost, and a receiver
 * drops the rare duplicate by its `webhook-id`.
 *
 * Attempts run side by side, up to `concurrency`, and one at a time per webhook: a receiver that
 * hangs holds only its own deliveries back, never another centre's. Each poll tops the running
 * attempts up, so a new event waits at most a poll for a free place.
 */

export interface DeliveryWorkerOptions {
  db: Db
  logger: Pick<Logger, 'info' | 'warn' | 'error'>
  /** The wait after the first failure (WEBHOOK_RETRY_BASE_MS); it doubles with each failure, up to an hour. */
  retryBaseMs: number
  allowPrivateUrls: boolean
  /** How often to look for due deliveries when there are none. */
  pollMs?: number
  /** How long a receiver has to answer (WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number
  /** How many attempts run at once in this process, each to another webhook. */
  concurrency?: number
  /** How long a claimed delivery stays invisible to other workers; longer than any attempt. */
  leaseMs?: number
  random?: () => number
  now?: () => Date
  /** Where a database outage is reported (once) instead of logged on every poll. */
  availability?: { report(error: unknown): boolean }
}

interface Claimed {
  id: string
  webhookId: string
  attempt: number
  payload: Record<string, unknown>
  createdAt: Date
  url: string
  secret: string
}

export function deliveryWorker(options: DeliveryWorkerOptions) {
  const {
    db,
    logger,
    retryBaseMs,
    allowPrivateUrls,
    pollMs = 1000,
    timeoutMs = 10_000,
    concurrency = 8,
    random = Math.random,
    now = () => new Date(),
  } = options
  const leaseMs = options.leaseMs ?? timeoutMs + 30_000
  // Set by stop(): no new claim is made, and an attempt still waiting for its receiver is given up.
  let stopping = false
  const shutdown = new AbortController()

  /** Claims the oldest delivery due by `dueBy` to a webhook not in `busy`, leasing it. */
  async function claim(dueBy: Date, busy: readonly string[]): Promise<Claimed | undefined> {
    return db.transaction(async (tx) => {
      const at = now()
      const [due] = await tx
        .select({
          id: webhookDeliveries.id,
          attempts: webhookDeliveries.attempts,
          payload: webhookDeliveries.payload,
          createdAt: webhookDeliveries.createdAt,
          webhookId: webhookDeliveries.webhookId,
        })
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.status, 'pending'),
            lte(webhookDeliveries.nextAttemptAt, dueBy),
            busy.length ? notInArray(webhookDeliveries.webhookId, [...busy]) : undefined,
          ),
        )
        .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
        .limit(1)
        .for('update', { skipLocked: true })
      if (!due) return undefined
      const attempt = due.attempts + 1
      await tx
        .update(webhookDeliveries)
        .set({ attempts: attempt, nextAttemptAt: new Date(at.getTime() + leaseMs) })
        .where(eq(webhookDeliveries.id, due.id))
      const [hook] = await tx.select({ url: webhooks.url, secret: webhooks.secret }).from(webhooks).where(eq(webhooks.id, due.webhookId))
      return { id: due.id, webhookId: due.webhookId, attempt, payload: due.payload, createdAt: due.createdAt, url: hook!.url, secret: hook!.secret }
    })
  }

  /** One attempt: the signed POST, its log line, and what comes next for the delivery. */
  async function attempt(delivery: Claimed) {
    const started = now()
    const body = JSON.stringify(delivery.payload)
    let responseStatus: number | null = null
    let error: string | null = null
    const timeout = AbortSignal.timeout(timeoutMs)
    try {
      responseStatus = await post(delivery.url, body, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Bezoekruimte-Webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(started.getTime() / 1000)),
          'webhook-signature': new Signer(delivery.secret).sign(delivery.id, started, body),
        },
        allowPrivate: allowPrivateUrls,
        signal: AbortSignal.any([timeout, shutdown.signal]),
      })
      if (responseStatus < 200 || responseStatus >= 300) error = `the receiver answered ${responseStatus}`
    } catch (failure) {
      if (shutdown.signal.aborted) return release(delivery)
      error =
        failure instanceof RefusedDestination
          ? `not sent: ${failure.message}`
          : timeout.aborted
            ? `no answer within ${timeoutMs} ms`
            : 'the receiver could not be reached'
    }
    const finished = now()
    const durationMs = finished.getTime() - started.getTime()
    const delivered = error === null
    const givenUp = !delivered && expired(delivery.createdAt, finished)
    await db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({ deliveryId: delivery.id, attempt: delivery.attempt, at: started, responseStatus, error, durationMs })
      await tx
        .update(webhookDeliveries)
        .set(
          delivered
            ? { status: 'delivered', deliveredAt: finished }
            : givenUp
              ? { status: 'failed' }
              : { nextAttemptAt: new Date(finished.getTime() + retryDelay(delivery.attempt, retryBaseMs, random())) },
        )
        .where(eq(webhookDeliveries.id, delivery.id))
      // The receiver's health as its admin reads it: failing since the first failure after a delivery.
      await tx
        .update(webhooks)
        .set({ failingSince: delivered ? null : sql`coalesce(${webhooks.failingSince}, ${started.toISOString()}::timestamptz)` })
        .where(eq(webhooks.id, delivery.webhookId))
    })
    const line = { deliveryId: delivery.id, attempt: delivery.attempt, responseStatus, durationMs }
    if (delivered) logger.info(line, 'webhook delivered')
    else logger.warn({ ...line, error, givenUp }, givenUp ? 'webhook given up' : 'webhook attempt failed')
  }

  /**
   * Hands back an attempt cut short by shutdown: it does not count, and is due at once, for another
   * process or the next start (the receiver may have had it; it drops the duplicate by webhook-id).
   */
  async function release(delivery: Claimed) {
    await db
      .update(webhookDeliveries)
      .set({ attempts: delivery.attempt - 1, nextAttemptAt: now() })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempt)))
    logger.info({ deliveryId: delivery.id, attempt: delivery.attempt }, 'webhook attempt released at shutdown')
  }

  /** The attempts under way, by delivery, with the webhook each is for (one at a time per webhook). */
  const underway = new Map<string, { webhookId: string; done: Promise<void> }>()
  // Claims are made one after another, so two callers never both take a webhook as free.
  let filling: Promise<unknown> = Promise.resolve()

  /** Starts attempts on deliveries due by `dueBy` while there is room; answers how many it started. */
  function fill(dueBy: Date): Promise<number> {
    const run = filling.then(async () => {
      let started = 0
      while (!stopping && underway.size < concurrency) {
        const delivery = await claim(
          dueBy,
          [...underway.values()].map((a) => a.webhookId),
        )
        if (!delivery) break
        const done = attempt(delivery)
          .catch((err: unknown) => {
            if (!options.availability?.report(err)) logger.error({ err, deliveryId: delivery.id }, 'webhook attempt could not be recorded')
          })
          .finally(() => underway.delete(delivery.id))
        underway.set(delivery.id, { webhookId: delivery.webhookId, done })
        started++
      }
      return started
    })
    filling = run.catch(() => {})
    return run
  }

  /** Makes every attempt that is due now and waits for them (a retry it schedules waits for the next run); returns how many it made. */
  async function runOnce(): Promise<number> {
    const dueBy = now()
    let made = 0
    for (;;) {
      made += await fill(dueBy)
      if (!underway.size) return made
      await Promise.race([...underway.values()].map((a) => a.done))
    }
  }

  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  let stopped = true

  // Each poll tops the attempts up and returns at once: a slow receiver never holds the next poll back.
  function schedule() {
    if (stopped) return
    timer = setTimeout(() => {
      running = fill(now())
        .catch((err: unknown) => {
          if (!options.availability?.report(err)) logger.error({ err }, 'webhook worker failed; trying again')
        })
        .finally(schedule)
    }, pollMs)
  }

  return {
    runOnce,
    start() {
      stopped = false
      schedule()
    },
    /**
     * Stops looking for work and waits for the attempt under way; one whose receiver has not answered
     * within `graceMs` is cut short and released.
     */
    async stop(graceMs = 2000) {
      stopped = true
      stopping = true
      clearTimeout(timer)
      let grace: NodeJS.Timeout | undefined
      const all = () => Promise.all([running, ...[...underway.values()].map((a) => a.done)])
      await Promise.race([all(), new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))])
      clearTimeout(grace)
      shutdown.abort()
      await all()
    },
  }
}
