import type { AttendanceRow, OutcomeRow } from './queries.js'

/** How a visit's attendances and outcomes are shown: instants in UTC, like the visit itself. */

export function attendanceView(row: AttendanceRow) {
  return {
    id: row.id,
    visitId: row.visitId,
    partyId: row.partyId,
    checkedInAt: row.checkedInAt,
    checkedOutAt: row.checkedOutAt,
    broughtBy: row.broughtByPartyId ? { partyId: row.broughtByPartyId } : row.broughtByVisitor ? { authorisedVisitor: row.broughtByVisitor } : null,
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
    reasonCode: row.reasonCode,
    explanation: row.explanation,
    at: row.interruptedAt,
    supersedes: row.supersedes,
    recordedAt: row.createdAt,
    recordedByTokenId: row.recordedByTokenId,
  }
}

/** What the centre sees of a visit's day besides the visit: who came and went, the current outcome and every outcome recorded. */
export function visitDayView(attendances: AttendanceRow[], history: OutcomeRow[]) {
  const outcomes = history.map((o) => outcomeView(o))
  return { attendances: attendances.map((a) => attendanceView(a)), outcome: outcomes.at(-1) ?? null, outcomeHistory: outcomes }
}
