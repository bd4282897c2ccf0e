import { DrizzleQueryError } from 'drizzle-orm'

/** Reading a driver's error: the SQLSTATE code under drizzle's wrapping, for the callers that act on one. */

interface DatabaseErrorLike {
  code?: string
  constraint?: string
  message: string
}

/** SQLSTATE of a row the reservations' exclusion constraint refuses (an overlap). */
export const EXCLUSION_VIOLATION = '23P01'

/** drizzle wraps driver errors; the SQLSTATE lives on the cause. */
export function databaseErrorOf(error: unknown): DatabaseErrorLike | undefined {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as DatabaseErrorLike & { cause?: unknown }
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate
    current = current instanceof DrizzleQueryError || candidate.cause ? candidate.cause : undefined
  }
  return undefined
}
