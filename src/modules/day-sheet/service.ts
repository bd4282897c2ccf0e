import { DateTime } from 'luxon'
import type { Queryable } from '../../db/client.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput, notFound } from '../../domain/errors.js'
import { PARTY_ROLES } from '../../domain/vocabulary.js'
import { isoUtc } from '../../domain/time.js'
import { counsellorNames, courtReferences, pairsKeptApart, partyFirstNames, roomNames, siteInScope, visitsStarting } from './queries.js'
import { pairsPresent } from '../../domain/safety.js'
import { centreSettings } from '../admin/index.js'
import type { DaySheet } from './schemas.js'
import { SHEET_WORDS } from './wording.js'

/** The day sheet: what a site's front desk prints in the morning — who comes when, to which room, with whom. */

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]))
const unique = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))]

/**
 * Every visit of the site that starts on `date` in the site's time zone (a day of 23 or 25 hours
 * around a DST change included), in time order. A counsellor gets only the visits it supervises.
 * `now` dates the sheet, so a printed copy shows how fresh it is.
 */
export async function daySheet(db: Queryable, actor: Actor, now: Date, input: { siteId: string; date: string }): Promise<DaySheet> {
  const site = await siteInScope(db, actor, input.siteId)
  if (!site) throw notFound('site', input.siteId)
  const from = DateTime.fromISO(input.date, { zone: site.timeZone }).startOf('day')
  // The schema checked the format; years a timestamptz cannot hold are refused here rather than by the database.
  if (!from.isValid || from.year < 1900) throw invalidInput('query', '/date', 'must be a day from 1900-01-01 on')
  const to = from.plus({ days: 1 })

  const rows = await visitsStarting(db, actor, site.id, from.toJSDate(), to.toJSDate())
  const [roomRows, counsellorRows, partyRows, references, keptApart] = await Promise.all([
    roomNames(db, actor, unique(rows.map((v) => v.roomId))),
    counsellorNames(db, actor, unique(rows.flatMap((v) => v.counsellorIds))),
    partyFirstNames(db, actor, unique(rows.flatMap((v) => v.partyIds))),
    courtReferences(db, actor, unique(rows.map((v) => v.caseId))),
    pairsKeptApart(db, actor, unique(rows.map((v) => v.caseId))),
  ])
  const pairsOf = new Map(keptApart.map((k) => [k.caseId, k.mustNotMeet]))
  const roomOf = byId(roomRows)
  const counsellorOf = byId(counsellorRows)
  const partyOf = byId(partyRows)
  const referenceOf = new Map(references.map((r) => [r.caseId, r]))
  const { language } = await centreSettings(db, site.centreId)
  const at = (instant: string | Date) => isoUtc(new Date(instant))

  return {
    site: { id: site.id, name: site.name, timeZone: site.timeZone },
    language,
    title: SHEET_WORDS.title[language],
    date: from.toISODate(),
    generatedAt: at(now),
    visits: rows.map((v) => {
      const arrivalOf = new Map(v.arrivals.map((a) => [a.partyId, a]))
      const people = v.partyIds
        .flatMap((id) => {
          const party = partyOf.get(id)
          if (!party) return []
          const arrival = arrivalOf.get(id)
          return [
            {
              partyId: id,
              role: party.role,
              givenName: party.givenName,
              arriveAt: arrival ? at(arrival.arriveAt) : null,
              leaveAt: arrival ? at(arrival.leaveAt) : null,
            },
          ]
        })
        // Who comes first is listed first; those without an arrival of their own (children) last.
        .sort((a, b) => rank(a) - rank(b) || PARTY_ROLES.indexOf(a.role) - PARTY_ROLES.indexOf(b.role))
      const room = v.roomId ? roomOf.get(v.roomId) : undefined
      return {
        id: v.id,
        start: at(v.startsAt),
        end: at(v.endsAt),
        kind: v.kind,
        status: v.status,
        room: room ? { id: room.id, name: room.name } : null,
        counsellors: v.counsellorIds.map((id) => ({ id, name: counsellorOf.get(id)?.name ?? '' })),
        caseId: v.caseId,
        dossierNumber: referenceOf.get(v.caseId)?.dossierNumber ?? '',
        courtReference: referenceOf.get(v.caseId)?.courtReference ?? null,
        parties: people,
        mustNotMeet: pairsPresent(pairsOf.get(v.caseId) ?? [], v.partyIds).length > 0,
        purpose: v.purpose,
        location: v.location,
        interpreter: v.interpreter,
      }
    }),
  }
}

const rank = (p: { arriveAt: string | null }) => (p.arriveAt ? Date.parse(p.arriveAt) : Number.MAX_SAFE_INTEGER)
