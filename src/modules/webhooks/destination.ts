import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { isPublicAddress, refusedUrl } from '../../domain/webhooks.js'

/**
 * Where a webhook may send: a receiver must resolve to public addresses only, so that a centre's
 * admin cannot make the service call into its own network (the database, a cloud's metadata
 * endpoint). Checked when the webhook is registered and again before every attempt, since DNS can
 * change in between. An installation whose receivers live on its own network says so with
 * WEBHOOK_ALLOW_PRIVATE_URLS=true.
 */
export async function refusedDestination(url: string, allowPrivate: boolean): Promise<string | null> {
  const malformed = refusedUrl(url)
  if (malformed) return malformed
  if (allowPrivate) return null
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
  } catch {
    return `the host ${host} does not resolve`
  }
  const internal = addresses.find((address) => !isPublicAddress(address))
  return internal ? `the host ${host} resolves to ${internal}, a loopback, private or otherwise internal address` : null
}
