import type { CentreSettings } from '../db/schema.js'

/** A centre's defaults when it says nothing else (docs/domain.md: planned end 6 months after activation). */
export const DEFAULT_CENTRE_SETTINGS: CentreSettings = {
  plannedDurationMonths: 6,
  stagger: { firstToArrive: 'visiting', arrivalGapMinutes: 15, departureGapMinutes: 15 },
  holidayOptOuts: [],
  reportableObservations: true,
}

export function withDefaults(settings: Partial<CentreSettings> | undefined, base: CentreSettings = DEFAULT_CENTRE_SETTINGS): CentreSettings {
  return {
    ...base,
    ...settings,
    stagger: { ...base.stagger, ...settings?.stagger },
  }
}
