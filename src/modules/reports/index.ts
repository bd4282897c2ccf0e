/** What other modules use of reports. */
export { issueReport } from './service.js'
