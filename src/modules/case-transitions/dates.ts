import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Logger } from 'pino'
import type { Db, Tx } from '../../db/client.js'
import { cases, sites, suspensions } from '../../db/schema.js'
import { audit } from '../../db/audit.js'
import { systemActor } from '../../domain/actor.js'
import { dueSuspensionChange } from '../../domain/suspension-dates.js'
import { DEFAULT_TIME_ZONE, MINUTE_MS, localDate } from '../../domain/time.js'
import { addEvent, caseTimeZone, type CaseRow } from '../cases/index.js'
import { issueReport } from '../reports/index.js'

/**
 * A suspension's dates drive its case's status (src/domain/suspension-dates.ts). Reads compute the
 * status from the dates; this applies it to the stored status, with the events and the report it
 * calls for: at `from` the case becomes suspended, at `until` it is active again and the referrer
 * gets a resumption report. It runs in every API process (at start and every minute) and at the
 * start of every case transition, always on a case row locked FOR UPDATE, the lock every
 * transition and booking of the case takes first.
 */

/**
 * Brings a locked case's stored status to what its suspension's dates say on the case's local day
 * at `now`. Idempotent: what it did closes the suspension (or changes the status it reads), so a
 * second call finds nothing due. Returns the case as it is after.
 */
export async function applyDatesToCase(tx: Tx, caseRow: CaseRow, now: Date): Promise<CaseRow> {
  if (caseRow.status !== 'active' && caseRow.status !== 'suspended') return caseRow
  const rows = await tx.select().from(suspensions).where(eq(suspensions.caseId, caseRow.id)).orderBy(asc(suspensions.id))
  const due = dueSuspensionChange(caseRow.status, rows, localDate(now, await caseTimeZone(tx, caseRow)))
  if (!due) return caseRow
  const s = due.suspension
  const entity = { entityType: 'case', entityId: caseRow.id, centreId: caseRow.centreId, courtId: caseRow.courtId }
  const setStatus = async (status: CaseRow['status']) => (await tx.update(cases).set({ status }).where(eq(cases.id, caseRow.id)).returning())[0]!

  if (due.change === 'not_begun') {
    // Stored suspended ahead of its `from` (before suspensions followed their dates): active until then.
    await audit(tx, systemActor, { action: 'case.suspension_not_begun', ...entity })
    return setStatus('active')
  }
  if (due.change === 'begin') {
    const updated = await setStatus('suspended')
    // The decision and its report were made when the suspension was decided; this marks the day it took effect.
    await addEvent(tx, systemActor, now, caseRow.id, { type: 'suspension_began', data: { suspensionId: s.id, from: s.fromDate, until: s.untilDate } })
    await audit(tx, systemActor, { action: 'case.suspension_began', ...entity })
    return updated
  }
  // Run out: the suspension is closed at `until` and the referrer is told contacts may take place again.
  await tx.update(suspensions).set({ resumedAt: now }).where(eq(suspensions.id, s.id))
  const updated = await setStatus('active')
  const event = await addEvent(tx, systemActor, now, caseRow.id, {
    type: 'resumed',
    data: { suspensionId: s.id, suspensionIds: [s.id], from: s.fromDate, until: s.untilDate, ranOut: true },
  })
  await audit(tx, systemActor, { action: 'case.resumed', ...entity })
  await issueReport(tx, systemActor, now, { kind: 'resumption', caseId: caseRow.id, caseEventId: event.id })
  return updated
}

/**
 * The running cases whose open suspension's dates call for a change on their site's day at `now`:
 * begun while stored active, not begun while stored suspended, or run out. A narrowing only: each
 * is judged again by applyDatesToCase under its lock.
 */
async function dueCases(db: Db, now: Date): Promise<string[]> {
  const today = sql`to_char(${now.toISOString()}::timestamptz at time zone coalesce(${sites.timeZone}, ${DEFAULT_TIME_ZONE}), 'YYYY-MM-DD')`
  const rows = await db
    .selectDistinct({ id: cases.id })
    .from(suspensions)
    .innerJoin(cases, eq(cases.id, suspensions.caseId))
    .leftJoin(sites, eq(sites.id, cases.siteId))
    .where(
      and(
        isNull(suspensions.resumedAt),
        inArray(cases.status, ['active', 'suspended']),
        or(
          sql`${suspensions.untilDate} <= ${today}`,
          and(eq(cases.status, 'active'), sql`${suspensions.fromDate} <= ${today}`),
          and(eq(cases.status, 'suspended'), sql`${suspensions.fromDate} > ${today}`),
        ),
      ),
    )
    .orderBy(cases.id)
  return rows.map((r) => r.id)
}

/**
 * Applies the dates to every case they make a change due for; returns the ids of the cases this
 * run changed. Each case in its own transaction, its row claimed FOR UPDATE SKIP LOCKED: a case a
 * request or another process holds is left to it (every transition applies the dates first) or to
 * the next run, so any number of processes run this at once and each change is made once.
 */
export async function applySuspensionDates(db: Db, now: Date, stopping: () => boolean = () => false): Promise<string[]> {
  const changed: string[] = []
  for (const caseId of await dueCases(db, now)) {
    if (stopping()) break
    const done = await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(cases)
        .where(and(eq(cases.id, caseId), inArray(cases.status, ['active', 'suspended'])))
        .for('update', { skipLocked: true })
      return row !== undefined && (await applyDatesToCase(tx, row, now)) !== row
    })
    if (done) changed.push(caseId)
  }
  return changed
}

/**
 * Runs applySuspensionDates at start and then every `intervalMs` (a minute), like the retention
 * job: `stop` clears the timer and waits for a run under way. A database outage is reported once
 * through `availability` (one warning down, one line up), not logged on every run.
 */
export function suspensionDatesJob(options: {
  db: Db
  logger: Pick<Logger, 'info' | 'error'>
  /** The clock the dates are judged on (tests drive it). */
  now?: () => Date
  intervalMs?: number
  availability?: { report(error: unknown): boolean }
}) {
  const { db, logger, now = () => new Date(), intervalMs = MINUTE_MS } = options
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = true
  // Set by stop() only: a run made by hand (runOnce, in tests) goes through every due case.
  let stopping = false

  async function runOnce(): Promise<string[]> {
    try {
      const changed = await applySuspensionDates(db, now(), () => stopping)
      if (changed.length) logger.info({ cases: changed.length }, 'suspension dates applied')
      return changed
    } catch (err) {
      if (!options.availability?.report(err)) logger.error({ err }, 'applying suspension dates failed; it is tried again at the next run')
      return []
    }
  }
  function schedule() {
    if (stopped) return
    timer = setTimeout(() => {
      running = runOnce().then(schedule)
    }, intervalMs)
    timer.unref()
  }
  return {
    runOnce,
    start() {
      stopped = false
      stopping = false
      running = runOnce().then(schedule)
    },
    async stop() {
      stopped = true
      stopping = true
      clearTimeout(timer)
      await running
    },
  }
}
