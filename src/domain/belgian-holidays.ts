import { DAY_MS } from './time.js'
/**
 * Belgian public holidays (wettelijke feestdagen / jours fériés légaux),
 * computed rather than listed so they never run out. Easter Sunday and Whit
 * Sunday are included: they are legal holidays too, even if they fall on a
 * Sunday when sites are usually closed anyway.
 */

export type HolidayCode =
  | 'new_year'
  | 'easter_sunday'
  | 'easter_monday'
  | 'labour_day'
  | 'ascension'
  | 'whit_sunday'
  | 'whit_monday'
  | 'national_day'
  | 'assumption'
  | 'all_saints'
  | 'armistice'
  | 'christmas'

export interface HolidayNames {
  nl: string
  fr: string
  en: string
}

export interface Holiday {
  /** 'YYYY-MM-DD' */
  date: string
  code: HolidayCode
  names: HolidayNames
}

export const HOLIDAY_NAMES: Readonly<Record<HolidayCode, HolidayNames>> = {
  new_year: { nl: 'Nieuwjaar', fr: "Jour de l'An", en: "New Year's Day" },
  easter_sunday: { nl: 'Pasen', fr: 'Pâques', en: 'Easter Sunday' },
  easter_monday: { nl: 'Paasmaandag', fr: 'Lundi de Pâques', en: 'Easter Monday' },
  labour_day: { nl: 'Dag van de Arbeid', fr: 'Fête du Travail', en: 'Labour Day' },
  ascension: { nl: 'Onze-Lieve-Heer-Hemelvaart', fr: 'Ascension', en: 'Ascension Day' },
  whit_sunday: { nl: 'Pinksteren', fr: 'Pentecôte', en: 'Whit Sunday' },
  whit_monday: { nl: 'Pinkstermaandag', fr: 'Lundi de Pentecôte', en: 'Whit Monday' },
  national_day: { nl: 'Nationale feestdag', fr: 'Fête nationale', en: 'National Day' },
  assumption: { nl: 'Onze-Lieve-Vrouw-Hemelvaart', fr: 'Assomption', en: 'Assumption Day' },
  all_saints: { nl: 'Allerheiligen', fr: 'Toussaint', en: "All Saints' Day" },
  armistice: { nl: 'Wapenstilstand', fr: 'Armistice', en: 'Armistice Day' },
  christmas: { nl: 'Kerstmis', fr: 'Noël', en: 'Christmas Day' },
}

/** Fixed dates as [month, day]. */
const FIXED: readonly [HolidayCode, number, number][] = [
  ['new_year', 1, 1],
  ['labour_day', 5, 1],
  ['national_day', 7, 21],
  ['assumption', 8, 15],
  ['all_saints', 11, 1],
  ['armistice', 11, 11],
  ['christmas', 12, 25],
]

/** Movable feasts as days after Easter Sunday. */
const AFTER_EASTER: readonly [HolidayCode, number][] = [
  ['easter_sunday', 0],
  ['easter_monday', 1],
  ['ascension', 39],
  ['whit_sunday', 49],
  ['whit_monday', 50],
]

const CODE_ORDER: readonly HolidayCode[] = Object.keys(HOLIDAY_NAMES) as HolidayCode[]

function requireYear(year: number): void {
  // The Gregorian Easter computation holds from 1583 on.
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be a whole number from 1583 to 9999, got ${String(year)}`)
  }
}

function isoDate(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 10)
}

function easterUtc(year: number): number {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return Date.UTC(year, month - 1, day)
}

/** Easter Sunday (Western, Gregorian) as 'YYYY-MM-DD'. */
export function easterSunday(year: number): string {
  requireYear(year)
  return isoDate(easterUtc(year))
}

/**
 * All Belgian public holidays of a year, sorted by date. Two can share a date
 * (Ascension fell on 1 May in 2008): both are listed.
 */
export function belgianHolidays(year: number): Holiday[] {
  requireYear(year)
  const easter = easterUtc(year)
  const holidays: Holiday[] = [
    ...FIXED.map(([code, month, day]) => ({ date: isoDate(Date.UTC(year, month - 1, day)), code })),
    ...AFTER_EASTER.map(([code, days]) => ({ date: isoDate(easter + days * DAY_MS), code })),
  ].map(({ date, code }) => ({ date, code, names: { ...HOLIDAY_NAMES[code] } }))
  return holidays.sort((x, y) => x.date.localeCompare(y.date) || CODE_ORDER.indexOf(x.code) - CODE_ORDER.indexOf(y.code))
}

/**
 * The holiday on a date, skipping those the centre opted out of (it keeps its
 * sites open then). When two holidays share the date, the first in calendar
 * order that is not opted out is returned.
 */
export function holidayOn(date: string, optedOut: readonly HolidayCode[] = []): { code: HolidayCode; names: HolidayNames } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const valid = m !== null && isoDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === date
  if (!m || !valid) throw new RangeError(`date must be a calendar date 'YYYY-MM-DD', got ${JSON.stringify(date)}`)
  const found = holidaysOf(Number(m[1])).find((h) => h.date === date && !optedOut.includes(h.code))
  return found && { code: found.code, names: { ...found.names } }
}

// holidayOn runs for every slot an availability request judges: each year is computed once.
const byYear = new Map<number, readonly Holiday[]>()
function holidaysOf(year: number): readonly Holiday[] {
  let holidays = byYear.get(year)
  if (!holidays) {
    holidays = belgianHolidays(year)
    byYear.set(year, holidays)
  }
  return holidays
}
