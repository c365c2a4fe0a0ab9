import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { ADMIN_URL_VAR, databaseUrl, TEMPLATE_VAR } from './test-env';

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool for the test's own SQL assertions and fixtures. */
  pool: Pool;
  drop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run the tests with jest (npm test)`);
  return value;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: required(ADMIN_URL_VAR) });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database cloned from the migrated template: no rows from any other test. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `duare_test_${randomBytes(6).toString('hex')}`;
  const template = required(TEMPLATE_VAR);
  await withAdmin(async (admin) => {
    // Two clones starting at the same instant can collide on the template; retry briefly.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  const url = databaseUrl(required(ADMIN_URL_VAR), name);
  const pool = new Pool({ connectionString: url, max: 2 });
  // An idle client whose connection the server ends (a restart, a forced drop) must not
  // crash the whole test file with an unhandled 'error'; a query in progress still fails.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
