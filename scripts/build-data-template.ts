import { buildTemplateDir, pruneDataTemplates, writeDataTemplate } from '../src/db/template.js'

/**
 * `npm run build`'s last step: the migrated PGlite data directory a first start on a new DATA_DIR
 * loads instead of running initdb and the migrations (src/db/template.ts), written beside the
 * compiled program so the container image carries it.
 */
const path = await writeDataTemplate(buildTemplateDir, 'gzip')
const stale = pruneDataTemplates(buildTemplateDir)
process.stdout.write(`data template: ${path}${stale.length ? ` (removed ${stale.join(', ')})` : ''}\n`)
