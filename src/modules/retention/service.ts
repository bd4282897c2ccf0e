import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import type { Logger } from 'pino'
import type { Db } from '../../db/client.js'
import {
  agreements,
  attachments,
  caseEvents,
  cases,
  centres,
  concernObservations,
  concernSteps,
  concerns,
  consultations,
  courtMessages,
  idempotencyKeys,
  intakes,
  parties,
  referralTransfers,
  referrals,
  reports,
  safetyProfiles,
  suspensions,
  visitAttendances,
  visitAttendanceCorrections,
  visitObservations,
  visitOutcomes,
  visits,
} from '../../db/schema.js'
import { systemActor } from '../../domain/actor.js'
import { DEFAULT_CENTRE_SETTINGS } from '../../domain/centre-settings.js'
import { audit } from '../../db/audit.js'
import { DAY_MS, MINUTE_MS } from '../../domain/time.js'

/**
 * Retention: once a case has been ended for longer than its centre's `retentionYears`, the people
 * of the case are pseudonymised and every free text written about them is removed, while the coded
 * facts the statistics count (statuses, reason codes, dates, kinds, roles, visits and outcomes) stay.
 * Observations are deleted whole: they are nothing but free text. Concerns lose their texts. An outcome's explanation is set
 * to NULL, the one UPDATE its append-only trigger lets through (migrations/0019_retention.sql).
 */

/** A stable stand-in for a family name: the random tail of the party's id, so it is the same on every run. */
export const pseudonym = (partyId: string) => `Party ${partyId.slice(-8)}`

/** Ended cases of every centre whose retention period is over at `now` and that are not pseudonymised yet. */
async function due(db: Db, now: Date) {
  const years = sql`coalesce((${centres.settings}->>'retentionYears')::int, ${DEFAULT_CENTRE_SETTINGS.retentionYears})`
  const cutoff = sql`(${now.toISOString()}::timestamptz - make_interval(years => ${years}))`
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .innerJoin(centres, eq(centres.id, cases.centreId))
    .where(
      and(
        isNull(cases.pseudonymisedAt),
        isNotNull(cases.endedAt),
        sql`${cases.endedAt} < ${cutoff}`,
        // An ending recorded ahead of its effective date counts from the later of the two.
        sql`(${cases.endEffectiveDate} is null or ${cases.endEffectiveDate}::date < ${cutoff}::date)`,
      ),
    )
    .orderBy(cases.id)
  return rows.map((r) => r.id)
}

/**
 * Pseudonymises one case in its own transaction. The case row is locked with SKIP LOCKED and read
 * again: a case another process is pseudonymising, or has just done, is skipped, so two runs at once
 * each do a share and every case is done (and audited) once.
 */
async function pseudonymiseCase(db: Db, now: Date, caseId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.id, caseId), isNull(cases.pseudonymisedAt)))
      .for('update', { skipLocked: true })
    if (!row) return false

    const partyRows = await tx.select({ id: parties.id, birthDate: parties.birthDate }).from(parties).where(eq(parties.referralId, row.referralId))
    for (const party of partyRows) {
      await tx
        .update(parties)
        .set({
          givenName: null,
          familyName: pseudonym(party.id),
          // The year alone keeps ages countable.
          birthDate: party.birthDate ? `${party.birthDate.slice(0, 4)}-01-01` : null,
          contact: {},
          confidentialAddress: false,
          // The national number names the person. The person key stays, with the gender and the postcode
          // (a municipality): a pseudonym that keeps the statistics of past periods as they were.
          nationalNumber: null,
        })
        .where(eq(parties.id, party.id))
    }

    await tx
      .update(referrals)
      .set({
        reason: '',
        requested: sql`${referrals.requested} - 'notes'`,
        statusExplanation: null,
        statusCourtNote: null,
        missingItems: null,
        // The court's roll number points to the family's court file.
        courtReference: null,
      })
      .where(eq(referrals.id, row.referralId))
    await tx.update(referralTransfers).set({ explanation: null }).where(eq(referralTransfers.referralId, row.referralId))
    // The stored answer of the referral's creation repeats the parties' names and contact.
    await tx.delete(idempotencyKeys).where(sql`${idempotencyKeys.response}->>'id' = ${row.referralId}`)

    await tx.update(intakes).set({ summary: null }).where(eq(intakes.caseId, row.id))
    await tx
      .update(caseEvents)
      .set({ explanation: null, courtNote: null, data: sql`${caseEvents.data} - 'exceptionalReason'` })
      .where(eq(caseEvents.caseId, row.id))
    // The column is NOT NULL: an empty text says the explanation was removed.
    await tx.update(suspensions).set({ explanation: '', courtNote: null }).where(eq(suspensions.caseId, row.id))
    await tx
      .update(agreements)
      .set({
        conditions: [],
        // The relation stays (who may bring the child, as a kind); the name goes.
        authorisedVisitors: sql`coalesce((select jsonb_agg(jsonb_set(v, '{name}', '"X"')) from jsonb_array_elements(${agreements.authorisedVisitors}) v), '[]'::jsonb)`,
      })
      .where(eq(agreements.caseId, row.id))

    const visitIds = tx.select({ id: visits.id }).from(visits).where(eq(visits.caseId, row.id))
    await tx
      .update(visits)
      .set({ cancelExplanation: null })
      .where(and(eq(visits.caseId, row.id), isNotNull(visits.cancelExplanation)))
    // An outside visit's place and an interpreter's name go; the interpreted language stays for the statistics.
    await tx
      .update(visits)
      .set({
        location: sql`case when ${visits.location} is null then null else '{"description": "X"}'::jsonb end`,
        interpreter: sql`case when ${visits.interpreter} is null then null else jsonb_set(${visits.interpreter}, '{name}', '"X"') end`,
      })
      .where(and(eq(visits.caseId, row.id), or(isNotNull(visits.location), isNotNull(visits.interpreter))))
    await tx.delete(safetyProfiles).where(eq(safetyProfiles.caseId, row.id))
    await tx
      .update(visits)
      .set({ enteredInErrorReason: null })
      .where(and(eq(visits.caseId, row.id), isNotNull(visits.enteredInErrorReason)))
    await tx
      .update(visitAttendances)
      .set({ broughtByVisitor: 'X' })
      .where(and(inArray(visitAttendances.visitId, visitIds), isNotNull(visitAttendances.broughtByVisitor)))
    await tx
      .update(visitAttendances)
      .set({ pickedUpByVisitor: 'X' })
      .where(and(inArray(visitAttendances.visitId, visitIds), isNotNull(visitAttendances.pickedUpByVisitor)))
    // Corrections keep visitors' names and a reason in words: deleted whole, like observations.
    await tx.delete(visitAttendanceCorrections).where(inArray(visitAttendanceCorrections.visitId, visitIds))
    await tx
      .update(visitOutcomes)
      .set({ explanation: null })
      .where(and(inArray(visitOutcomes.visitId, visitIds), isNotNull(visitOutcomes.explanation)))
    // Concerns keep their coded facts (status, steps, dates) and lose their words; their links to the
    // observations go first (the observations are deleted), and so does the stored answer of their creation.
    const concernIds = tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.caseId, row.id))
    await tx.delete(concernObservations).where(inArray(concernObservations.concernId, concernIds))
    await tx.update(concernSteps).set({ note: null, authorName: null }).where(inArray(concernSteps.concernId, concernIds))
    await tx
      .update(concerns)
      .set({ summary: '', closeNote: null, outcome: sql`case when ${concerns.outcome} is null then null else '' end` })
      .where(eq(concerns.caseId, row.id))
    await tx
      .delete(idempotencyKeys)
      .where(sql`${idempotencyKeys.response}->>'id' in (select ${concerns.id}::text from ${concerns} where ${concerns.caseId} = ${row.id})`)
    await tx.delete(visitObservations).where(eq(visitObservations.caseId, row.id))
    await tx
      .delete(idempotencyKeys)
      .where(sql`${idempotencyKeys.response}->>'id' in (select ${consultations.id}::text from ${consultations} where ${consultations.caseId} = ${row.id})`)
    await tx.delete(consultations).where(eq(consultations.caseId, row.id))
    // Reports quote court notes and reportable observations. The court keeps the copy it was sent;
    // the centre's goes with the rest of the free text (one statement, so corrections go with the
    // reports they supersede). The feed only ever moves forward, so no reader misses anything.
    await tx.delete(reports).where(eq(reports.referralId, row.referralId))
    // The court channel's words and documents go too.
    await tx.delete(courtMessages).where(eq(courtMessages.referralId, row.referralId))
    await tx.delete(attachments).where(eq(attachments.referralId, row.referralId))

    await tx.update(cases).set({ pseudonymisedAt: now }).where(eq(cases.id, row.id))
    await audit(tx, systemActor, { action: 'case.pseudonymised', entityType: 'case', entityId: row.id, centreId: row.centreId })
    return true
  })
}

/** Pseudonymises every case whose retention period is over at `now`; returns the ids of those this run did. */
export async function applyRetention(db: Db, now: Date, stopping: () => boolean = () => false): Promise<string[]> {
  const done: string[] = []
  for (const caseId of await due(db, now)) {
    if (stopping()) break // the rest wait for the next run
    if (await pseudonymiseCase(db, now, caseId)) done.push(caseId)
  }
  return done
}

/** Forgets the Idempotency-Keys used before `before`: their time is over, and a replay would act anew anyway. */
export async function forgetIdempotencyKeys(db: Db, before: Date): Promise<number> {
  const gone = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, before)).returning({ key: idempotencyKeys.key })
  return gone.length
}

/** Runs retention at start and then every `intervalMs` (a day); `stop` clears the timer and waits for a run under way. */
export function retentionJob(options: {
  db: Db
  logger: Pick<Logger, 'info' | 'error'>
  now?: () => Date
  intervalMs?: number
  /** Where a database outage is reported (once); the run is then tried again after `retryMs`, not a day later. */
  availability?: { report(error: unknown): boolean }
  retryMs?: number
  /** How long an Idempotency-Key is kept (IDEMPOTENCY_KEY_HOURS); each run forgets the older ones. */
  idempotencyKeyMs?: number
}) {
  const { db, logger, now = () => new Date(), intervalMs = DAY_MS, retryMs = MINUTE_MS, idempotencyKeyMs = DAY_MS } = options
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = true

  /** Returns the wait before the next run. */
  async function runOnce(): Promise<number> {
    try {
      const at = now()
      await forgetIdempotencyKeys(db, new Date(at.getTime() - idempotencyKeyMs))
      const done = await applyRetention(db, at, () => stopped)
      if (done.length) logger.info({ cases: done.length }, 'retention: cases pseudonymised')
    } catch (err) {
      if (options.availability?.report(err)) return retryMs
      logger.error({ err }, 'retention run failed; it is tried again at the next run')
    }
    return intervalMs
  }
  function schedule(waitMs: number) {
    if (stopped) return
    timer = setTimeout(() => {
      running = runOnce().then(schedule)
    }, waitMs)
    timer.unref()
  }
  return {
    start() {
      stopped = false
      running = runOnce().then(schedule)
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
