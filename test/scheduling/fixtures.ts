/** Small HTTP helpers shared by the scheduling tests (not a test file itself). */
import { call, type TestContext } from '../helpers/app.js'

export interface Reason {
  code: string
  detail: string
  resourceId?: string
  visitId?: string
}

export function scheduling(ctx: TestContext, token = ctx.centre.adminToken) {
  const { app, centre } = ctx
  const [room1, room2] = centre.demo.roomIds as [string, string]
  const [counsellor1, counsellor2] = centre.demo.counsellorIds as [string, string]
  const visitDefaults = { kind: 'supervised_visit', roomId: room1, counsellorIds: [counsellor1], durationMinutes: 90 }
  return {
    /** Speelkamer (capacity 1) and Grote zaal (capacity 2). */
    room1,
    room2,
    counsellor1,
    counsellor2,
    /** POST /v1/cases/{id}/visits; defaults: a 90-minute supervised visit in room 1 with counsellor 1. */
    book: (caseId: string, body: Record<string, unknown>, as = token) =>
      call(app, { method: 'POST', url: `/v1/cases/${caseId}/visits`, token: as, body: { ...visitDefaults, ...body } }),
    /** POST /v1/cases/{id}/series with the same defaults. */
    series: (caseId: string, body: Record<string, unknown>, as = token) =>
      call(app, { method: 'POST', url: `/v1/cases/${caseId}/series`, token: as, body: { ...visitDefaults, ...body } }),
    /** Every visit of a case, by start. */
    async visitsOf(caseId: string) {
      const response = await call(app, { method: 'GET', url: `/v1/visits?caseId=${caseId}&limit=200`, token })
      if (response.status !== 200) throw new Error(response.body)
      return response.json.items as { id: string; start: string; status: string; cancelReasonCode: string | null; version: number }[]
    },
  }
}

/** The codes of a problem's conflicts[] or of a skipped occurrence's reasons, sorted. */
export const codesOf = (reasons: { code: string }[]) => reasons.map((r) => r.code).sort()
