// First: tracing (when configured) must patch pg, graphql and http before they load.
import { stopTracing } from './tracing/start';
import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'pino';
import { createApp } from './app.factory';
import { createLogger, wantsPrettyLogs } from './common/logging/logger';
import { AppConfig, ConfigurationError, loadConfig } from './config/app-config';
import { DatabaseRuntime, openDatabase } from './database/database-runtime';
import { runMigrations } from './database/migration-runner';
import { DemoDataService } from './demo/demo-data.service';
import { NotificationDispatcherService } from './notifications/notification-dispatcher.service';
import { printBanner } from './startup-banner';
import { consoleIsBuilt } from './console/console-static';
import { limitHeapGrowth } from './common/runtime/heap-growth';

async function main(): Promise<void> {
  limitHeapGrowth();
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel, undefined, {
    pretty: wantsPrettyLogs(config.env, process.stdout.isTTY),
  });
  const database = await openDatabase(config, (line) => logger.debug({ postgres: line.trim() }));
  let app: NestFastifyApplication | undefined;
  try {
    const applied = await runMigrations(database.url);
    logger.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
    app = await createApp({ config, logger, databaseUrl: database.url });
    const seeded = config.demoData ? await app.get(DemoDataService).seedIfEmpty() : false;
    // The demo's messages are logged as they are sent: let them out before the banner, so
    // the banner is the last thing on a developer's screen.
    if (seeded) await app.get(NotificationDispatcherService).kick();
    await app.listen({ host: config.http.host, port: config.http.port });
    printBanner({
      config,
      embedded: database.embedded,
      seeded,
      address: await app.getUrl(),
      consoleBuilt: consoleIsBuilt(),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await app?.close().catch(() => undefined);
    await database.stop();
    process.exit(1);
  }
  stopOnSignals(app, database, config, logger);
}

function readConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/**
 * SIGINT/SIGTERM: stop taking requests, let in-flight ones finish, then stop the embedded
 * database. A second signal or the timeout ends the process at once.
 */
function stopOnSignals(
  app: NestFastifyApplication,
  database: DatabaseRuntime,
  config: AppConfig,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await app.close().catch((err) => logger.error({ err }, 'error while closing the app'));
    await database.stop().catch((err) => logger.error({ err }, 'error stopping PostgreSQL'));
    if (stopTracing) {
      await stopTracing().catch((err) => logger.warn({ err }, 'could not flush the last traces'));
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

void main();
