import fp from 'fastify-plugin'
import type { Database, Db } from './client.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    database: Database
  }
}

/** Makes the opened database available to routes. The app does not own it: whoever opened it closes it. */
export const databasePlugin = fp<{ database: Database }>(
  async (app, { database }) => {
    app.decorate('database', database)
    app.decorate('db', database.db)
  },
  { name: 'database' },
)
