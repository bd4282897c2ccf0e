/** What other modules use of documents. */
export { documentInForceFor, documentsEffectiveAt } from './queries.js'
export { publishDocument } from './versions.js'
