import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  t.same(loadConfig({}), {
    port: 3000,
    host: '127.0.0.1',
    dataDir: './data',
    logLevel: 'info',
    bodyLimitBytes: 1048576,
    attachmentMaxBytes: 10485760,
    seedDemo: true,
    webhookRetryBaseMs: 1000,
    webhookAllowPrivateUrls: false,
    webhookTimeoutMs: 10000,
    authFailuresPerMinute: 20,
    idempotencyKeyHours: 24,
  })
})

t.test('values from the environment', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://u@h/db',
    DATA_DIR: '/d',
    LOG_LEVEL: 'warn',
    BODY_LIMIT_BYTES: '2048',
    ATTACHMENT_MAX_BYTES: '4096',
    SEED_DEMO: 'false',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    AUTH_FAILURES_PER_MINUTE: '5',
  })
  t.match(config, {
    authFailuresPerMinute: 5,
    port: 8080,
    host: '0.0.0.0',
    databaseUrl: 'postgres://u@h/db',
    dataDir: '/d',
    logLevel: 'warn',
    bodyLimitBytes: 2048,
    attachmentMaxBytes: 4096,
    seedDemo: false,
    webhookRetryBaseMs: 50,
    webhookAllowPrivateUrls: true,
  })
})

t.test('invalid values name the variable', async (t) => {
  for (const [env, message] of [
    [{ PORT: 'abc' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT:/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL:/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL:/],
    [{ BODY_LIMIT_BYTES: '10' }, /^BODY_LIMIT_BYTES:/],
    [{ SEED_DEMO: 'maybe' }, /^SEED_DEMO must be true or false/],
    [{ WEBHOOK_RETRY_BASE_MS: '0' }, /^WEBHOOK_RETRY_BASE_MS:/],
    [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'perhaps' }, /^WEBHOOK_ALLOW_PRIVATE_URLS must be true or false/],
  ] as const) {
    t.throws(() => loadConfig(env), { constructor: ConfigError, message }, JSON.stringify(env))
  }
})
