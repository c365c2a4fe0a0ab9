import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { ADMIN_URL_VAR, databaseUrl } from '../support/test-env';
import { TestDatabase } from '../support/test-database';

/** What an operator runs in production: `node dist/cli.js` (npm test builds first). */
export const CLI = resolve(__dirname, '../../dist/cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as its own process with only PATH and the given variables. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  stdin = '',
  cli = CLI,
): Promise<CliRun> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\``);
  const child = spawn(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  child.stdin.on('error', () => undefined); // the command may exit before reading
  child.stdin.end(stdin);
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

/**
 * A database with nothing in it, not even the schema: what an operator starts from. (The
 * other test databases are clones of a migrated template.)
 */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_VAR];
  if (!adminUrl) throw new Error(`${ADMIN_URL_VAR} is unset: run the tests with jest`);
  const name = `duare_test_empty_${randomBytes(6).toString('hex')}`;
  const withAdmin = async (sql: string) => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await withAdmin(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(adminUrl, name);
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end();
      await withAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export const ADMIN_PASSWORD = 'a strong admin passphrase';

export function signingKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  }) as string;
}

/** Everything production asks for, with invented values. */
export function productionEnv(url: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: url,
    JWT_SECRET: randomBytes(48).toString('base64'),
    PUBLIC_BASE_URL: 'https://duare.example.org',
    CERTIFICATE_SIGNING_KEY: signingKeyPem(),
    CERTIFICATE_KEY_ID: 'bsr-1',
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WHATSAPP_ACCESS_TOKEN: 'test-token',
    WHATSAPP_APP_SECRET: 'test-app-secret',
    WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
  };
}

export const BOOTSTRAP_BSR = [
  'bootstrap',
  '--municipality',
  'BSR',
  '--name-en',
  'Basirhat Municipality',
  '--name-bn',
  'বসিরহাট পৌরসভা',
  '--district',
  'North 24 Parganas',
  '--wards',
  '২৩',
  '--vacant-wards',
  '৫',
  '--admin-username',
  'First.Admin',
  '--admin-display-name',
  'First Admin',
];

/** A scratch folder for one test file's CLI runs, made before its tests and removed after. */
export function scratchFolder(): { path: string } {
  const folder = { path: '' };
  beforeAll(() => {
    folder.path = mkdtempSync(join(tmpdir(), 'duare-cli-test-'));
  });
  afterAll(() => rmSync(folder.path, { recursive: true, force: true }));
  return folder;
}

/** The number of rows in a table of a test database. */
export async function countRows(db: TestDatabase, table: string): Promise<number> {
  return (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
}
