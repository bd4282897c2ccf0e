/** What other modules use of referrer-view. */
export { ReferrerVisit } from './schemas.js'
export {
  isCourtToken,
  referrerCursor,
  referrerEvent,
  referrerOutcome,
  referrerPartyView,
  referrerVisitFilters,
  referrerVisitScope,
  renderReferrerVisits,
  seesReferrerView,
  sendView,
} from './view.js'
