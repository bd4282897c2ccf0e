import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { generalProblemResponse, sharedProblemResponse } from './problem.js'
import { referenced } from './components.js'
import { nothingRequired } from './validation.js'

const openapiInfo = {
  title: 'Bezoekruimte API',
  version: '1.0.0',
  description:
    'Supervised parent–child contact centres: referrals, cases, house rules and agreements, recurring supervised visits, ' +
    'suspensions, endings and factual reports. Every error is an RFC 9457 problem (application/problem+json). ' +
    'Authenticate with `Authorization: Bearer <token>` (a token in the URL, `?access_token=`, is refused); ' +
    'a record outside your centre or court answers 404.',
}

type Schema = Record<string, unknown>

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A request body the route reads itself (a multipart upload): described in the API document, not validated by a schema. */
    documentedBody?: { schema: object; mediaType: string }
  }
}

/**
 * A field with a default is one the client may leave out (ajv fills it in before `required` is
 * checked), so the document must not call it required: Swagger UI and generated clients would
 * demand it. The route's own schema, which validates, is left as it is.
 */
function optionalDefaults(schema: unknown): unknown {
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

type Responses = Record<string, { description?: string; content?: Record<string, { schema?: unknown }> } | { $ref: string }>

/**
 * The problems any operation may answer whatever it does (no or a bad token, a role not allowed, too
 * many unknown tokens, our own failure, the database away): one `default` response says them once.
 */
const EVERY_OPERATION = ['401', '403', '429', '500', '503']

/**
 * Each operation's standard problem responses become references to one shared response per status;
 * those every operation has are its `default` response.
 */
function shareProblemResponses(document: { paths?: object; components?: { responses?: object } }) {
  const shared: Record<string, unknown> = {}
  const general: string[] = []
  for (const item of Object.values(document.paths ?? {}) as Record<string, { responses?: Responses }>[]) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const found = '$ref' in response ? undefined : sharedProblemResponse(status, response)
        if (!found) continue
        if (EVERY_OPERATION.includes(status)) {
          if (!general.includes(status)) general.push(status)
          delete operation.responses![status]
          operation.responses!.default = { $ref: '#/components/responses/Problem' }
          continue
        }
        shared[found.name] = found.definition
        operation.responses![status] = { $ref: `#/components/responses/${found.name}` }
      }
    }
  }
  if (general.length) shared.Problem = generalProblemResponse(general.sort())
  const names = Object.keys(shared).sort()
  if (document.components) document.components.responses = { ...document.components.responses, ...Object.fromEntries(names.map((n) => [n, shared[n]])) }
}

/** A POST body with nothing required may be left out (src/http/validation.ts accepts a request without one). */
function optionalBodies(document: { paths?: object }, schemas: Record<string, Schema>) {
  for (const item of Object.values(document.paths ?? {}) as Record<
    string,
    { requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> } }
  >[]) {
    for (const [method, operation] of Object.entries(item)) {
      if (method !== 'post') continue
      const schema = operation.requestBody?.content?.['application/json']?.schema
      const ref = typeof schema?.$ref === 'string' ? schema.$ref : undefined
      const body = ref?.startsWith(COMPONENT) ? schemas[ref.slice(COMPONENT.length)] : schema
      if (body && nothingRequired(body)) operation.requestBody!.required = false
    }
  }
}

type Parameter = { name: string; in: string; schema?: Schema; deprecated?: boolean }

/**
 * A parameter many operations take alike (Idempotency-Key, limit, cursor) becomes one component:
 * `#/components/parameters/IdempotencyKey`. Its most common form gets the name; other forms stay inline.
 * A parameter whose schema is deprecated is marked so on the parameter, where clients read it.
 */
function shareParameters(document: { paths?: object; components?: { parameters?: object } }) {
  const operations = Object.values(document.paths ?? {}).flatMap((item: Record<string, { parameters?: Parameter[] }>) => Object.values(item))
  const forms = new Map<string, { parameter: Parameter; uses: number }>()
  for (const operation of operations) {
    for (const parameter of operation.parameters ?? []) {
      if (parameter.schema?.deprecated === true) parameter.deprecated = true
      const key = JSON.stringify(parameter)
      const form = forms.get(key) ?? { parameter, uses: 0 }
      form.uses++
      forms.set(key, form)
    }
  }
  const shared = new Map<string, string>() // form → component name
  const taken = new Set<string>()
  for (const [key, form] of [...forms].sort((a, b) => b[1].uses - a[1].uses)) {
    const name = form.parameter.name.replace(/(^|[-_])(\w)/g, (_, _sep: string, c: string) => c.toUpperCase())
    if (form.uses < 3 || taken.has(name)) continue
    taken.add(name)
    shared.set(key, name)
  }
  const components: Record<string, Parameter> = {}
  for (const operation of operations) {
    if (!operation.parameters) continue
    operation.parameters = operation.parameters.map((parameter) => {
      const name = shared.get(JSON.stringify(parameter))
      if (!name) return parameter
      components[name] = parameter
      return { $ref: `#/components/parameters/${name}` } as unknown as Parameter
    })
  }
  const names = Object.keys(components).sort()
  if (document.components) document.components.parameters = Object.fromEntries(names.map((n) => [n, components[n]]))
}

/**
 * A nullable copy of a named schema (`Nullable(Agreement)`: the same object with null added to its
 * type list, which the serializer writes fastest) is written in the document as `anyOf: [$ref, null]`,
 * so a client reads one `Agreement` type and the document holds one copy of it. The routes' own
 * schemas, which validate and serialize, are left as they are.
 */
function shareNullableCopies(document: { paths?: object }, schemas: Record<string, Schema>) {
  const withoutDescription = (schema: Schema) => {
    const { description: _, $id: __, ...rest } = schema
    return JSON.stringify(rest)
  }
  const byBody = new Map<string, string>()
  for (const [name, schema] of Object.entries(schemas)) if (typeof schema.type === 'string') byBody.set(withoutDescription(schema), name)
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (!node || typeof node !== 'object') return node
    const schema = node as Schema
    const type = schema.type
    if (Array.isArray(type) && type.length === 2 && type[1] === 'null' && typeof type[0] === 'string') {
      const plain: Schema = { ...schema, type: type[0] }
      if (Array.isArray(schema.enum)) plain.enum = schema.enum.filter((value) => value !== null)
      const name = byBody.get(withoutDescription(plain))
      if (name) {
        const description = schema.description !== schemas[name]!.description ? schema.description : undefined
        return { anyOf: [{ $ref: `${COMPONENT}${name}` }, { type: 'null' }], ...(description !== undefined && { description }) }
      }
    }
    return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, walk(value)]))
  }
  for (const [path, item] of Object.entries(document.paths ?? {})) (document.paths as Record<string, unknown>)[path] = walk(item)
  for (const [name, schema] of Object.entries(schemas)) {
    schemas[name] = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, walk(value)]))
  }
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
      transform: ({ schema, url, route }) => {
        if (!schema) return { schema, url }
        const copy: Schema = { ...schema }
        for (const part of REQUEST_PARTS) if (copy[part]) copy[part] = optionalDefaults(copy[part])
        // A body the route reads itself (a multipart upload) is described here, not validated by a schema.
        const documented = route.config?.documentedBody
        if (documented) {
          copy.body = referenced(documented.schema)
          copy.consumes = [documented.mediaType]
        }
        return { schema: copy, url }
      },
      // A component a client sends needs the same reading of defaults as a route's inline schema.
      transformObject: (document) => {
        if (!('openapiObject' in document)) return document.swaggerObject
        const schemas = (document.openapiObject.components?.schemas ?? {}) as Record<string, Schema>
        for (const name of requestComponents(document.openapiObject.paths ?? {}, schemas)) schemas[name] = optionalDefaults(schemas[name]) as Schema
        optionalBodies(document.openapiObject, schemas)
        shareProblemResponses(document.openapiObject)
        shareParameters(document.openapiObject)
        shareNullableCopies(document.openapiObject, schemas)
        return document.openapiObject
      },
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'openapi' },
)
