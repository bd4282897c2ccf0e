/** What other modules use of day-sheet. */
export { KIND, ROLE, STATUS } from './html.js'
export { counsellorNames, courtReferences, roomNames, siteNames } from './queries.js'
