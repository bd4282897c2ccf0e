import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export const openapiInfo = {
  title: 'Bezoekruimte API',
  version: '1.0.0',
  description:
    'Supervised parent–child contact centres: referrals, cases, house rules and agreements, recurring supervised visits, ' +
    'suspensions, endings and factual reports. Every error is an RFC 9457 problem (application/problem+json). ' +
    'Authenticate with `Authorization: Bearer <token>` (a token in the URL, `?access_token=`, is refused); ' +
    'a record outside your centre or court answers 404.',
}

type Schema = Record<string, unknown>

/**
 * A field with a default is one the client may leave out (ajv fills it in before `required` is
 * checked), so the document must not call it required: Swagger UI and generated clients would
 * demand it. The route's own schema, which validates, is left as it is.
 */
export function optionalDefaults(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(optionalDefaults)
  if (!schema || typeof schema !== 'object') return schema
  const copy: Schema = { ...(schema as Schema) }
  const properties = copy.properties as Record<string, Schema> | undefined
  if (properties && Array.isArray(copy.required)) {
    const required = (copy.required as string[]).filter((name) => properties[name]?.default === undefined)
    if (required.length) copy.required = required
    else delete copy.required
  }
  for (const key of ['properties', 'items', 'anyOf', 'oneOf', 'allOf', 'then', 'else'] as const) {
    if (!copy[key]) continue
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(copy[key] as Schema).map(([name, value]) => [name, optionalDefaults(value)]))
        : optionalDefaults(copy[key])
  }
  return copy
}

const COMPONENT = '#/components/schemas/'

/** The components a request body refers to, directly or through other components. */
function requestComponents(paths: object, schemas: Record<string, Schema>): Set<string> {
  const found = new Set<string>()
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (!value || typeof value !== 'object') return
    const ref = (value as Schema).$ref
    if (typeof ref === 'string' && ref.startsWith(COMPONENT)) {
      const name = ref.slice(COMPONENT.length)
      if (found.has(name)) return
      found.add(name)
      visit(schemas[name])
    }
    Object.values(value).forEach(visit)
  }
  for (const item of Object.values(paths) as Schema[])
    for (const operation of Object.values(item) as Schema[]) visit((operation as { requestBody?: unknown }).requestBody)
  return found
}

const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const

/** OpenAPI 3.1 generated from the route schemas; served at /openapi.json with interactive docs at /docs. */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: openapiInfo,
        // Relative: the document describes whichever installation serves it.
        servers: [{ url: '/', description: 'This installation' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (bzr_…)' } } },
        security: [{ bearer: [] }],
      },
      // Shared schemas keep their $id as the component name (e.g. #/components/schemas/Problem).
      transform: ({ schema, url }) => {
        if (!schema) return { schema, url }
        const copy: Schema = { ...schema }
        for (const part of REQUEST_PARTS) if (copy[part]) copy[part] = optionalDefaults(copy[part])
        return { schema: copy, url }
      },
      // A component a client sends needs the same reading of defaults as a route's inline schema.
      transformObject: (document) => {
        if (!('openapiObject' in document)) return document.swaggerObject
        const schemas = (document.openapiObject.components?.schemas ?? {}) as Record<string, Schema>
        for (const name of requestComponents(document.openapiObject.paths ?? {}, schemas)) schemas[name] = optionalDefaults(schemas[name]) as Schema
        return document.openapiObject
      },
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'openapi' },
)
