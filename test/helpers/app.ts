import type { Clock } from '../../src/clock.js'
import type { WebhookPolicy } from '../../src/modules/webhooks/service.js'
import { buildApp, type App } from '../../src/app.js'
import type { Database } from '../../src/db/client.js'
import { pgliteDatabase, scratchDatabase } from './databases.js'
import { processTeardown } from './test-files.js'
import { setupCentre, type SetupResult } from '../../src/modules/admin/demo.js'
import { createToken } from '../../src/modules/tokens/service.js'
import { type Role } from '../../src/domain/vocabulary.js'

export const onPostgres = Boolean(process.env.DATABASE_URL)

interface Tap {
  teardown(fn: () => unknown): void
}

/**
 * A fresh database for one test file: PGlite in memory, or, with DATABASE_URL set, a new PostgreSQL
 * database created for this file and dropped after it (so files run in parallel).
 */
export async function openTestDatabase(t: Tap, poolSize = 10): Promise<Database & { url?: string }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    const database = await pgliteDatabase()
    t.teardown(() => database.close())
    return database
  }
  const { database, url, drop } = await scratchDatabase(adminUrl, 'bzr_test', poolSize)
  t.teardown(drop)
  return { ...database, url }
}

export interface TestContext {
  app: App
  database: Database
  /** A centre set up with demo data and its admin token. */
  centre: SetupResult & { demo: NonNullable<SetupResult['demo']> }
  /** The installation's operator: creates centres and courts, issues court-scoped tokens. */
  operator: string
}

/**
 * When the demo documents come into force: now, or the test clock's now when it is earlier, so that
 * a booking judged on the test's clock (documents in force then) finds them signed.
 */
const seededAt = (clock: Clock | undefined) => new Date(Math.min(Date.now(), clock?.now().getTime() ?? Infinity))

let processDatabase: Promise<Database> | undefined

/**
 * The database the test files of this process share (a runner runs a directory's files in one
 * process), made at the first call and closed when the process's tests end. Opening a database
 * costs about a second of processor time, most of a small file's; a test keeps to its own centre
 * and court, which scoping keeps apart from the others on it.
 */
function sharedDatabase(): Promise<Database> {
  processDatabase ??= openTestDatabase({ teardown: processTeardown })
  return processDatabase
}

/**
 * Builds an app of its own, with a new demo centre, on the shared database; with `ownDatabase` (or
 * a `poolSize`) on a fresh database of its own, for a test that needs the installation to itself:
 * every centre or court listed, the database closed, all webhook deliveries its own.
 */
export async function buildTestApp(
  t: Tap,
  options: { logger?: unknown; poolSize?: number; clock?: Clock; webhookPolicy?: WebhookPolicy; ownDatabase?: boolean } = {},
): Promise<TestContext> {
  const database = options.ownDatabase || options.poolSize ? await openTestDatabase(t, options.poolSize) : await sharedDatabase()
  const app = await buildApp({
    database,
    logger: options.logger as never,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.webhookPolicy ? { webhookPolicy: options.webhookPolicy } : {}),
  })
  t.teardown(() => app.close())
  const centre = await setupCentre(database.db, { centreName: 'Centre A', demo: true, now: seededAt(options.clock) })
  const operator = (await tokenFor(database, 'operator', {})).token
  return { app, database, centre: centre as TestContext['centre'], operator }
}

let processApp: Promise<App> | undefined
let centres = 0

/**
 * A new demo centre (and operator token) on the shared database, served by the process's one app.
 * With `ownApp` (implied by a `logger` or a `clock`) the test gets an app of its own on that
 * database, to add routes to or listen with.
 */
export async function testCentre(t: Tap, options: { logger?: unknown; clock?: Clock; ownApp?: boolean } = {}): Promise<TestContext> {
  const database = await sharedDatabase()
  let app: App
  if (options.ownApp || options.logger || options.clock) {
    app = await buildApp({ database, logger: options.logger as never, ...(options.clock ? { clock: options.clock } : {}) })
    t.teardown(() => app.close())
  } else {
    processApp ??= buildApp({ database }).then((built) => {
      processTeardown(() => built.close())
      return built
    })
    app = await processApp
  }
  const centre = await setupCentre(database.db, { centreName: `Centre ${++centres}`, demo: true, now: seededAt(options.clock) })
  const operator = (await tokenFor(database, 'operator', {})).token
  return { app, database, centre: centre as TestContext['centre'], operator }
}

/** Issues a token directly in the database (tests only). */
export async function tokenFor(database: Database, role: Role, scope: { centreId?: string; courtId?: string; counsellorId?: string }) {
  const { row, secret } = await createToken(database.db, { role, ...scope })
  return { id: row.id, token: secret }
}

export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/** inject with a bearer token and a parsed JSON body. */
export async function call(app: App, { method = 'GET', url, token, body, headers = {} }: Call) {
  const response = await app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : typeof body === 'string' || Buffer.isBuffer(body) ? { payload: body } : { payload: body as object }),
  })
  let json: any
  try {
    json = response.json()
  } catch {
    json = undefined
  }
  return { status: response.statusCode, json, headers: response.headers, body: response.body }
}

// ── Referrals and cases through HTTP ───────────────────────────────────────────────

/** A complete court-ordered referral for the demo centre; `overrides` replace top-level fields. */
export function referralBody(centre: TestContext['centre'], overrides: Record<string, unknown> = {}) {
  return {
    centreId: centre.centreId,
    source: 'court',
    legalFramework: 'court_ordered',
    courtId: centre.demo.courtId,
    courtReference: '24/1234/A',
    decisionDate: '2026-02-10',
    hearingDate: '2026-09-15',
    requested: { kind: 'supervised_visit', frequency: 'every two weeks', durationMinutes: 120, notes: 'Start slowly.' },
    reason: 'Contact broken for two years after the separation.',
    parties: [
      { role: 'child', givenName: 'Lena', familyName: 'Vermeulen', birthDate: '2019-05-02', language: 'nl' },
      {
        role: 'visiting_parent',
        givenName: 'Tom',
        familyName: 'Vermeulen',
        birthDate: '1987-01-20',
        language: 'nl',
        contact: { phone: '+32 470 11 22 33', email: 'tom@example.be', address: 'Kerkstraat 1, 2000 Antwerpen' },
        confidentialAddress: false,
      },
      {
        role: 'residing_parent',
        givenName: 'Sofie',
        familyName: 'Janssens',
        birthDate: '1989-07-14',
        language: 'nl',
        contact: { phone: '+32 470 44 55 66', address: 'Geheime Dreef 9, 2018 Antwerpen' },
        confidentialAddress: true,
      },
    ],
    ...overrides,
  }
}

export interface AcceptedCase {
  referralId: string
  caseId: string
  staff: string
  clerk: string
  child: string
  visiting: string
  residing: string
}

/** A clerk of the demo court submits the referral, staff accept it: a case in intake. */
export async function acceptedCase(ctx: TestContext, overrides: Record<string, unknown> = {}): Promise<AcceptedCase> {
  const { app, database, centre } = ctx
  const staff = (await tokenFor(database, 'staff', { centreId: centre.centreId })).token
  const clerk = (await tokenFor(database, 'clerk', { courtId: centre.demo.courtId })).token
  const submitted = await call(app, { method: 'POST', url: '/v1/referrals', token: clerk, body: referralBody(centre, overrides) })
  if (submitted.status !== 201) throw new Error(`referral not submitted: ${submitted.body}`)
  const accepted = await call(app, {
    method: 'POST',
    url: `/v1/referrals/${submitted.json.id}/accept`,
    token: staff,
    body: { leadCounsellorId: centre.demo.counsellorIds[0], siteId: centre.demo.siteId },
  })
  if (accepted.status !== 201) throw new Error(`referral not accepted: ${accepted.body}`)
  const partyOf = (role: string) => accepted.json.case.parties.find((p: { role: string }) => p.role === role).id as string
  return {
    referralId: submitted.json.id,
    caseId: accepted.json.caseId,
    staff,
    clerk,
    child: partyOf('child'),
    visiting: partyOf('visiting_parent'),
    residing: partyOf('residing_parent'),
  }
}

/** Intakes, document signatures and a signed agreement for every adult party; `skip` leaves steps out. */
export async function completeIntake(
  ctx: TestContext,
  c: AcceptedCase,
  skip: { intakeOf?: string; documentOf?: { partyId: string; kind: 'houseRules' | 'information' }; agreementOf?: string; agreement?: boolean } = {},
) {
  const { app, centre } = ctx
  const post = async (url: string, body: unknown, expected = 201) => {
    const response = await call(app, { method: url.endsWith('/agreement') ? 'PUT' : 'POST', url, token: c.staff, body })
    if (response.status !== expected) throw new Error(`${url}: ${response.status} ${response.body}`)
    return response.json
  }
  // A minute ago by the wall clock: after the demo documents were made, so their versions are in force.
  const signedAt = new Date(Date.now() - 60_000).toISOString()
  for (const partyId of [c.visiting, c.residing]) {
    if (skip.intakeOf !== partyId)
      await post(`/v1/cases/${c.caseId}/intakes`, { partyId, heldAt: signedAt, counsellorId: centre.demo.counsellorIds[0], summary: 'Intake held.' })
    for (const kind of ['houseRules', 'information'] as const) {
      if (skip.documentOf?.partyId === partyId && skip.documentOf.kind === kind) continue
      await post(`/v1/cases/${c.caseId}/signatures`, { partyId, documentId: centre.demo.documentIds[kind], method: 'paper', signedAt })
    }
  }
  if (skip.agreement) return
  await post(`/v1/cases/${c.caseId}/agreement`, { kinds: ['supervised_visit'], frequency: 'every two weeks', durationMinutes: 90, maxVisits: 3 })
  for (const partyId of [c.visiting, c.residing]) {
    if (skip.agreementOf !== partyId) await post(`/v1/cases/${c.caseId}/agreement/signatures`, { partyId, signedAt })
  }
}
