import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox'

/**
 * Small schema builders shared by the referral, case and document modules (kept free of imports
 * from those modules, which import each other's schemas).
 */

/** A string enum as `{ type: 'string', enum }`: one clear validation error, a plain enum in OpenAPI. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** Languages parties are served in, and documents are written in. */
export const LANGUAGES = ['nl', 'fr', 'en', 'de'] as const
export const LanguageSchema = StringEnum(LANGUAGES, { examples: ['nl'] })
