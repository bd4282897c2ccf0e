/** What the report tests share (not a test file itself): a case with visits whose outcomes are known. */
import { eq } from 'drizzle-orm'
import { visitOutcomes, visits } from '../../src/db/schema.js'
import { acceptedCase, call, completeIntake, type AcceptedCase, type TestContext } from '../helpers/app.js'
import { localDay } from '../helpers/openapi-harness.js'

export { hasChromium, hasPdftotext, pdfText, printedHtml } from '../helpers/printing.js'

/** Fetches a report in a representation: the body as text (JSON, HTML) or bytes (PDF). */
export async function fetchReport(ctx: TestContext, id: string, token: string, accept = 'application/json') {
  const response = await ctx.app.inject({ url: `/v1/reports/${id}`, headers: { authorization: `Bearer ${token}`, accept } })
  return { status: response.statusCode, type: String(response.headers['content-type']), text: response.body, bytes: response.rawPayload }
}

/**
 * A referral accepted, every paper signed (an agreement without a maximum number of visits) and
 * the case active: the case_started report is issued.
 */
export async function activeCase(ctx: TestContext, overrides: Record<string, unknown> = {}): Promise<AcceptedCase> {
  const c = await acceptedCase(ctx, overrides)
  await completeIntake(ctx, c, { agreement: true })
  const put = await call(ctx.app, {
    method: 'PUT',
    url: `/v1/cases/${c.caseId}/agreement`,
    token: c.staff,
    body: { kinds: ['supervised_visit'], frequency: 'weekly', durationMinutes: 60 },
  })
  if (put.status !== 201 && put.status !== 200) throw new Error(`agreement: ${put.status} ${put.body}`)
  for (const partyId of [c.visiting, c.residing]) {
    const signed = await call(ctx.app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/agreement/signatures`,
      token: c.staff,
      body: { partyId, signedAt: new Date(ctx.app.clock.now().getTime() - 60_000).toISOString() },
    })
    if (signed.status !== 201) throw new Error(`agreement signature: ${signed.status} ${signed.body}`)
  }
  const activated = await call(ctx.app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff })
  if (activated.status !== 200) throw new Error(`activation: ${activated.status} ${activated.body}`)
  return c
}

/** Books `count` visits through the API, three days apart from `firstDay` days ahead. */
export async function bookVisits(ctx: TestContext, c: AcceptedCase, count: number, firstDay = 2): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const booked = await call(ctx.app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/visits`,
      token: c.staff,
      body: {
        kind: 'supervised_visit',
        roomId: ctx.centre.demo.roomIds[0],
        counsellorIds: [ctx.centre.demo.counsellorIds[0]],
        start: localDay(firstDay + 3 * i),
        durationMinutes: 60,
      },
    })
    if (booked.status !== 201) throw new Error(`booking: ${booked.status} ${booked.body}`)
    ids.push(booked.json.id as string)
  }
  return ids
}

/**
 * Gives six booked visits known outcomes. Cancellations and outcomes have routes being built in
 * parallel (src/modules/visits); until they land the test writes the rows those routes will write.
 * Returns the visit counts a report over them must state.
 */
export async function recordOutcomes(ctx: TestContext, c: AcceptedCase, ids: string[], marker = 'INTERNAL') {
  const db = ctx.database.db
  const [held, lateByVisiting, byCentre, noShow, interrupted] = ids as [string, string, string, string, string, string]
  const rows = await db.select().from(visits).where(eq(visits.id, held))
  const start = rows[0]!.startsAt
  const end = rows[0]!.endsAt
  await db.update(visits).set({ status: 'fulfilled' }).where(eq(visits.id, held))
  await db.insert(visitOutcomes).values({ visitId: held, outcome: 'fulfilled', actualStart: start, actualEnd: end })
  await db
    .update(visits)
    .set({ status: 'cancelled', cancelledBy: 'visiting_party', cancelledLate: true, cancelReasonCode: 'illness', cancelExplanation: `${marker} cancellation` })
    .where(eq(visits.id, lateByVisiting))
  await db
    .update(visits)
    .set({ status: 'cancelled', cancelledBy: 'centre', cancelledLate: false, cancelReasonCode: 'counsellor_unavailable' })
    .where(eq(visits.id, byCentre))
  // A no-show first recorded for the wrong party, then corrected: the current outcome counts.
  await db.update(visits).set({ status: 'noshow' }).where(eq(visits.id, noShow))
  const [wrong] = await db
    .insert(visitOutcomes)
    .values({ visitId: noShow, outcome: 'noshow', absentPartyIds: [c.residing] })
    .returning()
  await db.insert(visitOutcomes).values({ visitId: noShow, outcome: 'noshow', absentPartyIds: [c.visiting], supersedes: wrong!.id })
  await db.update(visits).set({ status: 'interrupted' }).where(eq(visits.id, interrupted))
  await db.insert(visitOutcomes).values({
    visitId: interrupted,
    outcome: 'interrupted',
    reasonCode: 'house_rules_violation',
    explanation: `${marker} interruption`,
    interruptedAt: start,
  })
  // The sixth stays booked: awaiting its outcome.
  return {
    planned: 6,
    held: 1,
    booked: 1,
    cancelled: { total: 2, late: 1, by: { visiting_party: 1, residing_party: 0, centre: 1, referrer: 0 } },
    noShow: { visits: 1, byParty: [{ role: 'visiting_parent', visits: 1 }] },
    interrupted: 1,
  }
}
