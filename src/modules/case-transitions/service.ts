import { eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { cases } from '../../db/schema.js'
import type { Actor } from '../../domain/actor.js'
import { lockCase, renderFullCase, type CaseRow, type EndBody, type ExtendBody, type ResumeBody, type SuspendBody } from '../cases/index.js'
import { applyDatesToCase } from './dates.js'
import { activateCase, endCase, extendCase, resumeCase, suspendCase } from './transitions.js'

/**
 * A case's state changes, on top of the cases module: they set off work in scheduling (cancelling
 * visits) and reports (the referrer's report), which themselves read cases.
 */

/**
 * Locks the case, makes one state change and renders the case as it is now, all in `tx`. The
 * change is judged on the status the suspension's dates give (a suspension that has begun or run
 * out since the job's last run is applied first, by the system), not on a stored one a minute old.
 */
async function change(tx: Tx, actor: Actor, now: Date, id: string, apply: (row: CaseRow) => Promise<unknown>) {
  const row = await applyDatesToCase(tx, await lockCase(tx, actor, id), now)
  await apply(row)
  const [updated] = await tx.select().from(cases).where(eq(cases.id, row.id))
  return renderFullCase(tx, updated!, now)
}

export const activate = (tx: Tx, actor: Actor, now: Date, id: string) => change(tx, actor, now, id, (row) => activateCase(tx, actor, now, row))
export const extend = (tx: Tx, actor: Actor, now: Date, id: string, input: ExtendBody) =>
  change(tx, actor, now, id, (row) => extendCase(tx, actor, now, row, input))
export const suspend = (tx: Tx, actor: Actor, now: Date, id: string, input: SuspendBody) =>
  change(tx, actor, now, id, (row) => suspendCase(tx, actor, now, row, input))
export const resume = (tx: Tx, actor: Actor, now: Date, id: string, input: ResumeBody) =>
  change(tx, actor, now, id, (row) => resumeCase(tx, actor, now, row, input))
export const end = (tx: Tx, actor: Actor, now: Date, id: string, input: EndBody) => change(tx, actor, now, id, (row) => endCase(tx, actor, now, row, input))
