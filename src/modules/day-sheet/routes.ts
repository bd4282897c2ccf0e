import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { negotiate } from '../../http/accept.js'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { renderDaySheet } from './html.js'
import { DaySheet, DaySheetQuery } from './schemas.js'
import { daySheet } from './service.js'

/** HTTP for the day sheet: JSON for programs, a printable page for the front desk (`Accept: text/html`). */

const HTML_PAGE = Type.String({
  description: "A printable A4 page in the centre's language: the site, the date, and one row per visit in time order",
  examples: ['<!doctype html><html lang="nl">…<h1>Dagoverzicht Bezoekruimte Antwerpen</h1>…</html>'],
})

export const daySheetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/sites/:id/day-sheet',
    {
      config: { roles: ['admin', 'staff', 'counsellor'] },
      schema: {
        operationId: 'getDaySheet',
        summary: "A site's visits of one day, for the front desk (JSON or a printable page)",
        tags: ['Scheduling'],
        description:
          "Every visit of the site that starts on `date` in the site's time zone, in time order, with its room, counsellors, the case's dossier number and court reference " +
          'and, per person, the role, the first name and the staggered arrival and leave times. Cancelled visits and visits entered in error are left out: ' +
          'the sheet lists who comes. Never family names, birth dates, contact details or addresses. A counsellor gets only the visits it supervises. ' +
          "JSON by default; `Accept: text/html` gives a printable A4 page. Both in the centre's language (its `language` setting).",
        params: IdParams,
        querystring: DaySheetQuery,
        response: {
          200: { description: 'The day sheet', content: { 'application/json': { schema: DaySheet }, 'text/html': { schema: HTML_PAGE } } },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const sheet = await daySheet(app.db, request.actor, app.clock.now(), { siteId: request.params.id, date: request.query.date })
      // The sheet names people: no shared cache may keep it, and the answer depends on Accept.
      reply.header('vary', 'Accept').header('cache-control', 'private, no-store')
      if (negotiate(request.headers.accept, ['application/json', 'text/html']) === 'text/html') {
        return reply.type('text/html; charset=utf-8').send(await renderDaySheet(sheet, { onlyOwnVisits: request.actor.role === 'counsellor' }))
      }
      return reply.type('application/json; charset=utf-8').send(sheet)
    },
  )
}
