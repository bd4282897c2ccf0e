/**
 * The one table of expectations for every operation of the OpenAPI document: who may call it, and
 * how to make a valid request for it in a world (path id, body, query, headers). The authorization
 * matrix checks the roles against it; the hostile-input suite starts from its valid requests.
 */
import { eq } from 'drizzle-orm'
import { reports, visitAttendances, visits } from '../../src/db/schema.js'
import { call } from './app.js'
import { dayFromNow, freshCase, freshReferral, localDay, type Operation, type Subject, type World } from './openapi-harness.js'

export const CENTRE: Subject[] = ['admin', 'staff', 'counsellor']
const WRITERS: Subject[] = ['admin', 'staff']
const READERS: Subject[] = ['admin', 'staff', 'counsellor', 'integration', 'clerk', 'court-integration']

export interface Expectation {
  /** Who may call it; anyone else gets 403. `public` needs no token. */
  roles: Subject[] | 'public'
  /** Documented answers other than 2xx that the own scope may get (a state the setup does not satisfy). */
  own?: number[]
  /** The path id in a world (default: that world's record of the path's collection). */
  id?: (w: World, subject: Subject | null) => string | Promise<string>
  body?: (w: World, n: number, subject: Subject | null) => unknown
  query?: (w: World) => string | Promise<string>
  /** The path's parameters other than `{id}` (e.g. `{attendanceId}`), by name. */
  params?: (w: World) => Promise<Record<string, string>>
  headers?: (w: World, id: string) => Promise<Record<string, string>>
  /**
   * Another scope: with a path id, B's id and body answer 404 unless this says otherwise per subject;
   * without one, B's body or query are sent only when this gives the expected status. The operator's
   * scope is the installation: it reads every centre, court and court-scoped token.
   */
  other?: number | null | Partial<Record<Subject, number>>
}

/** Who reads reports: the centre's office and integration, the court's clerk and integration; not counsellors. */
const REPORT_READERS: Subject[] = ['admin', 'staff', 'integration', 'clerk', 'court-integration']

/**
 * The world's first report (its case's activation), looked up in the database: the feed shows a
 * report only once no older transaction on the server is running, which another suite may delay.
 */
async function firstReport(w: World) {
  const [report] = await w.ctx.database.db.select({ id: reports.id }).from(reports).where(eq(reports.centreId, w.centreId)).orderBy(reports.id).limit(1)
  if (!report) throw new Error(`no report in world ${w.name}`)
  return report.id
}

/** A fresh progress report on the world's case. */
async function progressReport(w: World) {
  const issued = await call(w.ctx.app, { method: 'POST', url: `/v1/cases/${w.caseId}/reports`, token: w.tokens.admin, body: { kind: 'progress' } })
  if (issued.status !== 201) throw new Error(`progress report in world ${w.name}: ${issued.status} ${issued.body}`)
  return issued.json.id as string
}

const now = () => new Date().toISOString()

/** The child of the fresh case each world's last concern is opened on. */
const freshChild = new Map<string, string>()

/** An open concern on a fresh case of the world. */
async function openConcern(w: World) {
  const fresh = await freshCase(w)
  const opened = await call(w.ctx.app, {
    method: 'POST',
    url: `/v1/cases/${fresh.caseId}/concerns`,
    token: w.tokens.admin,
    body: { summary: 'Matrix concern.', childPartyIds: [fresh.child], observedAt: now() },
  })
  if (opened.status !== 201) throw new Error(`concern in world ${w.name}: ${opened.status} ${opened.body}`)
  return opened.json.id as string
}

/** A message on the world's referral from the side other than the subject's (the one the subject marks read). */
async function messageToRead(w: World, subject: Subject | null) {
  const fromCentre = subject === 'clerk' || subject === 'court-integration'
  const sent = await call(w.ctx.app, {
    method: 'POST',
    url: `/v1/referrals/${w.referralId}/messages`,
    token: fromCentre ? w.tokens.admin : w.tokens.clerk,
    body: fromCentre ? { kind: 'information', text: 'Matrix answer.' } : { kind: 'other', text: 'Matrix news.' },
  })
  if (sent.status !== 201) throw new Error(`message in world ${w.name}: ${sent.status} ${sent.body}`)
  return sent.json.id as string
}

// One multipart body for every upload of the matrix: a small PDF under a fixed boundary.
const UPLOAD_BOUNDARY = 'matrix-boundary-7d3a'
const upload = Buffer.concat([
  Buffer.from(`--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="matrix.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
  Buffer.from('%PDF-1.4\n% matrix\n'),
  Buffer.from(`\r\n--${UPLOAD_BOUNDARY}--\r\n`),
])

/** A document the world's court sent with its referral. */
async function courtDocument(w: World) {
  const sent = await call(w.ctx.app, {
    method: 'POST',
    url: `/v1/referrals/${w.referralId}/attachments`,
    token: w.tokens.clerk,
    body: upload,
    headers: { 'content-type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}` },
  })
  if (sent.status !== 201) throw new Error(`attachment in world ${w.name}: ${sent.status} ${sent.body}`)
  return sent.json.id as string
}

async function calendarKeyQuery(w: World) {
  const made = await call(w.ctx.app, { method: 'POST', url: `/v1/counsellors/${w.counsellorIds[0]}/calendar-key`, token: w.tokens.admin })
  if (made.status !== 201) throw new Error(`calendar key: ${made.status} ${made.body}`)
  return `key=${encodeURIComponent(made.json.key as string)}`
}
const today = () => dayFromNow(0)
const weekdays = { mon: [{ from: '09:00', to: '17:00' }] }

export const TABLE: Record<string, Expectation> = {
  'GET /health/live': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },

  'POST /v1/centres': { roles: ['operator'], body: (_w, n) => ({ name: `Centrum nieuw ${n}` }) },
  'GET /v1/centres': { roles: [...CENTRE, 'operator'] },
  'GET /v1/centres/{id}': { roles: [...CENTRE, 'operator'], other: { operator: 200 } },
  'PATCH /v1/centres/{id}': { roles: ['admin'], body: (w) => ({ name: w.centreName }) },

  'POST /v1/sites': {
    roles: ['admin'],
    body: (_w, n) => ({ name: `Site ${n}`, timeZone: 'Europe/Brussels', judicialDistrict: 'Antwerpen', openingHours: weekdays }),
  },
  'GET /v1/sites': { roles: CENTRE },
  'GET /v1/sites/{id}': { roles: CENTRE },
  'PATCH /v1/sites/{id}': { roles: ['admin'], body: () => ({ judicialDistrict: 'Antwerpen' }) },
  'DELETE /v1/sites/{id}': { roles: ['admin'], id: (w) => w.spare.siteId },

  'POST /v1/rooms': { roles: ['admin'], body: (w, n) => ({ siteId: w.siteId, name: `Room ${n}` }), other: 404 },
  'GET /v1/rooms': { roles: CENTRE, query: (w) => `siteId=${w.siteId}`, other: 200 },
  'GET /v1/rooms/{id}': { roles: CENTRE },
  'PATCH /v1/rooms/{id}': { roles: ['admin'], body: () => ({ capacity: 1 }) },
  'DELETE /v1/rooms/{id}': { roles: ['admin'], id: (w) => w.spare.roomId },

  'POST /v1/counsellors': { roles: ['admin'], body: (_w, n) => ({ name: `Counsellor ${n}`, workingHours: weekdays }) },
  'GET /v1/counsellors': { roles: CENTRE },
  'GET /v1/counsellors/{id}': { roles: CENTRE },
  'PATCH /v1/counsellors/{id}': { roles: ['admin'], body: () => ({ languages: ['nl', 'fr'] }) },
  'DELETE /v1/counsellors/{id}': { roles: ['admin'], id: (w) => w.spare.counsellorId },
  'POST /v1/counsellors/{id}/absences': {
    roles: WRITERS,
    id: (w) => w.counsellorIds[1]!,
    body: (_w, n) => ({ from: `${localDay(200 + n)}:00Z`, until: `${localDay(200 + n, '12:00')}:00Z` }),
  },
  'GET /v1/counsellors/{id}/absences': { roles: CENTRE, id: (w) => w.counsellorIds[1]! },
  // No token: the feed opens with its key, made afresh for the world's counsellor (earlier requests may have replaced or revoked it).
  'GET /v1/counsellors/{id}/calendar.ics': { roles: 'public', query: calendarKeyQuery },
  // A counsellor token for its own counsellor, the world's first (another one's answers 404).
  'POST /v1/counsellors/{id}/calendar-key': { roles: CENTRE },
  'DELETE /v1/counsellors/{id}/calendar-key': { roles: CENTRE },

  // Courts are a shared registry the operator keeps: every centre refers families from every court.
  'POST /v1/courts': { roles: ['operator'], body: (_w, n) => ({ name: `Court ${n}`, judicialDistrict: 'Gent' }) },
  'GET /v1/courts': { roles: [...READERS, 'operator'] },
  'GET /v1/courts/{id}': { roles: [...READERS, 'operator'], other: { admin: 200, staff: 200, counsellor: 200, integration: 200, operator: 200 } },
  'PATCH /v1/courts/{id}': { roles: ['operator'], body: () => ({ judicialDistrict: 'Antwerpen' }), other: { operator: 200 } },
  'DELETE /v1/courts/{id}': { roles: ['operator'], id: (w) => w.spare.courtId, other: { operator: 200 } },

  // A centre's admin issues its centre's tokens; the operator the court-scoped ones.
  'POST /v1/tokens': {
    roles: ['admin', 'operator'],
    other: { operator: 201 },
    body: (w, n, subject) => (subject === 'operator' ? { role: 'clerk', courtId: w.courtId, label: `matrix ${n}` } : { role: 'staff', label: `matrix ${n}` }),
  },
  'GET /v1/tokens': { roles: ['admin', 'operator'] },
  'DELETE /v1/tokens/{id}': {
    roles: ['admin', 'operator'],
    id: (w, subject) => (subject === 'operator' ? w.spare.courtTokenId : w.spare.tokenId),
    other: { operator: 200 },
  },
  'GET /v1/audit': { roles: ['admin'], query: (w) => `entityId=${w.caseId}`, other: 200 },
  'GET /v1/parties/{id}/export': { roles: ['admin'], id: (w) => w.parties.visiting },
  // The family's record: staff keep the parties' data right and add people to a case.
  'PATCH /v1/parties/{id}': {
    roles: WRITERS,
    id: (w) => w.parties.visiting,
    body: (_w, n) => ({ contact: { phone: `+32 470 00 00 ${String(n).padStart(2, '0')}` } }),
  },
  'POST /v1/cases/{id}/parties': {
    roles: WRITERS,
    body: (_w, n) => ({ role: 'visiting_grandparent', givenName: 'Oma', familyName: `Matrix ${n}`, language: 'nl' }),
  },
  'PUT /v1/cases/{id}/safety': { roles: WRITERS, body: () => ({ mustNotMeet: [], contactBans: [], notes: 'Matrix.' }) },
  // The embedded database's backup; on PostgreSQL the operator is sent to pg_dump (409).
  'GET /v1/backup': { roles: ['operator'], own: [409] },

  // A receiver's URL must resolve to a public address; a literal one needs no DNS (nothing is sent here).
  'POST /v1/webhooks': { roles: ['admin'], body: (_w, n) => ({ url: `https://93.184.215.14/hooks/${n}`, events: ['report.issued'] }) },
  'GET /v1/webhooks': { roles: ['admin'] },
  'GET /v1/webhooks/{id}': { roles: ['admin'] },
  'DELETE /v1/webhooks/{id}': { roles: ['admin'] },
  'GET /v1/webhooks/{id}/deliveries': { roles: ['admin'] },

  'GET /v1/reason-codes': { roles: [...READERS, 'operator'] },
  'POST /v1/reason-codes': { roles: ['admin'], body: (_w, n) => ({ category: 'suspension', code: `matrix_${n}`, label: { nl: 'x', fr: 'x', en: 'x' } }) },

  'POST /v1/referrals': {
    // A referral names its destination: another centre or court is refused as not yours (422).
    roles: ['admin', 'staff', 'clerk'],
    other: 422,
    body: (w) => ({
      centreId: w.centreId,
      source: 'court',
      legalFramework: 'court_ordered',
      courtId: w.courtId,
      courtReference: 'M/1',
      decisionDate: '2026-02-10',
      reason: 'Matrix.',
      parties: [
        { role: 'child', givenName: w.partyNames[0], familyName: w.partyNames[3], birthDate: '2019-05-02', language: 'nl' },
        { role: 'visiting_parent', familyName: w.partyNames[3], birthDate: '1987-01-20', language: 'nl' },
      ],
    }),
  },
  'GET /v1/referrals': { roles: READERS },
  'GET /v1/referrals/{id}': { roles: READERS, id: (w) => w.referralId },
  'POST /v1/referrals/{id}/waitlist': { roles: WRITERS, id: freshReferral, body: () => ({}) },
  'POST /v1/referrals/{id}/refuse': { roles: WRITERS, id: freshReferral, body: () => ({ reasonCode: 'no_capacity', explanation: 'Full.' }) },
  'POST /v1/referrals/{id}/return': {
    roles: WRITERS,
    id: freshReferral,
    body: () => ({ reasonCode: 'incomplete_referral', explanation: 'Missing.', missingItems: ['decision'] }),
  },
  'POST /v1/referrals/{id}/transfer': { roles: ['operator'], id: freshReferral, body: (w) => ({ centreId: w.spare.centreId }), other: { operator: 200 } },
  'POST /v1/referrals/{id}/withdraw': { roles: ['admin', 'staff', 'clerk'], id: freshReferral, body: () => ({}) },
  // The court channel: the referring court and the centre write to each other; the court sends documents.
  'POST /v1/referrals/{id}/messages': {
    roles: ['admin', 'staff', 'clerk', 'court-integration'],
    body: (_w, n, subject) =>
      subject === 'admin' || subject === 'staff' ? { kind: 'information', text: `Matrix answer ${n}.` } : { kind: 'other', text: `Matrix news ${n}.` },
  },
  'GET /v1/referrals/{id}/messages': { roles: READERS, id: (w) => w.referralId },
  'GET /v1/messages': { roles: READERS },
  'POST /v1/messages/{id}/read': { roles: ['admin', 'staff', 'clerk'], id: messageToRead },
  'POST /v1/referrals/{id}/attachments': {
    roles: ['clerk', 'court-integration'],
    body: () => upload,
    headers: async () => ({ 'content-type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}` }),
  },
  'GET /v1/attachments/{id}': { roles: ['admin', 'staff', 'clerk', 'court-integration'], id: courtDocument },
  'POST /v1/referrals/{id}/accept': { roles: WRITERS, id: freshReferral, body: (w) => ({ leadCounsellorId: w.counsellorIds[0], siteId: w.siteId }) },

  'GET /v1/cases': { roles: READERS },
  'GET /v1/cases/{id}': { roles: READERS },
  'GET /v1/cases/{id}/readiness': { roles: CENTRE },
  'GET /v1/cases/{id}/events': { roles: READERS },
  // The world's case is court-ordered: it stays exempt (a contribution would be 409).
  'PUT /v1/cases/{id}/fee': { roles: ['admin'], body: () => ({ exempt: true, reason: 'Court-ordered.' }) },
  'POST /v1/cases/{id}/intakes': {
    roles: WRITERS,
    body: (w) => ({ partyId: w.parties.visiting, heldAt: now(), counsellorId: w.counsellorIds[0], summary: 'Again.' }),
  },
  // A fresh case straight in the database has no intakes: activation is refused with 409.
  'POST /v1/cases/{id}/activate': { roles: WRITERS, own: [409], id: async (w) => (await freshCase(w, 'intake')).caseId, body: () => ({}) },
  'POST /v1/cases/{id}/extend': {
    roles: WRITERS,
    id: async (w) => (await freshCase(w)).caseId,
    // Past the centre's longest trajectory: an admin extends with an exceptional reason; staff are told it is exceptional.
    own: [409],
    body: (_w, _n, subject) => ({
      plannedEndDate: dayFromNow(500),
      explanation: 'More time.',
      ...(subject === 'admin' ? { exceptionalReason: 'Hearing postponed.' } : {}),
    }),
  },
  'POST /v1/cases/{id}/suspend': {
    roles: WRITERS,
    id: async (w) => (await freshCase(w)).caseId,
    body: () => ({ reasonCode: 'illness', explanation: 'Ill.', from: today() }),
  },
  'POST /v1/cases/{id}/resume': { roles: WRITERS, id: async (w) => (await freshCase(w, 'suspended')).caseId, body: () => ({ explanation: 'Better.' }) },
  'POST /v1/cases/{id}/end': {
    roles: WRITERS,
    id: async (w) => (await freshCase(w)).caseId,
    body: () => ({ reasonCode: 'goal_reached', explanation: 'Done.', effectiveDate: today() }),
  },

  'POST /v1/documents': { roles: WRITERS, body: (_w, n) => ({ kind: 'information', language: 'en', title: `Info ${n}`, body: 'Text.' }) },
  'GET /v1/documents': { roles: CENTRE },
  // Signing again what is signed is a documented conflict.
  'POST /v1/cases/{id}/signatures': {
    roles: WRITERS,
    own: [409],
    body: (w) => ({ partyId: w.parties.visiting, documentId: w.documentIds.houseRules, method: 'paper', signedAt: now() }),
  },
  'PUT /v1/cases/{id}/agreement': {
    roles: WRITERS,
    id: async (w) => (await freshCase(w)).caseId,
    body: () => ({ kinds: ['supervised_visit'], durationMinutes: 90 }),
  },
  'POST /v1/cases/{id}/agreement/signatures': { roles: WRITERS, own: [409], body: (w) => ({ partyId: w.parties.visiting, signedAt: now() }) },

  'POST /v1/recurrence/preview': { roles: CENTRE, body: () => ({ start: '2027-03-06T10:00', timeZone: 'Europe/Brussels', rrule: 'FREQ=WEEKLY;COUNT=3' }) },
  'GET /v1/availability': {
    roles: CENTRE,
    query: (w) => `siteId=${w.siteId}&from=${localDay(50).slice(0, 10)}&to=${localDay(53).slice(0, 10)}&durationMinutes=60`,
    other: 404,
  },
  'POST /v1/cases/{id}/series': {
    roles: WRITERS,
    body: (w) => ({
      kind: 'supervised_visit',
      roomId: w.roomIds[1],
      counsellorIds: [w.counsellorIds[0]],
      start: localDay(60),
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;COUNT=1',
      onConflict: 'reject',
      dryRun: true,
    }),
  },
  'POST /v1/cases/{id}/visits': {
    roles: WRITERS,
    id: async (w) => (await freshCase(w)).caseId,
    body: (w, n) => ({
      kind: 'supervised_visit',
      roomId: w.roomIds[1],
      counsellorIds: [w.counsellorIds[0]],
      start: localDay(70 + (n % 200)),
      durationMinutes: 60,
    }),
  },
  'GET /v1/series/{id}': { roles: CENTRE },
  'DELETE /v1/series/{id}': { roles: WRITERS, query: () => `from=${localDay(21).slice(0, 10)}` },
  // World A's series has a visit on localDay(14): the sheet of that day is not empty.
  'GET /v1/sites/{id}/day-sheet': { roles: CENTRE, query: () => `date=${localDay(14).slice(0, 10)}` },
  // A centre's own figures; the operator's are every centre's. Another centre's site is not found.
  'GET /v1/statistics': {
    roles: ['admin', 'staff', 'operator'],
    query: (w) => `from=${localDay(-30).slice(0, 10)}&to=${localDay(30).slice(0, 10)}&siteId=${w.siteId}&groupBy=site`,
    other: { admin: 404, staff: 404, operator: 200 },
  },
  'GET /v1/visits': { roles: READERS },
  'GET /v1/visits/{id}': { roles: READERS },
  // The world's visits are supervised by the counsellor subject; clerks and integrations never read observations.
  'POST /v1/visits/{id}/observations': { roles: CENTRE, body: (_w, n) => ({ kind: 'observation', text: `Observation ${n}.` }) },
  'GET /v1/visits/{id}/observations': { roles: CENTRE },
  // Concerns: the centre's roles only (a centre's integration neither). New ones are opened on fresh cases, so the
  // world's case has no open concern and its progress reports need no confirmation; the world's own concern is closed (409).
  'GET /v1/cases/{id}/concerns': { roles: CENTRE },
  'POST /v1/cases/{id}/concerns': {
    roles: CENTRE,
    id: async (w) => {
      const fresh = await freshCase(w)
      freshChild.set(w.name, fresh.child)
      return fresh.caseId
    },
    body: (w) => ({ summary: 'Matrix concern.', childPartyIds: [freshChild.get(w.name)], observedAt: now() }),
  },
  // Consultations with other services: internal, the centre's roles only.
  'GET /v1/cases/{id}/consultations': { roles: CENTRE },
  'POST /v1/cases/{id}/consultations': {
    roles: CENTRE,
    body: () => ({ with: { kind: 'youth_care', name: 'OCJ Matrix' }, purpose: 'Matrix consultation.', at: now() }),
  },
  'GET /v1/concerns/{id}': { roles: CENTRE },
  'POST /v1/concerns/{id}/steps': {
    roles: CENTRE,
    id: openConcern,
    body: () => ({ step: 'reported', reportedTo: 'ocj', at: now(), note: 'Matrix step.' }),
  },
  'POST /v1/concerns/{id}/close': { roles: CENTRE, id: openConcern, body: () => ({ outcome: 'Matrix outcome.', note: 'Matrix close.' }) },
  'PATCH /v1/visits/{id}': {
    roles: WRITERS,
    body: () => ({ durationMinutes: 60 }),
    headers: async (w, id) => ({ 'if-match': String((await call(w.ctx.app, { url: `/v1/visits/${id}`, token: w.tokens.admin })).headers.etag ?? '"1"') }),
  },
  // The world's visits are weeks ahead: the first caller cancels the second visit, the next find it cancelled (409).
  'POST /v1/visits/{id}/cancel': {
    roles: CENTRE,
    own: [409],
    id: (w) => w.visitIds[1]!,
    body: () => ({ cancelledBy: 'residing_party', reasonCode: 'illness', explanation: 'Ill.' }),
  },
  // Check-in, check-out and outcomes of a visit weeks ahead: not its day, not started (409).
  'POST /v1/visits/{id}/check-in': { roles: CENTRE, own: [409], body: (w) => ({ partyId: w.parties.visiting }) },
  'POST /v1/visits/{id}/check-out': { roles: CENTRE, own: [409], body: (w) => ({ partyId: w.parties.visiting }) },
  'POST /v1/visits/{id}/outcome': { roles: CENTRE, own: [409], body: (w) => ({ outcome: 'noshow', absentPartyIds: [w.parties.visiting] }) },
  // An attendance of a visit recorded after the fact three days ago; each call moves its check-in a second earlier.
  'PATCH /v1/visits/{id}/attendances/{attendanceId}': {
    roles: CENTRE,
    id: async (w) => (await pastAttendance(w)).visitId,
    params: async (w) => ({ attendanceId: (await pastAttendance(w)).attendanceId }),
    body: (w, n) => ({
      checkedInAt: new Date(Date.parse(`${pastDays.get(w.centreId)}T11:00:00Z`) - n * 1000).toISOString(),
      correctionReason: 'Matrix correction.',
    }),
  },
  // The world's last visit: the first caller marks it, the next find it entered in error already (409).
  'POST /v1/visits/{id}/entered-in-error': { roles: WRITERS, own: [409], id: (w) => w.visitIds.at(-1)!, body: () => ({ reason: 'Matrix error.' }) },

  // Reports: the world's activation and refusal issued some; a progress report is issued on demand.
  'GET /v1/reports': { roles: REPORT_READERS },
  'GET /v1/reports/{id}': { roles: REPORT_READERS, id: firstReport },
  'GET /v1/reports/{id}/verify': { roles: REPORT_READERS, id: firstReport },
  'POST /v1/cases/{id}/reports': { roles: WRITERS, body: () => ({ kind: 'progress', language: 'nl' }) },
  // A report is corrected once: each call corrects a fresh one.
  'POST /v1/reports/{id}/corrections': { roles: WRITERS, id: progressReport, body: () => ({ correctionNote: 'Matrix correction.' }) },
}

/** The operation with its path's parameters other than `{id}` filled in from its expectation. */
export async function withParams(op: Operation, spec: Expectation | undefined, w: World): Promise<Operation> {
  const params = spec?.params ? await spec.params(w) : {}
  return { ...op, path: Object.entries(params).reduce((path, [name, value]) => path.replace(`{${name}}`, value), op.path) }
}

const pastAttendances = new Map<string, Promise<{ visitId: string; attendanceId: string }>>()
/** The day of each world's past attendance (known once its id was asked for, before any body). */
const pastDays = new Map<string, string>()

/**
 * Per world, once: a visit of a fresh case three days ago, its visiting party checked in, written
 * straight to the database (the suites change the world's documents and cases on the way, and the
 * booking gate would judge those; the routes that make such a visit are tested in test/visits).
 */
function pastAttendance(w: World) {
  let found = pastAttendances.get(w.centreId)
  if (!found) {
    found = (async () => {
      const fresh = await freshCase(w)
      const day = dayFromNow(-3)
      const start = new Date(`${day}T12:00:00Z`)
      const end = new Date(`${day}T13:00:00Z`)
      const [visit] = await w.ctx.database.db
        .insert(visits)
        .values({
          centreId: w.centreId,
          caseId: fresh.caseId,
          siteId: w.siteId,
          roomId: w.roomIds[0]!,
          counsellorIds: [w.counsellorIds[0]!],
          partyIds: [fresh.child, fresh.visiting, fresh.residing],
          kind: 'supervised_visit',
          timeZone: 'Europe/Brussels',
          startsAt: start,
          endsAt: end,
          spanStart: start,
          spanEnd: end,
          status: 'arrived',
        })
        .returning({ id: visits.id })
      const [attendance] = await w.ctx.database.db
        .insert(visitAttendances)
        .values({ visitId: visit!.id, partyId: fresh.visiting, checkedInAt: new Date(`${day}T11:50:00Z`) })
        .returning({ id: visitAttendances.id })
      pastDays.set(w.centreId, day)
      return { visitId: visit!.id, attendanceId: attendance!.id }
    })()
    pastAttendances.set(w.centreId, found)
  }
  return found
}

/** The default path id of an operation in a world: its record of the path's collection. */
export function defaultId(w: World, op: Operation): string {
  const collection = op.path.split('/')[2]
  const ids: Record<string, string> = {
    centres: w.centreId,
    sites: w.siteId,
    rooms: w.roomIds[0]!,
    counsellors: w.counsellorIds[0]!,
    courts: w.courtId,
    tokens: w.spare.tokenId,
    referrals: w.submittedReferralId,
    cases: w.caseId,
    series: w.seriesId,
    visits: w.visitIds[0]!,
    concerns: w.concernId,
    webhooks: w.webhookId,
  }
  const id = ids[collection!]
  if (!id) throw new Error(`no id for ${op.key}`)
  return id
}
