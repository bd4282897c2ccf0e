/**
 * The time "now" for the service. Services take `now` as an argument and routes read it from the
 * app's clock, so tests can set the date a rule is judged on instead of recomputing it from the
 * wall clock.
 */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stays at `at` until moved (tests). */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let current = new Date(at)
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next)
    },
  }
}
