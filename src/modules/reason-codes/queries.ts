import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { reasonCodes } from '../../db/schema.js'
import { type ReasonCategory } from '../../domain/vocabulary.js'
import { checkReason, reasonDefect, type AvailableReason } from '../../domain/reason-codes.js'
import { invalidInput } from '../../domain/errors.js'

/** Codes a centre may use: the shared catalogue and the centre's own (none for a court-scoped caller). */
export const usableBy = (centreId: string | null): SQL =>
  centreId ? or(isNull(reasonCodes.centreId), eq(reasonCodes.centreId, centreId))! : isNull(reasonCodes.centreId)

async function availableReasons(db: Queryable, centreId: string, categories: readonly ReasonCategory[]): Promise<AvailableReason[]> {
  return db
    .select({ category: reasonCodes.category, code: reasonCodes.code })
    .from(reasonCodes)
    .where(and(usableBy(centreId), eq(reasonCodes.active, true), inArray(reasonCodes.category, [...categories])))
    .orderBy(reasonCodes.id)
}

/**
 * Checks a given reason code against the categories allowed where it is given; a code outside
 * them is a 400 naming the field and the codes that are allowed. Returns the code's category.
 */
export async function requireReason(
  db: Queryable,
  centreId: string,
  categories: readonly ReasonCategory[],
  code: string,
  at: { in: 'body' | 'query'; pointer: string } = { in: 'body', pointer: '/reasonCode' },
): Promise<ReasonCategory> {
  const result = checkReason(code, categories, await availableReasons(db, centreId, categories))
  if (result.ok) return result.category
  throw invalidInput(at.in, at.pointer, reasonDefect(code, categories, result.allowed), { allowedCodes: result.allowed })
}

export interface ReasonRef {
  category: ReasonCategory | null
  code: string | null
}
export interface ReasonLabelled {
  category: ReasonCategory
  code: string
  label: { nl: string; fr: string; en: string }
}

const key = (category: string, code: string) => `${category}/${code}`

/** Labels for the reasons shown with a centre's records (a centre's own codes included, also to a clerk). */
export async function reasonResolver(db: Queryable, centreId: string, refs: ReasonRef[]): Promise<(ref: ReasonRef) => ReasonLabelled | null> {
  const codes = [...new Set(refs.flatMap((r) => (r.code ? [r.code] : [])))]
  const rows = codes.length
    ? await db
        .select()
        .from(reasonCodes)
        .where(and(usableBy(centreId), inArray(reasonCodes.code, codes)))
    : []
  const labels = new Map(rows.map((r) => [key(r.category, r.code), { nl: r.labelNl, fr: r.labelFr, en: r.labelEn }]))
  return (ref) => {
    if (!ref.category || !ref.code) return null
    // A code deleted from the catalogue still shows, with the code as its label.
    const label = labels.get(key(ref.category, ref.code)) ?? { nl: ref.code, fr: ref.code, en: ref.code }
    return { category: ref.category, code: ref.code, label }
  }
}
