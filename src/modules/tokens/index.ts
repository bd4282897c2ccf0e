/** What other modules use of tokens. */
export { issue, newSecret } from './service.js'
