import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm'
import { agreementSignatures, agreements, documents, signatures, type AuthorisedVisitor, type DocumentKind } from '../../db/schema.js'
import { expandRecurrence, RecurrenceError } from '../../domain/recurrence.js'
import { audit } from '../../http/audit.js'
import { afterCursor, Page, PageQuery, toPage } from '../../http/pagination.js'
import { invalidInput, conflict, notFound, problemResponses } from '../../http/problem.js'
import { IdParams } from '../../http/schemas.js'
import { inCentre } from '../../http/scope.js'
import { lockCaseForRecording, requireAdultParty } from '../cases/access.js'
import { currentAgreement } from '../cases/readiness.js'
import { requirePast } from '../cases/routes.js'
import { caseTimeZone, localDate } from '../cases/transitions.js'
import { addEvent, agreementView } from '../cases/views.js'
import * as S from './schemas.js'
import { publishDocument } from './versions.js'

const READ_ROLES = ['admin', 'staff', 'counsellor'] as const
const WRITE_ROLES = ['admin', 'staff'] as const

const invalidField = (pointer: string, detail: string) => invalidInput('body', pointer, detail)

interface AgreementBody {
  kinds: string[]; frequency?: string; rrule?: string; durationMinutes?: number; validUntil?: string
  maxVisits?: number; conditions?: string[]; authorisedVisitors?: AuthorisedVisitor[]
}

export async function documentRoutes(app: FastifyInstance) {
  app.post('/documents', {
    config: { roles: WRITE_ROLES },
    schema: {
      operationId: 'publishDocument',
      summary: 'Publish a new version of the house rules or the information document', tags: ['Documents'],
      description: 'Versions are immutable and numbered per centre, kind and language. Once a new version is in force (effectiveFrom), parties must sign it before new bookings.',
      body: S.DocumentCreate, response: { 201: S.Document, ...problemResponses(413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { kind: DocumentKind; language: string; title: string; body: string; effectiveFrom?: string }
    const effectiveFrom = body.effectiveFrom ? new Date(body.effectiveFrom) : new Date()
    const created = await app.db.transaction(async (tx) => {
      const row = await publishDocument(tx, request.actor.centreId!, { ...body, effectiveFrom })
      await audit(tx, request, { action: 'document.created', entityType: 'document', entityId: row.id })
      return row
    })
    return reply.code(201).send(created)
  })

  app.get('/documents', {
    config: { roles: READ_ROLES },
    schema: {
      operationId: 'listDocuments',
      summary: 'List document versions (?inForce=true: the version in force now of each kind and language)', tags: ['Documents'],
      querystring: Type.Object({ ...PageQuery.properties, ...S.DocumentQuery.properties }),
      response: { 200: Page(S.Document), ...problemResponses() },
    },
  }, async (request) => {
    const q = request.query as PageQuery & { kind?: DocumentKind; language?: string; inForce?: boolean }
    const scope = and(
      inCentre(documents.centreId, request.actor),
      q.kind ? eq(documents.kind, q.kind) : undefined,
      q.language ? eq(documents.language, q.language) : undefined,
    )
    // In force: per kind and language, the latest version whose effectiveFrom has passed.
    const inForce = q.inForce
      ? inArray(documents.id, app.db.selectDistinctOn([documents.kind, documents.language], { id: documents.id }).from(documents)
        .where(and(scope, lte(documents.effectiveFrom, new Date())))
        .orderBy(documents.kind, documents.language, desc(documents.effectiveFrom), desc(documents.version)))
      : undefined
    const rows = await app.db.select().from(documents).where(and(scope, inForce, afterCursor(documents.id, q.cursor)))
      .orderBy(asc(documents.id)).limit(q.limit + 1)
    const page = toPage(rows, q.limit)
    return page
  })

  app.post('/cases/:id/signatures', {
    config: { roles: WRITE_ROLES },
    schema: {
      operationId: 'createSignature',
      summary: 'Record that an adult party signed a document version', tags: ['Documents'],
      description: 'One signature per party and version; a newer version in force needs a new signature.',
      params: IdParams, body: S.SignatureCreate, response: { 201: S.Signature, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { partyId: string; documentId: string; method: 'paper' | 'in_person' | 'e_id'; signedAt: string }
    const signedAt = requirePast(body.signedAt, '/signedAt')
    const signature = await app.db.transaction(async (tx) => {
      const row = await lockCaseForRecording(tx, request.actor, (request.params as { id: string }).id)
      await requireAdultParty(tx, row, body.partyId)
      const [document] = await tx.select().from(documents).where(and(eq(documents.id, body.documentId), eq(documents.centreId, row.centreId)))
      if (!document) throw notFound('document', body.documentId)
      const [existing] = await tx.select({ id: signatures.id }).from(signatures)
        .where(and(eq(signatures.caseId, row.id), eq(signatures.partyId, body.partyId), eq(signatures.documentId, document.id)))
      if (existing) throw conflict('already-signed', `This party already signed ${document.kind} version ${document.version} (signature ${existing.id}).`)
      const [created] = await tx.insert(signatures).values({
        caseId: row.id, partyId: body.partyId, documentId: document.id, method: body.method, signedAt, recordedByTokenId: request.actor.tokenId,
      }).returning()
      await addEvent(tx, request, row.id, { type: 'document_signed', data: { signatureId: created!.id, partyId: body.partyId, documentId: document.id, kind: document.kind, version: document.version } })
      await audit(tx, request, { action: 'signature.recorded', entityType: 'signature', entityId: created!.id, centreId: row.centreId })
      return { ...created!, kind: document.kind, version: document.version }
    })
    return reply.code(201).send(signature)
  })

  app.put('/cases/:id/agreement', {
    config: { roles: WRITE_ROLES },
    schema: {
      operationId: 'putAgreement',
      summary: 'Draw up a new version of the case’s agreement (overeenkomst)', tags: ['Documents'],
      description: 'Each PUT creates the next version (201 for the first, 200 after); every adult party signs the current version before contact.',
      params: IdParams, body: S.AgreementPut, response: { 200: S.Agreement, 201: S.Agreement, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as AgreementBody
    const agreement = await app.db.transaction(async (tx) => {
      const row = await lockCaseForRecording(tx, request.actor, (request.params as { id: string }).id)
      const timeZone = await caseTimeZone(tx, row)
      const today = localDate(new Date(), timeZone)
      if (body.validUntil !== undefined && body.validUntil < today) throw invalidField('/validUntil', `must not be in the past (today is ${today})`)
      if (body.rrule !== undefined) {
        try {
          expandRecurrence({ start: `${today}T10:00`, timeZone, rrule: body.rrule, maxOccurrences: 1 })
        } catch (error) {
          if (error instanceof RecurrenceError) throw invalidField('/rrule', error.message)
          throw error
        }
      }
      const [latest] = await tx.select({ version: agreements.version }).from(agreements).where(eq(agreements.caseId, row.id)).orderBy(desc(agreements.version)).limit(1)
      const [created] = await tx.insert(agreements).values({
        caseId: row.id, version: (latest?.version ?? 0) + 1, kinds: body.kinds, frequency: body.frequency ?? null, rrule: body.rrule ?? null,
        durationMinutes: body.durationMinutes ?? null, validUntil: body.validUntil ?? null, maxVisits: body.maxVisits ?? null,
        conditions: body.conditions ?? [], authorisedVisitors: body.authorisedVisitors ?? [],
      }).returning()
      await addEvent(tx, request, row.id, { type: 'agreement_updated', data: { agreementId: created!.id, version: created!.version } })
      await audit(tx, request, { action: 'agreement.created', entityType: 'agreement', entityId: created!.id, centreId: row.centreId })
      return agreementView({ ...created!, signatures: [] })
    })
    return reply.code(agreement.version === 1 ? 201 : 200).send(agreement)
  })

  app.post('/cases/:id/agreement/signatures', {
    config: { roles: WRITE_ROLES },
    schema: {
      operationId: 'signAgreement',
      summary: 'Record that an adult party signed the current agreement', tags: ['Documents'],
      params: IdParams, body: S.AgreementSignatureCreate, response: { 201: S.AgreementSigned, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const body = request.body as { partyId: string; signedAt: string; version?: number }
    const signedAt = requirePast(body.signedAt, '/signedAt')
    const signed = await app.db.transaction(async (tx) => {
      const row = await lockCaseForRecording(tx, request.actor, (request.params as { id: string }).id)
      await requireAdultParty(tx, row, body.partyId)
      const agreement = await currentAgreement(tx, row.id)
      if (!agreement) throw conflict('no-agreement', 'The case has no agreement yet; draw one up with PUT /v1/cases/{id}/agreement first.')
      if (body.version !== undefined && body.version !== agreement.version) {
        throw conflict('agreement-version-changed', `Version ${body.version} is not the current agreement; the current version is ${agreement.version}.`, { currentVersion: agreement.version })
      }
      if (agreement.signatures.some((s) => s.partyId === body.partyId)) {
        throw conflict('already-signed', `This party already signed agreement version ${agreement.version}.`)
      }
      const [created] = await tx.insert(agreementSignatures).values({ agreementId: agreement.id, partyId: body.partyId, signedAt, recordedByTokenId: request.actor.tokenId }).returning()
      await addEvent(tx, request, row.id, { type: 'agreement_signed', data: { agreementId: agreement.id, version: agreement.version, partyId: body.partyId } })
      await audit(tx, request, { action: 'agreement.signed', entityType: 'agreement', entityId: agreement.id, centreId: row.centreId })
      return { agreementId: agreement.id, version: agreement.version, partyId: body.partyId, signedAt: created!.signedAt, recordedByTokenId: created!.recordedByTokenId }
    })
    return reply.code(201).send(signed)
  })
}
