/** What other modules use of cases. */
export {
  caseTimeZone,
  currentAgreement,
  findCase,
  inCaseScope,
  invalidTransition,
  loadReadiness,
  lockCase,
  nextCaseStatus,
  readinessOf,
  referralScope,
  type CaseRow,
  type CurrentAgreement,
} from './queries.js'
export { requirePast } from './records.js'
export {
  ActivateBody,
  Case,
  CaseOutcome,
  Contact,
  EndBody,
  ExtendBody,
  Party,
  PartyChange,
  PartyCreate,
  PartyRoleSchema,
  ReferrerCaseOutcome,
  ReferrerParty,
  ResumeBody,
  SuspendBody,
} from './schemas.js'
export { addEvent, caseOutcomes, partyView, renderCase, renderFullCase } from './views.js'
