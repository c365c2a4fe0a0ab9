import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.launcher';
import { runMigrations } from '../../src/database/migration-runner';
import { ADMIN_URL_VAR, databaseUrl, TEMPLATE_VAR } from './test-env';

declare global {
  var __DUARE_TEST_PG__: { stop(): Promise<void>; dataDir: string } | undefined;
}

/**
 * Once per `npm test`: a PostgreSQL server (TEST_DATABASE_URL, or an embedded one) and a
 * migrated template database that every test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = join(
      tmpdir(),
      `duare-test-pg-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    const server = await startEmbeddedPostgres({ dataDir, port: 0, databaseName: 'postgres' });
    globalThis.__DUARE_TEST_PG__ = { stop: server.stop, dataDir };
    adminUrl = server.adminUrl;
  }
  const template = `duare_template_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(adminUrl, template));
  process.env[ADMIN_URL_VAR] = adminUrl;
  process.env[TEMPLATE_VAR] = template;
}
