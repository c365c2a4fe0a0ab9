import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { graphqlClient } from '../../../bench/support/graphql';

/** What `npm start` runs after `npm run build` (which also builds the console). */
const MAIN = resolve(__dirname, '../../../dist/src/main.js');

export interface AppUnderTest {
  url: string;
  /** The app's own database, for fixtures the API has no operation for (time, helpline). */
  pool: Pool;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * A fresh database: on TEST_DATABASE_URL's server when set (as `npm test` uses it), else the
 * app's own embedded PostgreSQL in a temporary folder (as a newcomer's `npm start` does).
 * The app migrates it and loads the demo data itself.
 */
async function database(): Promise<{
  env: Record<string, string>;
  url: string;
  drop(): Promise<void>;
}> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const port = await freePort();
    return {
      env: {
        EMBEDDED_PG_DIR: mkdtempSync(join(tmpdir(), 'duare-console-pg-')),
        EMBEDDED_PG_PORT: String(port),
      },
      url: `postgres://postgres:postgres@127.0.0.1:${port}/duare`,
      drop: async () => undefined,
    };
  }
  const name = `duare_console_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Starts `node dist/src/main.js` and resolves once its banner names the console. */
export async function startAppUnderTest(env: Record<string, string>): Promise<AppUnderTest> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\``);
  const db = await database();
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      FILES_DIR: mkdtempSync(join(tmpdir(), 'duare-console-files-')),
      NOTIFY_POLL_MS: '200',
      ...db.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no banner in time:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const console = /Console:\s+(http:\/\/\S+)\//.exec(output);
      const health = /Health:\s+(http:\/\/\S+)\/health\/ready/.exec(output);
      if (console && health) {
        clearTimeout(timer);
        done(health[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => fail(new Error(`exited (${code}) before serving:\n${output}`)));
  });
  const pool = new Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    output: () => output,
    stop: async () => {
      await pool.end();
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
      await db.drop();
    },
  };
}

/**
 * A GraphQL call as a staff member (or anonymously), the way any API client makes it; throws
 * on any error or refusal, so a fixture never goes on silently wrong.
 */
export function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<any> {
  return graphqlClient(url, token ?? null)(query, variables);
}
