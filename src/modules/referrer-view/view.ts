import { referenced } from '../../http/components.js'
import type { FastifyReply } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { Queryable } from '../../db/client.js'
import { cases, centres, parties, visits } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { invalidCursor } from '../../db/pagination.js'
import { invalidInput } from '../../domain/errors.js'
import { reasonResolver } from '../reason-codes/index.js'
import { REFERRER_VISIT_STATUSES } from './schemas.js'

/**
 * The referrer view: what a court sees of a family's trajectory, defined here once for clerks and
 * court-scoped integration tokens alike. Its referrals, each case's status and dates, the coded
 * reasons, and the dates of visits with kind and outcome. Never contact details, addresses,
 * arrival and leave times, rooms, counsellors, conversations, the centre's notes on a visit or its
 * explanations of a decision.
 */

/** A token that speaks for a court: a clerk, or an integration scoped to a court. */
export const isCourtToken = (actor: Actor) => actor.role === 'clerk' || (actor.role === 'integration' && actor.courtId !== null)

/**
 * Who reads referrals and cases through the referrer view: court tokens, and centre integrations
 * (a read-only system has no use for parties' contact details). Visits differ: a centre
 * integration reads its centre's visits in full, so those routes ask `isCourtToken`.
 */
export const seesReferrerView = (actor: Actor) => isCourtToken(actor) || actor.role === 'integration'

/** What a court sees of a case in a list; the case itself adds its suspensions and ending. */
const CASE_SUMMARY = [
  'view',
  'id',
  'referralId',
  'dossierNumber',
  'courtId',
  'courtReference',
  'status',
  'createdAt',
  'activatedAt',
  'plannedEndDate',
  'endEffectiveDate',
  'endedAt',
] as const

/**
 * Every field a court may ever see, per resource (nested objects are resources of their own). The
 * referrer schemas are checked against these lists by a test, and a response to a court token
 * holds nothing else. Of what the centre writes about a decision only the court note, written for
 * the referrer, is among them: a court gets facts, coded reasons (code and label) and court notes,
 * never the internal explanation.
 *
 * Observations of a visit are deliberately absent: no court route shows one, reportable or not.
 * When a report to the referrer is built, it gets a resource of its own here listing what it quotes
 * of the `reportable` observations — never the others, never a child’s words, and nothing of a visit a concern rests on.
 */
export const REFERRER_VIEW_FIELDS = {
  // `view` says which shape an answer is ('referrer' here); it tells the court nothing of the family.
  referral: [
    'view',
    'id',
    'centreId',
    'source',
    'legalFramework',
    'courtId',
    'courtReference',
    'decisionDate',
    'hearingDate',
    'requested',
    'reason',
    'status',
    'statusReason',
    'courtNote',
    'missingItems',
    'submittedAt',
    'waitlistedAt',
    'decidedAt',
    'waitingList',
    'caseId',
    'case',
    'parties',
  ],
  requested: ['kind', 'frequency', 'durationMinutes', 'notes'],
  waitingList: ['position', 'daysWaiting'],
  party: ['id', 'role', 'givenName', 'familyName', 'birthDate', 'language'],
  caseOutcome: ['id', 'status', 'createdAt', 'activatedAt', 'plannedEndDate', 'endEffectiveDate', 'endedAt', 'suspensions', 'suspension', 'ending'],
  caseSummary: CASE_SUMMARY,
  case: [...CASE_SUMMARY, 'suspensions', 'suspension', 'ending'],
  suspension: ['id', 'from', 'until', 'resumedAt', 'reason', 'courtNote'],
  /** The case's open suspension: the one planned (before its `from`) or the one in force. */
  openSuspension: ['scheduled', 'current'],
  ending: ['at', 'effectiveDate', 'refusedAfterIntake', 'reason', 'courtNote'],
  caseEvent: ['view', 'id', 'caseId', 'type', 'at', 'actorRole', 'reason', 'courtNote', 'data'],
  caseEventData: ['from', 'until', 'effectiveDate', 'plannedEndDate', 'previousPlannedEndDate', 'refusedAfterIntake', 'withdrawn', 'ranOut'],
  visit: ['view', 'id', 'caseId', 'kind', 'date', 'status', 'cancelledBy', 'cancelReason'],
  /** The court channel (src/modules/court-channel/): the messages of a referral, both sides', and the court's documents. */
  message: ['id', 'referralId', 'caseId', 'sender', 'kind', 'text', 'hearingDate', 'dueDate', 'attachmentIds', 'createdAt', 'readAt'],
  attachment: ['id', 'referralId', 'filename', 'contentType', 'sizeBytes', 'sha256', 'createdAt'],
  reason: ['category', 'code', 'label'],
  label: ['nl', 'fr', 'en'],
  page: ['items', 'nextCursor'],
  // A report (src/modules/reports/) is built court-safe: these are all of its fields, nested ones included.
  report: [
    'id',
    'kind',
    'language',
    'referralId',
    'caseId',
    'dossierNumber',
    'referrer',
    'issuer',
    'period',
    'decision',
    'visits',
    'observations',
    'caution',
    'supersedes',
    'supersededBy',
    'correctionNote',
    'issuedAt',
    'sha256',
  ],
  reportReferrer: ['courtId', 'courtName', 'courtReference'],
  reportIssuer: ['centreId', 'centreName', 'address', 'phone', 'email', 'role', 'author'],
  reportAuthor: ['name', 'function'],
  reportPeriod: ['from', 'to'],
  reportDecision: [
    'date',
    'reason',
    'courtNote',
    'from',
    'until',
    'effectiveDate',
    'plannedEndDate',
    'previousPlannedEndDate',
    'missingItems',
    'refusedAfterIntake',
    'withdrawn',
    'statement',
  ],
  /** A coded reason in a report: its label is the one of the report's language. */
  reportReason: ['category', 'code', 'label'],
  reportVisits: ['planned', 'held', 'booked', 'cancelled', 'noShow', 'interrupted'],
  reportCancellations: ['total', 'late', 'by'],
  reportCancelledBy: ['visiting_party', 'residing_party', 'centre', 'referrer'],
  reportNoShow: ['visits', 'byParty'],
  reportNoShowParty: ['role', 'visits'],
  reportObservation: ['kind', 'date', 'text'],
  reportVerification: ['id', 'sha256', 'valid'],
} as const satisfies Record<string, readonly string[]>

/**
 * Sends `data` through the serializer of the view the caller may see. The referrer view's schema
 * is compiled as its own serializer, so fields outside it cannot reach a court even if a query
 * returned them.
 */
export function sendView(reply: FastifyReply, referrer: boolean, views: { full: TSchema; referrer: TSchema }, data: unknown, status = 200) {
  const schema = referrer ? views.referrer : views.full
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .serializer(reply.compileSerializationSchema(referenced(schema), String(status)))
    .send(data)
}

/** The explanation is the centre's internal account of a decision; a court reads the coded reason instead. */
type Explained = { explanation: unknown }
const withoutExplanation = <T extends Explained>({ explanation: _internal, ...shown }: T): Omit<T, 'explanation'> => shown

/** A case's suspensions and ending as a court is told them: dates and coded reasons, not the centre's explanations. */
export function referrerOutcome<O extends object, S extends Explained, E extends Explained>(
  outcome: O & { suspensions: S[]; suspension: { scheduled: S | null; current: S | null }; ending: E | null },
) {
  const { suspensions, suspension, ending, ...shown } = outcome
  const open = (s: S | null) => s && withoutExplanation(s)
  return {
    ...shown,
    suspensions: suspensions.map(withoutExplanation),
    suspension: { scheduled: open(suspension.scheduled), current: open(suspension.current) },
    ending: ending && withoutExplanation(ending),
  }
}

/** A case event as a court sees it: the transition and its coded reason, not the explanation. */
export const referrerEvent = withoutExplanation

/** A party as a referrer sees it: identity only; contact details and addresses are left out here and by the schema. */
export const referrerPartyView = (p: Pick<typeof parties.$inferSelect, 'id' | 'role' | 'givenName' | 'familyName' | 'birthDate' | 'language'>) => ({
  id: p.id,
  role: p.role,
  givenName: p.givenName,
  familyName: p.familyName,
  birthDate: p.birthDate,
  language: p.language,
})

// ── Visits ────────────────────────────────────────────────────────────────────────────────────

type VisitRow = typeof visits.$inferSelect
type ReferrerStatus = (typeof REFERRER_VISIT_STATUSES)[number]

/** The visit's day at its site, as text: compared with the date part of `from` or `to`, it never fails to parse. */
const localDay = sql`to_char(${visits.startsAt} at time zone ${visits.timeZone}, 'YYYY-MM-DD')`

/**
 * The visits of the court's cases a court may see: only of centres that share them (`courtSeesVisits`,
 * off by default: the centre reports to the court, the court does not follow attendance), no
 * conversations, nothing entered in error. Any other visit is, to a court, one that does not exist.
 */
export function referrerVisitScope(actor: Actor): SQL {
  if (!actor.courtId) return sql`false`
  return and(
    sql`${visits.caseId} in (select ${cases.id} from ${cases} where ${cases.courtId} = ${actor.courtId})`,
    sql`${visits.centreId} in (select ${centres.id} from ${centres} where (${centres.settings} ->> 'courtSeesVisits')::boolean)`,
    ne(visits.kind, 'conversation'),
    ne(visits.status, 'entered-in-error'),
  )!
}

/** The status as a court sees it: a visit under way is still a booked one until its outcome. */
const referrerStatus = (status: VisitRow['status']): ReferrerStatus => (status === 'arrived' ? 'booked' : (status as ReferrerStatus))

export interface VisitQuery {
  from?: string
  to?: string
  siteId?: string
  roomId?: string
  counsellorId?: string
  caseId?: string
  status?: string
  cursor?: string
}

/**
 * A court's filters on the visit list. Rooms, sites and counsellors are not in its view, so it may
 * not filter by them; `from` and `to` compare whole days, so a list cannot be narrowed down to
 * reveal a visit's time; the cursor names only the last visit.
 */
export function referrerVisitFilters(q: VisitQuery): (SQL | undefined)[] {
  for (const field of ['siteId', 'roomId', 'counsellorId'] as const) {
    if (q[field]) throw invalidInput('query', `/${field}`, 'is not in the referrer view: a court token cannot filter by it')
  }
  const status = q.status as VisitRow['status'] | undefined
  return [
    q.cursor ? referrerCursor.decode(q.cursor) : undefined,
    q.from ? sql`${localDay} >= ${q.from.slice(0, 10)}` : undefined,
    q.to ? sql`${localDay} < ${q.to.slice(0, 10)}` : undefined,
    q.caseId ? eq(visits.caseId, q.caseId) : undefined,
    status === undefined
      ? undefined
      : status === 'booked'
        ? inArray(visits.status, ['booked', 'arrived'])
        : (REFERRER_VISIT_STATUSES as readonly string[]).includes(status)
          ? eq(visits.status, status)
          : sql`false`, // arrived and entered-in-error are not statuses a court ever sees
  ]
}

/** Keyset cursor that holds only the last visit's id: its start time stays out of the court's hands. */
export const referrerCursor = {
  encode: (row: VisitRow) => Buffer.from(row.id).toString('base64url'),
  decode(cursor: string): SQL {
    const id = Buffer.from(cursor, 'base64url').toString('utf8')
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw invalidCursor()
    return sql`(${visits.startsAt}, ${visits.id}) > (select v.starts_at, v.id from ${visits} v where v.id = ${id})`
  },
}

/** Visits in the referrer view, with their cancellation reasons' labels (each from its centre). */
export async function renderReferrerVisits(db: Queryable, rows: VisitRow[]) {
  const resolvers = new Map<string, Awaited<ReturnType<typeof reasonResolver>>>()
  for (const centreId of new Set(rows.map((r) => r.centreId))) {
    const refs = rows.filter((r) => r.centreId === centreId).map((r) => ({ category: 'cancellation' as const, code: r.cancelReasonCode }))
    resolvers.set(centreId, await reasonResolver(db, centreId, refs))
  }
  return rows.map((row) => ({
    view: 'referrer' as const,
    id: row.id,
    caseId: row.caseId,
    kind: row.kind,
    date: DateTime.fromJSDate(row.startsAt, { zone: row.timeZone }).toISODate()!,
    status: referrerStatus(row.status),
    cancelledBy: row.cancelledBy,
    cancelReason: resolvers.get(row.centreId)!({ category: 'cancellation', code: row.cancelReasonCode }),
  }))
}
