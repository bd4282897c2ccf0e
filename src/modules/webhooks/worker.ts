import { sql } from 'drizzle-orm'
import type { Logger } from 'pino'
import { Webhook as Signer } from 'standardwebhooks'
import { v7 as uuidv7 } from 'uuid'
import { preparedRows, uuidArray, type Db } from '../../db/client.js'
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.js'
import { expired, retryDelay } from '../../domain/webhooks.js'
import { post, RefusedDestination } from './destination.js'

/**
 * Delivers the outbox, in lanes: a lane is one webhook's batch of due deliveries, oldest first, sent
 * one at a time, so a receiver gets its events in order and one that hangs holds only its own lane,
 * never another centre's. Up to `concurrency` lanes run at once, each to another webhook.
 *
 * One statement claims the lanes: for each webhook with nothing under way in this process, taken in
 * the order of its oldest due delivery (so no receiver waits behind another's backlog), it takes up
 * to `batchSize` of its oldest due deliveries with `FOR UPDATE SKIP LOCKED` and leases them by moving
 * their next attempt forward, each far enough for the attempts before it in the batch. So any number
 * of API processes may run a worker against one database and no two make the same attempt; the HTTP
 * call happens outside any transaction. A process that dies mid-batch leaves the leases to run out,
 * after which another worker (or the same one, restarted) tries again: nothing is lost, and a
 * receiver drops the rare duplicate by its `webhook-id`.
 *
 * Each attempt is recorded in one statement (its log line, the delivery's next step, the receiver's
 * health). When a lane has sent its batch, its place is claimed again at once, for its own webhook or
 * one that has waited longer: a backlog drains at the receivers' pace, not a poll's. The poll (every
 * `pollMs`) only notices new events while lanes are free; it is the same indexed statement.
 */

export interface DeliveryWorkerOptions {
  db: Db
  logger: Pick<Logger, 'info' | 'warn' | 'error'>
  /** The wait after the first failure (WEBHOOK_RETRY_BASE_MS); it doubles with each failure, up to an hour. */
  retryBaseMs: number
  allowPrivateUrls: boolean
  /** How often to look for due deliveries while lanes are free. */
  pollMs?: number
  /** How long a receiver has to answer (WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number
  /** How many lanes run at once in this process, each to another webhook, one attempt at a time. */
  concurrency?: number
  /** How many of a webhook's due deliveries one claim takes for its lane. */
  batchSize?: number
  /**
   * How long the first delivery of a batch stays invisible to other workers (longer than any attempt
   * and its record); each later one of the batch `timeoutMs` more, for the attempts before it.
   */
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

const at = (time: Date) => sql`${time.toISOString()}::timestamptz`

export function deliveryWorker(options: DeliveryWorkerOptions) {
  const {
    db,
    logger,
    retryBaseMs,
    allowPrivateUrls,
    pollMs = 250,
    timeoutMs = 10_000,
    concurrency = 8,
    batchSize = 10,
    random = Math.random,
    now = () => new Date(),
  } = options
  const leaseMs = options.leaseMs ?? timeoutMs + 30_000
  // Set by stop(): no new claim is made, no new attempt begun, and one still waiting for its receiver is given up.
  let stopping = false
  const shutdown = new AbortController()

  /**
   * Claims lanes for up to `room` webhooks not in `busy`, those whose oldest due delivery is oldest
   * first, each with up to `batchSize` of its deliveries due by `dueBy`, oldest first; leases them.
   */
  async function claim(dueBy: Date, room: number, busy: readonly string[]): Promise<Claimed[][]> {
    const rows = await preparedRows<{
      id: string
      webhook_id: string
      attempts: number
      payload: string
      created_ms: number
      url: string
      secret: string
      place: number
    }>(
      db,
      'webhook_claim',
      sql`
        with lanes as (
          select w.id, w.url, w.secret
          from ${webhooks} w
          cross join lateral (
            select d.next_attempt_at from webhook_deliveries d
            where d.webhook_id = w.id and d.status = 'pending' and d.next_attempt_at <= ${at(dueBy)}
            order by d.next_attempt_at, d.id
            limit 1
          ) oldest
          where w.id <> all(${uuidArray([...busy])})
          order by oldest.next_attempt_at, w.id
          limit ${room}::int
        ),
        due as (
          select l.id as webhook_id, l.url, l.secret, d.id, row_number() over (partition by l.id order by d.next_attempt_at, d.id)::int as place
          from lanes l
          cross join lateral (
            select d.id, d.next_attempt_at from webhook_deliveries d
            where d.webhook_id = l.id and d.status = 'pending' and d.next_attempt_at <= ${at(dueBy)}
            order by d.next_attempt_at, d.id
            limit ${batchSize}::int
            for update skip locked
          ) d
        )
        update webhook_deliveries d
        set attempts = d.attempts + 1,
          next_attempt_at = ${at(now())} + (${leaseMs}::int + (due.place - 1) * ${timeoutMs}::int) * interval '1 millisecond'
        from due
        where d.id = due.id
        returning d.id, due.webhook_id, d.attempts, d.payload::text as payload,
          (extract(epoch from d.created_at) * 1000)::float8 as created_ms, due.url, due.secret, due.place`,
    )
    const lanes = new Map<string, Claimed[]>()
    for (const row of rows.sort((a, b) => a.place - b.place)) {
      const lane = lanes.get(row.webhook_id) ?? []
      lanes.set(row.webhook_id, lane)
      lane.push({
        id: row.id,
        webhookId: row.webhook_id,
        attempt: row.attempts,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        createdAt: new Date(Number(row.created_ms)),
        url: row.url,
        secret: row.secret,
      })
    }
    return [...lanes.values()]
  }

  /** What an attempt came to, for its record. */
  interface Outcome {
    delivery: Claimed
    started: Date
    finished: Date
    responseStatus: number | null
    error: string | null
  }

  /** One attempt's signed POST. Answers undefined when shutdown cut it short (it is not recorded). */
  async function send(delivery: Claimed): Promise<Outcome | undefined> {
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
      if (shutdown.signal.aborted) return undefined
      error =
        failure instanceof RefusedDestination
          ? `not sent: ${failure.message}`
          : timeout.aborted
            ? `no answer within ${timeoutMs} ms`
            : 'the receiver could not be reached'
    }
    return { delivery, started, finished: now(), responseStatus, error }
  }

  /**
   * An attempt's record, in one statement: its log line, the delivery's next step, and the receiver's
   * health as its admin reads it (failing since the first failure after a delivery; the webhook's row
   * is written only when that changes). Then its log line.
   */
  async function record({ delivery, started, finished, responseStatus, error }: Outcome) {
    const durationMs = finished.getTime() - started.getTime()
    const delivered = error === null
    const givenUp = !delivered && expired(delivery.createdAt, finished)
    const retryAt = delivered || givenUp ? null : new Date(finished.getTime() + retryDelay(delivery.attempt, retryBaseMs, random()))
    await preparedRows(
      db,
      'webhook_record',
      sql`
        with logged as (
          insert into ${webhookAttempts} (id, delivery_id, attempt, at, response_status, error, duration_ms)
          values (${uuidv7()}::uuid, ${delivery.id}::uuid, ${delivery.attempt}::int, ${at(started)}, ${responseStatus}::int, ${error}::text, ${durationMs}::int)
        ),
        moved as (
          update ${webhookDeliveries}
          set status = ${delivered ? 'delivered' : givenUp ? 'failed' : 'pending'}::text,
            delivered_at = ${delivered ? finished.toISOString() : null}::timestamptz,
            next_attempt_at = coalesce(${retryAt?.toISOString() ?? null}::timestamptz, next_attempt_at)
          where id = ${delivery.id}::uuid
        )
        update ${webhooks} set failing_since = ${delivered ? null : started.toISOString()}::timestamptz
        where id = ${delivery.webhookId}::uuid and (failing_since is null) <> ${delivered}::boolean`,
    )
    const line = { deliveryId: delivery.id, attempt: delivery.attempt, responseStatus, durationMs }
    if (delivered) logger.info(line, 'webhook delivered')
    else logger.warn({ ...line, error, givenUp }, givenUp ? 'webhook given up' : 'webhook attempt failed')
  }

  /**
   * Hands back what shutdown left of a lane: the attempt it cut short (if `cutShort`) and the
   * deliveries not yet tried. They do not count and are due at once, for another process or the next
   * start (the receiver may have had the one cut short; it drops the duplicate by webhook-id).
   */
  async function release(deliveries: Claimed[], cutShort: boolean) {
    // Only as this worker left them: a delivery whose lease ran out may have been claimed again since.
    await db.execute(sql`
      update webhook_deliveries d set attempts = d.attempts - 1, next_attempt_at = ${at(now())}
      from unnest(${uuidArray(deliveries.map((d) => d.id))}, ${`{${deliveries.map((d) => d.attempt).join(',')}}`}::int[]) as claimed(id, attempt)
      where d.id = claimed.id and d.attempts = claimed.attempt and d.status = 'pending'`)
    const [first, ...rest] = deliveries
    if (cutShort) logger.info({ deliveryId: first!.id, attempt: first!.attempt }, 'webhook attempt released at shutdown')
    const unsent = cutShort ? rest : deliveries
    if (unsent.length)
      logger.info({ webhookId: first!.webhookId, deliveryIds: unsent.map((d) => d.id) }, 'webhook deliveries released at shutdown, not attempted')
  }

  /**
   * A lane: its batch one at a time, in order. An attempt's record is written while the next POST is
   * under way (the records in order, one after another), so a delivery costs the longer of the two,
   * not their sum. A failure to record stops the lane; the rest wait for their leases to run out.
   */
  async function lane(batch: Claimed[]) {
    let recorded: Promise<void> = Promise.resolve()
    let unrecorded: { err: unknown; deliveryId: string } | undefined
    const handBack = async (from: number, cutShort: boolean) => {
      await recorded.catch(() => {})
      await release(batch.slice(from), cutShort)
    }
    for (const [i, delivery] of batch.entries()) {
      if (unrecorded) break
      if (stopping) return handBack(i, false)
      const outcome = await send(delivery)
      if (!outcome) return handBack(i, true)
      recorded = recorded.then(() =>
        record(outcome).catch((err: unknown) => {
          unrecorded ??= { err, deliveryId: delivery.id }
          throw err
        }),
      )
      recorded.catch(() => {})
    }
    await recorded.catch(() => {})
    if (unrecorded && !options.availability?.report(unrecorded.err))
      logger.error({ err: unrecorded.err, deliveryId: unrecorded.deliveryId }, 'webhook attempt could not be recorded')
  }

  /** The lanes under way, by webhook. */
  const lanes = new Map<string, Promise<void>>()
  // Claims are made one after another, so two callers never both take a webhook as free.
  let filling: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  // Until start(), and again from stop(): no poll, and a lane's end claims nothing (runOnce refills its own).
  let stopped = true

  /** Starts lanes on deliveries due by `dueBy` while there is room; answers how many deliveries it claimed. */
  function fill(dueBy: Date): Promise<number> {
    const run = filling.then(async () => {
      const room = concurrency - lanes.size
      if (stopping || room <= 0) return 0
      let claimed = 0
      for (const batch of await claim(dueBy, room, [...lanes.keys()])) {
        const webhookId = batch[0]!.webhookId
        const done = lane(batch)
          .catch((err: unknown) => {
            if (!options.availability?.report(err)) logger.error({ err, webhookId }, 'webhook deliveries could not be released')
          })
          .finally(() => {
            lanes.delete(webhookId)
            // The place it frees is claimed again at once while the worker runs.
            if (!stopped) void topUp()
          })
        lanes.set(webhookId, done)
        claimed += batch.length
      }
      return claimed
    })
    filling = run.catch(() => {})
    return run
  }

  /**
   * Makes every attempt that is due now and waits for them (a retry it schedules waits for the next
   * run); returns how many deliveries it claimed (each attempted, unless stop() handed it back).
   */
  async function runOnce(): Promise<number> {
    const dueBy = now()
    let made = 0
    for (;;) {
      made += await fill(dueBy)
      if (!lanes.size) return made
      await Promise.race(lanes.values())
    }
  }

  /** Claims what is due now while there is room; a failure (the database gone) is reported, and the next poll tries again. */
  function topUp() {
    return fill(now()).catch((err: unknown) => {
      if (!options.availability?.report(err)) logger.error({ err }, 'webhook worker failed; trying again')
    })
  }

  // Each poll tops the lanes up and returns at once: a slow receiver never holds the next poll back.
  function schedule(ms: number) {
    if (stopped) return
    timer = setTimeout(() => {
      running = topUp().finally(() => schedule(pollMs))
    }, ms)
  }

  return {
    runOnce,
    /** Claims at once (a backlog left by a restart goes out without waiting a poll), then every `pollMs`. */
    start() {
      stopped = false
      schedule(0)
    },
    /**
     * Stops claiming and waits for the attempts under way; one whose receiver has not answered within
     * `graceMs` is cut short, and every delivery a lane has not sent is released.
     */
    async stop(graceMs = 2000) {
      stopped = true
      stopping = true
      clearTimeout(timer)
      let grace: NodeJS.Timeout | undefined
      // The claims in progress first (a refill's too): each adds its lanes to those under way.
      const all = async () => {
        await Promise.all([running, filling])
        await Promise.all(lanes.values())
      }
      await Promise.race([all(), new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))])
      clearTimeout(grace)
      shutdown.abort()
      await all()
    },
  }
}
