import { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from './embedded-postgres.launcher';

export interface DatabaseRuntime {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE_NAME = 'duare';

/** The configured external PostgreSQL, or an embedded one started here. */
export async function openDatabase(
  config: AppConfig,
  onLog?: (message: string) => void,
): Promise<DatabaseRuntime> {
  if (config.database.url) {
    return { url: config.database.url, embedded: false, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.database.embedded.dataDir,
    port: config.database.embedded.port,
    databaseName: EMBEDDED_DATABASE_NAME,
    onLog,
  });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
