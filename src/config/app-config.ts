import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const port = z.coerce.number().int().min(0).max(65535);

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
  .optional();

/**
 * Every environment variable the service reads. Documented one by one in the README's
 * configuration table: keep the two in step.
 */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  TRUST_PROXY: booleanFlag.optional(),
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_WORKER_POOL_SIZE: z.coerce.number().int().min(2).max(50).default(5),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  FILES_DIR: z.string().min(1).default('.data/files'),
  FILES_MAX_BYTES: z.coerce.number().int().min(1024).max(104857600).default(16777216),
  EMBEDDED_PG_PORT: port.default(0),
  DEMO_DATA: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(500).default(30),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100000).default(5000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(1000000).default(10000),
  GRAPHQL_APQ_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(32),
  GRAPHQL_OPERATION_TIMEOUT_MS: z.coerce.number().int().min(50).max(600000).default(15000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3600000).default(120000),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(2147483647).default(104857600),
  IMPORT_MAX_FIELD_CHARS: z.coerce.number().int().min(100).max(1000000).default(10000),
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  EXPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86400000).default(300000),
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  EXPORT_PER_CALLER: z.coerce.number().int().min(1).max(100).default(1),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SUBSCRIPTION_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  REQUEST_REOPEN_DAYS: z.coerce.number().int().min(0).max(365).default(15),
  SLA_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86400).default(60),
  HOUSEKEEPING_SECONDS: z.coerce.number().int().min(0).max(86400).default(3600),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  WHATSAPP_API_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v21.0')
    .default('v21.0'),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_APP_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  WHATSAPP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  WHATSAPP_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(80),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(2000),
  NOTIFY_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86400000).default(900000),
  NOTIFY_POLL_MS: z.coerce.number().int().min(20).max(60000).default(1000),
  NOTIFY_CLAIM_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  NOTIFY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  CONVERSATION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10080).default(60),
  WHATSAPP_INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  WHATSAPP_INBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  WHATSAPP_INBOX_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(1000),
  WHATSAPP_INBOX_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86400000).default(300000),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Emblems per municipality, facsimile signatures and seals per signing officer (PNG/JPEG). */
  CERTIFICATE_IMAGES_DIR: z.string().min(1).optional(),
  CERTIFICATE_SIGNING_KEY: z
    .string()
    .min(40, 'must be an Ed25519 private key (PKCS#8 PEM or base64 DER)')
    .optional(),
  CERTIFICATE_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, . _ -')
    .default('duare-1'),
  WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).max(604800).default(86400),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(10000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag.optional(),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(40),
  WEBHOOK_CLAIM_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(1),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SECRETS_ENCRYPTION_KEY: z
    .string()
    .refine(
      (value) => Buffer.from(value, 'base64').length === 32,
      'must be 32 random bytes in base64 (openssl rand -base64 32)',
    )
    .optional(),
  API_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1000000).default(30000),
  VERIFY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(30),
  ANNOUNCE_POLL_MS: z.coerce.number().int().min(20).max(3600000).default(5000),
  ANNOUNCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(200),
  HELPLINE_OVERDUE_MINUTES: z.coerce.number().int().min(1).max(10080).default(120),
  HELPLINE_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86400).default(60),
  ANNOUNCE_PAUSE_MS: z.coerce.number().int().min(1).max(86400000).default(300000),
});

/** Names of every variable read, for the README check. */
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape);

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  /** Bulk endpoints: limits that keep one caller from taking the service (or its pool). */
  bulk: {
    /** The whole request (headers and body) must arrive within this. */
    requestTimeoutMs: number;
    importMaxBytes: number;
    importMaxFieldChars: number;
    /** Imports at once per instance (each holds a connection while it writes). */
    importConcurrency: number;
    exportStatementTimeoutMs: number;
    /** Exports at once per instance, and per caller (a user or an API key). */
    exportConcurrency: number;
    exportPerCaller: number;
  };
  isProduction: boolean;
  http: { host: string; port: number; trustProxy: boolean };
  database: {
    /** Unset means: start the embedded PostgreSQL. */
    url?: string;
    poolSize: number;
    /** The background workers' own pool, which API traffic cannot take. */
    workerPoolSize: number;
    embedded: { dataDir: string; port: number };
  };
  demoData: boolean;
  logLevel: string;
  graphql: {
    /** Points (operation costs) per minute per API client or staff account. */
    ratePerMinute: number;
    introspection: boolean;
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxCost: number;
    /** Bytes of automatic persisted queries kept per instance (least recently used go). */
    persistedQueryCacheBytes: number;
    /**
     * Longest a database statement (or a wait for a lock) of the application may take;
     * beyond it PostgreSQL cancels it and the operation answers TIMEOUT.
     */
    operationTimeoutMs: number;
  };
  shutdownTimeoutMs: number;
  /** How often each instance purges expired keys, windows and throttles; 0 turns it off. */
  housekeepingSeconds: number;
  files: {
    /** Where the local file store keeps the bytes of residents' and staff's files. */
    directory: string;
    /** Largest file kept (WhatsApp's own limit for voice notes and videos is 16 MB). */
    maxBytes: number;
  };
  auth: {
    /** Signs access tokens. Outside production a random one per process is allowed. */
    jwtSecret: string;
    jwtSecretGenerated: boolean;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    sessionMaxDays: number;
    /** How often an open subscription socket's credentials are checked again. */
    socketRecheckSeconds: number;
  };
  requests: {
    /** Days after an outcome during which a request may be reopened. */
    reopenDays: number;
    /** How often each instance looks for breached SLAs; 0 turns the timer off. */
    slaSweepSeconds: number;
    /** Hour of the day (India) from which the coordinators' daily digest goes out. */
    digestHour: number;
  };
  whatsapp: {
    baseUrl: string;
    apiVersion: string;
    /** Unset: messages to residents are written to the log instead (the demo default). */
    accessToken?: string;
    appSecret?: string;
    verifyToken?: string;
    timeoutMs: number;
    ratePerSecond: number;
    /** A conversation idle this long starts over (and a hand-over ends). */
    conversationIdleMinutes: number;
    /** Processed raw webhook payloads are deleted this many days after processing. */
    inboxRetentionDays: number;
    /** Tries before a payload (or a media look-up) that keeps failing is parked. */
    inboxMaxAttempts: number;
    /** First wait before trying a failed payload again; doubles per attempt up to the max. */
    inboxRetryBaseMs: number;
    inboxRetryMaxMs: number;
  };
  certificates: {
    /** Where the public verification page is reached (printed in the QR code). */
    publicBaseUrl: string;
    signingKey?: string;
    keyId: string;
    verifyPerMinute: number;
    /**
     * `emblem-<MUNICIPALITY CODE>.png|jpg`, `signature-<account id>.png|jpg`,
     * `seal-<account id>.png|jpg`; without one, the drawn placeholder (or nothing).
     */
    imagesDir?: string;
  };
  webhooks: {
    /** Deliveries are retried this long, then fail and disable their endpoint. */
    retrySeconds: number;
    retryBaseMs: number;
    timeoutMs: number;
    /** Loopback and private addresses (development and tests only). */
    allowPrivateUrls: boolean;
    /** Seals the endpoints' signing secrets at rest (AES-256-GCM); none: stored as they are. */
    secretsKey: Buffer | null;
    /** Attempts (answered or not) after which a delivery is parked FAILED whatever the time. */
    maxAttempts: number;
    /** How long a claimed delivery belongs to its instance (at least twice the timeout). */
    claimSeconds: number;
    /** Deliveries in flight per instance, and per endpoint (across instances). */
    concurrency: number;
    endpointConcurrency: number;
    /** Finished deliveries (and their attempts) are purged after this many days. */
    retentionDays: number;
  };
  notifications: {
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    pollMs: number;
    /**
     * How long a send claimed by an instance stays its own; after that another instance (or
     * this one restarted) takes it over, as from an instance that died mid-send.
     */
    claimSeconds: number;
    /** Finished notifications (sent, delivered, read, failed) are purged after this. */
    retentionDays: number;
  };
  /** Announcements: one batch per run every `pollMs`; held `pauseMs` after Meta's slow-down errors. */
  announcements: { pollMs: number; batchSize: number; pauseMs: number };
  /** Help desk: a resident waiting longer than `overdueMinutes` escalates; swept every `sweepSeconds` (0: off). */
  helpDesk: { overdueMinutes: number; sweepSeconds: number };
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment once; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  // A claim must outlive the send it covers, or a slow send is taken over and sent twice.
  if (e.NOTIFY_CLAIM_SECONDS * 1000 < 2 * e.WHATSAPP_TIMEOUT_MS) {
    throw new ConfigurationError([
      'NOTIFY_CLAIM_SECONDS: must be at least twice WHATSAPP_TIMEOUT_MS (a claim outlives its send)',
    ]);
  }
  if (e.WEBHOOK_CLAIM_SECONDS * 1000 < 2 * e.WEBHOOK_TIMEOUT_MS) {
    throw new ConfigurationError([
      'WEBHOOK_CLAIM_SECONDS: must be at least twice WEBHOOK_TIMEOUT_MS (a claim outlives its call)',
    ]);
  }
  if (isProduction && !e.JWT_SECRET) {
    throw new ConfigurationError(['JWT_SECRET: is required in production (32+ random characters)']);
  }
  return {
    env: e.NODE_ENV,
    bulk: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      importMaxBytes: e.IMPORT_MAX_BYTES,
      importMaxFieldChars: e.IMPORT_MAX_FIELD_CHARS,
      importConcurrency: e.IMPORT_CONCURRENCY,
      exportStatementTimeoutMs: e.EXPORT_STATEMENT_TIMEOUT_MS,
      exportConcurrency: e.EXPORT_CONCURRENCY,
      exportPerCaller: e.EXPORT_PER_CALLER,
    },
    isProduction,
    http: { host: e.HOST, port: e.PORT, trustProxy: e.TRUST_PROXY ?? false },
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      workerPoolSize: e.DATABASE_WORKER_POOL_SIZE,
      embedded: { dataDir: e.EMBEDDED_PG_DIR, port: e.EMBEDDED_PG_PORT },
    },
    demoData: e.DEMO_DATA ?? !isProduction,
    logLevel: e.LOG_LEVEL,
    graphql: {
      ratePerMinute: e.API_RATE_PER_MINUTE,
      introspection: e.GRAPHQL_INTROSPECTION ?? !isProduction,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      persistedQueryCacheBytes: e.GRAPHQL_APQ_CACHE_MB * 1024 * 1024,
      operationTimeoutMs: e.GRAPHQL_OPERATION_TIMEOUT_MS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    housekeepingSeconds: e.HOUSEKEEPING_SECONDS,
    files: { directory: e.FILES_DIR, maxBytes: e.FILES_MAX_BYTES },
    auth: {
      jwtSecret: e.JWT_SECRET ?? randomBytes(32).toString('base64url'),
      jwtSecretGenerated: !e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      sessionMaxDays: e.SESSION_MAX_DAYS,
      socketRecheckSeconds: e.SUBSCRIPTION_RECHECK_SECONDS,
    },
    requests: {
      reopenDays: e.REQUEST_REOPEN_DAYS,
      slaSweepSeconds: e.SLA_SWEEP_SECONDS,
      digestHour: e.DIGEST_HOUR,
    },
    whatsapp: {
      baseUrl: e.WHATSAPP_API_BASE_URL.replace(/\/+$/, ''),
      apiVersion: e.WHATSAPP_API_VERSION,
      accessToken: e.WHATSAPP_ACCESS_TOKEN,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      timeoutMs: e.WHATSAPP_TIMEOUT_MS,
      ratePerSecond: e.WHATSAPP_RATE_PER_SECOND,
      conversationIdleMinutes: e.CONVERSATION_IDLE_MINUTES,
      inboxRetentionDays: e.WHATSAPP_INBOX_RETENTION_DAYS,
      inboxMaxAttempts: e.WHATSAPP_INBOX_MAX_ATTEMPTS,
      inboxRetryBaseMs: e.WHATSAPP_INBOX_RETRY_BASE_MS,
      inboxRetryMaxMs: e.WHATSAPP_INBOX_RETRY_MAX_MS,
    },
    certificates: {
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      signingKey: e.CERTIFICATE_SIGNING_KEY,
      keyId: e.CERTIFICATE_KEY_ID,
      verifyPerMinute: e.VERIFY_RATE_PER_MINUTE,
      imagesDir: e.CERTIFICATE_IMAGES_DIR,
    },
    webhooks: {
      retrySeconds: e.WEBHOOK_RETRY_SECONDS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS ?? !isProduction,
      secretsKey: e.SECRETS_ENCRYPTION_KEY ? Buffer.from(e.SECRETS_ENCRYPTION_KEY, 'base64') : null,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      claimSeconds: e.WEBHOOK_CLAIM_SECONDS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      endpointConcurrency: e.WEBHOOK_ENDPOINT_CONCURRENCY,
      retentionDays: e.WEBHOOK_RETENTION_DAYS,
    },
    notifications: {
      maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
      retryMaxMs: e.NOTIFY_RETRY_MAX_MS,
      pollMs: e.NOTIFY_POLL_MS,
      claimSeconds: e.NOTIFY_CLAIM_SECONDS,
      retentionDays: e.NOTIFY_RETENTION_DAYS,
    },
    announcements: {
      pollMs: e.ANNOUNCE_POLL_MS,
      batchSize: e.ANNOUNCE_BATCH_SIZE,
      pauseMs: e.ANNOUNCE_PAUSE_MS,
    },
    helpDesk: {
      overdueMinutes: e.HELPLINE_OVERDUE_MINUTES,
      sweepSeconds: e.HELPLINE_SWEEP_SECONDS,
    },
  };
}
