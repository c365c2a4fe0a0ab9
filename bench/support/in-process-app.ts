/**
 * The real application in the benchmark's own process (for benchmarks that measure that
 * process's memory or call its services): the settings of `benchAppEnv`, logs discarded,
 * listening on a random loopback port.
 */
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { createLogger } from '../../src/common/logging/logger';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { benchAppEnv } from './app-env';

export interface InProcessApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
}

/** Starts the application on `databaseUrl` (migrated) with `extra` settings on top. */
export async function startInProcessApp(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Promise<InProcessApp> {
  const config = loadConfig(benchAppEnv(databaseUrl, extra));
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await createApp({
    config,
    logger: createLogger(config.logLevel, quiet),
    databaseUrl,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: await app.getUrl(), config };
}
