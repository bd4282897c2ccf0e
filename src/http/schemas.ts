import { Type, type SchemaOptions, type Static, type TSchema } from '@sinclair/typebox'
import { DOCUMENT_KINDS, LANGUAGE_TAG_PATTERN, LANGUAGES, PARTY_SIDES, VISIT_KINDS, VISIT_STATUSES } from '../domain/vocabulary.js'

/** Small schemas every area uses. */

/** A string enum as `{ type: 'string', enum }`: one clear validation error, a plain enum in OpenAPI. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })

/**
 * A value or null. A schema of one type becomes a type list (`type: ['string', 'null']`, an enum with
 * null among its values): fast-json-stringify writes a type list directly, while for an `anyOf` it
 * compiles a validator of the whole response at its first use to choose the branch. Anything else
 * (a union, a const) stays an `anyOf` with null.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const { type } = schema as { type?: unknown }
  if (typeof type !== 'string' || 'const' in schema) return Type.Union([schema, Type.Null()])
  const values = (schema as { enum?: unknown[] }).enum
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) })
}

// Ids and instants carry no example of their own: the same dummy value on every field told a reader
// nothing, and tools draw one from the format. The bodies' examples show real-looking ones.
export const Uuid = Type.String({ format: 'uuid' })
export const IdParams = Type.Object({ id: Uuid })
/** An instant a client sends (RFC 3339 with an offset or Z); every instant in a response is in UTC (Z). */
export const Timestamp = Type.String({ format: 'date-time' })
/**
 * An instant in a response: a Date from the database (serialised as RFC 3339 in UTC) or a string
 * already formatted in a site's zone. Typed so that services can return either without a cast.
 */
export const Instant = Type.Unsafe<Date>({ type: 'string', format: 'date-time' })
export const LocalDate = Type.String({ format: 'date', examples: ['2026-03-07'] })
/** A wall-clock time of day in a site's zone (opening hours, working hours): not an instant. */
export const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: "Wall-clock time 'HH:mm' in the site's zone", examples: ['09:00'] })
export const LanguageSchema = StringEnum(LANGUAGES, { examples: ['nl'] })
/** A person's language, any BCP 47 tag. */
export const LanguageTag = Type.String({ pattern: LANGUAGE_TAG_PATTERN, maxLength: 35, description: 'A BCP 47 language tag', examples: ['ar'] })
export const VisitKindSchema = StringEnum(VISIT_KINDS, { examples: ['supervised_visit'] })
export const VisitStatusSchema = StringEnum(VISIT_STATUSES, { examples: ['booked'] })
export const DocumentKindSchema = StringEnum(DOCUMENT_KINDS, { examples: ['house_rules'] })
export const PartySideSchema = StringEnum(PARTY_SIDES, { examples: ['visiting'] })
export const NonEmpty = (maxLength = 200, examples?: string[]) => Type.String({ minLength: 1, maxLength, ...(examples ? { examples } : {}) })

/** The centre's own account of a decision: internal, never in any response, event or report a court receives. */
export const Explanation = (example: string) =>
  Type.String({ minLength: 1, maxLength: 4000, description: "The centre's internal explanation; never shown to a referrer", examples: [example] })

/** The neutral, factual wording of a decision for the referrer: the only text of it a court ever reads. */
export const CourtNote = (example: string) =>
  Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'The factual wording the referrer may read (the only text of this decision a court sees); optional',
    examples: [example],
  })

// An interval may run until midnight ('24:00'), as the opening-hours rules read it: a site open all day is 00:00–24:00.
const ClosingTime = Type.String({
  pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$',
  description: "'HH:mm'; '24:00' is midnight at the end of the day",
  examples: ['20:00'],
})
export const HoursInterval = Type.Object({ from: ClockTime, to: ClosingTime }, { additionalProperties: false })
const Day = Type.Optional(Type.Array(HoursInterval, { maxItems: 6 }))
export const WeeklyHoursSchema = Type.Object(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  { additionalProperties: false, examples: [{ wed: [{ from: '13:00', to: '18:00' }], sat: [{ from: '09:00', to: '17:00' }] }] },
)

/** Ids and timestamps every stored record carries. */
export const Stored = {
  id: Uuid,
  createdAt: Instant,
  updatedAt: Instant,
}

/**
 * Which of a record's two shapes an answer is: the centre's full record or the referrer view a
 * court token receives. Generated clients narrow on it (`if (visit.view === 'full')`).
 */
export const ViewTag = <V extends 'full' | 'referrer'>(view: V) =>
  Type.Literal(view, {
    description: view === 'full' ? 'The full record (centre roles)' : 'The referrer view (clerk and court-scoped integration tokens)',
  })

/**
 * A response whose shape depends on the caller's role: `oneOf` the two named shapes, told apart by
 * `view` (an OpenAPI discriminator). The names are the two shapes' component names.
 */
export const EitherView = <F extends TSchema, R extends TSchema>(full: F, referrer: R, names: { full: string; referrer: string }) =>
  Type.Unsafe<Static<F> | Static<R>>({
    oneOf: [full, referrer],
    discriminator: {
      propertyName: 'view',
      mapping: { full: `#/components/schemas/${names.full}`, referrer: `#/components/schemas/${names.referrer}` },
    },
  })
