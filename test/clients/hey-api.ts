/**
 * What an integrator writes with @hey-api/openapi-ts (its fetch client) against the committed
 * openapi/openapi.json. Not run: scripts/check-clients.sh generates the SDK into a temporary
 * directory (imported here as ./generated/hey-api/) and type-checks this file.
 */
import { client } from './generated/hey-api/client.gen.js'
import { listReasonCodes, listVisits, submitReferral as submit } from './generated/hey-api/sdk.gen.js'
import type { ReferralRequest } from './generated/hey-api/types.gen.js'

client.setConfig({ baseUrl: 'https://bezoekruimte.example', headers: { authorization: 'Bearer bzr_example' } })

/** A site's week of visits: the start of each the caller may see in full. */
export async function weekOfVisits(siteId: string): Promise<string[]> {
  const { data, error } = await listVisits({ query: { siteId, from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z', limit: 200 } })
  if (error || !data) throw new Error(error?.detail ?? 'no answer')
  return data.items.map((visit) => (visit.view === 'full' ? visit.start : visit.date))
}

/** The refusal reasons a centre may choose from, with their Dutch labels. */
export async function refusalReasons(): Promise<{ code: string; label: string }[]> {
  const { data, error } = await listReasonCodes({ query: { category: 'refusal' } })
  if (error || !data) throw new Error(error?.detail ?? 'no answer')
  return data.items.map((reason) => ({ code: reason.code, label: reason.label.nl }))
}

/** A clerk submits a referral; a retry with the same key is answered once. */
export async function submitReferral(centreId: string, courtId: string): Promise<string> {
  const body: ReferralRequest = {
    centreId,
    source: 'court',
    legalFramework: 'court_ordered',
    courtId,
    courtReference: '24/1234/A',
    decisionDate: '2026-02-10',
    reason: 'Contact broken for two years after the separation.',
    parties: [
      { role: 'child', givenName: 'Lena', familyName: 'Peeters', birthDate: '2019-05-02', language: 'nl' },
      { role: 'visiting_parent', givenName: 'Tom', familyName: 'Peeters', language: 'nl', contact: { phone: '+32 470 11 22 33' } },
      { role: 'residing_parent', givenName: 'Sara', familyName: 'Janssens', language: 'nl' },
    ],
  }
  const { data, error } = await submit({ body, headers: { 'idempotency-key': 'court-24-1234-A' } })
  if (error || !data) throw new Error(error ? `${error.title}: ${error.detail}` : 'no answer')
  return `${data.id} ${data.status}`
}
