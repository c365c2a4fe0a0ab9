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
  DATABASE_WORKER_POOL_SIZE: z.coerce.number().int().min(2).max(50).default(10),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  FILES_DIR: z.string().min(1).default('.data/files'),
  FILES_MAX_BYTES: z.coerce.number().int().min(1024).max(104857600).default(16777216),
  EMBEDDED_PG_PORT: port.default(0),
  DEMO_DATA: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  GRAPHQL_COMPILED_EXECUTION: booleanFlag.optional(),
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
  /** Read by `tracing/start.ts` before the config (it must patch modules first); checked here. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL (OTLP/HTTP)' })
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SMS_PROVIDER: z.enum(['log', 'gupshup']).default('log'),
  SMS_GUPSHUP_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://enterprise.smsgupshup.com/GatewayAPI/rest'),
  SMS_GUPSHUP_USER_ID: z
    .string()
    .regex(/^[0-9]{1,20}$/, 'must be the numeric account id')
    .optional(),
  SMS_GUPSHUP_PASSWORD: z.string().min(1).optional(),
  SMS_SENDER_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{6}$/, 'must be the 6-character DLT sender id (header)')
    .optional(),
  SMS_DLT_ENTITY_ID: z
    .string()
    .regex(/^[0-9]{19}$/, 'must be the 19-digit DLT principal entity id')
    .optional(),
  SMS_DLR_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3600000).default(2000),
  NOTIFY_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86400000).default(900000),
  NOTIFY_POLL_MS: z.coerce.number().int().min(20).max(60000).default(1000),
  NOTIFY_CLAIM_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  NOTIFY_BATCH: z.coerce.number().int().min(1).max(500).default(50),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(20).max(60000).optional(),
  WHATSAPP_INBOX_POLL_MS: z.coerce.number().int().min(20).max(60000).optional(),
  WHATSAPP_INBOX_BATCH: z.coerce.number().int().min(1).max(200).default(32),
  WHATSAPP_INBOX_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(8),
  WHATSAPP_MEDIA_POLL_MS: z.coerce.number().int().min(20).max(60000).optional(),
  NOTIFY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  CONVERSATION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10080).default(60),
  /** How long a helpline message waits for earlier ones WhatsApp may still deliver (0: none). */
  WHATSAPP_REORDER_WINDOW_MS: z.coerce.number().int().min(0).max(10000).default(300),
  /** The bot pauses (before a claim, before each payload of a batch) while this many webhook POSTs wait to be stored (0: never). */
  WHATSAPP_INBOX_GIVE_WAY_AT: z.coerce.number().int().min(0).max(1000).default(2),
  /** …but for at most this long in each batch, so that a flood slows the bot, never stops it. */
  WHATSAPP_INBOX_GIVE_WAY_MAX_MS: z.coerce.number().int().min(0).max(10000).default(1000),
  /** A hand-over nobody on staff answers within this many staffed minutes goes to the administrators (0: never). */
  HANDOVER_ESCALATE_MINUTES: z.coerce.number().int().min(0).max(10080).default(60),
  /** How often unanswered hand-overs are looked for, in seconds (0: never). */
  HANDOVER_WATCH_SECONDS: z.coerce.number().int().min(0).max(86400).default(60),
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
  /** Password Exotel sends (HTTP Basic, user `exotel`) with missed calls; unset: refused. */
  EXOTEL_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CALLBACK_SLA_WORKING_HOURS: z.coerce.number().min(0.25).max(72).default(2),
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
  /** Missed calls from the telephony provider (Exotel) and their callback tasks. */
  telephony: {
    /** The Basic-auth password of Exotel's Passthru calls; null: the webhook refuses all. */
    exotelWebhookSecret: string | null;
    /** Working hours of the ward within which a missed call is returned. */
    callbackSlaWorkingHours: number;
  };
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
    /** Queries run compiled by graphql-jit (compiled-execution.plugin.ts); false: graphql-js. */
    compiledExecution: boolean;
  };
  shutdownTimeoutMs: number;
  /** How often each instance purges expired keys, windows and throttles; 0 turns it off. */
  housekeepingSeconds: number;
  /** Each background worker's poll, batch, lease and concurrency (`src/jobs`), by name. */
  workers: Record<WorkerName, WorkerSettings>;
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
    handOverEscalateMinutes: number;
    reorderWindowMs: number;
    /** Storing webhooks goes first: the bot waits while this many are being stored (0: never)… */
    inboxGiveWayAt: number;
    /** …for at most this long before each batch. */
    inboxGiveWayMaxMs: number;
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
  /** Bearer token Prometheus presents at `/metrics`; unset: the endpoint is off. */
  metrics: { token?: string };
  sms: SmsConfig;
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

/** The SMS channel: the log (default), or Gupshup Enterprise with its DLT registration. */
export type SmsConfig =
  | { provider: 'log' }
  | {
      provider: 'gupshup';
      url: string;
      userId: string;
      password: string;
      /** DLT header the messages go out under (e.g. `BSRMUN`). */
      senderId: string;
      /** DLT principal entity id of the municipality (or its vendor). */
      entityId: string;
      /** Shared secret in the delivery-report callback URL (`?secret=`). */
      dlrSecret: string;
      timeoutMs: number;
    };

/** Gupshup needs every credential and DLT id; a missing one is named at boot. */
function smsConfig(e: z.infer<typeof environmentSchema>): SmsConfig {
  if (e.SMS_PROVIDER === 'log') return { provider: 'log' };
  const required = {
    SMS_GUPSHUP_USER_ID: e.SMS_GUPSHUP_USER_ID,
    SMS_GUPSHUP_PASSWORD: e.SMS_GUPSHUP_PASSWORD,
    SMS_SENDER_ID: e.SMS_SENDER_ID,
    SMS_DLT_ENTITY_ID: e.SMS_DLT_ENTITY_ID,
    SMS_DLR_SECRET: e.SMS_DLR_SECRET,
  };
  const missing = Object.entries(required).filter(([, value]) => !value);
  if (missing.length) {
    throw new ConfigurationError(
      missing.map(([name]) => `${name}: is required when SMS_PROVIDER is gupshup`),
    );
  }
  if (e.NOTIFY_CLAIM_SECONDS * 1000 < 2 * e.SMS_TIMEOUT_MS) {
    throw new ConfigurationError([
      'NOTIFY_CLAIM_SECONDS: must be at least twice SMS_TIMEOUT_MS (a claim outlives its send)',
    ]);
  }
  return {
    provider: 'gupshup',
    url: e.SMS_GUPSHUP_URL,
    userId: e.SMS_GUPSHUP_USER_ID!,
    password: e.SMS_GUPSHUP_PASSWORD!,
    senderId: e.SMS_SENDER_ID!.toUpperCase(),
    entityId: e.SMS_DLT_ENTITY_ID!,
    dlrSecret: e.SMS_DLR_SECRET!,
    timeoutMs: e.SMS_TIMEOUT_MS,
  };
}

/** How one background worker runs (`AppConfig.workers`, one entry per worker; `src/jobs`). */
export interface WorkerSettings {
  /** How often it looks for due work without being woken; 0 turns the worker off. */
  pollMs: number;
  /** Items claimed at most per look. */
  batch: number;
  /** How long a claim belongs to this instance before another may take it (0: none). */
  leaseSeconds: number;
  /** Items worked on at once by this instance. */
  concurrency: number;
}

/** The background workers of an instance (docs/architecture.md, "Background work"). */
export type WorkerName =
  | 'notifications'
  | 'webhooks'
  | 'whatsapp-inbox'
  | 'whatsapp-media'
  | 'whatsapp-late-statuses'
  | 'sla-sweep'
  | 'daily-digest'
  | 'housekeeping'
  | 'hand-over-watch'
  | 'callback-escalation'
  | 'announcements'
  | 'helpline-escalation';

/** The digest looks at least this often whether its Indian day has come. */
const DIGEST_CHECK_SECONDS = 300;
/** How long a claimed media look-up belongs to its instance. */
const MEDIA_LEASE_SECONDS = 120;
/** Unmatched WhatsApp statuses looked at per step. */
const LATE_STATUS_BATCH = 50;

/**
 * One entry per worker. The queues poll at `NOTIFY_POLL_MS` unless their own variable says
 * otherwise; the singletons (sweep, digest, housekeeping) run one step at a time under an
 * advisory lock or a `job_runs` claim, so their batch and concurrency are 1.
 */
function workerSettings(e: z.infer<typeof environmentSchema>): Record<WorkerName, WorkerSettings> {
  const singleton = (pollMs: number): WorkerSettings => ({
    pollMs,
    batch: 1,
    leaseSeconds: 0,
    concurrency: 1,
  });
  return {
    notifications: {
      pollMs: e.NOTIFY_POLL_MS,
      batch: e.NOTIFY_BATCH,
      leaseSeconds: e.NOTIFY_CLAIM_SECONDS,
      concurrency: e.NOTIFY_BATCH,
    },
    webhooks: {
      pollMs: e.WEBHOOK_POLL_MS ?? e.NOTIFY_POLL_MS,
      batch: e.WEBHOOK_CONCURRENCY,
      leaseSeconds: e.WEBHOOK_CLAIM_SECONDS,
      concurrency: e.WEBHOOK_CONCURRENCY,
    },
    // A batch of payloads (each the oldest of its sender) per step, in one claiming
    // transaction whose row locks are the lease; worked on a few at a time.
    'whatsapp-inbox': {
      ...singleton(e.WHATSAPP_INBOX_POLL_MS ?? e.NOTIFY_POLL_MS),
      batch: e.WHATSAPP_INBOX_BATCH,
      concurrency: Math.min(e.WHATSAPP_INBOX_CONCURRENCY, e.WHATSAPP_INBOX_BATCH),
    },
    // One look-up per step; its claim (a committed lease) outlives the Graph API call.
    'whatsapp-media': {
      ...singleton(e.WHATSAPP_MEDIA_POLL_MS ?? e.NOTIFY_POLL_MS),
      leaseSeconds: MEDIA_LEASE_SECONDS,
    },
    'whatsapp-late-statuses': {
      ...singleton(e.WHATSAPP_INBOX_POLL_MS ?? e.NOTIFY_POLL_MS),
      batch: LATE_STATUS_BATCH,
    },
    'sla-sweep': singleton(e.SLA_SWEEP_SECONDS * 1000),
    'daily-digest': singleton(
      e.SLA_SWEEP_SECONDS > 0 ? Math.min(e.SLA_SWEEP_SECONDS, DIGEST_CHECK_SECONDS) * 1000 : 0,
    ),
    housekeeping: singleton(e.HOUSEKEEPING_SECONDS * 1000),
    'callback-escalation': singleton(e.SLA_SWEEP_SECONDS * 1000),
    announcements: singleton(e.ANNOUNCE_POLL_MS),
    'helpline-escalation': singleton(e.HELPLINE_SWEEP_SECONDS * 1000),
    'hand-over-watch': singleton(
      e.HANDOVER_ESCALATE_MINUTES > 0 ? e.HANDOVER_WATCH_SECONDS * 1000 : 0,
    ),
  };
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
  // The inbox holds its claim's connection while its groups each take one; the dispatcher,
  // the media look-ups and the sweeps need at least one more. With fewer the workers starved
  // each other: at WHATSAPP_INBOX_CONCURRENCY=8 on a pool of 8, every payload
  // failed on "timeout exceeded when trying to connect" and the helpline stopped answering.
  const inboxConnections = Math.min(e.WHATSAPP_INBOX_CONCURRENCY, e.WHATSAPP_INBOX_BATCH) + 2;
  if (e.DATABASE_WORKER_POOL_SIZE < inboxConnections) {
    throw new ConfigurationError([
      `DATABASE_WORKER_POOL_SIZE: must be at least WHATSAPP_INBOX_CONCURRENCY + 2 (${inboxConnections}): ` +
        'the inbox holds its claim and a connection for each payload it works on, and the other workers need one',
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
      compiledExecution: e.GRAPHQL_COMPILED_EXECUTION ?? true,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    housekeepingSeconds: e.HOUSEKEEPING_SECONDS,
    workers: workerSettings(e),
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
      handOverEscalateMinutes: e.HANDOVER_ESCALATE_MINUTES,
      reorderWindowMs: e.WHATSAPP_REORDER_WINDOW_MS,
      inboxGiveWayAt: e.WHATSAPP_INBOX_GIVE_WAY_AT,
      inboxGiveWayMaxMs: e.WHATSAPP_INBOX_GIVE_WAY_MAX_MS,
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
    telephony: {
      exotelWebhookSecret: e.EXOTEL_WEBHOOK_SECRET ?? null,
      callbackSlaWorkingHours: e.CALLBACK_SLA_WORKING_HOURS,
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
    metrics: { token: e.METRICS_TOKEN },
    sms: smsConfig(e),
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
