import ipaddr from 'ipaddr.js'
import { DAY_MS, HOUR_MS } from './time.js'

/** The rules of webhook delivery that need no I/O: when to try again, when to give up, where not to send. */

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = HOUR_MS
/** A delivery not acknowledged within a day of its event is given up (marked failed). */
export const GIVE_UP_AFTER_MS = DAY_MS

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
 * link-local (cloud metadata), unique-local and the like. Only public unicast is allowed. An IPv6
 * address that carries an IPv4 one (mapped ::ffff:a.b.c.d, the old IPv4-compatible ::a.b.c.d,
 * NAT64, 6to4, Teredo) is refused outright: which IPv4 host it reaches depends on the network.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  const parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast'
  const parts = (parsed as ipaddr.IPv6).parts
  const ipv4Compatible = parts.slice(0, 6).every((part) => part === 0)
  return !ipv4Compatible && parsed.range() === 'unicast'
}

/** Why a receiver's URL is refused before any look-up: not http(s), or it carries credentials. */
export function refusedUrl(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'it is not a URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https receivers are allowed'
  if (parsed.username || parsed.password)
    return 'it carries a user name or password; put the receiver’s credentials in a header-free URL path or token it checks'
  return null
}
