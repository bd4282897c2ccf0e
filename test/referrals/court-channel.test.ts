/**
 * The court speaks after the referral: a hearing date moved, a report asked for before a hearing
 * (the centre's worklists until a progress report is issued), the centre's factual answer, read
 * marks, the message.received webhook without the text; and the judgment as a PDF, read back byte
 * for byte by the court that sent it and by the centre, refused when it is not a PDF or too large.
 */
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { DateTime } from 'luxon'
import { webhookDeliveries } from '../../src/db/schema.js'
import { acceptedCase, buildTestApp, call, completeIntake, tokenFor } from '../helpers/app.js'

const ctx = await buildTestApp(t)
const { app, centre, database } = ctx
const day = (n: number) => DateTime.now().setZone('Europe/Brussels').plus({ days: n }).toISODate()!

const c = await acceptedCase(ctx)
await completeIntake(ctx, c)
await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/activate`, token: c.staff, body: {} })
const quiet = await acceptedCase(ctx)
const otherCourt = await call(app, {
  method: 'POST',
  url: '/v1/courts',
  token: ctx.operator,
  body: { name: 'Familierechtbank Gent', judicialDistrict: 'Oost-Vlaanderen' },
})
const otherClerk = (await tokenFor(database, 'clerk', { courtId: otherCourt.json.id })).token
const counsellorElsewhere = (await tokenFor(database, 'counsellor', { centreId: centre.centreId, counsellorId: centre.demo.counsellorIds[1] })).token
const messagesUrl = `/v1/referrals/${c.referralId}/messages`
const send = (body: Record<string, unknown>, token = c.clerk) => call(app, { method: 'POST', url: messagesUrl, token, body })
const caseIds = async (query: string) =>
  ((await call(app, { url: `/v1/cases?${query}&limit=200`, token: c.staff })).json.items as { id: string }[]).map((x) => x.id)

t.test('messages: a new hearing date, a report request on the worklists until a progress report, the answer and read marks', async (t) => {
  const hook = await call(app, {
    method: 'POST',
    url: '/v1/webhooks',
    token: centre.adminToken,
    body: { url: 'https://93.184.215.14/hooks/court', events: ['message.received'] },
  })
  t.equal(hook.status, 201, hook.body)

  const hearing = await send({ kind: 'hearing_date', text: 'HEARING-TEXT: the hearing moves.', hearingDate: day(10) })
  t.equal(hearing.status, 201, hearing.body)
  t.match(hearing.json, { sender: 'court', kind: 'hearing_date', hearingDate: day(10), caseId: c.caseId })
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.hearingDate, day(10), 'the case shows the new hearing date')
  t.ok((await caseIds('hearingWithin=14d')).includes(c.caseId), 'a hearing soon, no progress report yet')
  t.notOk((await caseIds('hearingWithin=7d')).includes(c.caseId))

  const request = await send({ kind: 'report_request', text: 'REQUEST-TEXT: a report before the hearing, please.', dueDate: day(8) })
  t.equal(request.status, 201)
  t.equal((await send({ kind: 'report_request', text: 'No date.' })).status, 400, 'a report request says by when')
  t.equal((await send({ kind: 'information', text: 'From the court?' })).status, 400, 'information is the centre’s answer')

  const worklist = await call(app, { url: '/v1/messages?unread=true&limit=200', token: c.staff })
  t.same(
    worklist.json.items.filter((m: { referralId: string }) => m.referralId === c.referralId).map((m: { kind: string }) => m.kind),
    ['hearing_date', 'report_request'],
    'the centre’s worklist',
  )
  t.ok((await caseIds('reportDue=true')).includes(c.caseId), 'the case is on reportDue')
  t.notOk((await caseIds('reportDue=true')).includes(quiet.caseId), 'a case the court asked nothing of is not')
  const withDue = await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })
  t.equal(withDue.json.reportDue, day(8), JSON.stringify(withDue.json.reportDue))

  const read = await call(app, { method: 'POST', url: `/v1/messages/${request.json.id}/read`, token: c.staff })
  t.equal(read.status, 200)
  t.ok(read.json.readAt)
  const answer = await send({ kind: 'information', text: 'The report follows this week.' }, c.staff)
  t.equal(answer.status, 201)
  t.equal((await call(app, { method: 'POST', url: `/v1/messages/${answer.json.id}/read`, token: c.staff })).status, 409, 'one’s own message')
  const courtSees = await call(app, { url: '/v1/messages?unread=true', token: c.clerk })
  t.same(
    courtSees.json.items.map((m: { id: string }) => m.id),
    [answer.json.id],
    'the court’s unread: the centre’s answer',
  )

  const report = await call(app, { method: 'POST', url: `/v1/cases/${c.caseId}/reports`, token: c.staff, body: { kind: 'progress' } })
  t.equal(report.status, 201, report.body)
  t.notOk((await caseIds('reportDue=true')).includes(c.caseId), 'a progress report clears it')
  t.notOk((await caseIds('hearingWithin=14d')).includes(c.caseId), 'and the hearing has its report')
  t.equal((await call(app, { url: `/v1/cases/${c.caseId}`, token: c.staff })).json.reportDue, null)

  for (const [who, token] of [
    ['another court’s clerk', otherClerk],
    ['a counsellor not on the case', counsellorElsewhere],
  ] as const) {
    t.equal((await call(app, { url: messagesUrl, token })).status, 404, `${who}: 404`)
    t.notOk((await call(app, { url: '/v1/messages', token })).body.includes(c.referralId), `${who}: not in their list`)
  }
  t.equal((await send({ kind: 'other', text: 'x' }, otherClerk)).status, 404)

  const deliveries = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.json.id))
  t.equal(deliveries.length, 2, 'one event per court message')
  t.match(deliveries[0]!.payload, { type: 'message.received', data: { messageId: hearing.json.id, referralId: c.referralId, kind: 'hearing_date' } })
  t.notOk(/HEARING-TEXT|REQUEST-TEXT/.test(JSON.stringify(deliveries)), 'the webhook body carries no text')
})

/** A multipart/form-data body with one file. */
function multipart(filename: string, content: Buffer) {
  const boundary = `----bzr${randomBytes(8).toString('hex')}`
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`)
  return {
    body: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

t.test('attachments: a 2 MB PDF reads back byte for byte; not a PDF → 415; 11 MB → 413; another court → 404', async (t) => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2 * 1024 * 1024)])
  const sha256 = createHash('sha256').update(pdf).digest('hex')
  const url = `/v1/referrals/${c.referralId}/attachments`
  const upload = multipart('vonnis 24-1234-A.pdf', pdf)
  const sent = await call(app, { method: 'POST', url, token: c.clerk, ...upload })
  t.equal(sent.status, 201, sent.body)
  t.match(sent.json, { filename: 'vonnis 24-1234-A.pdf', sizeBytes: pdf.length, sha256, contentType: 'application/pdf' })

  for (const [who, token] of [
    ['the court that sent it', c.clerk],
    ['the centre’s staff', c.staff],
  ] as const) {
    const read = await app.inject({ url: `/v1/attachments/${sent.json.id}`, headers: { authorization: `Bearer ${token}` } })
    t.equal(read.statusCode, 200, who)
    t.ok(read.rawPayload.equals(pdf), `${who}: byte for byte`)
    t.equal(createHash('sha256').update(read.rawPayload).digest('hex'), sha256)
    t.match(read.headers, { 'content-type': 'application/pdf', 'cache-control': 'no-store', 'content-disposition': /vonnis 24-1234-A\.pdf/ })
  }
  t.equal((await call(app, { url: `/v1/attachments/${sent.json.id}`, token: otherClerk })).status, 404, 'another court')
  t.equal((await call(app, { url: `/v1/attachments/${sent.json.id}`, token: counsellorElsewhere })).status, 403, 'a counsellor reads no documents')
  t.equal((await call(app, { method: 'POST', url, token: otherClerk, ...multipart('x.pdf', pdf) })).status, 404)

  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1000)])
  const renamed = await call(app, { method: 'POST', url, token: c.clerk, ...multipart('judgment.pdf', png) })
  t.equal(renamed.status, 415)
  t.match(renamed.json.detail, /not one/)
  const huge = await call(app, {
    method: 'POST',
    url,
    token: c.clerk,
    ...multipart('huge.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(11 * 1024 * 1024)])),
  })
  t.equal(huge.status, 413)
  t.equal((await call(app, { method: 'POST', url, token: c.clerk, body: { file: 'x' } })).status, 415, 'JSON is not an upload')

  const withDocument = await send({ kind: 'new_decision', text: 'The judgment of 3 March.', attachmentIds: [sent.json.id] })
  t.equal(withDocument.status, 201)
  t.same(withDocument.json.attachmentIds, [sent.json.id])
  const trail = await call(app, { url: `/v1/audit?entityType=attachment&entityId=${sent.json.id}`, token: centre.adminToken })
  t.same(
    trail.json.items.map((e: { action: string }) => e.action).sort(),
    ['attachment.read', 'attachment.read', 'attachment.uploaded'],
    'uploads and reads are audited',
  )
})
