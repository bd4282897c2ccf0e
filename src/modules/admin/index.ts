/** What other modules use of admin. */
export { counsellorResource } from './reference-data.js'
export { findRecord } from './resource.js'
export { centreSettings } from './settings.js'
