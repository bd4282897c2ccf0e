import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

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
  return ajv
}

export function registerValidation(app: FastifyInstance) {
  const body = makeAjv(false)
  const parameters = makeAjv(true)
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? body : parameters).compile(schema))
}
