import { and, asc, eq, gte, inArray, isNull, lt } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { calendarKeys, counsellors, parties, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { inCentre } from '../../db/scope.js'
import { visitScope } from '../scheduling/index.js'

/**
 * What the calendar feed reads and the key routes write. Like the day sheet, each lookup selects
 * only the columns the feed prints: no party name, birth date, contact detail or address is loaded.
 */

/**
 * The active counsellor a live key opens, or undefined. The key is found by its hash alone and the
 * counsellor in the URL compared afterwards, so an unknown counsellor and a wrong key cost the same
 * lookup and look the same: the time of an answer does not tell which counsellor ids exist.
 */
export async function counsellorOfKey(db: Queryable, counsellorId: string, keyHash: string) {
  const [row] = await db
    .select({ id: counsellors.id, centreId: counsellors.centreId, name: counsellors.name })
    .from(calendarKeys)
    .innerJoin(counsellors, eq(counsellors.id, calendarKeys.counsellorId))
    .where(and(eq(calendarKeys.keyHash, keyHash), isNull(calendarKeys.revokedAt), eq(counsellors.active, true)))
  return row?.id === counsellorId ? row : undefined
}

/** Stores a new key's hash in place of any older one, which stops working with this commit. */
export async function replaceKey(db: Queryable, counsellorId: string, keyHash: string, now: Date) {
  const [row] = await db
    .insert(calendarKeys)
    .values({ counsellorId, keyHash, createdAt: now })
    .onConflictDoUpdate({ target: calendarKeys.counsellorId, set: { keyHash, createdAt: now, revokedAt: null } })
    .returning()
  return row!
}

/** Revokes the counsellor's live key; undefined when it has none live. */
export async function revokeKey(db: Queryable, counsellorId: string, now: Date) {
  const [row] = await db
    .update(calendarKeys)
    .set({ revokedAt: now })
    .where(and(eq(calendarKeys.counsellorId, counsellorId), isNull(calendarKeys.revokedAt)))
    .returning()
  return row
}

export async function keyOf(db: Queryable, counsellorId: string) {
  const [row] = await db.select().from(calendarKeys).where(eq(calendarKeys.counsellorId, counsellorId))
  return row
}

/** The visits the actor (the feed's counsellor) supervises that start in [from, to), by start, at most `limit`. */
export function visitsBetween(db: Queryable, actor: Actor, from: Date, to: Date, limit: number) {
  return db
    .select({
      id: visits.id,
      caseId: visits.caseId,
      kind: visits.kind,
      status: visits.status,
      siteId: visits.siteId,
      roomId: visits.roomId,
      counsellorIds: visits.counsellorIds,
      partyIds: visits.partyIds,
      timeZone: visits.timeZone,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      arrivals: visits.arrivals,
      version: visits.version,
      createdAt: visits.createdAt,
      updatedAt: visits.updatedAt,
    })
    .from(visits)
    .where(and(visitScope(actor), gte(visits.startsAt, from), lt(visits.startsAt, to)))
    .orderBy(asc(visits.startsAt), asc(visits.id))
    .limit(limit)
}

export type FeedVisitRow = Awaited<ReturnType<typeof visitsBetween>>[number]

/** Roles only: the feed says who comes when by role, never by name. */
export const partyRoles = (db: Queryable, actor: Actor, ids: string[]) =>
  ids.length
    ? db
        .select({ id: parties.id, role: parties.role })
        .from(parties)
        .where(and(inArray(parties.id, ids), inCentre(parties.centreId, actor)))
    : []
