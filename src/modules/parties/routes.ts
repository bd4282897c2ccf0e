import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import { Party, PartyChange, PartyCreate } from '../cases/index.js'
import { addParty, changeParty } from './changes.js'
import * as S from './schemas.js'
import { exportOptions, exportParty } from './service.js'

/** HTTP for a person's data: correcting it, adding a person to a case, and the export a centre's admin hands over on an access request. */
export const partyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.patch(
    '/parties/:id',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'changeParty',
        summary: 'Correct a party’s contact details, address, language, interpreter need or name',
        tags: ['Cases'],
        description:
          'Only the fields sent change; in `contact`, null removes a detail. A name or birth date changes only with a `reason`. The audit trail (`party.changed`) keeps the names of the fields changed and who changed them, never the values. Courts keep their referrer view (no contact details).',
        params: IdParams,
        body: PartyChange,
        response: { 200: Party, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request) => app.db.transaction((tx) => changeParty(tx, request.actor, app.clock.now(), request.params.id, request.body)),
  )

  app.post(
    '/cases/:id/parties',
    {
      config: { roles: ['admin', 'staff'] },
      schema: {
        operationId: 'addParty',
        summary: 'Add a person to a case (a grandparent, a new partner, a sibling)',
        tags: ['Cases'],
        description:
          'The case must not have ended. An added adult attends visits once their intake, their signatures of the documents in force and of the agreement are recorded: until then bookings leave them out (a conversation, such as their intake, may invite them). Audited (`party.added`).',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PartyCreate,
        response: { 201: Party, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await addParty(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

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
