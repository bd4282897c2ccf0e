import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import { exportParty } from './service.js'

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
          'The party, its referral and case, its intakes, signatures, agreement signatures, attendances, visits and their outcomes, every observation of its visits (non-reportable ones included), the case’s history and the audit trail about it — the rows as stored. Some rows speak of other people (the other parent, the child): the centre reviews the export before handing it over. The export itself is recorded in the audit trail (`party.exported`).',
        params: IdParams,
        response: { 200: S.PartyExport, ...problemResponses(404) },
      },
    },
    async (request) => app.db.transaction((tx) => exportParty(tx, request.actor, app.clock.now(), request.params.id)),
  )
}
