import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { PARTY_ROLES, REPORT_LANGUAGES } from '../../domain/vocabulary.js'
import { LocalDate, Nullable, StringEnum, Uuid, VisitKindSchema, VisitStatusSchema } from '../../http/schemas.js'
import { ConversationPurpose, Interpreter, VisitLocation } from '../scheduling/index.js'

/** The schemas of the day sheet: one site's visits of one local day, as the front desk and the counsellors need them. */

export const DaySheetQuery = Type.Object(
  { date: { ...LocalDate, description: "The day in the site's time zone (a visit belongs to the day it starts on there)", examples: ['2026-03-07'] } },
  { additionalProperties: false },
)
export type DaySheetQuery = Static<typeof DaySheetQuery>

/** An instant in UTC; always a formatted string here, never a Date. */
const Instant = Type.String({ format: 'date-time', examples: ['2026-03-07T09:00:00Z'] })

const Room = Type.Object({ id: Uuid, name: Type.String({ examples: ['Speelkamer'] }) }, { description: 'null for a visit outside the centre' })
const Counsellor = Type.Object({ id: Uuid, name: Type.String({ examples: ['An Peeters'] }) })

/** A person of the visit as the sheet shows them: a first name and when they come and go, nothing that identifies or reaches them. */
const DaySheetParty = Type.Object({
  partyId: Uuid,
  role: StringEnum(PARTY_ROLES, { examples: ['visiting_parent'] }),
  givenName: Nullable(Type.String({ description: 'First name only; null when the referral gave none', examples: ['Tom'] })),
  arriveAt: Nullable({ ...Instant, description: 'Staggered arrival; null for a child, who comes with one of the sides' }),
  leaveAt: Nullable(Instant),
})

export const DaySheetVisit = Type.Object({
  id: Uuid,
  start: Instant,
  end: Instant,
  kind: VisitKindSchema,
  status: VisitStatusSchema,
  room: Nullable(Room),
  counsellors: Type.Array(Counsellor),
  caseId: Uuid,
  dossierNumber: Type.String({ description: "The case's dossier number in the centre", examples: ['2026-0042'] }),
  courtReference: Nullable(Type.String({ description: "The court's roll number of the case's referral, as the cases show it", examples: ['24/1234/A'] })),
  parties: Type.Array(DaySheetParty, { description: 'By arrival; children last' }),
  mustNotMeet: Type.Boolean({
    description:
      "Two of the visit's people must not meet (the case's safety profile): keep them apart at the door. The profile's texts are never on the sheet.",
    examples: [false],
  }),
  purpose: Nullable(ConversationPurpose),
  location: Nullable(VisitLocation),
  interpreter: Nullable(Interpreter),
})

const EXAMPLE = {
  site: { id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f10', name: 'Bezoekruimte Antwerpen', timeZone: 'Europe/Brussels' },
  language: 'nl',
  title: 'Dagoverzicht',
  date: '2026-03-07',
  generatedAt: '2026-03-07T07:30:00Z',
  visits: [
    {
      id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f20',
      start: '2026-03-07T09:00:00Z',
      end: '2026-03-07T10:30:00Z',
      kind: 'supervised_visit',
      status: 'booked',
      room: { id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', name: 'Speelkamer' },
      counsellors: [{ id: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f13', name: 'An Peeters' }],
      caseId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f30',
      dossierNumber: '2026-0042',
      courtReference: '24/1234/A',
      parties: [
        {
          partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f31',
          role: 'visiting_parent',
          givenName: 'Tom',
          arriveAt: '2026-03-07T08:45:00Z',
          leaveAt: '2026-03-07T10:45:00Z',
        },
        {
          partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f32',
          role: 'residing_parent',
          givenName: 'Sofie',
          arriveAt: '2026-03-07T09:00:00Z',
          leaveAt: '2026-03-07T10:30:00Z',
        },
        { partyId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f33', role: 'child', givenName: 'Lena', arriveAt: null, leaveAt: null },
      ],
      mustNotMeet: true,
      purpose: null,
      location: null,
      interpreter: { name: 'Samira El Amrani', language: 'ar' },
    },
  ],
}

export const DaySheet = Type.Object(
  {
    site: Type.Object({ id: Uuid, name: Type.String({ examples: ['Bezoekruimte Antwerpen'] }), timeZone: Type.String({ examples: ['Europe/Brussels'] }) }),
    language: StringEnum(REPORT_LANGUAGES, { examples: ['nl'], description: "The centre's language, the sheet's words are in" }),
    title: Type.String({ description: "The sheet's title in that language", examples: ['Dagoverzicht'] }),
    date: LocalDate,
    generatedAt: { ...Instant, description: 'When the sheet was made: a printed copy shows how fresh it is' },
    visits: Type.Array(DaySheetVisit, { description: 'In time order; cancelled visits and visits entered in error are left out' }),
  },
  { examples: [EXAMPLE] },
)
export type DaySheet = Static<typeof DaySheet>

export const components = named({
  DaySheet,
  DaySheetVisit,
})
