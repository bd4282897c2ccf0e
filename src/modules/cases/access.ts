/** Kept for the modules that import the case access helpers from here; they live in queries.ts. */
export {
  caseScope,
  findCase,
  inCaseScope,
  invalidTransition,
  lockCase,
  lockCaseForRecording,
  nextCaseStatus,
  referralScope,
  requireAdultParty,
  requireParty,
  type CaseRow,
} from './queries.js'
