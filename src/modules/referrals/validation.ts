import type { FieldError } from '../../domain/errors.js'
import { VISITING_ROLES } from '../../domain/vocabulary.js'
import { isNationalNumber, nationalNumberDigits } from '../../domain/person-key.js'

/**
 * The checks on a referral that a JSON schema cannot express. Together with the schema's own
 * findings they make ONE 400 problem listing every defect, so they must not trust the body's
 * shape: they also run when the schema found errors.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/

const issue = (pointer: string, detail: string): FieldError => ({ in: 'body', pointer, detail })

export function referralDefects(body: unknown, context: { today: string; byClerk: boolean }): FieldError[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return []
  const b = body as Record<string, unknown>
  const issues: FieldError[] = []
  const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value)

  if (Array.isArray(b.parties)) {
    const roles = b.parties.map((p) => (p && typeof p === 'object' ? (p as Record<string, unknown>).role : undefined))
    if (!roles.includes('child')) issues.push(issue('/parties', 'must include at least one child'))
    if (!roles.some((r) => (VISITING_ROLES as readonly unknown[]).includes(r))) {
      issues.push(issue('/parties', `must include at least one visiting party (${VISITING_ROLES.join(', ')})`))
    }
    b.parties.forEach((p, i) => {
      if (!p || typeof p !== 'object') return
      const party = p as Record<string, unknown>
      if (isDate(party.birthDate) && party.birthDate > context.today) issues.push(issue(`/parties/${i}/birthDate`, 'must not be in the future'))
      if (party.role === 'child' && party.birthDate === undefined) issues.push(issue(`/parties/${i}/birthDate`, 'is required for a child'))
      if (typeof party.nationalNumber === 'string' && !isNationalNumber(nationalNumberDigits(party.nationalNumber)))
        issues.push(
          issue(`/parties/${i}/nationalNumber`, 'is not a national register number: its check digits do not match; check it against the identity card'),
        )
    })
  }
  if (b.legalFramework === 'court_ordered') {
    if (b.courtReference === undefined) issues.push(issue('/courtReference', 'is required for a court-ordered referral (the roll number)'))
    if (b.decisionDate === undefined) issues.push(issue('/decisionDate', 'is required for a court-ordered referral'))
  }
  if (isDate(b.decisionDate) && b.decisionDate > context.today) issues.push(issue('/decisionDate', 'must not be in the future'))
  if (isDate(b.hearingDate) && isDate(b.decisionDate) && b.hearingDate < b.decisionDate)
    issues.push(issue('/hearingDate', 'must not be before the decision date'))
  if (context.byClerk) {
    if (b.source !== undefined && b.source !== 'court') issues.push(issue('/source', 'must be court for a referral submitted by a court clerk'))
  } else if (b.source === 'court' && b.courtId === undefined) {
    issues.push(issue('/courtId', 'is required when the source is a court'))
  }
  return issues
}
