import ipaddr from 'ipaddr.js'

/** The rules of webhook delivery that need no I/O: when to try again, when to give up, where not to send. */

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000
/** A delivery not acknowledged within a day of its event is given up (marked failed). */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * The wait before the next attempt after `failures` failed ones: about `baseMs` after the first,
 * doubling each time up to an hour, with "full jitter" over the upper half so that many receivers
 * failing together do not retry in lockstep. `random` is in [0, 1).
 */
export function retryDelay(failures: number, baseMs: number, random: number): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, failures - 1))
  return Math.round(exponential / 2 + (exponential / 2) * random)
}

/** Whether a delivery whose event happened at `createdAt` is past the day it may be tried for. */
export const expired = (createdAt: Date, now: Date) => now.getTime() - createdAt.getTime() >= GIVE_UP_AFTER_MS

/**
 * Addresses a webhook must not reach unless the installation allows it: loopback, private,
 * link-local (cloud metadata), unique-local and the like. Only public unicast is allowed.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  return parsed.range() === 'unicast'
}
