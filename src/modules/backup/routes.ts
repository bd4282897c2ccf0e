import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { conflict } from '../../domain/errors.js'
import { problemResponses } from '../../http/problem.js'

/**
 * A consistent copy of the embedded database while the service runs, for the operator: PGlite's data
 * directory as a gzipped tarball, taken between transactions after a checkpoint. `npm run cli --
 * restore --from FILE` loads it into an empty DATA_DIR. On PostgreSQL, pg_dump is the tool.
 */
// Bytes: typed as the Buffer the route sends, documented as a binary string.
const TARBALL = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'A tar archive of the data directory, gzipped',
  examples: ['(binary: a gzipped tar archive)'],
})

export const backupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/backup',
    {
      config: { roles: ['operator'] },
      schema: {
        operationId: 'downloadBackup',
        summary: 'A backup of the embedded database (operator)',
        tags: ['Operations'],
        description:
          'The embedded (PGlite) database as a gzipped tarball of its data directory, consistent: taken after a checkpoint, with no transaction under way. Restore it into an empty DATA_DIR with `npm run cli -- restore --from FILE`. On PostgreSQL this answers 409: use pg_dump and pg_restore.',
        response: {
          200: { description: 'The data directory (tar, gzip)', content: { 'application/gzip': { schema: TARBALL } } },
          ...problemResponses(409),
        },
      },
    },
    async (_request, reply) => {
      const pglite = app.database.pglite
      if (!pglite)
        throw conflict('backup-with-pg-dump', 'The service runs on PostgreSQL: back it up with pg_dump (and restore with pg_restore), as the README shows.')
      await pglite.query('CHECKPOINT')
      // Inside a transaction of its own, no other transaction runs while the files are read.
      const dump = await pglite.transaction(() => pglite.dumpDataDir('gzip'))
      const stamp = app.clock
        .now()
        .toISOString()
        .replace(/[-:]|\.\d+/g, '')
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="bezoekruimte-${stamp}.tar.gz"`)
        .send(Buffer.from(await dump.arrayBuffer()))
    },
  )
}
