import { OptionalKind, type TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { addToValidators } from './validation.js'

/**
 * Named schemas: each body a client sends or reads is one component of the OpenAPI document
 * (`#/components/schemas/Visit`), so a generated client has one `Visit` type rather than a copy per
 * operation. A module names its schemas with `named`; the app registers them all once
 * (`app.addSchema`), and `referenced` turns every use of a named schema inside a route's schema
 * into a `$ref` to it. Names are kept by identity, not by a `$id` on the value: a TypeBox copy
 * (Type.Omit, Type.Partial, a spread) is another shape and must not borrow its source's name.
 */

const names = new Map<object, string>()
const byName = new Map<string, object>()

/** Names each schema after its key; returns the components to register. */
export function named(schemas: Record<string, TSchema>): TSchema[] {
  for (const [name, schema] of Object.entries(schemas)) {
    const known = byName.get(name)
    if (known && known !== schema) throw new Error(`two schemas are named ${name}`)
    names.set(schema, name)
    byName.set(name, schema)
  }
  return Object.values(schemas)
}

/**
 * `Type.Optional(X)` is a shallow copy of X marked optional: the same schema in another place, so
 * it refers to X's component too (its `required`-ness belongs to the enclosing object).
 */
function optionalCopyOf(node: object): string | undefined {
  if (!(OptionalKind in node)) return undefined
  for (const [schema, name] of names) {
    const keys = Reflect.ownKeys(schema)
    if (
      keys.length + 1 === Reflect.ownKeys(node).length &&
      keys.every((key) => (schema as Record<string | symbol, unknown>)[key] === (node as Record<string | symbol, unknown>)[key])
    )
      return name
  }
  return undefined
}

/** The name of a named schema (its component name), if it has one. */
export const nameOf = (schema: object): string | undefined => names.get(schema) ?? (schema as { $id?: string }).$id

// One copy per schema: fastify caches a serializer by the schema object it is given (sendView).
const copies = new WeakMap<object, unknown>()

/**
 * A copy of `value` in which every named schema is a `$ref` to its component, the same copy each
 * time for the same value. A schema that is itself named keeps its body when `keepRoot` (that is
 * the component's own definition).
 */
export function referenced<T>(value: T, keepRoot = false): T {
  if (keepRoot || !value || typeof value !== 'object') return referencedCopy(value, keepRoot)
  if (!copies.has(value)) copies.set(value, referencedCopy(value, false))
  return copies.get(value) as T
}

function referencedCopy<T>(value: T, keepRoot: boolean): T {
  const walk = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, false))
    if (!node || typeof node !== 'object') return node
    const name = names.get(node) ?? optionalCopyOf(node)
    if (name && !root) return { $ref: name }
    const copy: Record<string | symbol, unknown> = {}
    for (const key of Reflect.ownKeys(node)) copy[key] = walk((node as Record<string | symbol, unknown>)[key], false)
    return copy
  }
  return walk(value, keepRoot) as T
}

/** The component definitions to register with `app.addSchema`: each with its `$id`, other named schemas inside it referenced. */
export const componentDefinitions = (schemas: TSchema[]) =>
  schemas.map((schema) => {
    const name = names.get(schema) ?? (schema as { $id?: string }).$id
    if (!name) throw new Error('a component schema needs a name')
    return { ...referenced(schema, true), $id: name }
  })

// The definitions of one list of components, made once per process (tests build many apps).
const definitionsOf = new WeakMap<TSchema[], ReturnType<typeof componentDefinitions>>()

/**
 * Registers the components (validators, serializers and the document all resolve `$ref`s against
 * them) and makes every route refer to them: registered before the routes, whose schemas the
 * onRoute hook rewrites.
 */
export function registerComponents(app: FastifyInstance, schemas: TSchema[]) {
  let definitions = definitionsOf.get(schemas)
  if (!definitions) definitionsOf.set(schemas, (definitions = componentDefinitions(schemas)))
  for (const definition of definitions) app.addSchema(definition)
  addToValidators(definitions)
  app.addHook('onRoute', (route) => {
    if (route.schema) route.schema = referenced(route.schema)
  })
}
