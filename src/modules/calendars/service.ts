import { DateTime } from 'luxon'
import type { Queryable, Tx } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { conflict, DomainError, notFound } from '../../domain/errors.js'
import type { PartyRole, VisitStatus } from '../../domain/vocabulary.js'
import { counsellorResource } from '../admin/index.js'
import { findRecord } from '../admin/index.js'
import { audit } from '../../db/audit.js'
import { KIND, ROLE, STATUS } from '../day-sheet/index.js'
import { counsellorNames, courtReferences, roomNames, siteNames } from '../day-sheet/index.js'
import { hashSecret } from '../../db/tokens.js'
import { newSecret } from '../tokens/index.js'
import { counsellorOfKey, keyOf, partyRoles, replaceKey, revokeKey, visitsBetween, type FeedVisitRow } from './queries.js'
import type { CalendarKeyCreated } from './schemas.js'

/**
 * A counsellor's calendar feed: the visits it supervises as an RFC 5545 calendar that Outlook,
 * Google or Apple Calendar subscribe to by URL. Calendar apps send no headers, so the feed is opened
 * by a key in its URL: a secret of its own (`bzc_…`), never an API token, kept only as its hash.
 * ical-generator and the zone definitions are loaded at the first feed asked for, not at start-up.
 */

/** A recognisable prefix, so a leaked key is told apart from an API token (`bzr_…`) by people and scanners. */
const KEY_PREFIX = 'bzc_'

/** The feed's window around now: recent visits stay visible for a while, and it stays small. */
export const FEED_DAYS_BACK = 30
export const FEED_DAYS_AHEAD = 180
/** A bound on the feed whatever happens in the window (a counsellor has a few visits a day). */
const MAX_EVENTS = 2000

/** Visits called off, or never real: calendars show them as cancelled (rather than dropping them) so a copy they hold is updated. */
const CANCELLED: VisitStatus[] = ['cancelled', 'entered-in-error']

const feedPath = (counsellorId: string, key: string) => `/v1/counsellors/${counsellorId}/calendar.ics?key=${encodeURIComponent(key)}`

/** The counsellor whose key is asked for, in the actor's scope; a counsellor token reaches only its own (any other: 404). */
async function counsellorFor(db: Queryable, actor: Actor, counsellorId: string) {
  if (actor.role === 'counsellor' && actor.counsellorId !== counsellorId) throw notFound('counsellor', counsellorId)
  return findRecord(db, actor, counsellorResource, counsellorId)
}

/** A new feed key for the counsellor, replacing any older one (which stops working at once); the key is returned once. */
export async function createCalendarKey(tx: Tx, actor: Actor, now: Date, counsellorId: string): Promise<CalendarKeyCreated> {
  const counsellor = await counsellorFor(tx, actor, counsellorId)
  if (!counsellor.active) throw conflict('counsellor-inactive', 'The counsellor is deactivated: a deactivated counsellor has no calendar feed.')
  const { secret, secretHash } = newSecret(KEY_PREFIX)
  const row = await replaceKey(tx, counsellorId, secretHash, now)
  await audit(tx, actor, { action: 'calendar_key.created', entityType: 'calendar_key', entityId: counsellorId })
  return { counsellorId, key: secret, url: feedPath(counsellorId, secret), createdAt: row.createdAt }
}

/** Revokes the counsellor's key: its feed answers 404 from now on. Revoking again returns the key as it is. */
export async function revokeCalendarKey(tx: Tx, actor: Actor, now: Date, counsellorId: string) {
  await counsellorFor(tx, actor, counsellorId)
  const revoked = await revokeKey(tx, counsellorId, now)
  if (revoked) {
    await audit(tx, actor, { action: 'calendar_key.revoked', entityType: 'calendar_key', entityId: counsellorId })
  }
  const row = revoked ?? (await keyOf(tx, counsellorId))
  if (!row) throw new DomainError('not_found', 'not-found', `Counsellor ${counsellorId} has no calendar key.`)
  return { counsellorId, createdAt: row.createdAt, revokedAt: row.revokedAt }
}

/** The same answer for an unknown counsellor, a missing key and a wrong, replaced or revoked one: a feed's URL reveals nothing else. */
const noFeed = () => new DomainError('not_found', 'not-found', 'No calendar feed at this address: its key is unknown, or has been replaced or revoked.')

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]))
const unique = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))]

/**
 * The feed of the counsellor the key opens: every visit it supervises that starts from
 * FEED_DAYS_BACK days before `now` to FEED_DAYS_AHEAD days after, in Dutch (the centres' language).
 */
export async function calendarFeed(db: Queryable, now: Date, counsellorId: string, key: string | undefined, requestId: string): Promise<string> {
  if (!key) throw noFeed()
  const counsellor = await counsellorOfKey(db, counsellorId, hashSecret(key))
  if (!counsellor) throw noFeed()
  // The feed reads as the counsellor would with its own token: the visits it supervises, in its centre.
  const actor: Actor = { tokenId: null, role: 'counsellor', centreId: counsellor.centreId, courtId: null, counsellorId: counsellor.id, requestId }
  const from = DateTime.fromJSDate(now).minus({ days: FEED_DAYS_BACK }).toJSDate()
  const to = DateTime.fromJSDate(now).plus({ days: FEED_DAYS_AHEAD }).toJSDate()
  const rows = await visitsBetween(db, actor, from, to, MAX_EVENTS)
  const [siteRows, roomRows, counsellorRows, roleRows, references] = await Promise.all([
    siteNames(db, actor, unique(rows.map((v) => v.siteId))),
    roomNames(db, actor, unique(rows.map((v) => v.roomId))),
    counsellorNames(db, actor, unique(rows.flatMap((v) => v.counsellorIds))),
    partyRoles(db, actor, unique(rows.flatMap((v) => v.partyIds))),
    courtReferences(db, actor, unique(rows.map((v) => v.caseId))),
  ])
  const names = {
    site: byId(siteRows),
    room: byId(roomRows),
    counsellor: byId(counsellorRows),
    role: new Map(roleRows.map((p) => [p.id, p.role])),
    // The roll number where the court gave one, else the centre's dossier number: never a piece of an id.
    reference: new Map(references.map((r) => [r.caseId, r.courtReference ?? r.dossierNumber])),
  }

  const [{ default: ical, ICalEventBusyStatus, ICalEventClass, ICalEventStatus, ICalEventTransparency }, { getVtimezoneComponent }] = await Promise.all([
    import('ical-generator'),
    import('@touch4it/ical-timezones'),
  ])
  const calendar = ical({
    name: `Bezoeken — ${counsellor.name}`,
    prodId: { company: 'Bezoekruimte', product: 'Kalender', language: 'NL' },
    // A VTIMEZONE for each zone the events name; no calendar zone, so DTSTAMP and the like stay in UTC.
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: 60 * 60,
  })
  for (const v of rows) {
    const cancelled = CANCELLED.includes(v.status)
    calendar.createEvent({
      id: v.id,
      // A visit's version goes up with every change and cancellation, so a subscribed calendar takes the new copy.
      sequence: v.version,
      stamp: v.updatedAt,
      created: v.createdAt,
      lastModified: v.updatedAt,
      timezone: v.timeZone,
      start: DateTime.fromJSDate(v.startsAt, { zone: v.timeZone }),
      end: DateTime.fromJSDate(v.endsAt, { zone: v.timeZone }),
      summary: `${capitalised(KIND[v.kind])} — dossier ${reference(v, names.reference)}`,
      location: location(v, names),
      description: description(v, names),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      busystatus: cancelled ? ICalEventBusyStatus.FREE : ICalEventBusyStatus.BUSY,
      transparency: cancelled ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      // A calendar shared with colleagues shows the slot as busy, not what it is.
      class: ICalEventClass.PRIVATE,
    })
  }
  return calendar.toString()
}

interface Names {
  site: Map<string, { name: string }>
  room: Map<string, { name: string }>
  counsellor: Map<string, { name: string }>
  role: Map<string, PartyRole>
  reference: Map<string, string | null>
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

// The court's roll number where there is one; otherwise the start of the case id, as the day sheet shows it.
const reference = (v: FeedVisitRow, references: Names['reference']) => references.get(v.caseId) ?? v.caseId.slice(0, 8)

function location(v: FeedVisitRow, names: Names): string {
  if (v.kind === 'outside_visit') return 'Buiten de bezoekruimte'
  return [v.siteId && names.site.get(v.siteId)?.name, v.roomId && names.room.get(v.roomId)?.name].filter(Boolean).join(', ')
}

/** The room, kind, case and who arrives and leaves when, by role: never a name, a contact detail or an address. */
function description(v: FeedVisitRow, names: Names): string {
  const clock = (instant: string) => DateTime.fromISO(instant).setZone(v.timeZone).toFormat('HH:mm')
  const room = v.roomId ? names.room.get(v.roomId)?.name : undefined
  const arrivals = [...v.arrivals]
    .sort((a, b) => Date.parse(a.arriveAt) - Date.parse(b.arriveAt))
    .flatMap((a) => {
      const role = names.role.get(a.partyId)
      return role ? [`- ${ROLE[role]}: komt ${clock(a.arriveAt)}, vertrekt ${clock(a.leaveAt)}`] : []
    })
  return [
    `${capitalised(KIND[v.kind])} (${STATUS[v.status]})`,
    `Dossier: ${reference(v, names.reference)}`,
    ...(room ? [`Lokaal: ${room}`] : []),
    `Begeleiding: ${v.counsellorIds.map((id) => names.counsellor.get(id)?.name ?? '').join(', ')}`,
    ...(arrivals.length ? ['Aankomst en vertrek (gespreid):', ...arrivals] : []),
  ].join('\n')
}
