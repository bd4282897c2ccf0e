import { count } from 'drizzle-orm'
import { withDefaults } from '../domain/centre-settings.js'
import { audit } from '../modules/audit/service.js'
import { createToken } from '../modules/tokens/service.js'
import { systemActor } from '../domain/actor.js'
import type { Db, Queryable } from './client.js'
import { centres, counsellors, courts, rooms, sites } from './schema.js'
import { publishDocument } from '../modules/documents/versions.js'

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


/** Creates a centre with its first admin token, and with `demo` a site, rooms, counsellors and a court to try things with. */
export async function setupCentre(db: Db, options: { centreName: string; demo: boolean }): Promise<SetupResult> {
  return db.transaction(async (tx) => {
    const [centre] = await tx.insert(centres).values({ name: options.centreName, settings: withDefaults(undefined) }).returning()
    const centreId = centre!.id
    await audit(tx, systemActor, { action: 'centre.created', entityType: 'centre', entityId: centreId, centreId })
    const { row: token, secret } = await createToken(tx, { role: 'admin', centreId, label: 'initial admin' })
    await audit(tx, systemActor, { action: 'token.created', entityType: 'token', entityId: token.id, centreId })
    const result: SetupResult = { centreId, adminToken: secret }
    if (options.demo) result.demo = await seedDemo(tx, centreId)
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

async function seedDemo(tx: Queryable, centreId: string): Promise<DemoIds> {
  const weekdays = { from: '09:00', to: '20:00' }
  const [site] = await tx.insert(sites).values({
    centreId, name: 'Bezoekruimte Demo', address: 'Voorbeeldstraat 1, 2000 Antwerpen',
    timeZone: 'Europe/Brussels', judicialDistrict: 'Antwerpen',
    openingHours: { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays], sat: [{ from: '09:00', to: '18:00' }], sun: [{ from: '10:00', to: '17:00' }] },
    closures: [],
  }).returning()
  const roomRows = await tx.insert(rooms).values([
    { centreId, siteId: site!.id, name: 'Speelkamer', capacity: 1, features: ['toys 0-6'] },
    { centreId, siteId: site!.id, name: 'Grote zaal', capacity: 2, features: ['garden'] },
  ]).returning()
  const hours = { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays], sat: [{ from: '09:00', to: '18:00' }] }
  const counsellorRows = await tx.insert(counsellors).values([
    { centreId, name: 'An Peeters', email: 'an.peeters@demo.invalid', languages: ['nl', 'fr'], workingHours: hours },
    { centreId, name: 'Jonas Claes', email: 'jonas.claes@demo.invalid', languages: ['nl', 'en'], workingHours: hours },
  ]).returning()
  const [court] = await tx.insert(courts).values({ name: 'Familierechtbank Antwerpen', judicialDistrict: 'Antwerpen' }).returning()
  const effectiveFrom = new Date()
  const houseRules = await publishDocument(tx, centreId, { kind: 'house_rules', language: 'nl', effectiveFrom, title: 'Huishoudelijk reglement', body: DEMO_HOUSE_RULES })
  const information = await publishDocument(tx, centreId, { kind: 'information', language: 'nl', effectiveFrom, title: 'Informatie over de bezoekruimte', body: DEMO_INFORMATION })
  for (const [entityType, rows] of [['site', [site!]], ['room', roomRows], ['counsellor', counsellorRows], ['court', [court!]], ['document', [houseRules, information]]] as const) {
    await audit(tx, systemActor, rows.map((row) => ({ action: `${entityType}.created`, entityType, entityId: row.id, centreId })))
  }
  return {
    siteId: site!.id, roomIds: roomRows.map((r) => r.id), counsellorIds: counsellorRows.map((c) => c.id), courtId: court!.id,
    documentIds: { houseRules: houseRules.id, information: information.id },
  }
}

export async function isEmpty(db: Queryable): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(centres)
  return row!.n === 0
}
