/**
 * The application's settings in every benchmark: production mode, limits raised so that
 * they are never what is measured, background pollers slowed down.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_JWT_SECRET = 'bench-secret-that-is-at-least-32-characters';
export const BENCH_APP_SECRET = 'bench-app-secret-for-webhooks';
export const BENCH_WHATSAPP_TOKEN = 'bench-access-token';
export const BENCH_PASSWORD = 'bench password that is long enough';
/** The metrics endpoint's token: the soak reads the server's heap from it. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token';

/** An Ed25519 signing key kept in `dir` (made on first use), so certificates stay verifiable. */
export function signingKeyIn(dir: string): string {
  const file = join(dir, 'bench-signing-key.pem');
  if (!existsSync(file)) {
    const pem = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    writeFileSync(file, pem, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}

/** Environment of the application under benchmark (on top of `extra`). */
export function benchAppEnv(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: BENCH_JWT_SECRET,
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    // Off: it would record breaches for the overdue requests during the measurements.
    SLA_SWEEP_SECONDS: '0',
    // The pollers are still woken by NOTIFY; otherwise once a minute.
    NOTIFY_POLL_MS: '60000',
    // The budgets are still counted (an upsert a request) but never run out.
    API_RATE_PER_MINUTE: '1000000',
    VERIFY_RATE_PER_MINUTE: '100000',
    WHATSAPP_APP_SECRET: BENCH_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    WHATSAPP_RATE_PER_SECOND: '1000',
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    ...extra,
  };
}
