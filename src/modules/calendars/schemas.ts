import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Instant, Nullable, Uuid } from '../../http/schemas.js'

/** A counsellor's calendar feed: the key that opens it, and the feed itself (RFC 5545). */

const COUNSELLOR = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13'
const KEY = 'bzc_Wq3uQhR0mYH8a1pC7e9xL2kT5sVdN4bJ6fGzE0rUoIw'

export const CalendarKeyCreated = Type.Object(
  {
    counsellorId: Uuid,
    key: Type.String({ description: 'The feed key, shown this once; only its hash is kept', examples: [KEY] }),
    url: Type.String({
      description:
        "The feed's path and query, relative to this installation's address (prefix it with the address your calendar app reaches the service at). " +
        'Whoever has it reads the counsellor’s schedule: share it with no one.',
      examples: [`/v1/counsellors/${COUNSELLOR}/calendar.ics?key=${KEY}`],
    }),
    createdAt: Instant,
  },
  { examples: [{ counsellorId: COUNSELLOR, key: KEY, url: `/v1/counsellors/${COUNSELLOR}/calendar.ics?key=${KEY}`, createdAt: '2026-03-02T09:15:00.000Z' }] },
)
export type CalendarKeyCreated = Static<typeof CalendarKeyCreated>

/** Nothing to send: the counsellor is in the path. */
export const CalendarKeyCreate = Type.Object({}, { additionalProperties: false, examples: [{}] })

export const CalendarKey = Type.Object(
  {
    counsellorId: Uuid,
    createdAt: Instant,
    revokedAt: Nullable({ ...Instant, description: 'When the key stopped working' }),
  },
  { examples: [{ counsellorId: COUNSELLOR, createdAt: '2026-03-02T09:15:00.000Z', revokedAt: '2026-04-01T08:00:00.000Z' }] },
)

export const CalendarFeedQuery = Type.Object(
  {
    key: Type.Optional(
      Type.String({ description: 'The feed key from `POST /v1/counsellors/{id}/calendar-key`; a missing, wrong or revoked key answers 404', examples: [KEY] }),
    ),
  },
  { additionalProperties: false },
)
export type CalendarFeedQuery = Static<typeof CalendarFeedQuery>

export const CalendarFeed = Type.String({
  description: 'An iCalendar (RFC 5545) feed: a VTIMEZONE per site zone and one VEVENT per visit',
  examples: [
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Bezoekruimte//Kalender//NL',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Brussels',
      '…',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f20',
      'SEQUENCE:1',
      'DTSTART;TZID=Europe/Brussels:20260307T100000',
      'DTEND;TZID=Europe/Brussels:20260307T113000',
      'SUMMARY:Begeleid bezoek — dossier 24/1234/A',
      'LOCATION:Bezoekruimte Antwerpen\\, Speelkamer',
      'STATUS:CONFIRMED',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n'),
  ],
})

export const components = named({
  CalendarKeyRequest: CalendarKeyCreate,
  CalendarKeyCreated,
  CalendarKey,
})
