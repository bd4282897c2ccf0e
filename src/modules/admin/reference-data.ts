import { and, eq } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { isZoneName } from '../../domain/time.js'
import { counsellors, courts, rooms, sites } from '../../db/schema.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { inCentre, inCourt } from '../../db/scope.js'
import type { ReferenceResource } from './resource.js'

/** The reference data a centre keeps (sites, rooms, counsellors) and the courts the operator keeps: scopes and checks. */

const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

function checkWeeklyHours(field: string, hours: Record<string, { from: string; to: string }[] | undefined> | undefined) {
  for (const [day, intervals] of Object.entries(hours ?? {})) {
    intervals?.forEach((interval, i) => {
      if (interval.from >= interval.to) throw invalidField(`/${field}/${day}/${i}`, `must end after it starts (${interval.from}–${interval.to})`)
    })
  }
}

export const siteResource: ReferenceResource<typeof sites> = {
  entityType: 'site',
  noun: 'site',
  table: sites,
  scope: (actor) => inCentre(sites.centreId, actor),
  async prepare(_db, actor, values, existing) {
    if (values.timeZone !== undefined && !isZoneName(values.timeZone as string)) {
      throw invalidField('/timeZone', `must be an IANA time zone such as Europe/Brussels, not "${values.timeZone as string}"`)
    }
    checkWeeklyHours('openingHours', values.openingHours as never)
    ;(values.closures as { from: string; to: string }[] | undefined)?.forEach((c, i) => {
      if (!DateTime.fromISO(c.from).isValid || !DateTime.fromISO(c.to).isValid) throw invalidField(`/closures/${i}`, 'has an impossible date')
      if (c.from > c.to) throw invalidField(`/closures/${i}`, `must end on or after it starts (${c.from}–${c.to})`)
    })
    return existing ? values : { ...values, centreId: actor.centreId }
  },
}

export const roomResource: ReferenceResource<typeof rooms> = {
  entityType: 'room',
  noun: 'room',
  table: rooms,
  scope: (actor) => inCentre(rooms.centreId, actor),
  filter: (q) => [q.siteId ? eq(rooms.siteId, q.siteId as string) : undefined],
  async prepare(db, actor, values, existing) {
    if (existing) return values
    const [site] = await db
      .select({ id: sites.id, active: sites.active })
      .from(sites)
      .where(and(eq(sites.id, values.siteId as string), inCentre(sites.centreId, actor)))
    if (!site) throw notFound('site', values.siteId as string)
    if (!site.active) throw invalidField('/siteId', 'is a deactivated site')
    return { ...values, centreId: actor.centreId }
  },
}

export const counsellorResource: ReferenceResource<typeof counsellors> = {
  entityType: 'counsellor',
  noun: 'counsellor',
  table: counsellors,
  scope: (actor) => inCentre(counsellors.centreId, actor),
  async prepare(_db, actor, values, existing) {
    checkWeeklyHours('workingHours', values.workingHours as never)
    return existing ? values : { ...values, centreId: actor.centreId }
  },
}

/**
 * Courts are a shared registry that the operator keeps: every centre refers families from them, so
 * no centre may rename or deactivate one for the others. A centre sees them all; a clerk their own.
 */
export const courtResource: ReferenceResource<typeof courts> = {
  entityType: 'court',
  noun: 'court',
  table: courts,
  scope: (actor) => (actor.centreId || actor.role === 'operator' || actor.role === 'system' ? undefined : inCourt(courts.id, actor)),
  auditScope: (row) => ({ courtId: row.id }),
}
