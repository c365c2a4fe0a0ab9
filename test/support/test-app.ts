import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { createLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/app-config';
import { QueryCounter } from '../../src/database/query-counter';
import { createTestDatabase, TestDatabase } from './test-database';

/** Tests sign tokens of their own (expired, forged) with it. */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  db: TestDatabase;
  queries: QueryCounter;
  /** Statements of the background workers' pool (inbox, dispatcher). */
  workerQueries: QueryCounter;
  /** Every log line the app wrote, as text. */
  logs: string[];
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/** GraphQL over HTTP with `fetch` to the app at `url` (in this process or another). */
export function graphqlAt(url: string): TestApp['gql'] {
  return async (query, variables, headers = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
    return { status: response.status, ...body } as GraphQLResponse<any>;
  };
}

/** The real application on a random loopback port, over its own fresh database. */
export async function startTestApp(
  env: Record<string, string> = {},
  /** Another app's database, to restart "the same deployment"; it is not dropped on close. */
  existing?: TestDatabase,
): Promise<TestApp> {
  const db = existing ?? (await createTestDatabase());
  // Files residents and staff send are kept on disk: each app gets a folder of its own.
  const filesDir = await mkdtemp(join(tmpdir(), 'duare-test-files-'));
  const config = loadConfig({
    FILES_DIR: filesDir,
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DEMO_DATA: 'false',
    DATABASE_POOL_SIZE: '4',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    // Background dispatchers wake on NOTIFY; tests that need more call `kick()`.
    NOTIFY_POLL_MS: '60000',
    // Tests run sweeps themselves, with their own clock.
    SLA_SWEEP_SECONDS: '0',
    HELPLINE_SWEEP_SECONDS: '0',
    HOUSEKEEPING_SECONDS: '0',
    HANDOVER_WATCH_SECONDS: '0',
    // Messages are handled at once; the reordering window has its own test.
    WHATSAPP_REORDER_WINDOW_MS: '0',
    // Tests make many calls as one account; the budget has its own test.
    API_RATE_PER_MINUTE: '1000000',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const queries = new QueryCounter();
  const workerQueries = new QueryCounter();
  const app = await createApp({
    config,
    logger: createLogger(config.logLevel, sink),
    databaseUrl: db.url,
    queryCounter: queries,
    workerQueryCounter: workerQueries,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = await app.getUrl();
  return {
    app,
    url,
    db,
    queries,
    workerQueries,
    logs,
    gql: graphqlAt(url),
    async close(options: { keepDatabase?: boolean } = {}) {
      await app.close();
      if (!existing && !options.keepDatabase) await db.drop();
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}
