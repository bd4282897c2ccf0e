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

const weekdays = [{ from: '09:00', to: '20:00' }]
/** A week with a short Saturday and a quiet Sunday, for the tests of the rules that close a site or a counsellor's day. */
export const SHORT_WEEKEND = {
  /** The site: Mon–Fri 09:00–20:00, Sat 09:00–18:00, Sun 10:00–17:00. */
  openingHours: {
    mon: weekdays,
    tue: weekdays,
    wed: weekdays,
    thu: weekdays,
    fri: weekdays,
    sat: [{ from: '09:00', to: '18:00' }],
    sun: [{ from: '10:00', to: '17:00' }],
  },
  /** The counsellors: Mon–Fri 09:00–20:00 and Sat 09:00–18:00, not on Sunday. */
  workingHours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [{ from: '09:00', to: '18:00' }] },
}

/**
 * Gives the demo site and its counsellors SHORT_WEEKEND's hours (the demo is open and staffed every
 * day), so that a test can book into a closed Sunday or after a short Saturday.
 */
export async function useShortWeekend(ctx: TestContext) {
  const { app, centre } = ctx
  const token = centre.adminToken
  const site = await call(app, { method: 'PATCH', url: `/v1/sites/${centre.demo.siteId}`, token, body: { openingHours: SHORT_WEEKEND.openingHours } })
  if (site.status !== 200) throw new Error(site.body)
  for (const id of centre.demo.counsellorIds) {
    const counsellor = await call(app, { method: 'PATCH', url: `/v1/counsellors/${id}`, token, body: { workingHours: SHORT_WEEKEND.workingHours } })
    if (counsellor.status !== 200) throw new Error(counsellor.body)
  }
}
