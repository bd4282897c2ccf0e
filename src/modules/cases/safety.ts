import { eq, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { parties, safetyProfiles } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { invalidInput } from '../../domain/errors.js'
import { audit } from '../../db/audit.js'
import { lockCase, safetyProfileOf } from './queries.js'
import type { SafetyProfileBody } from './schemas.js'

/**
 * A case's safety profile, replaced whole by staff. Internal: read only through the centre's case
 * view; bookings enforce its pairs (scheduling), the day sheet shows a flag without its texts.
 */
export async function putSafetyProfile(tx: Tx, actor: Actor, now: Date, caseId: string, body: SafetyProfileBody) {
  const row = await lockCase(tx, actor, caseId)
  const partyIds = new Set((await tx.select({ id: parties.id }).from(parties).where(eq(parties.caseId, row.id))).map((p) => p.id))
  const requirePartyAt = (id: string, pointer: string) => {
    if (!partyIds.has(id)) throw invalidInput('body', pointer, 'is not a party of this case')
  }
  const seen = new Set<string>()
  for (const [i, [a, b]] of body.mustNotMeet.entries()) {
    if (a === b) throw invalidInput('body', `/mustNotMeet/${i}`, 'names the same party twice: a pair is two different parties')
    const key = [a, b].sort().join('/')
    if (seen.has(key)) throw invalidInput('body', `/mustNotMeet/${i}`, 'repeats a pair listed before')
    seen.add(key)
    for (const [j, id] of [a, b].entries()) requirePartyAt(id!, `/mustNotMeet/${i}/${j}`)
  }
  for (const [i, ban] of body.contactBans.entries()) requirePartyAt(ban.partyId, `/contactBans/${i}/partyId`)
  const values = { mustNotMeet: body.mustNotMeet as [string, string][], contactBans: body.contactBans, notes: body.notes ?? null, updatedAt: now }
  await tx
    .insert(safetyProfiles)
    .values({ caseId: row.id, ...values })
    .onConflictDoUpdate({ target: safetyProfiles.caseId, set: { ...values, updatedAt: sql`excluded.updated_at` } })
  await audit(tx, actor, { action: 'case.safety_changed', entityType: 'case', entityId: row.id, centreId: row.centreId })
  return safetyProfileOf(tx, row)
}
