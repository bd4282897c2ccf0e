import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { lookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { isPublicAddress, refusedUrl } from '../../domain/webhooks.js'

/**
 * Where a webhook may send: a receiver must resolve to public addresses only, so that a centre's
 * admin cannot make the service call into its own network (the database, a cloud's metadata
 * endpoint). Checked when the webhook is registered, and at every attempt on the very address the
 * connection is made to (the look-up is pinned), so a name that resolves elsewhere by then is
 * refused too. An installation whose receivers live on its own network says so with
 * WEBHOOK_ALLOW_PRIVATE_URLS=true.
 */

const internal = (host: string, address: string) => `the host ${host} resolves to ${address}, a loopback, private or otherwise internal address`

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
  const refused = addresses.find((address) => !isPublicAddress(address))
  return refused ? internal(host, refused) : null
}

/** A refusal at connection time, worded for the delivery log. */
export class RefusedDestination extends Error {}

/** The system's look-up, answering only public addresses: what it returns is what the socket connects to. */
const publicOnly: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    const refused = addresses.find((a) => !isPublicAddress(a.address))
    if (refused) return callback(new RefusedDestination(internal(hostname, refused.address)), '', 0)
    if (options.all) return callback(null, addresses)
    callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}

interface PostOptions {
  headers: Record<string, string>
  allowPrivate: boolean
  signal: AbortSignal
}

/**
 * POSTs a delivery and answers the receiver's status (its body is not read). No redirect is
 * followed: a 3xx is an answer like any other, and it is not a 2xx.
 */
export async function post(url: string, body: string, options: PostOptions): Promise<number> {
  const refused = refusedLiteral(url, options.allowPrivate)
  if (refused) throw new RefusedDestination(refused)
  const target = new URL(url)
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<number>((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: options.signal,
        ...(options.allowPrivate ? {} : { lookup: publicOnly }),
      },
      (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** A URL's own faults, and an address literal (which no look-up sees) that is internal. */
function refusedLiteral(url: string, allowPrivate: boolean): string | null {
  const malformed = refusedUrl(url)
  if (malformed || allowPrivate) return malformed
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  return isIP(host) && !isPublicAddress(host) ? internal(host, host) : null
}
