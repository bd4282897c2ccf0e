import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import contentDisposition from 'content-disposition'
import type { FastifyRequest } from 'fastify'
import { invalidInput } from '../../domain/errors.js'
import { IdempotencyHeaders, respondOnce } from '../../http/idempotency.js'
import { Problem, problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import * as S from './schemas.js'
import * as service from './service.js'

/**
 * HTTP for the court channel: messages between the referring court and the centre, and the court's
 * documents (multipart uploads of PDFs, read back as they were sent).
 */

const COURT = ['clerk', 'integration'] as const
const READERS = ['admin', 'staff', 'counsellor', 'clerk', 'integration'] as const
const PDF = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The document as it was sent', examples: ['%PDF-1.7 …'] })
/** A PDF begins with these bytes, whatever its name says. */
const PDF_MAGIC = Buffer.from('%PDF-')
/** Room for the multipart envelope around the file (boundaries, part headers). */
const ENVELOPE_BYTES = 64 * 1024

const tooLarge = (max: number) => new Problem(413, 'body-too-large', 'Content Too Large', `The document is larger than ${max} bytes (ATTACHMENT_MAX_BYTES).`)

/** The one file of a multipart upload, checked to be a PDF by its first bytes; its name kept to a plain file name. */
async function pdfOf(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart()) {
    throw new Problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send the document as multipart/form-data, with the PDF in a file field.')
  }
  let part
  let content: Buffer
  try {
    part = await request.file()
    if (!part) throw invalidInput('body', '/file', 'is missing: send one PDF file')
    content = await part.toBuffer()
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes)
    const status = (error as { statusCode?: number }).statusCode
    // busboy's and the plugin's own refusals of a malformed body are the client's to fix.
    if (code?.startsWith('FST_') || (status && status >= 400 && status < 500))
      throw invalidInput('body', '/', `could not be read as multipart/form-data: ${(error as Error).message}`)
    throw error
  }
  if (!content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw new Problem(
      415,
      'unsupported-media-type',
      'Unsupported Media Type',
      'Only PDF documents are accepted, and this file is not one (a PDF begins with %PDF-, whatever its name).',
    )
  }
  // eslint-disable-next-line no-control-regex -- a name sent by a client may hold control characters
  const filename = (part.filename.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'document.pdf'
  return { filename, content }
}

export const courtChannelRoutes: FastifyPluginAsyncTypebox<{ attachmentMaxBytes: number }> = async (app, options) => {
  const maxBytes = options.attachmentMaxBytes
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 }, throwFileSizeLimit: true })

  app.post(
    '/referrals/:id/messages',
    {
      config: { roles: ['admin', 'staff', ...COURT] },
      schema: {
        operationId: 'sendMessage',
        summary: 'Send a message about a referral: the court’s news, or the centre’s factual answer',
        tags: ['Court channel'],
        description:
          'The referring court (clerk or court integration) sends `new_decision`, `hearing_date` (with `hearingDate`: it becomes the referral’s hearing date, audited), `report_request` (with `dueDate`: the case is on `GET /v1/cases?reportDue=true` until a progress report is issued) or `other`; the centre’s admin and staff answer with `information`. A court’s message emits the webhook event `message.received` (ids and kind, never the text). Another court’s referral: 404.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.MessageCreate,
        response: { 201: S.Message, ...problemResponses(404, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.sendMessage(tx, request.actor, app.clock.now(), request.params.id, request.body),
      })),
  )

  app.get(
    '/referrals/:id/messages',
    {
      config: { roles: READERS },
      schema: {
        operationId: 'listReferralMessages',
        summary: 'The messages of a referral, oldest first',
        tags: ['Court channel'],
        description: 'For the referral’s court and the centre (a counsellor: the cases it works on). Another court, or a counsellor not on the case: 404.',
        params: IdParams,
        querystring: S.MessageQuery,
        response: { 200: S.MessagePage, ...problemResponses(404) },
      },
    },
    async (request) => service.referralMessages(app.db, request.actor, request.params.id, request.query),
  )

  app.get(
    '/messages',
    {
      config: { roles: READERS },
      schema: {
        operationId: 'listMessages',
        summary: 'Messages of every referral in your scope, oldest first; `unread=true` is the worklist',
        tags: ['Court channel'],
        description:
          'A centre reads the messages of its referrals, a court those of the referrals it made. `unread=true`: those the other side wrote that your side has not marked read.',
        querystring: S.MessageQuery,
        response: { 200: S.MessagePage, ...problemResponses() },
      },
    },
    async (request) => service.listMessages(app.db, request.actor, request.query),
  )

  app.post(
    '/messages/:id/read',
    {
      config: { roles: ['admin', 'staff', 'clerk'] },
      schema: {
        operationId: 'markMessageRead',
        summary: 'Mark a message of the other side read',
        tags: ['Court channel'],
        description: 'Once; marking it again answers the same. Your own side’s message: 409.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: S.MessageRead,
        response: { 200: S.Message, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      respondOnce(app, request, reply, async (tx) => ({ status: 200, body: await service.markRead(tx, request.actor, app.clock.now(), request.params.id) })),
  )

  app.post(
    '/referrals/:id/attachments',
    {
      config: { roles: COURT, documentedBody: { schema: S.AttachmentUpload, mediaType: 'multipart/form-data' } },
      bodyLimit: maxBytes + ENVELOPE_BYTES,
      schema: {
        operationId: 'uploadAttachment',
        summary: 'Send a document with a referral (the judgment): one PDF, as multipart/form-data',
        tags: ['Court channel'],
        description: `The referring court only. PDF only, recognised by its first bytes (%PDF-), not by its name (415 otherwise); at most ATTACHMENT_MAX_BYTES (default 10 MiB; 413 above). Stored with its SHA-256; audited. Another court’s referral: 404.`,
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 201: S.Attachment, ...problemResponses(404, 413, 415) },
      },
    },
    async (request, reply) => {
      const file = await pdfOf(request, maxBytes)
      // What a retry with the same Idempotency-Key must send again: the same file under the same name.
      ;(request as { body: unknown }).body = { filename: file.filename, sha256: service.sha256Of(file.content) }
      return respondOnce(app, request, reply, async (tx) => ({
        status: 201,
        body: await service.storeAttachment(tx, request.actor, app.clock.now(), request.params.id, file),
      }))
    },
  )

  app.get(
    '/attachments/:id',
    {
      config: { roles: ['admin', 'staff', ...COURT] },
      schema: {
        operationId: 'getAttachment',
        summary: 'A document as it was sent (application/pdf)',
        tags: ['Court channel'],
        description:
          'For the court that sent it and the centre’s admin and staff; anyone else: 404. Each read is audited. `Content-Disposition` names the file; no cache may keep it.',
        params: IdParams,
        response: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: PDF } } }, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const file = await app.db.transaction((tx) => service.readAttachment(tx, request.actor, request.params.id))
      return reply
        .type('application/pdf')
        .header('content-disposition', contentDisposition(file.filename))
        .header('cache-control', 'no-store')
        .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
        .send(file.content)
    },
  )
}
