// Configuration: TONGBAN_* environment variables over an optional YAML file (TONGBAN_CONFIG),
// validated once at start. Anything invalid stops the process with one line naming the setting.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import Type, { type Static } from 'typebox';

const Exposure = Type.Union([Type.Literal('public'), Type.Literal('operator'), Type.Literal('off')]);
export type Exposure = Static<typeof Exposure>;

const Settings = Type.Object(
  {
    env: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
      default: 'development',
    }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    host: Type.String({ default: '127.0.0.1' }),
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    dataDir: Type.String({ default: './data' }),
    /** The web app's build (apps/web/dist) the portal serves at `/`; unset: the one in this checkout, when built. */
    webDir: Type.Optional(Type.String({ minLength: 1 })),
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    natsUrl: Type.Optional(Type.String({ pattern: '^(nats|tls)://' })),
    /**
     * The JetStream stream (default TONGBAN) and subject prefix (default tongban) this deployment's
     * events travel in: deployments sharing one NATS server keep apart by giving each its own, else
     * each one's consumers would take the other's events.
     */
    natsStream: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    natsSubjectPrefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,7}$' })),
    logLevel: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { default: 'info' },
    ),
    operatorToken: Type.Optional(Type.String({ minLength: 32 })),
    /** Base URLs of modules that run in other processes (cluster shape), by module name. */
    services: Type.Record(Type.String({ pattern: '^[a-z]+$' }), Type.String({ pattern: '^https?://' }), {
      default: {},
    }),
    http: Type.Object(
      {
        bodyLimit: Type.Integer({ minimum: 1024, default: 1_048_576 }),
        requestTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
        /** Each readiness check (database, bus) fails after this long instead of hanging /readyz. */
        readinessTimeoutMs: Type.Integer({ minimum: 10, default: 2000 }),
        rateLimitPerMinute: Type.Integer({ minimum: 1, default: 600 }),
        /** The budget of an address sentinel throttles (risk.ts): far below rateLimitPerMinute. */
        throttledPerMinute: Type.Integer({ minimum: 1, default: 5 }),
        /**
         * Who may read /metrics, and /api/docs with /api/openapi.json: 'public', 'operator' (an
         * operator's token) or 'off'. Unset: 'operator' in production, 'public' otherwise (surfaceExposure).
         */
        metrics: Type.Optional(Exposure),
        docs: Type.Optional(Exposure),
        /** Trust X-Forwarded-For from these proxies (addresses or CIDRs, comma-separated); none by default. */
        trustProxy: Type.String({ default: '' }),
        /**
         * Requests handled at once by this process (the probes aside); 0 for no limit. Unset: 16 on
         * the embedded database (one connection, run on the event loop), no limit on PostgreSQL.
         * Beyond it requests wait their turn, up to `inFlightQueue` of them; the rest are 503.
         */
        maxInFlight: Type.Optional(Type.Integer({ minimum: 0 })),
        inFlightQueue: Type.Integer({ minimum: 0, default: 1000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Identity's session and token lifetimes (seconds). */
    identity: Type.Object(
      {
        sessionIdleSeconds: Type.Integer({ minimum: 60, default: 1800 }),
        sessionAbsoluteSeconds: Type.Integer({ minimum: 300, default: 43_200 }),
        accessTokenSeconds: Type.Integer({ minimum: 30, maximum: 600, default: 600 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** The ledger (存证): checkpoint cadence, batch size, crypto suite of the audit log. */
    ledger: Type.Object(
      {
        checkpointIntervalMs: Type.Integer({ minimum: 50, default: 1000 }),
        batchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
        /** 'standard': SHA-256 and Ed25519; 'gm' (国密): SM3 and SM2. */
        crypto: Type.Union([Type.Literal('standard'), Type.Literal('gm')], { default: 'standard' }),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * The data hub's HTTP JSON sources (接口归集), polled by the serving process: in the YAML file
     * (TONGBAN_CONFIG) only, since a list does not fit an environment variable. `rules` are the
     * resource's cleaning rules (modules/datahub domain/cleaning.ts), checked by the hub at start.
     */
    datahub: Type.Object(
      {
        connectors: Type.Array(
          Type.Object(
            {
              resource: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }),
              url: Type.String({ pattern: '^https?://' }),
              intervalMs: Type.Integer({ minimum: 1000 }),
              itemsField: Type.Optional(Type.String({ minLength: 1 })),
              nextField: Type.Optional(Type.String({ minLength: 1 })),
              pageParam: Type.Optional(Type.String({ minLength: 1 })),
              maxPages: Type.Optional(Type.Integer({ minimum: 1 })),
              headers: Type.Optional(Type.Record(Type.String(), Type.String())),
              timeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
              rules: Type.Optional(Type.Unknown()),
              tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }))),
            },
            { additionalProperties: false },
          ),
          { default: [] },
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Security operations (安全运营, modules/sentinel): its rule file and the SIEM's syslog receiver. */
    sentinel: Type.Object(
      {
        /** A JSON rule set (modules/sentinel domain/rules.ts) instead of the shipped one; checked at start. */
        rules: Type.Optional(Type.String({ minLength: 1 })),
        /** `tcp://host:port` or `tls://host:port`: each new alert as RFC 5424 syslog (RFC 6587 octet counting). */
        syslogUrl: Type.Optional(Type.String({ pattern: '^(tcp|tls)://[^/:]+:\\d+/?$' })),
        /** PEM file of the CA the TLS receiver's certificate chains to (default: the system's). */
        syslogCa: Type.Optional(Type.String({ minLength: 1 })),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * Notifications (消息, modules/notify): the SMS provider, the SMTP server, webhook targets, rate
     * limits. The gateways' keys are secrets (notify-sms-gateway-key, notify-sms-fallback-key).
     */
    notify: Type.Object(
      {
        /** 'dev': the development sink (notify.dev_sms, refused in production); 'gateway': the HTTP SMS gateway pair. Unset: 'gateway' in production, 'dev' otherwise. */
        sms: Type.Optional(Type.Union([Type.Literal('dev'), Type.Literal('gateway')])),
        /** The primary HTTP SMS gateway (POST, signed JSON). */
        smsGatewayUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
        /** The gateway traffic fails over to (after 50 errors in 60 s on the primary). */
        smsFallbackUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
        /** smtp:// or smtps://; unset: no e-mail channel. */
        smtpUrl: Type.Optional(Type.String({ pattern: '^smtps?://' })),
        smtpFrom: Type.String({ minLength: 3, default: '通办 Tongban <no-reply@tongban.localhost>' }),
        /** Webhook targets on private or loopback addresses and over http (development and tests only; production refuses it). */
        webhooksAllowPrivate: Type.Boolean({ default: false }),
        /** At most this many SMS to one recipient an hour; more wait (security notices do not). */
        smsPerHour: Type.Integer({ minimum: 1, default: 10 }),
        emailPerHour: Type.Integer({ minimum: 1, default: 30 }),
        /** How often the delivery worker looks for due messages and webhooks. */
        workerIntervalMs: Type.Integer({ minimum: 50, default: 1000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Personal-data field encryption (packages/kernel/src/crypto/fields.ts). */
    fields: Type.Object(
      {
        /** 'standard': AES-256-GCM and HMAC-SHA256; 'gm' (国密): SM4-GCM and HMAC-SM3. */
        crypto: Type.Union([Type.Literal('standard'), Type.Literal('gm')], { default: 'standard' }),
        /** A module's data key is replaced for new writes once it is this old (its rows still open). */
        dataKeyMaxAgeDays: Type.Integer({ minimum: 1, default: 90 }),
        /** How often data keys are re-wrapped under the current master key and checked for age. */
        maintenanceIntervalMs: Type.Integer({ minimum: 1000, default: 3_600_000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * Unified payments (统一支付, modules/payments): the channel, its keys, and the clocks of an
     * order. `simulator` is the bundled payment-channel simulator (apps/paysim, mounted at
     * /paysim; refused in production); `gateway` a channel speaking the same protocol at `channelUrl`.
     */
    payments: Type.Object(
      {
        channel: Type.Optional(Type.Union([Type.Literal('simulator'), Type.Literal('gateway')])),
        /** The channel's base URL; the simulator's default is `<public url>/paysim`. */
        channelUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
        /** The channel's public key (PEM, RSA); development fetches the simulator's from `<channelUrl>/keys`. */
        channelPublicKey: Type.Optional(Type.String({ minLength: 1 })),
        /** How both sides sign: RSA2 (SHA256withRSA) or SM2 (SM2-with-SM3, 国密). */
        signType: Type.Union([Type.Literal('RSA2'), Type.Literal('SM2')], { default: 'RSA2' }),
        /** Our merchant (app) id at the channel. */
        appId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'tongban-dev' }),
        /** Days an assessed order waits for its payer before it expires. */
        orderExpiryDays: Type.Integer({ minimum: 1, maximum: 365, default: 15 }),
        /** Minutes a checkout (the channel's cashier session) lives: GOV.UK Pay's 90. */
        checkoutMinutes: Type.Integer({ minimum: 5, maximum: 1440, default: 90 }),
        /** Seconds after a checkout before the active query asks the channel (the notify is late). */
        queryAfterSeconds: Type.Integer({ minimum: 1, default: 30 }),
        /** How often the active query runs (ms). */
        queryIntervalMs: Type.Integer({ minimum: 100, default: 5000 }),
        /** A notify older than this is stale (the channel's retries span about 25 h). */
        notifyMaxAgeHours: Type.Integer({ minimum: 1, maximum: 72, default: 26 }),
      },
      { default: {}, additionalProperties: false },
    ),
    bus: Type.Object(
      {
        maxAttempts: Type.Integer({ minimum: 1, default: 8 }),
        backoffBaseMs: Type.Integer({ minimum: 1, default: 200 }),
        backoffMaxMs: Type.Integer({ minimum: 1, default: 60_000 }),
        pollIntervalMs: Type.Integer({ minimum: 10, default: 200 }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof Settings>;

/** Environment variable → setting path. Fixed names; documented in README and docs/architecture.md. */
const ENV: Record<string, string[]> = {
  NODE_ENV: ['env'],
  TONGBAN_PORT: ['port'],
  TONGBAN_HOST: ['host'],
  TONGBAN_PUBLIC_URL: ['publicUrl'],
  TONGBAN_DATA_DIR: ['dataDir'],
  TONGBAN_WEB_DIR: ['webDir'],
  TONGBAN_DATABASE_URL: ['databaseUrl'],
  TONGBAN_NATS_URL: ['natsUrl'],
  TONGBAN_NATS_STREAM: ['natsStream'],
  TONGBAN_NATS_SUBJECT_PREFIX: ['natsSubjectPrefix'],
  TONGBAN_LOG_LEVEL: ['logLevel'],
  TONGBAN_OPERATOR_TOKEN: ['operatorToken'],
  TONGBAN_HTTP_BODY_LIMIT: ['http', 'bodyLimit'],
  TONGBAN_HTTP_REQUEST_TIMEOUT_MS: ['http', 'requestTimeoutMs'],
  TONGBAN_HTTP_READINESS_TIMEOUT_MS: ['http', 'readinessTimeoutMs'],
  TONGBAN_HTTP_RATE_LIMIT_PER_MINUTE: ['http', 'rateLimitPerMinute'],
  TONGBAN_HTTP_TRUST_PROXY: ['http', 'trustProxy'],
  TONGBAN_HTTP_THROTTLED_PER_MINUTE: ['http', 'throttledPerMinute'],
  TONGBAN_HTTP_MAX_IN_FLIGHT: ['http', 'maxInFlight'],
  TONGBAN_HTTP_IN_FLIGHT_QUEUE: ['http', 'inFlightQueue'],
  TONGBAN_HTTP_METRICS: ['http', 'metrics'],
  TONGBAN_HTTP_DOCS: ['http', 'docs'],
  TONGBAN_IDENTITY_SESSION_IDLE_SECONDS: ['identity', 'sessionIdleSeconds'],
  TONGBAN_IDENTITY_SESSION_ABSOLUTE_SECONDS: ['identity', 'sessionAbsoluteSeconds'],
  TONGBAN_IDENTITY_ACCESS_TOKEN_SECONDS: ['identity', 'accessTokenSeconds'],
  TONGBAN_LEDGER_CHECKPOINT_INTERVAL_MS: ['ledger', 'checkpointIntervalMs'],
  TONGBAN_LEDGER_BATCH_SIZE: ['ledger', 'batchSize'],
  TONGBAN_LEDGER_CRYPTO: ['ledger', 'crypto'],
  TONGBAN_SENTINEL_RULES: ['sentinel', 'rules'],
  TONGBAN_SENTINEL_SYSLOG_URL: ['sentinel', 'syslogUrl'],
  TONGBAN_SENTINEL_SYSLOG_CA: ['sentinel', 'syslogCa'],
  TONGBAN_NOTIFY_SMS: ['notify', 'sms'],
  TONGBAN_NOTIFY_SMS_GATEWAY_URL: ['notify', 'smsGatewayUrl'],
  TONGBAN_NOTIFY_SMS_FALLBACK_URL: ['notify', 'smsFallbackUrl'],
  TONGBAN_NOTIFY_SMTP_URL: ['notify', 'smtpUrl'],
  TONGBAN_NOTIFY_SMTP_FROM: ['notify', 'smtpFrom'],
  TONGBAN_NOTIFY_WEBHOOKS_ALLOW_PRIVATE: ['notify', 'webhooksAllowPrivate'],
  TONGBAN_NOTIFY_SMS_PER_HOUR: ['notify', 'smsPerHour'],
  TONGBAN_NOTIFY_EMAIL_PER_HOUR: ['notify', 'emailPerHour'],
  TONGBAN_NOTIFY_WORKER_INTERVAL_MS: ['notify', 'workerIntervalMs'],
  TONGBAN_FIELDS_CRYPTO: ['fields', 'crypto'],
  TONGBAN_FIELDS_DATA_KEY_MAX_AGE_DAYS: ['fields', 'dataKeyMaxAgeDays'],
  TONGBAN_FIELDS_MAINTENANCE_INTERVAL_MS: ['fields', 'maintenanceIntervalMs'],
  TONGBAN_PAYMENTS_CHANNEL: ['payments', 'channel'],
  TONGBAN_PAYMENTS_CHANNEL_URL: ['payments', 'channelUrl'],
  TONGBAN_PAYMENTS_CHANNEL_PUBLIC_KEY: ['payments', 'channelPublicKey'],
  TONGBAN_PAYMENTS_SIGN_TYPE: ['payments', 'signType'],
  TONGBAN_PAYMENTS_APP_ID: ['payments', 'appId'],
  TONGBAN_PAYMENTS_ORDER_EXPIRY_DAYS: ['payments', 'orderExpiryDays'],
  TONGBAN_PAYMENTS_CHECKOUT_MINUTES: ['payments', 'checkoutMinutes'],
  TONGBAN_PAYMENTS_QUERY_AFTER_SECONDS: ['payments', 'queryAfterSeconds'],
  TONGBAN_PAYMENTS_QUERY_INTERVAL_MS: ['payments', 'queryIntervalMs'],
  TONGBAN_PAYMENTS_NOTIFY_MAX_AGE_HOURS: ['payments', 'notifyMaxAgeHours'],
  TONGBAN_BUS_MAX_ATTEMPTS: ['bus', 'maxAttempts'],
  TONGBAN_BUS_BACKOFF_BASE_MS: ['bus', 'backoffBaseMs'],
  TONGBAN_BUS_POLL_INTERVAL_MS: ['bus', 'pollIntervalMs'],
};

const SECRET_KEYS = new Set(['operatorToken']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const validate = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: false, strict: false }).compile(Settings);

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  const file = env.TONGBAN_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`TONGBAN_CONFIG ${file}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed)))
      throw new ConfigError(`TONGBAN_CONFIG ${file}: not a mapping`);
    Object.assign(raw, parsed);
  }
  for (const [name, path] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [name, value] of Object.entries(env)) {
    const m = /^TONGBAN_SERVICE_([A-Z]+)_URL$/.exec(name);
    if (m?.[1] && value) setPath(raw, ['services', m[1].toLowerCase()], value);
  }
  Object.assign(raw, overrides);
  if (!validate(raw)) {
    const e = validate.errors?.[0];
    const unknown = (e?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const where =
      [...(e?.instancePath ?? '').split('/').filter(Boolean), ...(unknown ? [unknown] : [])].join('.') || 'config';
    throw new ConfigError(`invalid setting ${where}: ${e?.message ?? 'invalid'}${envNameFor(where)}`);
  }
  const config = raw as Config;
  config.dataDir = resolve(config.dataDir);
  if (config.webDir) config.webDir = resolve(config.webDir);
  return config;
}

/**
 * Who reaches the platform's own read-only surfaces. Production keeps them for operators by
 * default: metrics tell traffic, error rates and route names, the API document every route and
 * parameter — reconnaissance for nobody's benefit but an attacker's; Prometheus scrapes with a
 * bearer token (its `authorization.credentials_file`). Development shows them to anyone.
 */
export function surfaceExposure(config: Config): { readonly metrics: Exposure; readonly docs: Exposure } {
  const fallback: Exposure = config.env === 'production' ? 'operator' : 'public';
  return { metrics: config.http.metrics ?? fallback, docs: config.http.docs ?? fallback };
}

function envNameFor(dotted: string): string {
  const service = /^services\.([a-z]+)$/.exec(dotted)?.[1];
  if (service) return ` (TONGBAN_SERVICE_${service.toUpperCase()}_URL)`;
  const found = Object.entries(ENV).find(([, path]) => path.join('.') === dotted);
  return found ? ` (${found[0]})` : '';
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** The settings with secrets and database passwords redacted, for the start summary. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (SECRET_KEYS.has(key)) out[key] = value ? '[redacted]' : undefined;
    else if (typeof value === 'string' && /^[a-z]+:\/\//.test(value)) out[key] = redactUrl(value);
    // The SMTP URL may carry its password (smtp://user:password@host).
    else if (key === 'notify')
      out[key] = { ...config.notify, ...(config.notify.smtpUrl ? { smtpUrl: redactUrl(config.notify.smtpUrl) } : {}) };
    else if (key === 'datahub')
      // A source's headers may carry its credentials (Authorization).
      out[key] = {
        ...config.datahub,
        connectors: config.datahub.connectors.map((c) => ({
          ...c,
          url: redactUrl(c.url),
          ...(c.headers ? { headers: Object.fromEntries(Object.keys(c.headers).map((h) => [h, '[redacted]'])) } : {}),
        })),
      };
    else out[key] = value;
  }
  return out;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
