import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { ConfigError, loadConfig } from './config.js'
import { DatabaseAvailability } from './db/availability.js'
import { DataDirLockedError, openDatabase } from './db/client.js'
import { migrate } from './db/migrate.js'
import { buildTemplateDir, readDataTemplate } from './db/template.js'
import { HOUR_MS } from './domain/time.js'

/** Entry point: configuration → database → migrations → (first run) demo seed → HTTP. */
async function main() {
  // Milliseconds since the process started, at the end of each step: logged once ready.
  const phases: Record<string, number> = { boot: Math.round(performance.now()) }
  const phase = (name: string) => (phases[name] = Math.round(performance.now()))
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`)
      process.exit(1)
    }
    throw error
  }

  const logger = pino({
    level: config.logLevel,
    // Request lines are shaped in src/http/logging.ts (route pattern, query keys, no headers); this
    // redaction is a second guard should a header ever reach a log line.
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  })

  // The HTTP application's modules load while the database opens: PGlite's open waits on files and
  // on compiling its WebAssembly off the main thread, time the imports can use.
  const modules = Promise.all([
    import('./app.js'),
    import('./modules/admin/demo.js'),
    import('./modules/webhooks/worker.js'),
    import('./modules/retention/service.js'),
    import('./modules/case-transitions/dates.js'),
  ]).then((loaded) => (phase('modules'), loaded))
  modules.catch(() => {}) // awaited below, where a failure stops the start

  let database
  let migrationsApplied
  try {
    database = await openDatabase(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : // A new DATA_DIR starts from the migrated template `npm run build` made, when there is one for these migrations.
          { dataDir: config.dataDir, template: () => readDataTemplate(buildTemplateDir, 'gzip') },
    )
    phase('database')
    migrationsApplied = await migrate(database, (message) => logger.info({ migration: message }, 'migration notice'))
    phase('migrations')
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    logger.fatal({ err: error }, 'could not open or migrate the database')
    await database?.close().catch(() => {})
    process.exit(1)
  }

  const [{ buildApp }, { isEmpty, setupCentre }, { deliveryWorker }, { retentionJob }, { suspensionDatesJob }] = await modules
  let banner: string | undefined
  if (!config.databaseUrl && config.seedDemo && (await isEmpty(database.db))) {
    const result = await setupCentre(database.db, { centreName: 'Demo centre', demo: true })
    banner = [
      '',
      '  Bezoekruimte is set up with a demo centre on the embedded database.',
      `  Admin token (shown this once; keep it): ${result.adminToken}`,
      `  Demo ids: ${JSON.stringify({ centreId: result.centreId, ...result.demo })}`,
      '',
    ].join('\n')
  } else if (await isEmpty(database.db)) {
    // Nothing is seeded on PostgreSQL (or with SEED_DEMO=false): say how to make the first centre.
    banner = [
      '',
      '  The database has no centre yet. Create one, with its first admin token, and a court:',
      '    npm run --silent cli -- setup --centre-name "CAW …"',
      '    npm run --silent cli -- court create --name "Familierechtbank …" --district "…"',
      '  (in the container: node dist/src/cli.js …)',
      '',
    ].join('\n')
  }

  phase('seed')
  const webhookPolicy = { allowPrivateUrls: config.webhookAllowPrivateUrls }
  // One view of the database for the whole process: an outage is one warning and one line when it
  // ends, whether requests, the webhook worker, the retention job or a dropped connection meet it.
  const availability = new DatabaseAvailability(() => database.ping(), logger.child({ component: 'database' }))
  database.onConnectionError?.((error) => availability.report(error))
  const app = await buildApp({
    database,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    attachmentMaxBytes: config.attachmentMaxBytes,
    webhookPolicy,
    availability,
    drainMs: 500,
    authFailuresPerMinute: config.authFailuresPerMinute,
    idempotencyKeyHours: config.idempotencyKeyHours,
  })
  const webhooks = deliveryWorker({
    db: database.db,
    logger: logger.child({ component: 'webhooks' }),
    retryBaseMs: config.webhookRetryBaseMs,
    timeoutMs: config.webhookTimeoutMs,
    availability,
    ...webhookPolicy,
  })
  const retention = retentionJob({
    db: database.db,
    logger: logger.child({ component: 'retention' }),
    availability,
    idempotencyKeyMs: config.idempotencyKeyHours * HOUR_MS,
  })
  // Suspensions follow their dates: at start and every minute, in every process (each case claimed with a row lock).
  const suspensionDates = suspensionDatesJob({ db: database.db, logger: logger.child({ component: 'suspensions' }), availability })

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error')
    else logger.info({ signal }, 'shutting down')
    // A client that keeps a request unfinished (a slow upload) does not hold the exit up to the hard limit.
    const drained = setTimeout(() => app.server.closeAllConnections(), 5000).unref()
    await Promise.all([
      app.close(), // stops accepting; in-flight requests finish, each connection closing after its response
      webhooks.stop(), // the attempts under way finish, or are released if their receivers are slow, as is what the lanes have not sent; pending deliveries wait in the outbox
      retention.stop(), // a case under way finishes in its transaction; the rest wait for the next run
      suspensionDates.stop(), // likewise
    ])
    clearTimeout(drained)
    availability.stop()
    await database.close()
    logger.info('stopped')
  })

  phase('app')
  const address = await app.listen({ port: config.port, host: config.host })
  phase('listen')
  webhooks.start()
  retention.start()
  suspensionDates.start()
  logger.info({ msSinceProcessStart: phases, migrationsApplied, ...(database.created ? { dataDirCreatedBy: database.created } : {}) }, 'started')
  if (banner) process.stdout.write(`${banner}\n`)
  process.stdout.write(
    `  Bezoekruimte listening on ${address} — API docs at ${address}/docs (database: ${database.kind === 'pg' ? 'PostgreSQL' : `embedded, ${config.dataDir}`})\n`,
  )
}

await main()
