import { count } from 'drizzle-orm'
import { systemActor, type Actor } from '../../domain/actor.js'
import { counsellorResource, courtResource, roomResource, siteResource } from './reference-data.js'
import { createRecord } from './resource.js'
import type { CounsellorCreate, CourtCreate, RoomCreate, SiteCreate } from './schemas.js'
import { createCentre } from './service.js'
import { audit } from '../../db/audit.js'
import { publishDocument } from '../documents/index.js'
import type { Db, Queryable, Tx } from '../../db/client.js'
import { centres } from '../../db/schema.js'
import { DEFAULT_TIME_ZONE } from '../../domain/time.js'

/** A new centre as the CLI's `setup` and the first start make it, through the same services as the HTTP routes. */

export interface DemoIds {
  siteId: string
  roomIds: string[]
  counsellorIds: string[]
  courtId: string
  /** The Dutch house rules and information document, version 1, in force from the moment of seeding. */
  documentIds: { houseRules: string; information: string }
}

export interface SetupResult {
  centreId: string
  adminToken: string
  demo?: DemoIds
}

/**
 * Creates a centre with its first admin token, and with `demo` a site, rooms, counsellors and a court
 * to try things with. `now` (default: the wall clock) is when the demo documents come into force.
 */
export async function setupCentre(db: Db, options: { centreName: string; demo: boolean; now?: Date }): Promise<SetupResult> {
  const now = options.now ?? new Date()
  return db.transaction(async (tx) => {
    const centre = await createCentre(tx, systemActor, now, { name: options.centreName })
    const result: SetupResult = { centreId: centre.id, adminToken: centre.adminToken.token }
    // The demo records are the centre's own: the installation acts for that centre.
    if (options.demo) result.demo = await seedDemo(tx, { ...systemActor, centreId: centre.id }, now)
    return result
  })
}

const DEMO_HOUSE_RULES = [
  '1. Je komt op het afgesproken uur en meldt je aan bij de begeleider. Je wacht in de ruimte die je wordt aangewezen.',
  '2. Ouders komen en vertrekken op verschillende tijdstippen; je ontmoet de andere ouder niet in de bezoekruimte.',
  '3. Je spreekt met en over het kind en de andere ouder met respect. Geweld, dreigen en roepen zijn niet toegestaan.',
  '4. Je komt niet onder invloed van alcohol of drugs. Wapens en gevaarlijke voorwerpen zijn verboden.',
  '5. Foto’s, filmpjes en geluidsopnames maak je enkel met toestemming van de begeleider.',
  '6. Cadeaus en eten breng je enkel mee zoals afgesproken in de overeenkomst.',
  '7. Alleen de personen die in de overeenkomst staan, mogen het bezoek bijwonen.',
  '8. Kan je niet komen, verwittig dan zo snel mogelijk de bezoekruimte.',
  '9. De begeleider kan een bezoek onderbreken of beëindigen als de veiligheid of het welzijn van het kind dat vraagt.',
].join('\n')

const DEMO_INFORMATION = [
  'De bezoekruimte maakt contact mogelijk tussen een kind en een ouder (of een andere persoon met recht op persoonlijk contact) wanneer dat elders niet lukt.',
  'De begeleiding is tijdelijk: ze duurt in principe zes maanden en wordt regelmatig geëvalueerd.',
  'Voor de eerste bezoeken heeft elke ouder een apart intakegesprek. Daarin krijg je deze informatie en het huishoudelijk reglement, en onderteken je beide.',
  'De bezoekruimte bepaalt de concrete afspraken (frequentie, duur, plaats) en legt ze vast in een overeenkomst.',
  'De bezoekruimte bezorgt de verwijzer feitelijke verslagen: aanwezigheid, data en redenen van opschorting of beëindiging. Ze geeft geen advies over het verblijf of het contactrecht.',
].join('\n')

async function seedDemo(tx: Tx, actor: Actor, now: Date): Promise<DemoIds> {
  const centreId = actor.centreId!
  // Open, and staffed, every day of the week: whoever tries the demo on a Sunday can book today.
  const everyDay = [{ from: '09:00', to: '20:00' }]
  const week = { mon: everyDay, tue: everyDay, wed: everyDay, thu: everyDay, fri: everyDay, sat: everyDay, sun: everyDay }
  const site = await createRecord(tx, actor, now, siteResource, {
    name: 'Bezoekruimte Demo',
    address: 'Voorbeeldstraat 1, 2000 Antwerpen',
    timeZone: DEFAULT_TIME_ZONE,
    judicialDistrict: 'Antwerpen',
    openingHours: week,
    closures: [],
  } satisfies SiteCreate)
  const roomRows = [
    await createRecord(tx, actor, now, roomResource, { siteId: site.id, name: 'Speelkamer', capacity: 1, features: ['toys 0-6'] } satisfies RoomCreate),
    await createRecord(tx, actor, now, roomResource, { siteId: site.id, name: 'Grote zaal', capacity: 2, features: ['garden'] } satisfies RoomCreate),
  ]
  const counsellorRows = [
    await createRecord(tx, actor, now, counsellorResource, {
      name: 'An Peeters',
      email: 'an.peeters@demo.invalid',
      languages: ['nl', 'fr'],
      workingHours: week,
    } satisfies CounsellorCreate),
    await createRecord(tx, actor, now, counsellorResource, {
      name: 'Jonas Claes',
      email: 'jonas.claes@demo.invalid',
      languages: ['nl', 'en'],
      workingHours: week,
    } satisfies CounsellorCreate),
  ]
  const court = await createRecord(tx, actor, now, courtResource, { name: 'Familierechtbank Antwerpen', judicialDistrict: 'Antwerpen' } satisfies CourtCreate)
  const houseRules = await publishDocument(tx, centreId, {
    kind: 'house_rules',
    language: 'nl',
    effectiveFrom: now,
    title: 'Huishoudelijk reglement',
    body: DEMO_HOUSE_RULES,
  })
  const information = await publishDocument(tx, centreId, {
    kind: 'information',
    language: 'nl',
    effectiveFrom: now,
    title: 'Informatie over de bezoekruimte',
    body: DEMO_INFORMATION,
  })
  await audit(
    tx,
    actor,
    [houseRules, information].map((row) => ({ action: 'document.created', entityType: 'document', entityId: row.id, centreId })),
  )
  return {
    siteId: site.id,
    roomIds: roomRows.map((r) => r.id),
    counsellorIds: counsellorRows.map((c) => c.id),
    courtId: court.id,
    documentIds: { houseRules: houseRules.id, information: information.id },
  }
}

export async function isEmpty(db: Queryable): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(centres)
  return row!.n === 0
}
