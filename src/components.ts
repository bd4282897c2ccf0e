import { named } from './http/components.js'
import { ProblemSchema } from './http/problem.js'
import { components as admin } from './modules/admin/schemas.js'
import { Health } from './modules/health/routes.js'
import { components as audit } from './modules/audit/schemas.js'
import { components as calendars } from './modules/calendars/schemas.js'
import { components as cases } from './modules/cases/schemas.js'
import { components as concerns } from './modules/concerns/schemas.js'
import { components as consultations } from './modules/consultations/schemas.js'
import { components as courtChannel } from './modules/court-channel/schemas.js'
import { components as daySheet } from './modules/day-sheet/schemas.js'
import { components as documents } from './modules/documents/schemas.js'
import { components as parties } from './modules/parties/schemas.js'
import { components as reasonCodes } from './modules/reason-codes/schemas.js'
import { components as referrals } from './modules/referrals/schemas.js'
import { ReferrerVisit } from './modules/referrer-view/schemas.js'
import { components as reports } from './modules/reports/schemas.js'
import { components as statistics } from './modules/statistics/schemas.js'
import { components as tokens } from './modules/tokens/schemas.js'
import { components as scheduling } from './modules/scheduling/schemas.js'
import { components as visits } from './modules/visits/schemas.js'
import { components as observations } from './modules/visits/observation-schemas.js'
import { components as webhooks } from './modules/webhooks/schemas.js'

/**
 * Every named schema of the API (see src/http/components.ts), registered once by buildApp: each
 * module's schemas.ts lists its own.
 */
export const componentSchemas = [
  ...named({ Problem: ProblemSchema, ReferrerVisit, Health }),
  ...admin,
  ...audit,
  ...calendars,
  ...cases,
  ...concerns,
  ...consultations,
  ...courtChannel,
  ...daySheet,
  ...documents,
  ...parties,
  ...reasonCodes,
  ...referrals,
  ...reports,
  ...statistics,
  ...tokens,
  ...webhooks,
  ...scheduling,
  ...visits,
  ...observations,
]
