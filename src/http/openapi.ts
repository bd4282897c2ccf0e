import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export const openapiInfo = {
  title: 'Bezoekruimte API',
  version: '1.0.0',
  description:
    'Supervised parent–child contact centres: referrals, cases, house rules and agreements, recurring supervised visits, ' +
    'suspensions, endings and factual reports. Every error is an RFC 9457 problem (application/problem+json). ' +
    'Authenticate with `Authorization: Bearer <token>`; a record outside your centre or court answers 404.',
}

/** OpenAPI 3.1 generated from the route schemas; served at /openapi.json with interactive docs at /docs. */
export const openapiPlugin = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: openapiInfo,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (bzr_…)' } } },
      security: [{ bearer: [] }],
    },
    // Shared schemas keep their $id as the component name (e.g. #/components/schemas/Problem).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'openapi' })
