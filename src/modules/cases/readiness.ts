/** Kept for the modules that import readiness loading from here; it lives in queries.ts. */
export { currentAgreement, loadReadiness, type CurrentAgreement } from './queries.js'
