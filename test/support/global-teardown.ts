import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { ADMIN_URL_VAR, TEMPLATE_VAR } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[ADMIN_URL_VAR];
  const template = process.env[TEMPLATE_VAR];
  if (adminUrl && template) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  const embedded = globalThis.__DUARE_TEST_PG__;
  if (embedded) {
    await embedded.stop();
    rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}
