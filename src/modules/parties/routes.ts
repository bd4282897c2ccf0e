import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import { exportOptions, exportParty } from './service.js'

/** HTTP for a person's own data: the export a centre's admin hands over on an access request. */
export const partyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/parties/:id/export',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'exportParty',
        summary: 'Everything the centre holds about one person, as JSON (right of access)',
        tags: ['Privacy'],
        description:
          'The party, its referral and case, its intakes, signatures, agreement signatures, attendances, visits and their outcomes, the observations of its visits (non-reportable ones included), the case’s history and the audit trail about it — the rows as stored. ' +
          'By default it withholds what belongs to others (art. 15(4) GDPR) and lists each withheld category with its ground, whether or not there is any: concerns (child-protection records), the child’s statements, other people’s arrival, leave and attendance records, and observations that name another person of the case. ' +
          'With `include=restricted` and a `reason` the admin releases everything, concerns included; the audit trail records `party.exported_restricted` with the reason. Every export is recorded (`party.exported`).',
        params: IdParams,
        querystring: S.ExportQuery,
        response: { 200: S.PartyExport, ...problemResponses(400, 404) },
      },
    },
    async (request) => app.db.transaction((tx) => exportParty(tx, request.actor, app.clock.now(), request.params.id, exportOptions(request.query))),
  )
}
