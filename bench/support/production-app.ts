/**
 * The production entry (`src/main.js` as compiled into dist/bench) as a child process on a
 * free port, pinned to CPU 0, with the benchmarks' settings and the fake Graph API.
 */
import { join } from 'node:path';
import { findFreePort } from '../../src/database/embedded-postgres.launcher';
import { BENCH_WHATSAPP_TOKEN, benchAppEnv, signingKeyIn } from './app-env';
import { ServerProcess, startNodeServer } from './processes';

export async function startProductionApp(options: {
  databaseUrl: string;
  /** The kept data directory (its signing key). */
  dataDir: string;
  graphUrl: string;
  logFile: string;
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const port = await findFreePort();
  return startNodeServer({
    args: [...(options.nodeArgs ?? []), join(__dirname, '..', '..', 'src', 'main.js')],
    env: benchAppEnv(options.databaseUrl, {
      PORT: String(port),
      HOST: '127.0.0.1',
      CERTIFICATE_SIGNING_KEY: signingKeyIn(options.dataDir),
      WHATSAPP_ACCESS_TOKEN: BENCH_WHATSAPP_TOKEN,
      WHATSAPP_API_BASE_URL: options.graphUrl,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...appSettingsFromEnvironment(),
    }),
    url: `http://127.0.0.1:${port}`,
    readyPath: '/health/ready',
    cpus: '0',
    logFile: options.logFile,
  });
}

/** `BENCH_APP_<NAME>=value` in the benchmark's environment sets `<NAME>` for the app. */
export function appSettingsFromEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([name, value]) => name.startsWith('BENCH_APP_') && value !== undefined)
      .map(([name, value]) => [name.slice('BENCH_APP_'.length), value as string]),
  );
}
