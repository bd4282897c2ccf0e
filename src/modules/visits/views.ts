import type { AttendanceFacts } from '../../db/schema.js'
import { isoUtc } from '../../domain/time.js'
import type { AttendanceRow, CorrectionRow, OutcomeRow } from './queries.js'

/** How a visit's attendances and outcomes are shown: instants in UTC, like the visit itself. */

type Companion = { partyId: string } | { authorisedVisitor: string } | null
const companion = (partyId: string | null, visitor: string | null): Companion => (partyId ? { partyId } : visitor ? { authorisedVisitor: visitor } : null)

export function attendanceView(row: AttendanceRow) {
  return {
    id: row.id,
    visitId: row.visitId,
    partyId: row.partyId,
    checkedInAt: row.checkedInAt,
    checkedOutAt: row.checkedOutAt,
    broughtBy: companion(row.broughtByPartyId, row.broughtByVisitor),
    pickedUpBy: companion(row.pickedUpByPartyId, row.pickedUpByVisitor),
  }
}

/** What a correction keeps of an attendance, before and after it. */
export function attendanceFacts(row: AttendanceRow): AttendanceFacts {
  return {
    checkedInAt: isoUtc(row.checkedInAt),
    checkedOutAt: row.checkedOutAt ? isoUtc(row.checkedOutAt) : null,
    broughtBy: companion(row.broughtByPartyId, row.broughtByVisitor),
    pickedUpBy: companion(row.pickedUpByPartyId, row.pickedUpByVisitor),
  }
}

/** Stored as RFC 3339 text (jsonb); shown as instants like every other. */
const factsView = (facts: AttendanceFacts) => ({
  ...facts,
  checkedInAt: new Date(facts.checkedInAt),
  checkedOutAt: facts.checkedOutAt ? new Date(facts.checkedOutAt) : null,
})

export function correctionView(row: CorrectionRow) {
  return {
    id: row.id,
    attendanceId: row.attendanceId,
    previous: factsView(row.previous),
    corrected: factsView(row.corrected),
    correctionReason: row.reason,
    correctedAt: row.createdAt,
    recordedByTokenId: row.recordedByTokenId,
  }
}

export function outcomeView(row: OutcomeRow) {
  return {
    id: row.id,
    visitId: row.visitId,
    outcome: row.outcome,
    actualStart: row.actualStart,
    actualEnd: row.actualEnd,
    absentPartyIds: row.absentPartyIds,
    noticeGiven: row.noticeGiven,
    reasonCode: row.reasonCode,
    explanation: row.explanation,
    at: row.interruptedAt,
    supersedes: row.supersedes,
    recordedAt: row.createdAt,
    recordedByTokenId: row.recordedByTokenId,
  }
}

/**
 * What the centre sees of a visit's day besides the visit: who came and went (as corrected), every
 * correction with what it replaced, the current outcome and every outcome recorded.
 */
export function visitDayView(attendances: AttendanceRow[], corrections: CorrectionRow[], history: OutcomeRow[]) {
  const outcomes = history.map((o) => outcomeView(o))
  return {
    attendances: attendances.map((a) => attendanceView(a)),
    attendanceCorrections: corrections.map((c) => correctionView(c)),
    outcome: outcomes.at(-1) ?? null,
    outcomeHistory: outcomes,
  }
}

/** Why and when a visit was marked entered in error (null for any other visit). */
export function enteredInErrorView(row: { enteredInErrorReason: string | null; enteredInErrorAt: Date | null }) {
  return { enteredInError: row.enteredInErrorAt ? { reason: row.enteredInErrorReason ?? '', at: row.enteredInErrorAt } : null }
}
