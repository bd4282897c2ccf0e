/**
 * The boundaries of src/ (DESIGN.md §2), checked by `npm run lint`: the pure domain imports no I/O,
 * the infrastructure (db, http) imports no module, modules meet only through each other's index.ts,
 * and nothing imports in a circle. scripts/check-boundaries-fail.sh shows a violation failing.
 */
const { existsSync, readdirSync } = require('node:fs')

// dependency-cruiser matches a reachability rule's target without the source's groups, so the rule is written once per module.
const modules = existsSync('src/modules') ? readdirSync('src/modules', { withFileTypes: true }).filter((entry) => entry.isDirectory()) : []
const noModuleCycles = modules.map(({ name }) => ({
  name: 'no-module-cycles',
  comment: `${name} reaches its own index.ts through other modules: it depends on itself, the modules form a cycle.`,
  severity: 'error',
  from: { path: `^src/modules/${name}/`, pathNot: `^src/modules/${name}/index\\.ts$` },
  to: { path: `^src/modules/${name}/index\\.ts$`, reachable: true },
}))

module.exports = {
  forbidden: [
    ...noModuleCycles,
    {
      name: 'domain-is-pure',
      comment: 'src/domain is logic without I/O: no database, no HTTP, no module.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(db|http|modules)/' },
    },
    {
      name: 'http-imports-no-module',
      comment: 'src/http is the shared HTTP machinery; the modules build on it, not the reverse.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'db-imports-no-module-nor-http',
      comment: 'src/db is the lowest layer: it knows neither the modules nor HTTP.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(modules|http)/' },
    },
    {
      name: 'modules-meet-through-index',
      comment: "Another module is used through its index.ts only; a module's own files import each other directly.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'index-is-for-other-modules',
      comment: "A module's own files import each other directly, never through its index.ts (so reaching it means leaving the module).",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
      to: { path: '^src/modules/$1/index\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'No file reaches itself through its imports, so neither do two modules.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.eta$' },
  },
}
