/**
 * Why a service refuses a request, in the domain's terms. Services throw these and never see HTTP;
 * the one error handler (src/http/errors.ts) turns each kind into its problem+json status.
 */
export type DomainErrorKind =
  | 'invalid' // the input is wrong: 400
  | 'not_allowed' // the caller's role may not do this: 403
  | 'not_found' // unknown, or outside the caller's scope (the two look the same): 404
  | 'conflict' // not possible in the record's current state: 409
  | 'unprocessable' // well-formed but not allowed by a rule: 422

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** A stable code for the kind of refusal, e.g. `case-not-ready`; it becomes the problem's type. */
    readonly code: string,
    /** Written for the person reading it: what is wrong and what to do. */
    readonly detail: string,
    /** Machine-readable particulars: `errors[]`, `conflicts[]`, `missing[]`, … */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail)
  }
}

export type FieldError = { in: 'body' | 'query' | 'path' | 'headers'; pointer: string; detail: string }

/**
 * Bad input naming each bad field by JSON pointer. Schema errors, hand-made checks and the input
 * hygiene checks all answer this one code, so a client handles every field error one way.
 */
export const invalidFields = (errors: FieldError[], extensions: Record<string, unknown> = {}) => {
  const where = [...new Set(errors.map((e) => e.in))].join(' and ')
  const summary = errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')
  return new DomainError('invalid', 'validation', `The request ${where} is invalid: ${summary}.`, { errors, ...extensions })
}
/** Bad input naming one field, in the words every validation error uses. */
export const invalidInput = (where: FieldError['in'], pointer: string, detail: string, extensions: Record<string, unknown> = {}) =>
  invalidFields([{ in: where, pointer, detail }], extensions)
export const notAllowed = (detail: string) => new DomainError('not_allowed', 'forbidden', detail)
/** Unknown, or outside the caller's scope: the two are indistinguishable on purpose. */
export const notFound = (what: string, id?: string) =>
  new DomainError('not_found', 'not-found', id ? `No ${what} with id ${id} exists in your scope.` : `No such ${what} in your scope.`)
export const conflict = (code: string, detail: string, extensions?: Record<string, unknown>) => new DomainError('conflict', code, detail, extensions)
export const unprocessable = (code: string, detail: string, extensions?: Record<string, unknown>) => new DomainError('unprocessable', code, detail, extensions)
