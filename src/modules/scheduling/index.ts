/** What other modules use of scheduling: booking a visit again, bulk cancellation, a visit's scope and view. */
export { prepareBooking, rebookVisit, type BookingContext, type BookingRequest } from './booking.js'
export { cancelFutureVisits, cancelVisitsInSuspension, releaseReservations } from './cancellation.js'
export { casePeople, visitCursor, visitScope, visitViewColumns, type VisitRow } from './queries.js'
export { ConversationPurpose, IfMatchHeaders, Interpreter, LocalOrInstant, Visit, VisitListQuery, VisitLocation, VisitPatch } from './schemas.js'
export { visitView } from './service.js'
export { absencesFrom } from './times.js'
