import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { negotiate } from '../../http/accept.js'
import { problemResponses } from '../../http/problem.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { IdParams } from '../../http/schemas.js'
import { reportPage } from './page.js'
import { renderReportHtml, renderReportPdf } from './render.js'
import { CorrectionCreate, FeedPage, FeedQuery, Report, ReportCreate, Verification } from './schemas.js'
import * as service from './service.js'

/** HTTP for reports to the referrer: the feed, one report as JSON, a printable page or a PDF, its verification, and issuing one. */

const READ_ROLES = ['admin', 'staff', 'clerk', 'integration'] as const
const WRITE_ROLES = ['admin', 'staff'] as const
const WHO_READS =
  'A clerk or a court integration reads the reports of its court’s referrals and cases; admin, staff and a centre integration those of their centre. ' +
  'Counsellors do not read reports (403). A report’s content is the same for every reader and holds only what a court may see: facts, coded reasons ' +
  'with their labels and the centre’s court notes — never an internal explanation, a non-reportable observation, a child-protection record, times, rooms or contact details.'

const HTML_PAGE = Type.String({
  description: 'A printable A4 page in the report’s language',
  examples: ['<!doctype html><html lang="nl">…<h1>Verslag: opschorting van de begeleiding</h1>…</html>'],
})
// A PDF is bytes: typed as the Buffer the route sends, documented as a binary string.
const PDF = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The same report as an A4 PDF, its font embedded', examples: ['%PDF-1.3 …'] })

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/reports',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'listReports',
        summary: 'The report feed: every report in your scope, once, in a stable order',
        tags: ['Reports'],
        description:
          'Follow it by always passing the `nextCursor` of the previous page as `?cursor=` (`?after=` is its deprecated former name): every page carries one, an empty page too (then it is the ' +
          'cursor you sent), so a reader that polls this way sees every report exactly once, even while reports are being issued concurrently. ' +
          'A report appears once no transaction that could still commit an earlier one is running, so a report can take a moment to show. ' +
          WHO_READS,
        querystring: FeedQuery,
        response: { 200: FeedPage, ...problemResponses() },
      },
    },
    async (request) => service.listReports(app.db, request.actor, request.query),
  )

  app.get(
    '/reports/:id',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'getReport',
        summary: 'One report: JSON, a printable page (Accept: text/html) or a PDF (Accept: application/pdf)',
        tags: ['Reports'],
        description: `JSON by default. The printable page and the PDF are in the report’s language, with the reason labels of the reason catalogue. ${WHO_READS}`,
        params: IdParams,
        response: {
          200: {
            description: 'The report',
            content: { 'application/json': { schema: Report }, 'text/html': { schema: HTML_PAGE }, 'application/pdf': { schema: PDF } },
          },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const report = await service.getReport(app.db, request.actor, request.params.id)
      // A report is about a family: no shared cache may keep it, and the answer depends on Accept.
      reply.header('vary', 'Accept').header('cache-control', 'private, no-store')
      const type = negotiate(request.headers.accept, ['application/json', 'text/html', 'application/pdf'])
      if (type === 'text/html') return reply.type('text/html; charset=utf-8').send(await renderReportHtml(reportPage(report)))
      if (type === 'application/pdf') {
        const pdf = await renderReportPdf(reportPage(report), { issuedAt: new Date(report.issuedAt), centreName: report.issuer.centreName })
        return reply.type('application/pdf').header('content-disposition', `inline; filename="report-${report.id}.pdf"`).send(pdf)
      }
      return reply.type('application/json; charset=utf-8').send(report)
    },
  )

  app.get(
    '/reports/:id/verify',
    {
      config: { roles: READ_ROLES },
      schema: {
        operationId: 'verifyReport',
        summary: 'Check that a report is as it was issued',
        tags: ['Reports'],
        description:
          'Recomputes the SHA-256 of the stored content (RFC 8785 canonical JSON) and compares it with the hash stored and given with the report. ' +
          'A reader can compute the same hash from the JSON it received (every field but `sha256` and `supersededBy`).',
        params: IdParams,
        response: { 200: Verification, ...problemResponses(404) },
      },
    },
    async (request) => service.verifyReport(app.db, request.actor, request.params.id),
  )

  app.post(
    '/cases/:id/reports',
    {
      config: { roles: WRITE_ROLES },
      schema: {
        operationId: 'createCaseReport',
        summary: 'Issue a progress report on a case (e.g. before a hearing)',
        tags: ['Reports'],
        description:
          'The visits from the case’s start (or `from`) to today (or `to`), and the reportable observations when the centre reports factual observations. ' +
          'In the referring court’s language (the language of the proceedings), whatever the parties speak; without a court, in the centre’s `language` ' +
          'setting. A `language` other than that one is 422. Reports on referrals refused ' +
          'or returned and on a case started, suspended, resumed or ended are issued by those decisions themselves. ' +
          'While the case has an open concern, a coordinator (admin) confirms the report with `confirmOpenConcern: true` (audited); otherwise, and to staff, 409 `concern_open`.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ReportCreate,
        response: { 201: Report, ...problemResponses(404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.requestProgressReport(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.post(
    '/reports/:id/corrections',
    {
      config: { roles: WRITE_ROLES },
      schema: {
        operationId: 'correctReport',
        summary: 'Correct a report: issue a new one that supersedes it',
        tags: ['Reports'],
        description:
          'A new report on the same decision and period, rebuilt from the facts as they are now, with `supersedes` naming the original and the ' +
          '`correctionNote` the referrer reads. The original never changes; its `supersededBy` names the correction. A report is corrected once: ' +
          'a report already corrected answers 409 (correct the newer one).',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CorrectionCreate,
        response: { 201: Report, ...problemResponses(404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.correctReport(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )
}
