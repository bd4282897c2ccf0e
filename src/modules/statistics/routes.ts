import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { negotiate } from '../../http/accept.js'
import { problemResponses } from '../../http/problem.js'
import { Statistics, STATISTICS_CSV, StatisticsQuery } from './schemas.js'
import { statistics, statisticsCsv } from './service.js'

/** HTTP for the statistics: JSON for programs, CSV (`Accept: text/csv`) for a spreadsheet. */

export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/statistics',
    {
      config: { roles: ['admin', 'staff', 'operator'] },
      schema: {
        operationId: 'getStatistics',
        summary: 'Figures for the subsidising government over a period (JSON or CSV)',
        tags: ['Statistics'],
        description:
          'Referrals received, refused, returned and on the waiting list; cases started, in intake, active, suspended and ended, onward referrals; ' +
          'visits by kind and outcome, counselling minutes; persons served counted once (by gender, age band and postcode), children and adults; ' +
          'fee-exempt cases; and the median and 90th percentile of days from referral to intake, to the first held visit, and of the trajectory. ' +
          'Every figure is defined in docs/statistics.md. The period runs from `from` to `to`, both days included, in Europe/Brussels, at most three years. ' +
          "An admin or staff token gets its own centre; the operator every centre. `siteId` keeps one site's cases and visits (a site outside your scope: 404); " +
          '`groupBy=site` splits per site, with what has no site (every referral) under its centre, `groupBy=district` per judicial district. ' +
          'The figures rest on recorded dates only, so a past period gives the same figures until its data changes. ' +
          'JSON by default; `Accept: text/csv` gives the same figures as one flat table with a header row.',
        querystring: StatisticsQuery,
        response: {
          200: { description: 'The figures', content: { 'application/json': { schema: Statistics }, 'text/csv': { schema: STATISTICS_CSV } } },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const figures = await statistics(app.db, request.actor, request.query)
      reply.header('vary', 'Accept').header('cache-control', 'private, no-store')
      if (negotiate(request.headers.accept, ['application/json', 'text/csv']) === 'text/csv') {
        const name = `statistics-${figures.period.from}-${figures.period.to}${figures.groupBy === 'none' ? '' : `-per-${figures.groupBy}`}.csv`
        return reply
          .type('text/csv; charset=utf-8; header=present')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(await statisticsCsv(figures))
      }
      return reply.type('application/json; charset=utf-8').send(figures)
    },
  )
}
