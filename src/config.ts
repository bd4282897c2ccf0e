import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** Environment → typed configuration. Invalid values stop the process with one clear message. */
const ConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  dataDir: Type.String({ minLength: 1 }),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  bodyLimitBytes: Type.Integer({ minimum: 1024 }),
  attachmentMaxBytes: Type.Integer({ minimum: 1024 }),
  seedDemo: Type.Boolean(),
  webhookRetryBaseMs: Type.Integer({ minimum: 1 }),
  webhookAllowPrivateUrls: Type.Boolean(),
  webhookTimeoutMs: Type.Integer({ minimum: 100 }),
  authFailuresPerMinute: Type.Integer({ minimum: 1 }),
  idempotencyKeyHours: Type.Integer({ minimum: 1 }),
})
export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {}

/** Unknown tokens one client address may present per minute (AUTH_FAILURES_PER_MINUTE); then it waits out the minute. */
export const AUTH_FAILURES_PER_MINUTE = 20
/** The largest document a court may upload (ATTACHMENT_MAX_BYTES). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
/** How long an Idempotency-Key is remembered (IDEMPOTENCY_KEY_HOURS): a retry later than this acts again. */
export const IDEMPOTENCY_KEY_HOURS = 24

const integer = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`)
  return Number(raw)
}

const boolean = (raw: string | undefined, fallback: boolean, name: string): boolean => {
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes'].includes(raw)) return true
  if (['0', 'false', 'no'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = {
    port: integer(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || './data',
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: integer(env.BODY_LIMIT_BYTES, 1024 * 1024, 'BODY_LIMIT_BYTES'),
    attachmentMaxBytes: integer(env.ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_BYTES, 'ATTACHMENT_MAX_BYTES'),
    seedDemo: boolean(env.SEED_DEMO, true, 'SEED_DEMO'),
    webhookRetryBaseMs: integer(env.WEBHOOK_RETRY_BASE_MS, 1000, 'WEBHOOK_RETRY_BASE_MS'),
    webhookAllowPrivateUrls: boolean(env.WEBHOOK_ALLOW_PRIVATE_URLS, false, 'WEBHOOK_ALLOW_PRIVATE_URLS'),
    webhookTimeoutMs: integer(env.WEBHOOK_TIMEOUT_MS, 10_000, 'WEBHOOK_TIMEOUT_MS'),
    authFailuresPerMinute: integer(env.AUTH_FAILURES_PER_MINUTE, AUTH_FAILURES_PER_MINUTE, 'AUTH_FAILURES_PER_MINUTE'),
    idempotencyKeyHours: integer(env.IDEMPOTENCY_KEY_HOURS, IDEMPOTENCY_KEY_HOURS, 'IDEMPOTENCY_KEY_HOURS'),
  }
  if (config.databaseUrl === undefined) delete (config as Partial<typeof config>).databaseUrl
  const first = Value.Errors(ConfigSchema, config).First()
  if (first) {
    const names: Record<string, string> = {
      '/port': 'PORT',
      '/host': 'HOST',
      '/databaseUrl': 'DATABASE_URL',
      '/dataDir': 'DATA_DIR',
      '/logLevel': 'LOG_LEVEL',
      '/bodyLimitBytes': 'BODY_LIMIT_BYTES',
      '/attachmentMaxBytes': 'ATTACHMENT_MAX_BYTES',
      '/webhookRetryBaseMs': 'WEBHOOK_RETRY_BASE_MS',
      '/webhookTimeoutMs': 'WEBHOOK_TIMEOUT_MS',
      '/authFailuresPerMinute': 'AUTH_FAILURES_PER_MINUTE',
      '/idempotencyKeyHours': 'IDEMPOTENCY_KEY_HOURS',
    }
    throw new ConfigError(`${names[first.path] ?? first.path}: ${first.message} (got ${JSON.stringify(first.value)})`)
  }
  return config
}
