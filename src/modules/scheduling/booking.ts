import { eq, sql, type SQL } from 'drizzle-orm'
import { v7 as uuidv7 } from 'uuid'
import { insertRows, preparedRows, rawRows, textArray, uuidArray, type Tx } from '../../db/client.js'
import { reservations, series, visits, type Interpreter, type StaggerSettings, type VisitLocation } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { checkSlot, type BookingReason, type BookingRules, type Slot } from '../../domain/booking-rules.js'
import { conflict, invalidInput, notFound } from '../../domain/errors.js'
import { computeStagger } from '../../domain/stagger.js'
import { JOINT_PURPOSES, type ConversationPurpose, type PartySide, type ResourceKind, type VisitKind } from '../../domain/vocabulary.js'
import { pairsPresent, pairsTooClose, safeStagger, type PartyPair } from '../../domain/safety.js'
import { formatInstant, isoUtc } from '../../domain/time.js'
import { databaseErrorOf, EXCLUSION_VIOLATION } from '../../db/errors.js'
import { auditInsert, type AuditEntry } from '../../db/audit.js'
import { lockCase, type CaseRow } from '../cases/index.js'
import { releaseReservations } from './cancellation.js'
import { bookingRules, caseRulesOf, judgeGate, loadBookingFacts, sideOfRole, type VisitRow } from './queries.js'
import { readinessOf } from '../cases/index.js'

/**
 * The booking engine: locks, judges and writes visits and their reservations for the scheduling
 * services, inside their transaction. Every invariant also holds in PostgreSQL itself.
 */

export interface BookingRequest {
  kind: VisitKind
  roomId?: string
  counsellorIds: string[]
  /** For a conversation: the parties invited (default: every adult party). */
  partyIds?: string[]
  durationMinutes: number
  stagger?: Partial<StaggerSettings>
  /** A conversation's purpose (required for one, absent for the other kinds). */
  purpose?: ConversationPurpose
  /** Where an outside visit takes place (required for one, absent for the other kinds). */
  location?: VisitLocation
  interpreter?: Interpreter
  /** An admin records a visit that already happened: a start before now is not refused (in_the_past). */
  recordedAfterTheFact?: boolean
}

/** What one booking request works with: loaded once, inside the transaction, after the case row is locked. */
export interface BookingContext {
  caseRow: CaseRow
  request: BookingRequest
  timeZone: string
  siteId: string | null
  room: { id: string; capacity: number } | null
  stagger: StaggerSettings
  people: { partyId: string; side: PartySide | 'child' }[]
  /** The pairs of the case's safety profile who both take part, and the least gap between them. */
  keptApart: PartyPair[]
  minimumGapMinutes: number
  rules: BookingRules
  /** Visits already counting against the agreement's maxVisits. */
  visitsCounted: number
  /** Visits created since then count against maxVisits (the current agreement's creation); null without a limit. */
  agreementSince?: Date | null
}

const field = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

/**
 * Locks the case, then reads everything else in one statement (which also takes the room and
 * counsellor locks), applies the gate and builds the rules. Absences ending before `absencesFrom`
 * cannot matter.
 */
export async function prepareBooking(tx: Tx, actor: Actor, now: Date, caseId: string, request: BookingRequest, absencesFrom: Date): Promise<BookingContext> {
  const caseRow = await lockCase(tx, actor, caseId)
  if (actor.centreId !== caseRow.centreId) throw notFound('case', caseId)
  const roomId = request.kind === 'outside_visit' ? undefined : request.roomId
  const lockIds = lockOrder([...(roomId ? [roomId] : []), ...request.counsellorIds])
  // Documents in force now, by the service's clock, as the readiness endpoint judges them.
  const facts = await loadBookingFacts(tx, caseRow, { roomId, counsellorIds: request.counsellorIds }, lockIds, absencesFrom, now)

  checkKindFields(request)
  // An adult added to a running case takes part in visits once their intake, signatures and
  // agreement signature are recorded; until then only a conversation (their intake) invites them.
  const adults = facts.parties.filter((p) => p.role !== 'child')
  const joined = adults.filter((p) => p.joinedAt !== null)
  const notYetCleared = new Set(
    readinessOf({
      adults: joined,
      intakePartyIds: facts.intakePartyIds,
      inForce: facts.documents,
      signed: facts.signatures,
      agreement: facts.agreement,
      checkIntake: true,
    }).missing.map((m) => m.partyId),
  )

  // The gate reads only what it needs: an ended case or a conversation no signatures.
  const gateAgreement = request.kind === 'conversation' ? null : facts.agreement
  judgeGate(
    caseRow,
    request.kind,
    caseRow.status === 'ended' || request.kind === 'conversation'
      ? null
      : readinessOf({
          adults: adults.filter((p) => !notYetCleared.has(p.id)),
          intakePartyIds: [],
          inForce: facts.documents,
          signed: facts.signatures,
          agreement: facts.agreement,
          checkIntake: false,
        }),
  )

  // Room and site: an outside visit has no room; its times are in the case's (or the centre's first) site's zone.
  let room: BookingContext['room'] = null
  let site = facts.sites.case ?? (caseRow.siteId ? null : facts.sites.first)
  if (request.kind === 'outside_visit') {
    if (request.roomId) throw field('/roomId', 'must be absent for an outside visit (it takes place outside the centre)')
  } else {
    if (!request.roomId) throw field('/roomId', `is required for a ${request.kind}`)
    if (!facts.room) throw notFound('room', request.roomId)
    if (!facts.room.active) throw field('/roomId', 'is a deactivated room')
    room = { id: facts.room.id, capacity: facts.room.capacity }
    site = facts.sites.room
  }
  if (!site) throw conflict('no-site', 'The centre has no site to take the time zone from; create a site first.')

  if (new Set(request.counsellorIds).size !== request.counsellorIds.length) throw field('/counsellorIds', 'lists a counsellor twice')
  for (const id of request.counsellorIds) {
    const row = facts.counsellors.find((c) => c.id === id)
    if (!row) throw notFound('counsellor', id)
    if (!row.active) throw field('/counsellorIds', `names a deactivated counsellor (${id})`)
  }

  const caseParties = facts.parties.map((p) => ({ partyId: p.id, side: sideOfRole(p.role) }))
  let people = caseParties.filter((p) => !notYetCleared.has(p.partyId))
  if (request.kind === 'conversation') {
    const invited = request.partyIds ?? caseParties.filter((p) => p.side !== 'child').map((p) => p.partyId)
    invited.forEach((id, i) => {
      if (!caseParties.some((p) => p.partyId === id)) throw field(`/partyIds/${i}`, 'is not a party of this case')
    })
    people = caseParties.filter((p) => invited.includes(p.partyId))
  } else if (request.partyIds) {
    throw field('/partyIds', 'only applies to a conversation: a visit involves every party of the case')
  }

  // Mediation and evaluation bring the invited together (no staggering) unless a pair is kept apart:
  // the staggering a booking does not give is then raised to the centre's minimum gap.
  const keptApart = pairsPresent(
    facts.mustNotMeet,
    people.map((p) => p.partyId),
  )
  const joint = request.kind === 'conversation' && (JOINT_PURPOSES as readonly string[]).includes(request.purpose ?? '')
  const base = joint ? { ...facts.settings.stagger, arrivalGapMinutes: 0, departureGapMinutes: 0 } : facts.settings.stagger
  const stagger = safeStagger(base, request.stagger, keptApart.length > 0, facts.settings.minimumGapMinutes)

  const caseRules = caseRulesOf(caseRow, site.timeZone, gateAgreement, facts.suspensions, facts.visitsCounted)
  const rules = bookingRules({
    kind: request.kind,
    site,
    settings: facts.settings,
    counsellors: request.counsellorIds.map((id) => facts.counsellors.find((c) => c.id === id)!),
    absences: facts.absences,
    caseRules,
  })
  rules.notBefore = request.recordedAfterTheFact ? null : now
  const { visitsCounted, agreementSince } = caseRules
  return {
    caseRow,
    request,
    timeZone: site.timeZone,
    siteId: site.id,
    room,
    stagger,
    people,
    keptApart,
    minimumGapMinutes: facts.settings.minimumGapMinutes,
    rules,
    visitsCounted,
    agreementSince,
  }
}

/** What a kind needs, and what it must not have: a conversation's purpose, an outside visit's place. */
function checkKindFields(request: BookingRequest) {
  if (request.kind === 'conversation' && !request.purpose) {
    throw field('/purpose', 'is required for a conversation: intake, evaluation, mediation, pre_visit, post_visit, child_conversation or other')
  }
  if (request.kind !== 'conversation' && request.purpose) throw field('/purpose', 'only applies to a conversation')
  if (request.kind === 'outside_visit' && !request.location) throw field('/location', 'is required for an outside visit: where it takes place')
  if (request.kind !== 'outside_visit' && request.location) throw field('/location', 'only applies to an outside visit (the others are at the centre)')
}

/** The rules an occurrence is judged by before its overlaps: the calendar's and the case's safety profile's. */
function slotReasons(ctx: BookingContext, planned: PlannedVisit, visitsCounted: number): BookingReason[] {
  const reasons = checkSlot(ctx.rules, planned, visitsCounted)
  for (const [a, b] of pairsTooClose(planned.arrivals, ctx.keptApart, ctx.minimumGapMinutes)) {
    reasons.push({
      code: 'must_not_meet',
      resourceId: a,
      detail: `the safety profile keeps parties ${a} and ${b} apart: their arrivals and their departures must be at least ${ctx.minimumGapMinutes} minutes apart (set stagger gaps of at least that)`,
    })
  }
  return reasons
}

/**
 * The room and counsellor locks serialise bookings of the same room or counsellor for the rest of
 * the transaction. The exclusion constraint alone already forbids overlaps, but two series inserting
 * many reservations at once wait on each other's uncommitted rows in opposite orders and deadlock
 * (one then fails after deadlock_timeout). Taking these locks in one global order (loadBookingFacts
 * takes them in this order), after the case lock and before the overlaps are read and the first
 * insert, rules that out. The case's people need no lock: the case row lock covers them.
 */
function lockOrder(resourceIds: string[]): string[] {
  return [...new Set(resourceIds)].sort()
}

export interface PlannedVisit extends Slot {
  arrivals: { partyId: string; arriveAt: Date; leaveAt: Date }[]
}

function planVisit(ctx: BookingContext, start: Date): PlannedVisit {
  const staggered = computeStagger({
    kind: ctx.request.kind,
    start,
    durationMinutes: ctx.request.durationMinutes,
    stagger: ctx.stagger,
    parties: ctx.people.filter((p): p is { partyId: string; side: PartySide } => p.side !== 'child'),
  })
  if (ctx.request.kind !== 'conversation') return staggered
  // A child invited to a conversation (their own, alone, or with a parent) is there for the
  // conversation itself; at a visit the child comes and goes with a side, so has no times of its own.
  const children = ctx.people.filter((p) => p.side === 'child')
  const childArrivals = children.map((c) => ({ partyId: c.partyId, arriveAt: new Date(staggered.start), leaveAt: new Date(staggered.end) }))
  return { ...staggered, arrivals: [...staggered.arrivals, ...childArrivals] }
}

interface ReservationRow {
  resource_kind: 'room' | 'counsellor' | 'party'
  resource_id: string
  place: number
  visit_id: string
}

interface Overlaps {
  reasons: BookingReason[]
  freePlace: number | null
}

/**
 * For each slot, the active reservations of the visit's resources overlapping its span (one query for
 * all slots) and the first free place of the room; the room is busy only when all its places are taken.
 * The caller holds the case lock and the room and counsellor locks, so nothing can change in between.
 */
async function overlapsOf(tx: Tx, ctx: BookingContext, slots: Slot[], ignoreVisitId?: string): Promise<Overlaps[]> {
  if (slots.length === 0) return []
  return judgeAllOverlaps(ctx, slots, await rawRows<OverlapRow>(tx, overlapRead(ctx, slots, ignoreVisitId)))
}

type OverlapRow = ReservationRow & { slot: number }

/** The read of overlapsOf: one row per active reservation of the visit's resources overlapping a slot's span. */
function overlapRead(ctx: BookingContext, slots: Slot[], ignoreVisitId?: string): SQL {
  const resourceIds = [...(ctx.room ? [ctx.room.id] : []), ...ctx.request.counsellorIds, ...ctx.people.map((p) => p.partyId)]
  // The spans as one tstzrange[] parameter and the resources as one uuid[]: a statement of two
  // parameters whatever the number of occurrences; unnest tells the planner how many spans there are,
  // so each is looked up in the exclusion constraint's index.
  const spans = `{${slots.map((slot) => `"[${isoUtc(slot.spanStart)},${isoUtc(slot.spanEnd)})"`).join(',')}}`
  return sql`
    select s.slot::int - 1 as slot, r.resource_kind, r.resource_id, r.place, r.visit_id
    from unnest(${spans}::tstzrange[]) with ordinality as s(span, slot)
    join reservations r on r.active and r.during && s.span
      and r.resource_id = any(${uuidArray(resourceIds)})
      ${ignoreVisitId ? sql`and r.visit_id <> ${ignoreVisitId}` : sql``}
    order by s.slot, r.resource_kind, r.place`
}

function judgeAllOverlaps(ctx: BookingContext, slots: Slot[], rows: OverlapRow[]): Overlaps[] {
  return slots.map((_, i) =>
    judgeOverlaps(
      ctx,
      rows.filter((r) => r.slot === i),
    ),
  )
}

function judgeOverlaps(ctx: BookingContext, rows: ReservationRow[]): Overlaps {
  const reasons: BookingReason[] = []
  let freePlace: number | null = null
  if (ctx.room) {
    const taken = new Set(rows.filter((r) => r.resource_kind === 'room').map((r) => r.place))
    for (let place = 1; place <= ctx.room.capacity; place++)
      if (!taken.has(place)) {
        freePlace = place
        break
      }
    if (freePlace === null) {
      for (const r of rows.filter((r) => r.resource_kind === 'room')) {
        reasons.push({ code: 'room_busy', resourceId: r.resource_id, visitId: r.visit_id, detail: 'the room is booked then' })
      }
    }
  }
  for (const r of rows.filter((r) => r.resource_kind !== 'room')) {
    reasons.push(
      r.resource_kind === 'counsellor'
        ? { code: 'counsellor_busy', resourceId: r.resource_id, visitId: r.visit_id, detail: 'the counsellor supervises another visit then' }
        : { code: 'party_busy', resourceId: r.resource_id, visitId: r.visit_id, detail: 'a party of this case has another visit then' },
    )
  }
  return { reasons, freePlace }
}

export interface Skipped {
  start: Date
  reasons: BookingReason[]
}

/** The `conflicts[]` of a 409 booking problem: one entry per reason, with the resource kind. */
export function conflictsOf(skipped: Skipped[]) {
  // Starts in UTC, as skipped[] and the visits show them.
  return skipped.flatMap((s) => {
    const start = isoUtc(s.start)
    return s.reasons.map((r) => ({ start, ...r, resourceKind: resourceKindOf(r.code) }))
  })
}

/** What every visit of one booking has alike. */
const sharedVisitValues = (ctx: BookingContext) => ({
  siteId: ctx.siteId,
  roomId: ctx.room?.id ?? null,
  counsellorIds: ctx.request.counsellorIds,
  partyIds: ctx.people.map((p) => p.partyId),
  kind: ctx.request.kind,
  timeZone: ctx.timeZone,
  purpose: ctx.request.purpose ?? null,
  location: ctx.request.location ?? null,
  interpreter: ctx.request.interpreter ?? null,
})

/** What each occurrence of a booking has of its own. */
const occurrenceValues = (planned: PlannedVisit) => ({
  startsAt: planned.start,
  endsAt: planned.end,
  spanStart: planned.spanStart,
  spanEnd: planned.spanEnd,
  arrivals: planned.arrivals.map((a) => ({ partyId: a.partyId, arriveAt: isoUtc(a.arriveAt), leaveAt: isoUtc(a.leaveAt) })),
})

const visitValues = (ctx: BookingContext, planned: PlannedVisit) => ({ ...sharedVisitValues(ctx), ...occurrenceValues(planned) })

/** A visit as booked: the values written, with the id and status and version given in the insert. */
export type BookedVisit = Omit<VisitRow, 'createdAt' | 'updatedAt' | 'cancelledAt' | 'enteredInErrorReason' | 'enteredInErrorAt'>

/**
 * Writes the series (when new), the visits, their reservations and the audit entries in one
 * statement (data-modifying CTEs; the foreign keys are checked at its end). The ids are made here,
 * so nothing needs to come back. The exclusion constraint is the final word on overlaps. The text is
 * the same for every booking of a shape (every value is a parameter, the rows as JSON), so it is a
 * named statement: planned once per connection, a generic plan after five.
 */
async function insertVisits(
  tx: Tx,
  actor: Actor,
  ctx: BookingContext,
  accepted: { planned: PlannedVisit; place: number | null }[],
  newSeries: typeof series.$inferInsert | null,
): Promise<BookedVisit[]> {
  // Written once for all the visits (insertRows' shared values), not once per visit.
  const shared = {
    centreId: ctx.caseRow.centreId,
    caseId: ctx.caseRow.id,
    seriesId: newSeries?.id ?? null,
    ...sharedVisitValues(ctx),
    status: 'booked' as const,
    version: 1,
    cancelledBy: null,
    cancelledByPartyId: null,
    cancelledLate: null,
    cancelReasonCode: null,
    cancelExplanation: null,
  }
  const booked: BookedVisit[] = accepted.map(({ planned }) => ({ id: uuidv7(), ...shared, ...occurrenceValues(planned) }))
  const entries: AuditEntry[] = [
    ...(newSeries ? [{ action: 'series.created', entityType: 'series', entityId: newSeries.id! }] : []),
    ...booked.map((visit) => ({ action: 'visit.booked', entityType: 'visit', entityId: visit.id })),
  ]
  if (entries.length === 0) return booked
  const writes: SQL[] = [
    ...(newSeries ? [insertRows(series, [newSeries])] : []),
    ...(booked.length > 0
      ? [
          insertRows(visits, booked, shared),
          reservationInsert(
            ctx,
            booked.map((visit, i) => ({ visit, place: accepted[i]!.place })),
          ),
        ]
      : []),
  ]
  const ctes = writes.map((write, i) => sql`${sql.raw(`w${i}`)} as (${write})`)
  // There is an entry only for something written: a new series, or visits.
  await preparedRows(tx, 'book_visits', sql`with ${sql.join(ctes, sql`, `)} ${auditInsert(actor, entries)}`)
  return booked
}

/**
 * Thrown when the exclusion constraint refuses an unopposed booking (occurrences written as if no
 * reservation were in the way): the transaction is lost, and bookUnopposedFirst runs the booking
 * again in a new one, which reads the reservations before it writes.
 */
export class ReservationInTheWay extends Error {
  constructor() {
    super('a reservation is in the way of the unopposed booking')
  }
}

/**
 * Runs a booking transaction (`attempt`) as an unopposed booking, and once more reading the
 * reservations first when the exclusion constraint finds one in the way (ReservationInTheWay). The
 * unopposed write spares a booking without conflicts a read of the reservations before its write and,
 * by losing the whole transaction rather than part of it, a savepoint (a round trip) too: the
 * constraint checks every row it inserts anyway, and the locks (case, room, counsellors) mean no
 * other booking can reserve those resources in between. The second attempt takes its locks anew and
 * judges what is committed by then, as a request arriving a moment later would.
 */
export async function bookUnopposedFirst<T>(attempt: (unopposed: boolean) => Promise<T>): Promise<T> {
  try {
    return await attempt(true)
  } catch (error) {
    if (error instanceof ReservationInTheWay) return attempt(false)
    throw error
  }
}

/** insertVisits of occurrences judged as if no reservation were in the way: ReservationInTheWay when the constraint finds one. */
async function insertVisitsUnopposed(...write: Parameters<typeof insertVisits>): Promise<BookedVisit[]> {
  try {
    return await insertVisits(...write)
  } catch (error) {
    if (databaseErrorOf(error)?.code === EXCLUSION_VIOLATION) throw new ReservationInTheWay()
    throw error
  }
}

/**
 * The insert of each visit's reservations: its room place, counsellors and the case's people for its
 * whole span. PostgreSQL makes the rows from one per visit and the list of resources (the same for
 * every visit), so Node does not write out each visit's five or so rows as JSON.
 */
function reservationInsert(ctx: BookingContext, booked: { visit: Pick<VisitRow, 'id' | 'spanStart' | 'spanEnd'>; place: number | null }[]): SQL {
  const resources: [ResourceKind, string][] = [
    ...(ctx.room ? [['room', ctx.room.id] as [ResourceKind, string]] : []),
    ...ctx.request.counsellorIds.map((id): [ResourceKind, string] => ['counsellor', id]),
    ...ctx.people.map((p): [ResourceKind, string] => ['party', p.partyId]),
  ]
  const spans = JSON.stringify(booked.map(({ visit, place }) => ({ id: visit.id, place: place ?? 1, s: isoUtc(visit.spanStart), e: isoUtc(visit.spanEnd) })))
  return sql`insert into ${reservations} (resource_kind, resource_id, place, during, visit_id)
    select k.kind, k.id, case when k.kind = 'room' then v.place else 1 end, tstzrange(v.s, v.e), v.id
    from json_to_recordset(${spans}::json) as v(id uuid, place int, s timestamptz, e timestamptz),
      unnest(${textArray(resources.map(([kind]) => kind))}, ${uuidArray(resources.map(([, id]) => id))}) as k(kind, id)`
}

/**
 * Books the occurrences in order, each judged by the calendar rules, the existing reservations and
 * the occurrences accepted before it in this request; the accepted ones are then written in one
 * statement. The caller's locks (case, room, counsellors) keep the reservations current until commit;
 * should the exclusion constraint still object, the whole request is a 409 and nothing is written.
 * `reject`: any unbookable occurrence makes the whole request a 409 listing every conflict.
 *
 * `unopposed` (see bookUnopposedFirst): when the rules leave something to book, it is written at
 * once, as if no reservation were in the way (room place 1), and the exclusion constraint judges that;
 * should it find a reservation in the way, ReservationInTheWay ends the transaction. Otherwise the
 * reservations are read first, and the occurrences judged with them (a room place other than 1, a
 * skipped date, a 409).
 */
export async function bookOccurrences(
  tx: Tx,
  actor: Actor,
  ctx: BookingContext,
  starts: Date[],
  options: { onConflict: 'reject' | 'skip'; dryRun: boolean; series: typeof series.$inferInsert | null; unopposed: boolean },
) {
  const plans = starts.map((start) => planVisit(ctx, start))
  if (!options.dryRun && options.unopposed) {
    const unopposed = judgeOccurrences(ctx, plans, null)
    if (unopposed.skipped.length === 0 || options.onConflict === 'skip') {
      const booked = await insertVisitsUnopposed(tx, actor, ctx, unopposed.accepted, options.series)
      return { booked, planned: [], skipped: unopposed.skipped }
    }
  }
  const overlaps = await overlapsOf(tx, ctx, plans)
  const { accepted, skipped } = judgeOccurrences(ctx, plans, overlaps)
  if (options.onConflict === 'reject' && skipped.length > 0) {
    throw conflict(
      'booking-conflict',
      `${skipped.length} of ${starts.length} occurrence(s) cannot be booked; nothing was booked. ` +
        skipped
          .slice(0, 5)
          .map((s) => `${formatInstant(s.start, ctx.timeZone)}: ${s.reasons.map((r) => r.detail).join(', ')}`)
          .join('; '),
      { conflicts: conflictsOf(skipped) },
    )
  }
  // A dry run books nothing: it answers what would be booked.
  if (options.dryRun) return { booked: [], planned: accepted.map(({ planned }) => planned), skipped }
  const booked = await insertVisits(tx, actor, ctx, accepted, options.series)
  return { booked, planned: [], skipped }
}

/**
 * Each occurrence judged by the rules, its overlaps (null: there are none) and the occurrences
 * accepted before it; an occurrence without reasons is accepted, with the room place it takes.
 */
function judgeOccurrences(ctx: BookingContext, plans: PlannedVisit[], overlaps: Overlaps[] | null) {
  const accepted: { planned: PlannedVisit; place: number | null }[] = []
  const skipped: Skipped[] = []
  // With no reservation in the way, the room's first place is free.
  const none: Overlaps = { reasons: [], freePlace: ctx.room ? 1 : null }
  let counted = ctx.visitsCounted
  plans.forEach((planned, i) => {
    const overlap = overlaps ? overlaps[i]! : none
    const reasons = slotReasons(ctx, planned, counted)
    reasons.push(...overlap.reasons)
    // The same people are in every occurrence: one overlapping an earlier one of this request is busy.
    if (accepted.some((a) => a.planned.spanStart < planned.spanEnd && a.planned.spanEnd > planned.spanStart)) {
      reasons.push({ code: 'party_busy', detail: 'overlaps another occurrence of this request' })
    }
    if (reasons.length > 0) skipped.push({ start: planned.start, reasons })
    else {
      accepted.push({ planned, place: overlap.freePlace })
      // Rejected or not, the rest is judged as if this one were booked, so every conflict (maxVisits too) is listed.
      counted++
    }
  })
  return { accepted, skipped }
}

function resourceKindOf(code: BookingReason['code']): string | undefined {
  return { room_busy: 'room', counsellor_busy: 'counsellor', party_busy: 'party', counsellor_absent: 'counsellor' }[code as string]
}

/**
 * Re-plans a booked visit in the caller's transaction (which holds the case row lock and the visit
 * row lock): its reservations are freed, the new slot is judged by every rule as a new booking would
 * be (the visit itself does not count against its own slot or against maxVisits), and the visit is
 * updated and re-reserved with its version bumped. A conflict is a 409 with `conflicts[]`.
 */
export async function rebookVisit(tx: Tx, now: Date, ctx: BookingContext, visit: VisitRow, start: Date): Promise<VisitRow> {
  await releaseReservations(tx, [visit.id])
  const planned = planVisit(ctx, start)
  const countsItself = ctx.agreementSince != null && visit.kind !== 'conversation' && visit.createdAt >= ctx.agreementSince
  const reasons = slotReasons(ctx, planned, ctx.visitsCounted - (countsItself ? 1 : 0))
  const [overlaps] = await overlapsOf(tx, ctx, [planned], visit.id)
  reasons.push(...overlaps!.reasons)
  if (reasons.length > 0) {
    throw conflict(
      'booking-conflict',
      `The visit cannot move to ${formatInstant(start, ctx.timeZone)}: ${reasons.map((r) => r.detail).join(', ')}. Nothing was changed.`,
      { conflicts: conflictsOf([{ start, reasons }]) },
    )
  }
  const [row] = await tx
    .update(visits)
    .set({ ...visitValues(ctx, planned), version: sql`${visits.version} + 1`, updatedAt: now })
    .where(eq(visits.id, visit.id))
    .returning()
  await tx.execute(reservationInsert(ctx, [{ visit: row!, place: overlaps!.freePlace }]))
  return row!
}
