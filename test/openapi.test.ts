import t from 'tap'
import Ajv from 'ajv'
import { readFileSync } from 'node:fs'
import { generateOpenapi } from '../scripts/openapi.js'
import { componentSchemas } from '../src/components.js'
import { componentDefinitions } from '../src/http/components.js'
import { fromRoot } from './helpers/paths.js'
import { resolve as resolveSchema } from './helpers/openapi-harness.js'

t.test('the committed openapi/openapi.json matches the routes (run `npm run openapi` after changing a route)', async (t) => {
  const generated = await generateOpenapi()
  const committed = readFileSync(fromRoot('openapi', 'openapi.json'), 'utf8')
  t.ok(generated === committed, 'openapi/openapi.json is up to date — regenerate it with `npm run openapi` and commit it')

  const document = JSON.parse(generated)
  t.equal(document.openapi, '3.1.0')
  t.ok(document.components.schemas.Problem, 'the Problem schema is a shared component')
  // Examples may sit in the components an operation refers to.
  const component = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')]
  const hasExample = (value: unknown, seen = new Set<unknown>()): boolean => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return false
    seen.add(value)
    if ('examples' in value || 'example' in value) return true
    const ref = (value as { $ref?: unknown }).$ref
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return hasExample(component(ref), seen)
    return Object.values(value).some((v) => hasExample(v, seen))
  }
  let operations = 0
  const operationIds = new Set<string>()
  const problemStatuses = new Set<string>()
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      operations++
      const name = `${method.toUpperCase()} ${path}`
      t.ok(operation.summary, `${name} has a summary`)
      t.ok(operation.tags?.length, `${name} has a tag`)
      t.match(operation.operationId, /^[a-z][A-Za-z]+$/, `${name} has a camelCase operationId`)
      t.notOk(operationIds.has(operation.operationId), `${name}: its operationId ${operation.operationId} is unique`)
      operationIds.add(operation.operationId)
      for (const [status, given] of Object.entries<any>(operation.responses ?? {})) {
        if (!/^[45]|default/.test(status)) continue
        // The standard problem responses are shared: #/components/responses/NotFound.
        const response = given.$ref ? document.components.responses[given.$ref.replace('#/components/responses/', '')] : given
        problemStatuses.add(status)
        t.same(Object.keys(response.content ?? {}), ['application/problem+json'], `${name} ${status} is documented as application/problem+json`)
        t.same(
          response.content?.['application/problem+json']?.schema,
          { $ref: '#/components/schemas/Problem' },
          `${name} ${status} uses the shared problem schema`,
        )
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) t.notOk(parameter.required, `${name}: ${parameter.name} has a default, so it is not required`)
      }
      const success = Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2'))
      t.ok(success, `${name} documents its success response`)
      if (path.startsWith('/v1/')) {
        // 400 is the operation's own; the problems every operation may answer (401, 403, 429, 500, 503) are its default response.
        t.ok(operation.responses['400'] && operation.responses.default?.$ref === '#/components/responses/Problem', `${name} documents its problem responses`)
        t.ok(hasExample(operation), `${name} carries examples`)
      }
      if (['post', 'put', 'patch'].includes(method) && path.startsWith('/v1/')) {
        t.ok(Object.values<any>(operation.requestBody?.content ?? {})[0]?.schema, `${name} has a request body schema`)
      }
    }
  }
  t.ok(operations > 20, `${operations} operations documented`)
  t.ok(document.servers?.length, 'the document names its server (relative: whichever installation serves it)')
  t.same(
    resolveSchema(document, document.paths['/v1/cases/{id}/series'].post.requestBody.content['application/json'].schema).required?.filter((n: string) =>
      ['onConflict', 'dryRun'].includes(n),
    ) ?? [],
    [],
    'a series’ onConflict and dryRun have defaults and are not required',
  )
  t.ok(
    problemStatuses.has('default') && problemStatuses.has('412') && problemStatuses.has('428'),
    `problem statuses documented: ${[...problemStatuses].sort().join(', ')}`,
  )
})

t.test('a contract generated clients read well: named bodies, tagged views, optional empty bodies, one way to page', async (t) => {
  const committed = readFileSync(fromRoot('openapi', 'openapi.json'), 'utf8')
  t.ok(committed.length < 600_000, `the document is under 600 KB (${Math.round(committed.length / 1000)} KB)`)
  const document = JSON.parse(committed)
  const unnamed: string[] = []
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`
      for (const [type, media] of Object.entries<any>(operation.requestBody?.content ?? {}))
        if (!media.schema?.$ref?.startsWith('#/components/schemas/')) unnamed.push(`${name} request ${type}`)
      for (const [status, given] of Object.entries<any>(operation.responses ?? {})) {
        const response = given.$ref ? document.components.responses[given.$ref.split('/').pop()] : given
        for (const [type, media] of Object.entries<any>(response.content ?? {}))
          if (type.endsWith('json') && !media.schema?.$ref?.startsWith('#/components/schemas/')) unnamed.push(`${name} ${status} ${type}`)
      }
    }
  }
  t.same(unnamed, [], 'every JSON request and response body is a named component')

  const schemas = document.components.schemas
  const schemaOf = (path: string, method: string, status: string) =>
    schemas[document.paths[path][method].responses[status].content['application/json'].schema.$ref.split('/').pop()]
  for (const [path, status] of [
    ['/v1/visits/{id}', '200'],
    ['/v1/cases/{id}', '200'],
    ['/v1/referrals/{id}', '200'],
  ] as const) {
    const view = schemaOf(path, 'get', status)
    t.equal(view.oneOf?.length, 2, `GET ${path}: one of two views`)
    t.equal(view.discriminator?.propertyName, 'view', `GET ${path}: told apart by view`)
    for (const [tag, ref] of Object.entries<string>(view.discriminator.mapping)) {
      const property = schemas[ref.split('/').pop()!].properties.view
      t.same(property.const ?? property.enum, property.const === undefined ? [tag] : tag, `GET ${path}: ${ref} is the view ${tag}`)
    }
  }
  const visitPage = schemaOf('/v1/visits', 'get', '200')
  t.ok(schemas[visitPage.properties.items.items.$ref.split('/').pop()].discriminator, 'a page of visits holds tagged views')

  const series = document.paths['/v1/cases/{id}/series'].post.responses
  t.not(series['200'].content['application/json'].schema.$ref, series['201'].content['application/json'].schema.$ref, 'a dry run has its own answer')
  t.equal(schemas.Visit.properties.id.type, 'string', "a booked visit's id is a string, never null")
  t.notOk(schemas.PlannedVisit.properties.id, 'a planned visit has no id')

  for (const path of ['/v1/cases/{id}/activate', '/v1/counsellors/{id}/calendar-key'])
    t.equal(document.paths[path].post.requestBody.required, false, `POST ${path} may be sent without a body`)

  const feed = document.paths['/v1/reports'].get.parameters.map((p: any) => (p.$ref ? document.components.parameters[p.$ref.split('/').pop()] : p))
  t.ok(
    feed.some((p: any) => p.name === 'cursor'),
    'the report feed pages with cursor',
  )
  t.ok(feed.find((p: any) => p.name === 'after')?.deprecated, 'after is documented as deprecated')
})

t.test('every named schema is a valid JSON Schema (the validators add them unchecked, at every start)', async (t) => {
  const ajv = new Ajv.default({ strict: false })
  const invalid = componentDefinitions(componentSchemas)
    .filter((definition) => !ajv.validateSchema(definition))
    .map((definition) => `${definition.$id}: ${ajv.errorsText()}`)
  t.same(invalid, [], 'each component passes the meta-schema')
  t.notOk(ajv.validateSchema({ $id: 'Broken', type: 'strnig' }), 'a misspelt type would not')
})
