import t from 'tap'
import { readFileSync } from 'node:fs'
import type { CaseStatus, ReasonCategory } from '../../src/domain/vocabulary.js'
import { REASON_CATEGORIES } from '../../src/domain/vocabulary.js'
import { checkReason, endingCategories, REASON_CATALOGUE, REASON_CODE_PATTERN, reasonDefect, type AvailableReason } from '../../src/domain/reason-codes.js'
import { fromRoot } from '../helpers/paths.js'

// The documented catalogue, verbatim: it must not drift from docs/domain.md.
const DESIGN: Record<Exclude<ReasonCategory, 'extension'>, string[]> = {
  refusal: [
    'outside_target_group',
    'no_capacity',
    'safety_risk_unmanageable',
    'no_right_to_contact',
    'parties_do_not_consent',
    'other_service_more_suitable',
    'other',
  ],
  return: ['incomplete_referral', 'modalities_unclear', 'wrong_district', 'other'],
  suspension: [
    'house_rules_violation',
    'safety_concern',
    'child_refuses',
    'child_wellbeing',
    'repeated_absence',
    'party_request',
    'awaiting_court_decision',
    'illness',
    'other',
  ],
  ending: [
    'goal_reached',
    'agreement_between_parties',
    'max_duration_reached',
    'referral_withdrawn',
    'new_court_decision',
    'repeated_absence',
    'repeated_rule_violations',
    'safety',
    'child_interest',
    'party_request',
    'moved',
    'referred_elsewhere',
    'other',
  ],
  cancellation: [
    'illness',
    'party_unavailable',
    'child_refuses',
    'centre_closed',
    'counsellor_unavailable',
    'case_suspended',
    'case_ended',
    'weather_or_transport',
    'other',
  ],
}

const available: AvailableReason[] = Object.entries(REASON_CATALOGUE).flatMap(([category, codes]) =>
  codes.map((code) => ({ category: category as ReasonCategory, code })),
)

t.test('the catalogue is the documented one, plus extension reasons', async (t) => {
  for (const [category, codes] of Object.entries(DESIGN)) t.same(REASON_CATALOGUE[category as ReasonCategory], codes, category)
  t.same(Object.keys(REASON_CATALOGUE).sort(), [...REASON_CATEGORIES].sort(), 'one list per category')
  t.ok(REASON_CATALOGUE.extension.length > 0)
})

t.test('the seeding migrations hold exactly the catalogue', async (t) => {
  // 0005 seeded the catalogue; later migrations add codes to it.
  const sql = ['0005_reason_codes.sql', '0027_referred_elsewhere.sql'].map((file) => readFileSync(fromRoot('migrations', file), 'utf8')).join('\n')
  const seeded = [...sql.matchAll(/\('[0-9a-f-]{36}', '(\w+)', '(\w+)', NULL, '((?:[^']|'')+)', '((?:[^']|'')+)', '((?:[^']|'')+)'\)/g)]
  t.same(seeded.map((m) => `${m[1]}/${m[2]}`).sort(), available.map((r) => `${r.category}/${r.code}`).sort())
  t.ok(
    seeded.every((m) => m[3] && m[4] && m[5]),
    'every code has labels in nl, fr and en',
  )
})

t.test('every code × category: valid only in its own categories', async (t) => {
  for (const reason of available) {
    for (const category of REASON_CATEGORIES) {
      const result = checkReason(reason.code, [category], available)
      const inCategory = REASON_CATALOGUE[category].includes(reason.code)
      if (inCategory) t.same(result, { ok: true, category }, `${reason.code} is a ${category} reason`)
      else t.same(result, { ok: false, allowed: [...REASON_CATALOGUE[category]] }, `${reason.code} is not a ${category} reason`)
    }
  }
})

t.test('several categories: the first that has the code wins', async (t) => {
  t.same(checkReason('no_capacity', ['refusal', 'ending'], available), { ok: true, category: 'refusal' })
  t.same(checkReason('goal_reached', ['refusal', 'ending'], available), { ok: true, category: 'ending' })
  t.same(checkReason('other', ['refusal', 'ending'], available), { ok: true, category: 'refusal' })
  t.same(checkReason('other', ['ending', 'refusal'], available), { ok: true, category: 'ending' })
  const wrong = checkReason('illness', ['refusal', 'ending'], available)
  t.equal(wrong.ok, false)
  t.same(!wrong.ok && wrong.allowed, [...new Set([...REASON_CATALOGUE.refusal, ...REASON_CATALOGUE.ending])], 'allowed codes, each once')
})

t.test('a centre’s own code counts in its category', async (t) => {
  const own = [...available, { category: 'suspension' as const, code: 'court_hearing_postponed' }]
  t.same(checkReason('court_hearing_postponed', ['suspension'], own), { ok: true, category: 'suspension' })
  t.equal(checkReason('court_hearing_postponed', ['ending'], own).ok, false)
  t.equal(checkReason('court_hearing_postponed', ['suspension'], available).ok, false, 'not for a centre without it')
})

t.test('unknown codes and an empty list', async (t) => {
  t.same(checkReason('nonsense', ['suspension'], available), { ok: false, allowed: [...REASON_CATALOGUE.suspension] })
  t.same(checkReason('other', ['suspension'], []), { ok: false, allowed: [] })
})

t.test('the defect sentence names the code, the categories and the allowed codes', async (t) => {
  t.equal(reasonDefect('goal_reached', ['suspension'], ['illness', 'other']), '"goal_reached" is not a suspension reason; use one of: illness, other')
  t.equal(reasonDefect('x', ['refusal', 'ending'], ['a']), '"x" is not a refusal or ending reason; use one of: a')
})

t.test('ending categories by status: refusal after intake', async (t) => {
  const expected: Record<CaseStatus, ReasonCategory[]> = { intake: ['refusal', 'ending'], active: ['ending'], suspended: ['ending'], ended: ['ending'] }
  for (const [status, categories] of Object.entries(expected)) t.same(endingCategories(status as CaseStatus), categories, status)
})

t.test('the code pattern', async (t) => {
  const pattern = new RegExp(REASON_CODE_PATTERN)
  for (const code of available.map((r) => r.code)) t.ok(pattern.test(code), code)
  for (const bad of ['Goal', 'goal-reached', '_goal', 'goal_', 'goal__reached', '1goal', 'goal reached', '']) t.notOk(pattern.test(bad), JSON.stringify(bad))
})
