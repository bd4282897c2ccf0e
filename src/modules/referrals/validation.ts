import type { FastifyRequest } from 'fastify'

/**
 * The checks on a referral that a JSON schema cannot express. They produce issues in the shape of
 * ajv's, so that together with the schema's own they make ONE 400 problem listing every defect
 * (rendered by the shared error handler). They must not trust the body's shape: they also run when
 * the schema found errors.
 */
export interface Issue { instancePath: string; message: string; keyword: string; params: Record<string, unknown> }

const VISITING_ROLES = ['visiting_parent', 'visiting_grandparent', 'visiting_sibling', 'visiting_third_party']
const DATE = /^\d{4}-\d{2}-\d{2}$/

const issue = (instancePath: string, message: string): Issue => ({ instancePath, message, keyword: 'referral', params: {} })

export function referralIssues(body: unknown, context: { today: string; byClerk: boolean }): Issue[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return []
  const b = body as Record<string, unknown>
  const issues: Issue[] = []
  const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value)

  if (Array.isArray(b.parties)) {
    const roles = b.parties.map((p) => (p && typeof p === 'object' ? (p as Record<string, unknown>).role : undefined))
    if (!roles.includes('child')) issues.push(issue('/parties', 'must include at least one child'))
    if (!roles.some((r) => VISITING_ROLES.includes(r as string))) {
      issues.push(issue('/parties', `must include at least one visiting party (${VISITING_ROLES.join(', ')})`))
    }
    b.parties.forEach((p, i) => {
      if (!p || typeof p !== 'object') return
      const party = p as Record<string, unknown>
      if (isDate(party.birthDate) && party.birthDate > context.today) issues.push(issue(`/parties/${i}/birthDate`, 'must not be in the future'))
      if (party.role === 'child' && party.birthDate === undefined) issues.push(issue(`/parties/${i}/birthDate`, 'is required for a child'))
    })
  }
  if (b.legalFramework === 'court_ordered') {
    if (b.courtReference === undefined) issues.push(issue('/courtReference', 'is required for a court-ordered referral (the roll number)'))
    if (b.decisionDate === undefined) issues.push(issue('/decisionDate', 'is required for a court-ordered referral'))
  }
  if (isDate(b.decisionDate) && b.decisionDate > context.today) issues.push(issue('/decisionDate', 'must not be in the future'))
  if (isDate(b.hearingDate) && isDate(b.decisionDate) && b.hearingDate < b.decisionDate) issues.push(issue('/hearingDate', 'must not be before the decision date'))
  if (context.byClerk) {
    if (b.source !== undefined && b.source !== 'court') issues.push(issue('/source', 'must be court for a referral submitted by a court clerk'))
  } else if (b.source === 'court' && b.courtId === undefined) {
    issues.push(issue('/courtId', 'is required when the source is a court'))
  }
  return issues
}

/**
 * Combines the schema's issues (the route sets attachValidation) with the referral's own into one
 * validation error for the shared handler (which also names the allowed values of an enum).
 */
export function throwIfInvalid(request: FastifyRequest, own: Issue[]) {
  const failed = request.validationError as (Error & { validation?: Issue[]; validationContext?: string }) | undefined
  if (failed && failed.validationContext !== 'body') throw failed
  const all = [...(failed?.validation ?? []), ...own]
  if (all.length === 0) return
  throw Object.assign(new Error('invalid referral'), { validation: all, validationContext: 'body', statusCode: 400 })
}
