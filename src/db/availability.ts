// Whether the database answers, as this process sees it: an outage is logged once when it starts and once when it ends.
import type { Logger } from 'pino'

const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN'])
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end|Client has encountered a connection error|not queryable/i

/** The errors along an error's causes (drizzle wraps the driver's), outermost first. */
function* causes(error: unknown) {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    yield current as { code?: unknown; message?: unknown; cause?: unknown }
    current = (current as { cause?: unknown }).cause
  }
}

/**
 * An error that says the database cannot be reached or dropped the connection (SQLSTATE classes 08
 * connection, 57P operator intervention such as pg_terminate_backend or a shutdown, 53 resources;
 * a refused or broken socket), as opposed to one about the request.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of causes(error)) {
    if (typeof e.code === 'string' && (/^(08|57P|53)[0-9A-Z]{0,3}$/.test(e.code) || UNAVAILABLE_NETWORK_CODES.has(e.code))) return true
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true
  }
  return false
}

/** The innermost error's code and message: the driver's words, never drizzle's (its message lists the query's parameters). */
function reasonOf(error: unknown) {
  let last: { code?: unknown; message?: unknown } = {}
  for (const e of causes(error)) last = e
  return { code: typeof last.code === 'string' ? last.code : undefined, message: typeof last.message === 'string' ? last.message.slice(0, 200) : undefined }
}

/**
 * Shared by the HTTP app, the webhook worker and the retention job of one process. A failure that
 * says the database is unavailable is reported here instead of being logged where it happened: the
 * first one logs a warning and starts a probe that pings every `probeMs` until the database answers,
 * which logs that it is back. So an outage costs two log lines however many requests meet it.
 */
export class DatabaseAvailability {
  #down = false
  #probe: NodeJS.Timeout | undefined
  #stopped = false

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
    private readonly probeMs = 1000,
  ) {}

  get down() {
    return this.#down
  }

  /** Notes `error` when it says the database is unavailable, and says whether it did (the caller then logs nothing). */
  report(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false
    if (!this.#down) {
      this.#down = true
      this.logger.warn({ reason: reasonOf(error) }, 'database unavailable: answering 503 until it is back')
      this.#schedule()
    }
    return true
  }

  /**
   * The probe's ping answered. Only the probe says so: a query that succeeds on a connection another
   * request has not yet found dead would end an outage early, and the next failure start another.
   */
  up() {
    if (!this.#down) return
    this.#down = false
    clearTimeout(this.#probe)
    this.logger.info('database available again')
  }

  stop() {
    this.#stopped = true
    clearTimeout(this.#probe)
  }

  #schedule() {
    if (this.#stopped) return
    clearTimeout(this.#probe)
    this.#probe = setTimeout(() => {
      this.ping().then(
        () => this.up(),
        () => {
          if (this.#down) this.#schedule()
        },
      )
    }, this.probeMs)
    this.#probe.unref()
  }
}
