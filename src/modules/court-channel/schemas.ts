import { Type, type Static } from '@sinclair/typebox'
import { COURT_MESSAGE_KINDS, MESSAGE_KINDS } from '../../domain/vocabulary.js'
import { named } from '../../http/components.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { Instant, LocalDate, NonEmpty, Nullable, StringEnum, Uuid } from '../../http/schemas.js'

/** The court channel on the wire: messages about a referral after it was submitted, and the court's documents. */

const ID_EXAMPLE = '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12'

export const MessageCreate = Type.Object(
  {
    kind: StringEnum(MESSAGE_KINDS, {
      description: `A court sends ${COURT_MESSAGE_KINDS.map((k) => `\`${k}\``).join(', ')}; the centre answers with \`information\` (a factual text the court reads)`,
      examples: ['report_request'],
    }),
    text: NonEmpty(5000, ['The court asks for a progress report before the hearing of 15 September.']),
    hearingDate: Type.Optional({ ...LocalDate, description: 'hearing_date (required there): the new hearing date' }),
    dueDate: Type.Optional({ ...LocalDate, description: 'report_request (required there): by when the report is asked for' }),
    attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true, description: 'Documents of this referral sent with the message' })),
  },
  {
    additionalProperties: false,
    examples: [{ kind: 'report_request', text: 'The court asks for a progress report before the hearing of 15 September.', dueDate: '2026-09-01' }],
  },
)
export type MessageCreate = Static<typeof MessageCreate>

export const Message = Type.Object({
  id: Uuid,
  referralId: Uuid,
  caseId: Nullable(Uuid),
  sender: StringEnum(['court', 'centre'], { description: 'Who wrote it', examples: ['court'] }),
  kind: StringEnum(MESSAGE_KINDS, { examples: ['report_request'] }),
  text: Type.String({ examples: ['The court asks for a progress report before the hearing of 15 September.'] }),
  hearingDate: Nullable(LocalDate),
  dueDate: Nullable(LocalDate),
  attachmentIds: Type.Array(Uuid),
  createdAt: Instant,
  readAt: Nullable({ ...Instant, description: 'When the other side marked it read' }),
})

export const MessageQuery = Type.Object(
  {
    ...PageQuery.properties,
    unread: Type.Optional(Type.Boolean({ description: 'true: only the messages to your side not yet read (the centre’s worklist)', examples: [true] })),
  },
  { additionalProperties: false },
)
export type MessageQuery = Static<typeof MessageQuery>

export const Attachment = Type.Object(
  {
    id: Uuid,
    referralId: Uuid,
    filename: Type.String({ examples: ['vonnis-24-1234-A.pdf'] }),
    contentType: Type.Literal('application/pdf'),
    sizeBytes: Type.Integer({ examples: [183_420] }),
    sha256: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'SHA-256 of the file, hex',
      examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    }),
    createdAt: Instant,
  },
  {
    examples: [
      {
        id: ID_EXAMPLE,
        referralId: ID_EXAMPLE,
        filename: 'vonnis-24-1234-A.pdf',
        contentType: 'application/pdf',
        sizeBytes: 183420,
        sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        createdAt: '2026-03-07T09:00:00Z',
      },
    ],
  },
)

/** The upload as the document describes it; the route reads the multipart stream itself. */
export const AttachmentUpload = Type.Object(
  { file: Type.String({ format: 'binary', description: 'One PDF file (checked by its first bytes, %PDF-), at most ATTACHMENT_MAX_BYTES (default 10 MiB)' }) },
  { required: ['file'] },
)

export const MessagePage = Page(Message)

/** Marking read takes nothing. */
export const MessageRead = Type.Object({}, { additionalProperties: false, examples: [{}] })

export const components = named({
  MessageRequest: MessageCreate,
  Message,
  MessagePage,
  Attachment,
  AttachmentUpload,
  MessageReadRequest: MessageRead,
})
