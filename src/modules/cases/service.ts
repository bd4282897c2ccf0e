import { and, asc, eq, exists, gt, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Queryable, Tx } from '../../db/client.js'
import { caseEvents, cases, referrals, suspensions } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, invalidInput } from '../../domain/errors.js'
import { windowDays } from '../../domain/trajectory.js'
import { afterCursor, toPage } from '../../db/pagination.js'
import type { PageQuery } from '../../http/pagination.js'
import { seesReferrerView } from '../referrer-view/index.js'
import { audit } from '../../db/audit.js'
import { caseScope, findCase, hearingSoonWithoutReport, loadReadiness, lockCase, qualified, referralsWithReportDue } from './queries.js'
import { REFERRER_EVENT_TYPES, type CaseQuery, type FeeBody } from './schemas.js'
import { caseSummaries, evaluationsDue, renderCase, renderEvents, renderFullCase, withEffectiveStatus } from './views.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'

/**
 * Cases as the centre and the referrer read them, and the state changes of a case. Reads return
 * whether the caller gets the referrer's view, so the route answers with that view's schema.
 */

/**
 * Cases in the actor's scope, filtered; `endingWithin` lists the running cases whose planned end
 * falls between today and that many days on (in Belgium), so staff plan the last evaluations.
 *
 * `status` filters by the status shown, the one the suspensions' dates give at `now` (as every view
 * shows it), not the stored one, which the suspension job may bring in line up to a minute later:
 * a list filtered by status never holds a case showing another. SQL narrows to the candidates
 * (for a running status, every running case whose stored status differs only while it has an open
 * suspension), the domain rule decides, and pages are filled batch by batch along the id keyset.
 */
export async function listCases(db: Queryable, actor: Actor, now: Date, query: CaseQuery) {
  const today = DateTime.fromJSDate(now, { zone: DEFAULT_TIME_ZONE })
  const referrerView = seesReferrerView(actor)
  const evaluationWindow = query.evaluationDueWithin
  if (evaluationWindow && referrerView) throw invalidInput('query', '/evaluationDueWithin', "is a centre's planning: a referrer's token cannot filter by it")
  const running = query.status === 'active' || query.status === 'suspended'
  const filters = and(
    caseScope(actor),
    query.status && !running ? eq(cases.status, query.status) : undefined,
    running
      ? and(
          inArray(cases.status, ['active', 'suspended']),
          or(
            eq(cases.status, query.status!),
            exists(
              db
                .select({ one: sql`1` })
                .from(suspensions)
                .where(and(eq(suspensions.caseId, cases.id), isNull(suspensions.resumedAt))),
            ),
          ),
        )
      : undefined,
    query.counsellorId ? eq(cases.leadCounsellorId, query.counsellorId) : undefined,
    query.siteId ? eq(cases.siteId, query.siteId) : undefined,
    query.endingWithin
      ? and(
          inArray(cases.status, ['active', 'suspended']),
          gte(cases.plannedEndDate, today.toISODate()!),
          lte(cases.plannedEndDate, today.plus({ days: windowDays(query.endingWithin) }).toISODate()!),
        )
      : undefined,
    evaluationWindow ? inArray(cases.status, ['active', 'suspended']) : undefined,
    // An array of the open requests' referrals, made once, then each case found by its referral (its
    // unique index): as `in (…)` the planner joined the requests with a scan of every case of the centre.
    query.reportDue ? sql`${qualified('cases', 'referral_id')} = any(array${referralsWithReportDue})` : undefined,
    query.hearingWithin
      ? hearingSoonWithoutReport(qualified('cases', 'referral_id'), today.toISODate()!, today.plus({ days: windowDays(query.hearingWithin) }).toISODate()!)
      : undefined,
  )
  // Two filters are judged per case after SQL: the status the dates give, and the evaluation's due day.
  const dueBy = evaluationWindow && today.plus({ days: windowDays(evaluationWindow) }).toISODate()!
  const perCase = running || Boolean(dueBy)
  const keep = async (rows: (typeof cases.$inferSelect)[]) => {
    let kept = rows
    if (running) {
      const shown = await withEffectiveStatus(db, kept, now)
      kept = kept.filter((_, i) => shown[i]!.status === query.status)
    }
    if (dueBy) {
      const due = await evaluationsDue(db, kept)
      kept = kept.filter((row) => (due.get(row.id) ?? '9999-12-31') <= dueBy)
    }
    return kept
  }
  const matched: (typeof cases.$inferSelect)[] = []
  let after = query.cursor === undefined ? undefined : afterCursor(cases.id, query.cursor)
  for (;;) {
    const rows = await db
      .select()
      .from(cases)
      .where(and(filters, after))
      .orderBy(asc(cases.id))
      .limit(query.limit + 1)
    matched.push(...(perCase ? await keep(rows) : rows))
    if (!perCase || matched.length > query.limit || rows.length <= query.limit) break
    after = gt(cases.id, rows.at(-1)!.id)
  }
  const page = toPage(matched, query.limit)
  return { referrerView, page: { items: await caseSummaries(db, page.items, referrerView, now), nextCursor: page.nextCursor } }
}

export async function getCase(db: Queryable, actor: Actor, now: Date, id: string) {
  const row = await findCase(db, actor, id)
  const referrerView = seesReferrerView(actor)
  const view = await renderCase(db, row, referrerView, now)
  // The full view shows the parties' contact details and intake summaries: who read them is kept.
  if (!referrerView) await audit(db, actor, { action: 'case.read', entityType: 'case', entityId: row.id, centreId: row.centreId })
  return { referrerView, view }
}

/** What is missing before contact, judged on the documents in force at `now`. */
export async function getReadiness(db: Queryable, actor: Actor, now: Date, id: string) {
  const row = await findCase(db, actor, id)
  return loadReadiness(db, row, { at: now })
}

/** The case's history, oldest first; a referrer sees the transitions only. */
export async function listCaseEvents(db: Queryable, actor: Actor, id: string, query: PageQuery) {
  const row = await findCase(db, actor, id)
  const referrerView = seesReferrerView(actor)
  const rows = await db
    .select()
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.caseId, row.id),
        referrerView ? inArray(caseEvents.type, [...REFERRER_EVENT_TYPES]) : undefined,
        afterCursor(caseEvents.id, query.cursor),
      ),
    )
    .orderBy(asc(caseEvents.id))
    .limit(query.limit + 1)
  const page = toPage(rows, query.limit)
  return { referrerView, page: { items: await renderEvents(db, row.centreId, page.items, referrerView), nextCursor: page.nextCursor } }
}

/**
 * An admin sets the case's fee with a reason: exempt, or the contribution a voluntary case pays per
 * visit; a court-ordered case stays exempt (no fee in a mandatory legal framework). The reason is
 * audited with the act; PostgreSQL refuses a contribution on an exempt case.
 */
export async function setFee(tx: Tx, actor: Actor, now: Date, id: string, body: FeeBody) {
  if (body.exempt && body.contributionPerVisitCents !== undefined) {
    throw invalidInput('body', '/contributionPerVisitCents', 'an exempt case pays no contribution: leave it out, or set exempt to false')
  }
  const caseRow = await lockCase(tx, actor, id)
  const [referral] = await tx.select({ legalFramework: referrals.legalFramework }).from(referrals).where(eq(referrals.id, caseRow.referralId))
  if (!body.exempt && referral?.legalFramework === 'court_ordered') {
    throw conflict('fee-in-mandatory-framework', 'A court-ordered case pays no contribution: it stays exempt.', { legalFramework: 'court_ordered' })
  }
  const [updated] = await tx
    .update(cases)
    .set({ feeExempt: body.exempt, feeReason: body.reason, contributionPerVisitCents: body.contributionPerVisitCents ?? null, updatedAt: now })
    .where(eq(cases.id, caseRow.id))
    .returning()
  await audit(tx, actor, { action: 'case.fee_changed', entityType: 'case', entityId: caseRow.id, centreId: caseRow.centreId, reason: body.reason })
  return renderFullCase(tx, updated!, now)
}
