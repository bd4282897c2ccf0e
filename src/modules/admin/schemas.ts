import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { REPORT_CONTENTS, REPORT_LANGUAGES } from '../../domain/vocabulary.js'
import { HoursInterval, Instant, LocalDate, NonEmpty, PartySideSchema, Stored, StringEnum, Timestamp, Uuid, WeeklyHoursSchema } from '../../http/schemas.js'

/** Centres, their reference data (sites, rooms, counsellors, absences) and the courts: what is sent and shown. */

const Active = Type.Boolean({ description: 'false once deactivated', examples: [true] })
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone', examples: ['Europe/Brussels'] })
const JudicialDistrict = NonEmpty(100, ['Antwerpen'])

export const CentreSettingsSchema = Type.Object(
  {
    plannedDurationMonths: Type.Integer({ minimum: 1, maximum: 36, examples: [6], description: 'Planned end after activation' }),
    stagger: Type.Object(
      {
        firstToArrive: PartySideSchema,
        arrivalGapMinutes: Type.Integer({ minimum: 0, maximum: 120, examples: [15] }),
        departureGapMinutes: Type.Integer({ minimum: 0, maximum: 120, examples: [15] }),
      },
      { additionalProperties: false },
    ),
    holidayOptOuts: Type.Array(Type.String({ maxLength: 40 }), {
      maxItems: 20,
      description: 'Belgian public holidays on which this centre stays open',
      examples: [['armistice']],
    }),
    reportContent: StringEnum(REPORT_CONTENTS, {
      description:
        'What reports to the referrer contain: attendance_only (visit counts and decisions), or factual_observations (also the observations a counsellor marked reportable; never a child-protection record)',
      examples: ['attendance_only'],
    }),
    minimumGapMinutes: Type.Integer({
      minimum: 0,
      maximum: 240,
      examples: [15],
      description: "The least time between the arrivals, and between the departures, of two parties a case's safety profile says must not meet",
    }),
    cancellationNoticeHours: Type.Integer({
      minimum: 0,
      maximum: 336,
      examples: [24],
      description: 'A cancellation less than this many hours before the start is flagged late',
    }),
    consecutiveAbsencesSignal: Type.Integer({
      minimum: 1,
      maximum: 20,
      examples: [2],
      description: 'A party that missed this many consecutive visits is flagged on the case (a signal for staff; the decision stays theirs)',
    }),
    maxTrajectoryMonths: Type.Integer({
      minimum: 1,
      maximum: 60,
      examples: [12],
      description: 'The longest a case may run from activation; an extension past it needs an admin and an exceptional reason',
    }),
    maxExtensions: Type.Integer({
      minimum: 0,
      maximum: 20,
      examples: [2],
      description: 'How many extensions a case may have; one more needs an admin and an exceptional reason',
    }),
    evaluationIntervalMonths: Type.Integer({
      minimum: 1,
      maximum: 24,
      examples: [3],
      description: 'How often an evaluation conversation is held; each case shows its next one as evaluationDue',
    }),
    childRefusalsSignal: Type.Integer({ minimum: 1, maximum: 20, examples: [2], description: 'The child refusing this many visits is flagged on the case' }),
    retentionYears: Type.Integer({
      minimum: 1,
      maximum: 30,
      examples: [5],
      description:
        'Years after a case ends before its people are pseudonymised and its free texts and observations removed (daily job); the centre checks the default of 5 against its own rules and the law',
    }),
    courtSeesVisits: Type.Boolean({
      examples: [false],
      description:
        "Whether courts (clerks, court integrations) see the dates, kinds and statuses of this centre's visits. Off by default: the centre reports to the court in its reports; the court does not follow attendance visit by visit",
    }),
    letterhead: Type.Object(
      {
        address: Type.Union([Type.String({ maxLength: 300 }), Type.Null()], { examples: ['Lange Gasthuisstraat 1, 2000 Antwerpen'] }),
        phone: Type.Union([Type.String({ maxLength: 40 }), Type.Null()], { examples: ['+32 3 123 45 67'] }),
        email: Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()], { examples: ['bezoekruimte@caw.example'] }),
      },
      { additionalProperties: false, description: "The centre's address and contact, printed at the head of every report (the name is the centre's)" },
    ),
    language: StringEnum(REPORT_LANGUAGES, {
      examples: ['nl'],
      description: "The language the centre works in: its day sheet and the texts it writes itself. Reports follow the court's language",
    }),
  },
  { additionalProperties: false },
)

export const Centre = Type.Object({
  ...Stored,
  name: Type.String({ examples: ['CAW Antwerpen – Bezoekruimte'] }),
  settings: CentreSettingsSchema,
  active: Active,
})

/** The settings a client sends: any of them; the rest keep their values (or defaults). */
const CentreSettingsChange = Type.Partial(CentreSettingsSchema, { additionalProperties: false })

export const CentreCreate = Type.Object(
  {
    name: NonEmpty(200, ['CAW Antwerpen – Bezoekruimte']),
    settings: Type.Optional(CentreSettingsChange),
  },
  { additionalProperties: false },
)
export type CentreCreate = Static<typeof CentreCreate>

export const CentreCreated = Type.Object({
  ...Centre.properties,
  adminToken: Type.Object({ id: Uuid, token: Type.String({ examples: ['bzr_…'] }) }, { description: 'An admin token for the new centre, shown once' }),
})

export const CentreUpdate = Type.Partial(CentreCreate, { additionalProperties: false })
export type CentreUpdate = Static<typeof CentreUpdate>

const Closure = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
    reason: Type.Optional(Type.String({ maxLength: 200, examples: ['Kerstverlof'] })),
  },
  { additionalProperties: false },
)

const siteFields = {
  name: NonEmpty(200, ['Bezoekruimte Antwerpen-Centrum']),
  address: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()], { examples: ['Lange Gasthuisstraat 1, 2000 Antwerpen'] })),
  timeZone: TimeZone,
  judicialDistrict: JudicialDistrict,
  openingHours: WeeklyHoursSchema,
  closures: Type.Array(Closure, { maxItems: 200, examples: [[{ from: '2026-12-24', to: '2027-01-01', reason: 'Kerstverlof' }]] }),
}
export const Site = Type.Object({ ...Stored, centreId: Uuid, ...siteFields, address: Type.Union([Type.String(), Type.Null()]), active: Active })
export const SiteCreate = Type.Object({ ...siteFields, closures: Type.Optional(siteFields.closures) }, { additionalProperties: false })
export const SiteUpdate = Type.Partial(SiteCreate, { additionalProperties: false })

const roomFields = {
  siteId: Uuid,
  name: NonEmpty(200, ['Speelkamer 1']),
  capacity: Type.Integer({ minimum: 1, maximum: 20, default: 1, description: 'Families at once', examples: [1] }),
  features: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30, examples: [['one-way mirror', 'toys 0-6']] }),
}
export const Room = Type.Object({ ...Stored, centreId: Uuid, ...roomFields, active: Active })
export const RoomCreate = Type.Object(
  { ...roomFields, capacity: Type.Optional(roomFields.capacity), features: Type.Optional(roomFields.features) },
  { additionalProperties: false },
)
export const RoomUpdate = Type.Partial(Type.Object({ name: roomFields.name, capacity: roomFields.capacity, features: roomFields.features }), {
  additionalProperties: false,
})
export const RoomFilters = Type.Object({ siteId: Type.Optional(Uuid) })
export type SiteCreate = Static<typeof SiteCreate>
export type RoomCreate = Static<typeof RoomCreate>

const counsellorFields = {
  name: NonEmpty(200, ['An Peeters']),
  email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()], { examples: ['an.peeters@caw.example'] })),
  languages: Type.Array(Type.String({ minLength: 2, maxLength: 8 }), { maxItems: 10, examples: [['nl', 'fr']] }),
  workingHours: WeeklyHoursSchema,
}
export const Counsellor = Type.Object({ ...Stored, centreId: Uuid, ...counsellorFields, email: Type.Union([Type.String(), Type.Null()]), active: Active })
export const CounsellorCreate = Type.Object({ ...counsellorFields, languages: Type.Optional(counsellorFields.languages) }, { additionalProperties: false })
export const CounsellorUpdate = Type.Partial(CounsellorCreate, { additionalProperties: false })
export type CounsellorCreate = Static<typeof CounsellorCreate>

export const Absence = Type.Object({
  id: Uuid,
  counsellorId: Uuid,
  from: Instant,
  until: Instant,
  reason: Type.Union([Type.String(), Type.Null()], { examples: ['Verlof'] }),
  createdAt: Instant,
})
export const AbsenceCreate = Type.Object(
  {
    from: Timestamp,
    until: Timestamp,
    reason: Type.Optional(Type.String({ maxLength: 200, examples: ['Verlof'] })),
  },
  { additionalProperties: false },
)
export type AbsenceCreate = Static<typeof AbsenceCreate>

export const AbsenceQuery = PageQuery
export type AbsenceQuery = Static<typeof AbsenceQuery>

const CourtLanguage = StringEnum(REPORT_LANGUAGES, {
  examples: ['nl'],
  description: 'The language of the proceedings: every report to this court is written in it, whatever the parties speak',
})
const courtFields = {
  name: NonEmpty(200, ['Familierechtbank Antwerpen']),
  judicialDistrict: JudicialDistrict,
}
export const Court = Type.Object({ ...Stored, ...courtFields, language: CourtLanguage, active: Active })
export const CourtCreate = Type.Object(
  { ...courtFields, language: Type.Optional({ ...CourtLanguage, description: `${CourtLanguage.description}; default nl` }) },
  { additionalProperties: false },
)
export const CourtUpdate = Type.Partial(Type.Object({ ...courtFields, language: CourtLanguage }), { additionalProperties: false })
export type CourtCreate = Static<typeof CourtCreate>

export const components = named({
  CentreSettings: CentreSettingsSchema,
  CentreSettingsChange,
  WeeklyHours: WeeklyHoursSchema,
  HoursInterval,
  SiteClosure: Closure,
  Centre,
  CentrePage: Page(Centre),
  CentreRequest: CentreCreate,
  CentreCreated,
  CentreUpdate,
  Site,
  SitePage: Page(Site),
  SiteRequest: SiteCreate,
  SiteUpdate,
  Room,
  RoomPage: Page(Room),
  RoomRequest: RoomCreate,
  RoomUpdate,
  Counsellor,
  CounsellorPage: Page(Counsellor),
  CounsellorRequest: CounsellorCreate,
  CounsellorUpdate,
  Absence,
  AbsencePage: Page(Absence),
  AbsenceRequest: AbsenceCreate,
  Court,
  CourtPage: Page(Court),
  CourtRequest: CourtCreate,
  CourtUpdate,
})
