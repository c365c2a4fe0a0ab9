import { DataSource } from 'typeorm';
import { revertLastMigration, runMigrations } from '../../src/database/migration-runner';
import { MIGRATIONS } from '../../src/database/migrations';
import { schemaDrift } from '../../src/database/schema-drift';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

describe('migrations (e2e)', () => {
  it('leave nothing for the entities to change (migrations and entities agree)', async () => {
    const t = await startTestApp();
    try {
      expect((await schemaDrift(t.app.get(DataSource))).up).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('revert all the way down and apply again', async () => {
    const db = await createTestDatabase();
    try {
      for (let i = 0; i < MIGRATIONS.length; i += 1) await revertLastMigration(db.url);
      const tables = async () =>
        (
          await db.pool.query(
            `SELECT table_name FROM information_schema.tables
             WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
          )
        ).rows.map((r) => r.table_name);
      expect(await tables()).toEqual([]);
      const applied = await runMigrations(db.url);
      expect(applied).toHaveLength(MIGRATIONS.length);
      expect(await tables()).toContain('wards');
    } finally {
      await db.drop();
    }
  });

  it('apply once when several instances start together', async () => {
    const db = await createTestDatabase();
    try {
      for (let i = 0; i < MIGRATIONS.length; i += 1) await revertLastMigration(db.url);
      const runs = await Promise.all([
        runMigrations(db.url),
        runMigrations(db.url),
        runMigrations(db.url),
      ]);
      expect(runs.map((applied) => applied.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    } finally {
      await db.drop();
    }
  });
});
