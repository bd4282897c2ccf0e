import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { personKey, type PersonIdentity } from '../domain/person-key.js'
import type { Queryable } from './client.js'
import { installationSecrets } from './schema.js'

/**
 * The installation's secret for person keys, made at its first use: 256 random bits, stored in the
 * database (one per installation, whatever template its data directory started from). Two
 * processes making it at once keep the first one committed.
 */
export async function personKeySecret(db: Queryable): Promise<string> {
  await db
    .insert(installationSecrets)
    .values({ name: 'person_key', value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing()
  const [row] = await db
    .select({ value: installationSecrets.value })
    .from(installationSecrets)
    .where(eq(installationSecrets.name, sql`'person_key'`))
  return row!.value
}

/** The person key of a party's identity (null when it does not identify a person), with this installation's secret. */
export async function personKeyOf(db: Queryable, identity: PersonIdentity): Promise<string | null> {
  const secret = await personKeySecret(db)
  return personKey(secret, identity)
}
