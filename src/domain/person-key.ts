import { createHmac } from 'node:crypto'

/**
 * Persons counted once across cases (the registration's "unique clients"): a pseudonymous key per
 * person, a keyed hash (HMAC-SHA256 with the installation's secret) of the national number where one
 * is recorded, else of the normalised given name, family name and birth date. Without either (no
 * given name or no birth date) a party has no key and counts as itself. The key names nobody: without
 * the secret it cannot be recomputed from a guessed name, and the statistics only count distinct keys.
 */

/** Letters and digits only, without accents, in lower case: `Van den Broeck`, `VANDENBROECK` and `Vandenbroeck` are one name. */
export const normaliseName = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '')

/** The digits of a Belgian national register (or BIS) number, as written (`85.07.30-033.28`) or bare. */
export const nationalNumberDigits = (value: string) => value.replace(/[\s.-]/g, '')

/**
 * Whether eleven digits are a national register or BIS number: the last two are 97 minus the first
 * nine modulo 97, with a 2 put in front of the nine for people born from 2000 on.
 */
export function isNationalNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false
  const check = Number(digits.slice(9))
  const base = BigInt(digits.slice(0, 9))
  return 97 - Number(base % 97n) === check || 97 - Number((2_000_000_000n + base) % 97n) === check
}

export interface PersonIdentity {
  givenName: string | null
  familyName: string
  birthDate: string | null
  nationalNumber: string | null
}

/** What the key is computed from, or null when the record does not identify a person well enough. */
export function personKeyInput(p: PersonIdentity): string | null {
  if (p.nationalNumber) return `nn:${nationalNumberDigits(p.nationalNumber)}`
  const given = p.givenName ? normaliseName(p.givenName) : ''
  const family = normaliseName(p.familyName)
  if (!given || !family || !p.birthDate) return null
  return `name:${given}|${family}|${p.birthDate}`
}

export function personKey(secret: string, p: PersonIdentity): string | null {
  const input = personKeyInput(p)
  return input === null ? null : createHmac('sha256', secret).update(input).digest('hex')
}
