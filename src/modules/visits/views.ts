import { formatInstant } from '../../domain/time.js'
import type { AttendanceRow, OutcomeRow } from './queries.js'

/** How a visit's attendances and outcomes are shown: instants with the site's offset, like the visit itself. */

const at = (instant: Date | null, timeZone: string) => (instant ? formatInstant(instant, timeZone) : null)

export function attendanceView(row: AttendanceRow, timeZone: string) {
  return {
    id: row.id,
    visitId: row.visitId,
    partyId: row.partyId,
    checkedInAt: formatInstant(row.checkedInAt, timeZone),
    checkedOutAt: at(row.checkedOutAt, timeZone),
    broughtBy: row.broughtByPartyId ? { partyId: row.broughtByPartyId } : row.broughtByVisitor ? { authorisedVisitor: row.broughtByVisitor } : null,
  }
}

export function outcomeView(row: OutcomeRow, timeZone: string) {
  return {
    id: row.id,
    visitId: row.visitId,
    outcome: row.outcome,
    actualStart: at(row.actualStart, timeZone),
    actualEnd: at(row.actualEnd, timeZone),
    absentPartyIds: row.absentPartyIds,
    reasonCode: row.reasonCode,
    explanation: row.explanation,
    at: at(row.interruptedAt, timeZone),
    supersedes: row.supersedes,
    recordedAt: formatInstant(row.createdAt, timeZone),
    recordedByTokenId: row.recordedByTokenId,
  }
}

/** What the centre sees of a visit's day besides the visit: who came and went, the current outcome and every outcome recorded. */
export function visitDayView(attendances: AttendanceRow[], history: OutcomeRow[], timeZone: string) {
  const outcomes = history.map((o) => outcomeView(o, timeZone))
  return { attendances: attendances.map((a) => attendanceView(a, timeZone)), outcome: outcomes.at(-1) ?? null, outcomeHistory: outcomes }
}
