import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { AppModule } from '../app.module';
import { createLogger, PinoNestLogger } from '../common/logging/logger';
import { AppConfig, ConfigurationError, loadConfig } from '../config/app-config';
import { DatabaseRuntime, openDatabase } from '../database/database-runtime';
import { runMigrations } from '../database/migration-runner';
import { CliError, CliIo, ExitCode } from './cli-command';

/**
 * The configuration the app would run with, for a command: the same variables, validated
 * the same way, but no demo data, no timers of its own (SLA sweep, housekeeping) and only
 * errors logged (to standard error, so that standard output stays the command's answer).
 */
export function loadCliConfig(io: CliIo): AppConfig {
  try {
    return loadConfig({
      ...io.env,
      DEMO_DATA: 'false',
      SLA_SWEEP_SECONDS: '0',
      HOUSEKEEPING_SECONDS: '0',
      LOG_LEVEL: 'error',
    });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new CliError(error.message, ExitCode.ENVIRONMENT);
    }
    throw error;
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '3D000', // database does not exist
  '28P01', // password authentication failed
  '28000', // no pg_hba.conf entry / role does not exist
]);

/** A database that cannot be reached is the environment's fault, not the command's. */
export function asEnvironmentError(error: unknown, where: string): unknown {
  const code = (error as { code?: string } | null)?.code;
  const message = (error as Error | null)?.message ?? String(error);
  if (
    (code && UNREACHABLE.has(code)) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  ) {
    return new CliError(`Cannot reach the database (${where}): ${message}`, ExitCode.ENVIRONMENT);
  }
  return error;
}

export function describeDatabase(config: AppConfig): string {
  if (!config.database.url) return `embedded PostgreSQL in ${config.database.embedded.dataDir}`;
  const url = new URL(config.database.url);
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** The configured database (DATABASE_URL, or the embedded one), migrated. */
export async function withMigratedDatabase<T>(
  config: AppConfig,
  work: (database: DatabaseRuntime) => Promise<T>,
): Promise<T> {
  let database: DatabaseRuntime;
  try {
    database = await openDatabase(config);
  } catch (error) {
    throw asEnvironmentError(error, describeDatabase(config));
  }
  try {
    try {
      await runMigrations(database.url);
    } catch (error) {
      throw asEnvironmentError(error, describeDatabase(config));
    }
    return await work(database);
  } finally {
    await database.stop();
  }
}

/**
 * The application's services over the migrated database, for a command to call. The
 * application is built but not initialised: no lifecycle hook runs, so none of the
 * background workers (notification dispatcher, WhatsApp inbox, webhook deliveries, timers)
 * starts in the command's process. A command must not send the deployment's queued messages
 * with whatever environment the operator's shell has. The services commands call (municipality,
 * ward, account creation, resident import) record no domain events, so the reactors that
 * hooks would register are not needed.
 */
export async function withCliApp<T>(
  config: AppConfig,
  work: (app: NestFastifyApplication) => Promise<T>,
): Promise<T> {
  return withMigratedDatabase(config, async (database) => {
    const logger = createLogger('error', pino.destination(2));
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ config, logger, databaseUrl: database.url }),
      new FastifyAdapter({ loggerInstance: logger }),
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  });
}
