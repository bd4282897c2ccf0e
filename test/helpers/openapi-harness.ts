/**
 * What the document-driven HTTP suites share: the operations of the app's own OpenAPI document,
 * a check of every answer against the response schema the document gives for its status, and
 * two disjoint worlds (centre A with court 1, centre B with court 2) with real records in each.
 */
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { eq, sql } from 'drizzle-orm'
import { DateTime } from 'luxon'
import type { App } from '../../src/app.js'
import type { Database } from '../../src/db/client.js'
import { centres, courts, webhooks } from '../../src/db/schema.js'
import { setupCentre } from '../../src/modules/admin/demo.js'
import { holidayOn } from '../../src/domain/belgian-holidays.js'
import { acceptedCase, call, completeIntake, referralBody, tokenFor, type TestContext } from './app.js'
import { createCase } from './cases.js'

export interface Operation {
  key: string // e.g. 'POST /v1/cases/{id}/suspend'
  method: string
  path: string
  op: any
  query: string[]
  headers: string[]
  body: any // the resolved request body schema, or null
}

export function documentOf(app: App): any {
  return app.swagger()
}

export function resolve(document: any, schema: any): any {
  if (schema?.$ref)
    return resolve(
      document,
      schema.$ref
        .split('/')
        .slice(1)
        .reduce((node: any, key: string) => node[decodeURIComponent(key.replace(/~1/g, '/').replace(/~0/g, '~'))], document),
    )
  return schema
}

export function operationsOf(document: any): Operation[] {
  const list: Operation[] = []
  for (const [path, methods] of Object.entries<any>(document.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      // JSON, or the one other type an operation takes (a multipart upload).
      const schema = (op.requestBody?.content?.['application/json'] ?? Object.values<any>(op.requestBody?.content ?? {})[0])?.schema
      const parameters = (op.parameters ?? []).map((p: any) => resolve(document, p))
      list.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        op,
        query: parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name),
        headers: parameters.filter((p: any) => p.in === 'header').map((p: any) => p.name),
        body: schema ? resolve(document, schema) : null,
      })
    }
  }
  return list
}

/**
 * Validates answers against the document: the status must be documented for the operation, an
 * error must be a problem+json with type, title, status and detail, and the body must match the
 * schema documented for that status and content type. Returns what is wrong (empty when nothing).
 */
export function responseChecker(document: any) {
  const ajv = new Ajv2020.default({ strict: false, allErrors: false, validateFormats: true })
  addFormats.default(ajv)
  // Every instant the API answers is in UTC: a date-time with an offset (+01:00) fails its schema here.
  const formats = ajv.formats as Record<string, { validate?: (value: string) => boolean }>
  const dateTime = formats['date-time']!.validate!
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => dateTime(value) && value.endsWith('Z') })
  // Component references are relative to the document's root: the components are added once, as a
  // document of their own, and each response schema refers into it (a copy of the components in
  // every response schema made ajv walk them all again for each one).
  ajv.addSchema({ $id: 'urn:openapi:document', components: document.components })
  const compiled = new Map<string, any>()
  const validatorFor = (key: string, schema: any) => {
    let validate = compiled.get(key)
    if (!validate) {
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"urn:openapi:document#/components/')))
      compiled.set(key, validate)
    }
    return validate
  }
  return (operation: Operation, response: { statusCode: number; headers: Record<string, unknown>; body: string }): string[] => {
    const problems: string[] = []
    const status = response.statusCode
    const header = response.headers['content-type']
    const contentType = typeof header === 'string' ? header : ''
    const documented = operation.op.responses?.[String(status)] ?? operation.op.responses?.[`${String(status)[0]}XX`] ?? operation.op.responses?.default
    if (status >= 400) {
      if (!contentType.startsWith('application/problem+json'))
        problems.push(`${status} is ${contentType || 'without content type'}, not application/problem+json`)
      let json: any
      try {
        json = JSON.parse(response.body)
      } catch {
        problems.push(`${status} body is not JSON`)
      }
      if (json) {
        for (const field of ['type', 'title', 'detail'] as const)
          if (typeof json[field] !== 'string' || json[field].length === 0) problems.push(`${status} problem has no ${field}`)
        if (json.status !== status) problems.push(`${status} problem says status ${json.status}`)
      }
    }
    if (!documented) {
      problems.push(`status ${status} is not documented`)
      return problems
    }
    const content = resolve(document, documented).content as Record<string, { schema?: any }> | undefined
    if (!content) return problems
    const mediaType = contentType.split(';')[0]!.trim()
    const entry = content[mediaType]
    if (!entry) {
      if (mediaType.endsWith('json') || Object.keys(content).every((m) => m.endsWith('json')))
        problems.push(`${status} answered ${mediaType || 'nothing'}; documented: ${Object.keys(content).join(', ')}`)
      return problems
    }
    if (!entry.schema || !mediaType.endsWith('json')) return problems
    let json: unknown
    try {
      json = JSON.parse(response.body)
    } catch {
      return [...problems, `${status} body is not JSON`]
    }
    const validate = validatorFor(`${operation.key} ${status} ${mediaType}`, entry.schema)
    if (!validate(json)) {
      problems.push(`${status} body does not match the documented schema: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 300)}`)
    }
    return problems
  }
}

// ── Two worlds ────────────────────────────────────────────────────────────────────────────────

/** The subjects a request is made as: a role, and for integration tokens the kind of scope. */
export const SUBJECTS = ['admin', 'staff', 'counsellor', 'integration', 'clerk', 'court-integration', 'operator'] as const
export type Subject = (typeof SUBJECTS)[number]
export const COURT_SUBJECTS: readonly Subject[] = ['clerk', 'court-integration']

/** Marks every internal text (explanations, intake summaries): none may ever reach a court. */
export const INTERNAL = 'INTERN-ONLY'

export interface World {
  name: 'A' | 'B'
  centreId: string
  centreName: string
  courtId: string
  courtName: string
  siteId: string
  roomIds: string[]
  counsellorIds: string[]
  documentIds: { houseRules: string; information: string }
  referralId: string // accepted: its case is `caseId`
  submittedReferralId: string
  caseId: string
  parties: { child: string; visiting: string; residing: string }
  partyNames: string[]
  seriesId: string
  visitIds: string[]
  /** A closed concern on the world's case (its observation's child-protection record opened it). */
  concernId: string
  absenceId: string
  webhookId: string
  spare: { siteId: string; roomId: string; counsellorId: string; courtId: string; tokenId: string; courtTokenId: string; centreId: string }
  tokens: Partial<Record<Subject, string>>
  ctx: TestContext
  /** Every id of this world's records, for leak checks. */
  ids: string[]
  /** The ids and names of its families' records, which not even the operator sees. */
  familyIds: string[]
  /** Ids of the shared registry (courts): centres see every court by design. */
  sharedIds: string[]
}

/** A working day about `days` from now at 10:00 local, as the series endpoint takes it. */
export const localDay = (days: number, time = '10:00') => {
  const d = new Date(Date.now() + days * 86_400_000)
  // Sites are closed on public holidays, and the demo counsellors do not work on Sundays.
  while (d.getUTCDay() === 0 || holidayOn(d.toISOString().slice(0, 10))) d.setUTCDate(d.getUTCDate() + 1)
  return `${d.toISOString().slice(0, 10)}T${time}`
}

/**
 * Builds one world through the API as far as it goes (referral by the court's clerk, acceptance,
 * intakes, signatures, agreement, activation, a booked series), so records are what clients make.
 */
export async function buildWorld(app: App, database: Database, name: 'A' | 'B'): Promise<World> {
  const tag = name === 'A' ? 'Alfa' : 'Bravo'
  const centre = (await setupCentre(database.db, { centreName: `Centrum ${tag}stad`, demo: true })) as TestContext['centre']
  const courtName = `Rechtbank ${tag}dorp`
  await database.db.update(courts).set({ name: courtName }).where(eq(courts.id, centre.demo.courtId))
  // World A shares its visits with courts, so the table can say what a court reads of a visit; B keeps
  // the default (not shared). The authorization matrix checks the default on A's visits at its end.
  if (name === 'A')
    await database.db
      .update(centres)
      .set({ settings: sql`${centres.settings} || '{"courtSeesVisits": true}'::jsonb` })
      .where(eq(centres.id, centre.centreId))
  const operator = (await tokenFor(database, 'operator', {})).token
  const ctx: TestContext = { app, database, centre, operator }
  const admin = centre.adminToken
  const partyNames = [`${tag}kind`, `${tag}vader`, `${tag}moeder`, `${tag}familie`]
  const parties = [
    { role: 'child', givenName: partyNames[0], familyName: partyNames[3], birthDate: '2019-05-02', language: 'nl' },
    {
      role: 'visiting_parent',
      givenName: partyNames[1],
      familyName: partyNames[3],
      birthDate: '1987-01-20',
      language: 'nl',
      contact: {
        phone: `+32 470 ${name === 'A' ? '11 11 11' : '22 22 22'}`,
        email: `${tag.toLowerCase()}@example.be`,
        address: `${tag}straat 1, 2000 Antwerpen`,
      },
      confidentialAddress: false,
    },
    {
      role: 'residing_parent',
      givenName: partyNames[2],
      familyName: partyNames[3],
      birthDate: '1989-07-14',
      language: 'nl',
      contact: { phone: `+32 470 ${name === 'A' ? '33 33 33' : '44 44 44'}`, address: `${tag}dreef 9, 2018 Antwerpen` },
      confidentialAddress: true,
    },
  ]
  const c = await acceptedCase(ctx, { parties, courtReference: `${tag}/0001` })
  await completeIntake(ctx, c)
  const activated = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: admin, body: {} })
  if (activated.status !== 200) throw new Error(`world ${name}: activation ${activated.status} ${activated.body}`)
  const booked = await call(app, {
    method: 'POST',
    url: `/v1/cases/${c.caseId}/series`,
    token: admin,
    body: {
      kind: 'supervised_visit',
      roomId: centre.demo.roomIds[0],
      counsellorIds: [centre.demo.counsellorIds[0]],
      start: localDay(14),
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;COUNT=2',
      onConflict: 'skip',
      dryRun: false,
    },
  })
  if (booked.status !== 201) throw new Error(`world ${name}: booking ${booked.status} ${booked.body}`)
  // Internal texts a court must never read: an extension's and a refusal's explanation, an intake summary, an incident.
  const internal = [
    await call(app, {
      method: 'POST',
      url: `/v1/visits/${booked.json.visits[0].id}/observations`,
      token: admin,
      body: {
        kind: 'incident',
        text: `${INTERNAL} incident`,
        reportable: true,
        childProtection: { action: 'consulted', at: new Date().toISOString(), by: `${INTERNAL} coordinator` },
      },
    }),
    await call(app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/extend`,
      token: admin,
      body: { plannedEndDate: dayFromNow(300), explanation: `${INTERNAL} extension`, exceptionalReason: `${INTERNAL} exceptional` },
    }),
    await call(app, {
      method: 'POST',
      url: `/v1/cases/${c.caseId}/intakes`,
      token: admin,
      body: { partyId: c.residing, heldAt: new Date().toISOString(), counsellorId: centre.demo.counsellorIds[0], summary: `${INTERNAL} intake` },
    }),
  ]
  const refused = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: c.clerk,
    body: referralBody(centre, { parties, courtReference: `${tag}/0003` }),
  })
  internal.push(
    await call(app, {
      method: 'POST',
      url: `/v1/referrals/${refused.json?.id}/refuse`,
      token: admin,
      body: { reasonCode: 'no_capacity', explanation: `${INTERNAL} refusal` },
    }),
  )
  for (const r of internal) if (r.status >= 300) throw new Error(`world ${name}: internal text ${r.status} ${r.body}`)
  // The incident's child-protection record opened a concern; closed (with internal texts), it lets progress reports go.
  const concernId = internal[0]!.json.concernIds[0] as string
  const closedConcern = await call(app, {
    method: 'POST',
    url: `/v1/concerns/${concernId}/close`,
    token: admin,
    body: { outcome: `${INTERNAL} outcome`, note: `${INTERNAL} concern closed` },
  })
  if (closedConcern.status !== 200) throw new Error(`world ${name}: concern ${closedConcern.status} ${closedConcern.body}`)
  const submitted = await call(app, {
    method: 'POST',
    url: '/v1/referrals',
    token: c.clerk,
    body: referralBody(centre, { parties, courtReference: `${tag}/0002` }),
  })
  if (submitted.status !== 201) throw new Error(`world ${name}: referral ${submitted.status} ${submitted.body}`)
  const absence = await call(app, {
    method: 'POST',
    url: `/v1/counsellors/${centre.demo.counsellorIds[1]}/absences`,
    token: admin,
    body: {
      from: `${localDay(30)}:00Z`,
      until: `${localDay(31)}:00Z`,
      reason: 'leave',
    },
  })
  if (absence.status !== 201) throw new Error(`world ${name}: absence ${absence.status} ${absence.body}`)

  const spareSite = await call(app, {
    method: 'POST',
    url: '/v1/sites',
    token: admin,
    body: {
      name: `${tag} annex`,
      timeZone: 'Europe/Brussels',
      judicialDistrict: 'Antwerpen',
      openingHours: { mon: [{ from: '09:00', to: '17:00' }] },
    },
  })
  const spareRoom = await call(app, { method: 'POST', url: '/v1/rooms', token: admin, body: { siteId: centre.demo.siteId, name: `${tag} spare room` } })
  const spareCounsellor = await call(app, {
    method: 'POST',
    url: '/v1/counsellors',
    token: admin,
    body: { name: `${tag} Reserve`, workingHours: { mon: [{ from: '09:00', to: '17:00' }] } },
  })
  for (const r of [spareSite, spareRoom, spareCounsellor]) if (r.status !== 201) throw new Error(`world ${name}: spare ${r.status} ${r.body}`)
  const spareCourtId = (
    await database.db
      .insert(courts)
      .values({ name: `${tag} spare court`, judicialDistrict: 'Antwerpen' })
      .returning()
  )[0]!.id
  const spareToken = await tokenFor(database, 'staff', { centreId: centre.centreId })
  // Where the operator may move a referral to.
  const spareCentre = await setupCentre(database.db, { centreName: `${tag} spare centre`, demo: false })
  // Written directly: registering through the API resolves the URL, and the worker never runs here.
  const webhookId = (
    await database.db
      .insert(webhooks)
      .values({ centreId: centre.centreId, url: `https://93.184.215.14/hooks/${tag}`, events: ['report.issued'], secret: 'whsec_bWF0cml4LXNlY3JldA==' })
      .returning()
  )[0]!.id
  const courtToken = await call(app, {
    method: 'POST',
    url: '/v1/tokens',
    token: operator,
    body: { role: 'clerk', courtId: centre.demo.courtId, label: `${tag} spare clerk` },
  })
  if (courtToken.status !== 201) throw new Error(`world ${name}: court token ${courtToken.status} ${courtToken.body}`)

  const tokens: World['tokens'] = {
    admin,
    staff: (await tokenFor(database, 'staff', { centreId: centre.centreId })).token,
    // Leads the world's case (and the fresh ones) and supervises its series: its own scope is the world's family.
    counsellor: (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[0] })).token,
    integration: (await tokenFor(database, 'integration', { centreId: centre.centreId })).token,
    clerk: c.clerk,
    'court-integration': (await tokenFor(database, 'integration', { courtId: centre.demo.courtId })).token,
  }
  tokens.operator = operator

  const caseRead = await call(app, { url: `/v1/cases/${c.caseId}`, token: admin })
  const partyIds = (caseRead.json?.parties ?? []).map((p: { id: string }) => p.id)
  const world: World = {
    name,
    centreId: centre.centreId,
    centreName: `Centrum ${tag}stad`,
    courtId: centre.demo.courtId,
    courtName,
    siteId: centre.demo.siteId,
    roomIds: centre.demo.roomIds,
    counsellorIds: centre.demo.counsellorIds,
    documentIds: centre.demo.documentIds,
    referralId: c.referralId,
    submittedReferralId: submitted.json.id,
    caseId: c.caseId,
    parties: { child: c.child, visiting: c.visiting, residing: c.residing },
    partyNames,
    seriesId: booked.json.seriesId,
    visitIds: booked.json.visits.map((v: { id: string }) => v.id),
    concernId,
    absenceId: absence.json.id,
    webhookId,
    spare: {
      siteId: spareSite.json.id,
      roomId: spareRoom.json.id,
      counsellorId: spareCounsellor.json.id,
      courtId: spareCourtId,
      tokenId: spareToken.id,
      courtTokenId: courtToken.json.id,
      centreId: spareCentre.centreId,
    },
    tokens,
    ctx,
    ids: [],
    familyIds: [],
    sharedIds: [centre.demo.courtId, spareCourtId],
  }
  world.ids = [
    world.centreId,
    world.siteId,
    ...world.roomIds,
    ...world.counsellorIds,
    world.documentIds.houseRules,
    world.documentIds.information,
    world.referralId,
    world.submittedReferralId,
    refused.json.id,
    world.caseId,
    ...partyIds,
    c.child,
    c.visiting,
    c.residing,
    world.seriesId,
    ...world.visitIds,
    world.concernId,
    world.absenceId,
    world.webhookId,
    world.spare.siteId,
    world.spare.roomId,
    world.spare.counsellorId,
    world.spare.tokenId,
    world.spare.courtTokenId,
  ]
  world.familyIds = [
    world.referralId,
    world.submittedReferralId,
    refused.json.id,
    world.caseId,
    ...partyIds,
    c.child,
    c.visiting,
    c.residing,
    world.seriesId,
    ...world.visitIds,
    world.concernId,
    ...partyNames,
  ]
  return world
}

/** A fresh case of the world's centre straight in the database (for state changes that use one up). */
export async function freshCase(world: World, status: 'intake' | 'active' | 'suspended' = 'active') {
  return createCase(world.ctx.database, world.ctx.centre, { status, plannedEndDate: dayFromNow(400) })
}

/** A calendar date `days` from now in Belgium (the service's days): fixtures stay valid whatever hour the suite runs. */
export const dayFromNow = (days: number) => DateTime.now().setZone('Europe/Brussels').plus({ days }).toISODate()!

/** A fresh submitted referral of the world's court to its centre. */
export async function freshReferral(world: World) {
  const r = await call(world.ctx.app, {
    method: 'POST',
    url: '/v1/referrals',
    token: world.tokens.clerk,
    body: referralBody(world.ctx.centre, {
      parties: [
        { role: 'child', givenName: world.partyNames[0], familyName: world.partyNames[3], birthDate: '2019-05-02', language: 'nl' },
        { role: 'visiting_parent', givenName: world.partyNames[1], familyName: world.partyNames[3], birthDate: '1987-01-20', language: 'nl' },
      ],
    }),
  })
  if (r.status !== 201) throw new Error(`fresh referral: ${r.status} ${r.body}`)
  return r.json.id as string
}

/** Every object key anywhere in a JSON value. */
export function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into)
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.add(k)
      keysOf(v, into)
    }
  return into
}
