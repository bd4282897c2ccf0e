import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponse, problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { CalendarFeed, CalendarFeedQuery, CalendarKey, CalendarKeyCreate, CalendarKeyCreated } from './schemas.js'
import { calendarFeed, createCalendarKey, FEED_DAYS_AHEAD, FEED_DAYS_BACK, revokeCalendarKey } from './service.js'

/** HTTP for counsellors' calendar feeds: the key (made, replaced, revoked with a token) and the feed (opened with the key). */

const KEY_ROLES = ['admin', 'staff', 'counsellor'] as const
const WHO =
  "A centre's admin and staff for any of its counsellors; a counsellor token for its own counsellor only (any other answers 404, as does another centre's counsellor)."

export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/counsellors/:id/calendar.ics',
    {
      // A calendar app sends no Authorization header: the key in the URL is what authenticates.
      config: { roles: 'public' },
      schema: {
        operationId: 'getCalendarFeed',
        summary: "A counsellor's visits as an iCalendar feed, to subscribe to in a calendar app",
        tags: ['Calendars'],
        description:
          `No bearer token: the \`key\` from \`POST /v1/counsellors/{id}/calendar-key\` opens it, and a missing, wrong, replaced or revoked key answers 404. ` +
          `The visits the counsellor supervises that start from ${FEED_DAYS_BACK} days ago to ${FEED_DAYS_AHEAD} days ahead, one VEVENT each (UID: the visit id), ` +
          "in the site's time zone with its VTIMEZONE, in Dutch: the kind and case number (the court's roll number), the site and room, the counsellors, and per role " +
          'when each side arrives and leaves. Never a name of a party, a contact detail or an address. Cancelled visits and visits entered in error stay in the feed ' +
          'as STATUS:CANCELLED, with SEQUENCE following the visit’s version, so calendars update their copy.',
        security: [],
        params: IdParams,
        querystring: CalendarFeedQuery,
        response: {
          200: { description: 'The feed', content: { 'text/calendar': { schema: CalendarFeed } } },
          // No token is read here, so neither 401 nor 403 can happen.
          ...Object.fromEntries([400, 404, 500, 503].map((status) => [status, problemResponse(status)])),
        },
      },
    },
    async (request, reply) => {
      const feed = await calendarFeed(app.db, app.clock.now(), request.params.id, request.query.key, request.id)
      // A counsellor's schedule: no shared cache may keep it.
      return reply.header('cache-control', 'private, no-store').type('text/calendar; charset=utf-8').send(feed)
    },
  )

  app.post(
    '/counsellors/:id/calendar-key',
    {
      config: { roles: KEY_ROLES },
      schema: {
        operationId: 'createCalendarKey',
        summary: "Make a counsellor's calendar feed key (replacing any older one); the key and the feed's URL are returned once",
        tags: ['Calendars'],
        description:
          `${WHO} The key is a secret of its own, not an API token, stored only as its hash; an older key stops working at once. ` +
          "`url` is the feed's path and query: prefix it with the address your calendar app reaches this service at, and subscribe to it by URL.",
        params: IdParams,
        body: CalendarKeyCreate,
        response: { 201: CalendarKeyCreated, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const created = await app.db.transaction((tx) => createCalendarKey(tx, request.actor, app.clock.now(), request.params.id))
      return reply.code(201).send(created)
    },
  )

  app.delete(
    '/counsellors/:id/calendar-key',
    {
      config: { roles: KEY_ROLES },
      schema: {
        operationId: 'revokeCalendarKey',
        summary: "Revoke a counsellor's calendar feed key (the feed answers 404 at once)",
        tags: ['Calendars'],
        description: `${WHO} Revoking a revoked key returns it as it is; a counsellor that never had a key answers 404.`,
        params: IdParams,
        response: { 200: CalendarKey, ...problemResponses(404) },
      },
    },
    async (request) => app.db.transaction((tx) => revokeCalendarKey(tx, request.actor, app.clock.now(), request.params.id)),
  )
}
