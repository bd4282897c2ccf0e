/** What other modules use of webhooks. */
export { enqueueEvent } from './service.js'
