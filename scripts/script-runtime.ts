import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app.factory';
import { createLogger } from '../src/common/logging/logger';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { DatabaseRuntime, openDatabase } from '../src/database/database-runtime';
import { runMigrations } from '../src/database/migration-runner';

export interface ScriptContext {
  config: AppConfig;
  database: DatabaseRuntime;
}

/**
 * Runs a maintenance script against the configured database (DATABASE_URL or the
 * embedded one in EMBEDDED_PG_DIR), or against a throwaway embedded one.
 */
export async function withDatabase<T>(
  throwaway: boolean,
  work: (context: ScriptContext) => Promise<T>,
): Promise<T> {
  const scratch = throwaway ? mkdtempSync(join(tmpdir(), 'duare-script-')) : null;
  // Run as root, PostgreSQL runs as the `postgres` user, which must reach its data dir.
  if (scratch) chmodSync(scratch, 0o755);
  const env = scratch
    ? { ...process.env, DATABASE_URL: undefined, EMBEDDED_PG_DIR: join(scratch, 'pg') }
    : process.env;
  const config = loadConfig({ ...env, DEMO_DATA: 'false', LOG_LEVEL: 'warn' });
  const database = await openDatabase(config);
  try {
    return await work({ config, database });
  } finally {
    await database.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** The full application, initialised over a migrated database, not listening. */
export async function withApp<T>(
  context: ScriptContext,
  work: (app: NestFastifyApplication) => Promise<T>,
): Promise<T> {
  await runMigrations(context.database.url);
  const app = await createApp({
    config: context.config,
    logger: createLogger('warn'),
    databaseUrl: context.database.url,
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
