import t from 'tap'
import { assessReadiness } from '../../src/domain/readiness.js'

const V = 'visiting'
const R = 'residing'
const inForce = [
  { partyId: V, kind: 'house_rules' as const, documentId: 'hr-nl-2', version: 2 },
  { partyId: V, kind: 'information' as const, documentId: 'info-nl-1', version: 1 },
  { partyId: R, kind: 'house_rules' as const, documentId: 'hr-fr-1', version: 1 },
  { partyId: R, kind: 'information' as const, documentId: 'info-fr-1', version: 1 },
]
const allSigned = inForce.map((d) => ({ partyId: d.partyId, documentId: d.documentId }))
const complete = {
  adultPartyIds: [V, R],
  intakePartyIds: [V, R],
  documentsInForce: inForce,
  signedDocumentIds: allSigned,
  agreement: { id: 'a1', version: 3, signedPartyIds: [V, R] },
  checkIntake: true,
}

t.test('everything in place: ready', async (t) => {
  t.same(assessReadiness(complete), { ready: true, missing: [] })
})

t.test('each requirement missing in turn, for each adult', async (t) => {
  for (const partyId of [V, R]) {
    const other = partyId === V ? R : V
    t.same(assessReadiness({ ...complete, intakePartyIds: [other] }), { ready: false, missing: [{ partyId, requirement: 'intake' }] }, `intake of ${partyId}`)
    for (const kind of ['house_rules', 'information'] as const) {
      const document = inForce.find((d) => d.partyId === partyId && d.kind === kind)!
      t.same(
        assessReadiness({ ...complete, signedDocumentIds: allSigned.filter((s) => s.documentId !== document.documentId) }),
        {
          ready: false,
          missing: [{ partyId, requirement: kind, documentId: document.documentId, version: document.version }],
        },
        `${kind} of ${partyId}`,
      )
    }
    t.same(
      assessReadiness({ ...complete, agreement: { id: 'a1', version: 3, signedPartyIds: [other] } }),
      {
        ready: false,
        missing: [{ partyId, requirement: 'agreement', version: 3 }],
      },
      `agreement of ${partyId}`,
    )
  }
})

t.test('a signature of an older version does not count', async (t) => {
  const signedOld = allSigned.map((s) => (s.documentId === 'hr-nl-2' ? { partyId: V, documentId: 'hr-nl-1' } : s))
  t.same(assessReadiness({ ...complete, signedDocumentIds: signedOld }).missing, [
    { partyId: V, requirement: 'house_rules', documentId: 'hr-nl-2', version: 2 },
  ])
})

t.test('a signature by another party does not count', async (t) => {
  const signed = allSigned
    .filter((s) => s.partyId !== R)
    .concat([
      { partyId: V, documentId: 'hr-fr-1' },
      { partyId: V, documentId: 'info-fr-1' },
    ])
  t.same(
    assessReadiness({ ...complete, signedDocumentIds: signed }).missing.map((m) => `${m.partyId}/${m.requirement}`),
    [`${R}/house_rules`, `${R}/information`],
  )
})

t.test('no document in force, no agreement: missing without a version', async (t) => {
  const result = assessReadiness({ ...complete, documentsInForce: inForce.filter((d) => d.kind !== 'information'), agreement: null })
  t.same(result, {
    ready: false,
    missing: [
      { partyId: V, requirement: 'information' },
      { partyId: V, requirement: 'agreement' },
      { partyId: R, requirement: 'information' },
      { partyId: R, requirement: 'agreement' },
    ],
  })
})

t.test('nothing done: every requirement of every adult, in party order', async (t) => {
  const result = assessReadiness({ ...complete, intakePartyIds: [], signedDocumentIds: [], agreement: null })
  t.equal(result.ready, false)
  t.same(
    result.missing.map((m) => `${m.partyId}/${m.requirement}`),
    [
      'visiting/intake',
      'visiting/house_rules',
      'visiting/information',
      'visiting/agreement',
      'residing/intake',
      'residing/house_rules',
      'residing/information',
      'residing/agreement',
    ],
  )
})

t.test('the booking gate does not check intakes', async (t) => {
  t.same(assessReadiness({ ...complete, intakePartyIds: [], checkIntake: false }), { ready: true, missing: [] })
})

t.test('a case without adult parties has nothing missing', async (t) => {
  t.same(assessReadiness({ ...complete, adultPartyIds: [] }), { ready: true, missing: [] })
})
