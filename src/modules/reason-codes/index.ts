/** What other modules use of reason-codes. */
export { type ReasonRef, reasonResolver, requireReason } from './queries.js'
export { NullableReason, ReasonCategorySchema } from './schemas.js'
