/** What other modules use of concerns. */
export { concernIdsOf, hasOpenConcern } from './queries.js'
export { openConcernFromObservation } from './service.js'
