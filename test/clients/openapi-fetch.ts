/**
 * What an integrator writes with openapi-typescript + openapi-fetch against the committed
 * openapi/openapi.json. Not run: scripts/check-clients.sh generates the types into a temporary
 * directory (imported here as ./generated/openapi-typescript.js) and type-checks this file, so a
 * contract change that breaks a generated client fails CI.
 */
import createClient from 'openapi-fetch'
import type { paths } from './generated/openapi-typescript.js'

const client = createClient<paths>({ baseUrl: 'https://bezoekruimte.example', headers: { authorization: 'Bearer bzr_example' } })

/** A site's week of visits: the start of each the caller may see in full. */
export async function weekOfVisits(siteId: string): Promise<string[]> {
  const { data, error } = await client.GET('/v1/visits', {
    params: { query: { siteId, from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z', limit: 200 } },
  })
  if (error) throw new Error(error.detail)
  const starts: string[] = []
  for (const visit of data.items) {
    // A court token gets the referrer view: a date, never times.
    if (visit.view === 'full') starts.push(visit.start)
    else starts.push(visit.date)
  }
  return starts
}

/** The refusal reasons a centre may choose from, with their Dutch labels. */
export async function refusalReasons(): Promise<{ code: string; label: string }[]> {
  const { data, error } = await client.GET('/v1/reason-codes', { params: { query: { category: 'refusal' } } })
  if (error) throw new Error(error.detail)
  return data.items.map((reason) => ({ code: reason.code, label: reason.label.nl }))
}

/** A clerk submits a referral; a retry with the same key is answered once. */
export async function submitReferral(centreId: string, courtId: string): Promise<string> {
  const { data, error } = await client.POST('/v1/referrals', {
    params: { header: { 'idempotency-key': 'court-24-1234-A' } },
    body: {
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
    },
  })
  if (error) throw new Error(`${error.title}: ${error.detail}`)
  return `${data.id} ${data.status}`
}
