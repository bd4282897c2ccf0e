import { existsSync } from 'node:fs'
import { buildTemplateDir, pruneDataTemplates, readDataTemplate, writeDataTemplate } from '../src/db/template.js'

/**
 * `npm run build`'s last step: the migrated PGlite data directory a first start on a new DATA_DIR
 * loads instead of running initdb and the migrations (src/db/template.ts), written beside the
 * compiled program so the container image carries it. Quiet when the template is already there.
 */
const existed = existsSync(buildTemplateDir) && readDataTemplate(buildTemplateDir, 'gzip') !== undefined
const path = await writeDataTemplate(buildTemplateDir, 'gzip')
const stale = pruneDataTemplates(buildTemplateDir)
if (!existed) process.stdout.write(`data template: ${path}${stale.length ? ` (removed ${stale.join(', ')})` : ''}\n`)
