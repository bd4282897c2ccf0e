import { eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { centres } from '../../db/schema.js'
import { withDefaults } from '../../domain/centre-settings.js'

/** A centre's settings with the defaults filled in: read by every module that applies one. */
export async function centreSettings(db: Queryable, centreId: string) {
  const [row] = await db.select({ settings: centres.settings }).from(centres).where(eq(centres.id, centreId))
  return withDefaults(row?.settings)
}
