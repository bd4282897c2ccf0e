import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Instant, NonEmpty, Nullable, StringEnum, Uuid } from '../../http/schemas.js'

/**
 * A person's export: the stored rows, column for column, so nothing held is left out by a view.
 * Each row keeps the columns of its table (docs/domain.md names them); only the id is fixed here.
 */
const row = (description: string, example: Record<string, unknown>) =>
  Type.Object({ id: Uuid }, { additionalProperties: true, description, examples: [{ id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', ...example }] })
const rows = (schema: TSchema, description: string) => Type.Array(schema, { description })

const Party = row('The party as stored: names, birth date, language, contact details and the confidential-address flag', {
  role: 'visiting_parent',
  givenName: 'Jan',
  familyName: 'Peeters',
  birthDate: '1985-04-12',
  contact: { phone: '+32 470 12 34 56' },
})
const Referral = row('The referral that named the party, with its reason and internal notes', { status: 'accepted', reason: 'Contact broke down.' })
const Case = row('The case the party belongs to', { status: 'ended', endEffectiveDate: '2026-06-30' })

export const PartyExport = Type.Object(
  {
    exportedAt: Instant,
    party: Party,
    referral: Nullable(Referral),
    referralTransfers: rows(row('A move of the referral to another centre', { explanation: 'Closer to home.' }), 'The referral’s moves between centres'),
    case: Nullable(Case),
    caseEvents: rows(row('A transition or record of the case', { type: 'activated' }), 'The case’s history, internal explanations included'),
    suspensions: rows(row('A suspension period', { fromDate: '2026-04-01', reasonCode: 'safety' }), 'The case’s suspensions'),
    intakes: rows(row('An intake held with the party', { heldAt: '2026-02-03T10:00:00Z', summary: 'First conversation.' }), 'Intakes with this party'),
    signatures: rows(row('A document signed by the party', { method: 'paper' }), 'The party’s signatures of centre documents'),
    agreements: rows(row('A version of the case’s agreement', { version: 1, conditions: [] }), 'The case’s agreements (conditions, authorised visitors)'),
    agreementSignatures: rows(row('The party’s signature of an agreement version', { signedAt: '2026-02-10T10:00:00Z' }), 'The party’s agreement signatures'),
    visits: rows(row('A visit the party took part in', { kind: 'supervised_visit', status: 'held' }), 'Visits the party took part in'),
    attendances: rows(row('A check-in of the party, or of a child the party brought', { checkedInAt: '2026-03-07T09:58:00Z' }), 'Attendances'),
    outcomes: rows(row('What happened to one of the party’s visits', { outcome: 'noshow', absentPartyIds: [] }), 'Outcomes of the party’s visits'),
    observations: rows(
      row('What a counsellor wrote about one of the party’s visits', { kind: 'observation', text: 'Calm handover.', reportable: false }),
      'Every observation of the party’s visits, the non-reportable ones too',
    ),
    auditEvents: rows(row('A recorded change or read of the party, its referral or its case', { action: 'case.read' }), 'The audit trail about it'),
    concerns: Type.Optional(
      rows(
        row('A child-protection concern of the case, with its steps and the observations it rests on', { status: 'closed', steps: [] }),
        'Only in an export released with include=restricted',
      ),
    ),
    withheld: Type.Array(
      Type.Object({
        category: StringEnum(['concerns', 'child_statements', 'other_parties', 'observations_about_others'] as const, { examples: ['child_statements'] }),
        ground: Type.String({ examples: ["The child's own words belong to the child (art. 15(4) GDPR; the child's interest)."] }),
      }),
      {
        description:
          'What this export leaves out and on what ground. A default export always lists every category, whether or not the centre holds such records; an export released with include=restricted lists none',
      },
    ),
  },
  { additionalProperties: false },
)

export const ExportQuery = Type.Object(
  {
    include: Type.Optional(
      StringEnum(['restricted'] as const, {
        description: 'Release what the default export withholds (admin only; `reason` required; recorded in the audit trail)',
        examples: ['restricted'],
      }),
    ),
    reason: Type.Optional({
      ...NonEmpty(500, ['Court order of 2026-05-04 in case 24/1234/A: full disclosure']),
      description: 'Why it is released: recorded in the audit trail',
    }),
  },
  { additionalProperties: false },
)
export type ExportQuery = Static<typeof ExportQuery>

export const components = named({
  PartyExport,
})
