import Ajv, { type AnySchema, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify'
import { invalidFields, type FieldError } from '../domain/errors.js'
import { isInstant } from './times.js'

/**
 * Bodies are validated strictly: a number sent as a string is an error, unknown properties are
 * errors, not silently dropped. Query, path and header values arrive as strings, so those coerce.
 */
function makeAjv(coerce: boolean) {
  const ajv = new Ajv.default({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  })
  addFormats.default(ajv)
  // ajv-formats lets a leap second (23:59:60) through, which no Date or timestamptz can hold: every
  // date-time of every schema is read by the same parser the handlers use.
  ajv.addFormat('date-time', { type: 'string', validate: isInstant })
  return ajv
}

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Strings PostgreSQL cannot store as given: a lone UTF-16 surrogate (JSON.parse makes one of
 * "\ud800"; the driver would store U+FFFD in its place, silently) and NUL (text cannot hold it).
 */
// With the u flag a surrogate pair reads as one code point, so only an unpaired half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

function badText(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (not valid Unicode)'
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000)'
  return undefined
}

/**
 * How deeply arrays and objects may nest in a body (the top level counts as one). No request of the
 * API needs more than a few levels; a limit keeps every walk over a body (this one, the schemas',
 * the idempotency hash's) far from the stack's end, whatever a client sends.
 */
const MAX_NESTING = 64

/**
 * Walks a value without recursion (a client chooses the depth), collecting text PostgreSQL cannot
 * store and refusing nesting deeper than MAX_NESTING; at most 20 findings.
 */
function findBadText(root: unknown, where: FieldError['in'], found: FieldError[]) {
  // [value, its pointer, how many arrays and objects enclose it]; children pushed last-first so findings come in document order.
  const pending: [unknown, string, number][] = [[root, '', 0]]
  while (pending.length > 0 && found.length < 20) {
    const [value, pointer, enclosing] = pending.pop()!
    if (typeof value === 'string') {
      const detail = badText(value)
      if (detail) found.push({ in: where, pointer: pointer || '/', detail })
      continue
    }
    if (!value || typeof value !== 'object') continue
    if (enclosing >= MAX_NESTING) {
      found.push({ in: where, pointer: pointer || '/', detail: `nests arrays and objects too deeply: at most ${MAX_NESTING} levels are accepted` })
      continue
    }
    const children: [unknown, string, number][] = []
    if (Array.isArray(value)) {
      value.forEach((item, i) => children.push([item, `${pointer}/${i}`, enclosing + 1]))
    } else {
      for (const [key, item] of Object.entries(value)) {
        const at = `${pointer}/${escapePointer(key)}`
        const detail = badText(key)
        if (detail) found.push({ in: where, pointer: at, detail: `is a property name that ${detail}` })
        else children.push([item, at, enclosing + 1])
      }
    }
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!)
  }
}

// One pair per process: ajv caches what it compiled by schema, so a second app (tests build many) reuses it.
const bodies = makeAjv(false)
const parameters = makeAjv(true)

/** What `map` keeps for `key`, made by `make` the first time. */
function kept<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key)
  if (value === undefined) map.set(key, (value = make()))
  return value
}

/**
 * Compiling every route's schemas is most of the time an app takes to boot, and a process answers only
 * some of its routes: a validator is compiled at its route's first request. A schema ajv cannot compile
 * therefore fails that request rather than the boot; the hostile-input suite sends requests to every route.
 *
 * What is compiled is kept per process by the schema's JSON, not by the object (ajv's own cache): each
 * app builds its query schemas anew (registerValidation), and tests build many apps in one process.
 */
const validatorsByJson = new Map<Ajv.default, Map<string, ValidateFunction>>()
const compiledOnce = (ajv: Ajv.default, schema: AnySchema): ValidateFunction =>
  kept(
    kept(validatorsByJson, ajv, () => new Map<string, ValidateFunction>()),
    JSON.stringify(schema),
    () => ajv.compile(schema),
  )

function compiledAtFirstUse(ajv: Ajv.default, schema: AnySchema) {
  let compiled: ValidateFunction | undefined
  const validate = (data: unknown) => {
    compiled ??= compiledOnce(ajv, schema)
    const valid = compiled(data)
    validate.errors = compiled.errors
    return valid
  }
  validate.errors = undefined as ValidateFunction['errors']
  return validate
}

/**
 * The same for response serializers (fastify's own, fast-json-stringify): compiled at a route's first
 * answer with that status, and kept per process by the JSON of the schema, the named schemas it may
 * refer to and the options, so a second app of the same routes compiles nothing again.
 */
const serializerFactory = SerializerSelector()
const serializersByJson = new Map<string, Map<string, (data: unknown) => string>>()
export const serializersCompiledAtFirstUse: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildSerializer: (externalSchemas: unknown, options: unknown) => {
      const compile = serializerFactory(externalSchemas, options as never)
      let cache: Map<string, (data: unknown) => string> | undefined
      return (route: Parameters<typeof compile>[0]) => {
        let serialize: ((data: unknown) => string) | undefined
        const compiled = () => {
          cache ??= kept(serializersByJson, JSON.stringify([externalSchemas, options]), () => new Map<string, (data: unknown) => string>())
          return kept(cache, JSON.stringify(route.schema), () => compile(route))
        }
        return (data: unknown) => (serialize ??= compiled())(data)
      }
    },
  },
}

/**
 * Named schemas (src/http/components.ts) both validators resolve `$ref`s against; added once per
 * process, and compiled only when a route's validator refers to one (ajv's getSchema would compile
 * each at once: about a second of every test process's start). They are added without checking each
 * against the JSON Schema meta-schema (a fifth of building the app, at every start): the components
 * are fixed in code, and test/openapi.test.ts checks every one of them against it.
 */
const added = new Set<string>()
export function addToValidators(definitions: { $id: string }[]) {
  for (const definition of definitions) {
    if (added.has(definition.$id)) continue
    added.add(definition.$id)
    for (const ajv of [bodies, parameters]) ajv.addSchema(definition, undefined, undefined, false)
  }
}

export function registerValidation(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => compiledAtFirstUse(httpPart === 'body' ? bodies : parameters, schema))

  // A POST whose body has nothing required may be sent without one (`curl -X POST`, no Content-Type):
  // the document says so too (src/http/openapi.ts), so a validating proxy lets such a call through.
  app.addHook('onRoute', (route) => {
    const body = route.schema?.body
    if (route.method !== 'POST' || !body || !nothingRequired(body)) return
    const hooks = route.preValidation ? [route.preValidation].flat() : []
    if (!hooks.includes(emptyBodyAllowed)) route.preValidation = [emptyBodyAllowed, ...hooks]
  })

  // Every API route names the query parameters it reads, and any other is refused (400) rather
  // than ignored: a misspelt filter must not answer an unfiltered list. A route that reads none
  // gets an empty list of them.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/')) return
    const schema = (route.schema ??= {}) as { querystring?: Record<string, unknown> }
    schema.querystring = { type: 'object', properties: {}, ...schema.querystring, additionalProperties: false }
  })

  // Before the schemas, for every route: no text a client sends reaches the database unchecked.
  app.addHook('preValidation', async (request) => {
    const found: FieldError[] = []
    findBadText(request.params, 'path', found)
    findBadText(request.query, 'query', found)
    findBadText(request.body, 'body', found)
    if (found.length) throw invalidFields(found)
  })
}

/** An object schema none of whose properties must be sent (a property with a default need not be). */
export function nothingRequired(schema: unknown): boolean {
  const { type, required, properties } = schema as { type?: unknown; required?: string[]; properties?: Record<string, { default?: unknown }> }
  return type === 'object' && (required ?? []).every((name) => properties?.[name]?.default !== undefined)
}

/** A route's preValidation hook where a POST with nothing to say may come without a body (`curl -X POST`): it is read as `{}`. */
const emptyBodyAllowed = async (request: FastifyRequest) => {
  request.body ??= {}
}
