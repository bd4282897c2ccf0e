import { Type, type Static } from '@sinclair/typebox'
import { named } from '../../http/components.js'
import { ISSUABLE_ROLES } from '../../domain/actor.js'
import { ROLES } from '../../domain/vocabulary.js'
import { Page, PageQuery } from '../../http/pagination.js'
import { Instant, Nullable, StringEnum, Uuid } from '../../http/schemas.js'

/** API tokens as the token routes show them: never the secret's hash, the secret itself only once. */

export const Token = Type.Object({
  id: Uuid,
  role: StringEnum(ROLES, { examples: ['staff'] }),
  centreId: Nullable(Uuid),
  courtId: Nullable(Uuid),
  counsellorId: Nullable(Uuid),
  label: Nullable(Type.String({ examples: ['Front desk'] })),
  name: Nullable(Type.String({ description: 'The person who uses the token, named as the author of the reports it issues', examples: ['An Peeters'] })),
  function: Nullable(Type.String({ description: "That person's function", examples: ['coördinator bezoekruimte'] })),
  createdAt: Instant,
  revokedAt: Nullable(Instant),
  lastUsedAt: Nullable(Instant),
})

export const TokenCreate = Type.Object(
  {
    // A union of literals rather than StringEnum: the 400 a client gets for an unknown role stays as it was.
    role: Type.Union(
      ISSUABLE_ROLES.map((r) => Type.Literal(r)),
      { examples: ['staff'], description: 'Never operator: an operator token is made only with the CLI' },
    ),
    label: Type.Optional(Type.String({ maxLength: 100, examples: ['Front desk'] })),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'For a token a person uses: their name, printed as the author of the reports they issue',
        examples: ['An Peeters'],
      }),
    ),
    function: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "That person's function, printed with their name", examples: ['coördinator bezoekruimte'] }),
    ),
    courtId: Type.Optional(Uuid),
    counsellorId: Type.Optional(Uuid),
  },
  { additionalProperties: false, examples: [{ role: 'clerk', courtId: '0193a5b2-7c1e-7d3a-9f10-2b4c6d8e0f12', label: 'Griffie familierechtbank' }] },
)
export type TokenCreate = Static<typeof TokenCreate>

export const TokenCreated = Type.Object({ ...Token.properties, token: Type.String({ description: 'The secret, shown once', examples: ['bzr_…'] }) })

export const TokenQuery = PageQuery
export type TokenQuery = Static<typeof TokenQuery>

export const components = named({
  Token,
  TokenPage: Page(Token),
  TokenRequest: TokenCreate,
  TokenCreated,
})
