import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { isCourtToken, referrerCursor, referrerVisitFilters, renderReferrerVisits } from '../referrer-view/index.js'
import { visitCursor, visitScope, visitView, visitViewColumns, type VisitListQuery } from '../scheduling/index.js'
import { attendancesOf, correctionsOf, outcomeHistory } from './queries.js'
import { enteredInErrorView, visitDayView } from './views.js'

/** Reading visits: one in full or in the referrer view, and pages of them. */

/**
 * A visit in the actor's scope: for a centre in full with its version, who checked in and out, and
 * its outcome with every correction; for a court in the referrer view.
 */
export async function getVisit(db: Queryable, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(visits)
    .where(and(eq(visits.id, id), visitScope(actor)))
  if (!row) throw notFound('visit', id)
  if (isCourtToken(actor)) return { referrer: true as const, view: (await renderReferrerVisits(db, [row]))[0]! }
  const day = visitDayView(await attendancesOf(db, id), await correctionsOf(db, id), await outcomeHistory(db, id))
  return { referrer: false as const, version: row.version, view: { ...visitView(row), ...enteredInErrorView(row), ...day } }
}

/**
 * A page of the visits in the actor's scope, by start time; a court filters by whole days, case and
 * status only. `needsOutcome` is the counsellors' worklist: visits ended by `now` still booked or arrived.
 */
export async function listVisits(db: Queryable, actor: Actor, now: Date, q: VisitListQuery) {
  if (isCourtToken(actor)) {
    if (q.needsOutcome) throw invalidInput('query', '/needsOutcome', 'is not in the referrer view: a court token cannot filter by it')
    const rows = await db
      .select()
      .from(visits)
      .where(and(visitScope(actor), ...referrerVisitFilters(q)))
      .orderBy(asc(visits.startsAt), asc(visits.id))
      .limit(q.limit + 1)
    const items = rows.slice(0, q.limit)
    const nextCursor = rows.length > q.limit ? referrerCursor.encode(items[items.length - 1]!) : null
    return { referrer: true as const, page: { items: await renderReferrerVisits(db, items), nextCursor } }
  }
  const rows = await db
    .select(visitViewColumns)
    .from(visits)
    .where(
      and(
        visitScope(actor),
        q.cursor ? visitCursor.decode(q.cursor) : undefined,
        q.from ? gte(visits.startsAt, new Date(q.from)) : undefined,
        q.to ? lt(visits.startsAt, new Date(q.to)) : undefined,
        q.siteId ? eq(visits.siteId, q.siteId) : undefined,
        q.roomId ? eq(visits.roomId, q.roomId) : undefined,
        q.counsellorId ? sql`${q.counsellorId}::uuid = any(${visits.counsellorIds})` : undefined,
        q.caseId ? eq(visits.caseId, q.caseId) : undefined,
        q.status ? eq(visits.status, q.status) : undefined,
        // Begun before now as well (a visit ends after it starts): the index visits_awaiting_outcome reads only those.
        q.needsOutcome ? and(inArray(visits.status, ['booked', 'arrived']), lt(visits.startsAt, now), lte(visits.endsAt, now)) : undefined,
      ),
    )
    .orderBy(asc(visits.startsAt), asc(visits.id))
    .limit(q.limit + 1)
  const items = rows.slice(0, q.limit)
  const nextCursor = rows.length > q.limit ? visitCursor.encode(items[items.length - 1]!) : null
  return { referrer: false as const, page: { items: items.map((v) => visitView(v)), nextCursor } }
}
