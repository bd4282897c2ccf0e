import t from 'tap'
import { readFileSync } from 'node:fs'
import { generateOpenapi } from '../scripts/openapi.js'

t.test('the committed openapi/openapi.json matches the routes (run `npm run openapi` after changing a route)', async (t) => {
  const generated = await generateOpenapi()
  const committed = readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')
  t.ok(generated === committed, 'openapi/openapi.json is up to date — regenerate it with `npm run openapi` and commit it')

  const document = JSON.parse(generated)
  t.equal(document.openapi, '3.1.0')
  t.ok(document.components.schemas.Problem, 'the Problem schema is a shared component')
  const hasExample = (value: unknown): boolean =>
    typeof value === 'object' && value !== null &&
    (('examples' in value) || ('example' in value) || Object.values(value).some(hasExample))
  let operations = 0
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      operations++
      const name = `${method.toUpperCase()} ${path}`
      t.ok(operation.summary, `${name} has a summary`)
      t.ok(operation.tags?.length, `${name} has a tag`)
      const success = Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2'))
      t.ok(success, `${name} documents its success response`)
      if (path.startsWith('/v1/')) {
        t.ok(operation.responses['401'] && operation.responses['403'], `${name} documents its problem responses`)
        t.ok(hasExample(operation), `${name} carries examples`)
      }
      if (['post', 'put', 'patch'].includes(method) && path.startsWith('/v1/')) {
        t.ok(operation.requestBody?.content?.['application/json']?.schema, `${name} has a request body schema`)
      }
    }
  }
  t.ok(operations > 20, `${operations} operations documented`)
})
