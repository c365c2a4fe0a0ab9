import { Client } from 'pg';
import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const UPDATE_WARD = `mutation ($input: UpdateWardInput!) {
  updateWard(input: $input) { ward { nameEn version } errors { code field message } }
}`;

/**
 * Runaway operations: the app's connections carry `statement_timeout` and `lock_timeout`
 * (GRAPHQL_OPERATION_TIMEOUT_MS). A lock held by another session makes an operation wait
 * deterministically, longer than the limit.
 */
describe('the time limit of an operation (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let wardId: string;
  let holder: Client;

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_OPERATION_TIMEOUT_MS: '300' });
    const municipalityId = await seedMunicipality(t);
    [wardId] = await insertWards(t, municipalityId, 1);
    admin = await staffClient(t, municipalityId, 'bsr.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
    holder = new Client({ connectionString: t.db.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await t.close();
  });

  async function wardRow() {
    const { rows } = await t.db.pool.query('SELECT name_en, version FROM wards WHERE id = $1', [
      wardId,
    ]);
    return rows[0] as { name_en: string; version: number };
  }

  async function auditEntries(): Promise<number> {
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1`,
      [wardId],
    );
    return rows[0].n;
  }

  it('stops a mutation stuck behind a row lock with a clean, retryable TIMEOUT and writes nothing', async () => {
    const before = await wardRow();
    const auditBefore = await auditEntries();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM wards WHERE id = $1 FOR UPDATE', [wardId]);
    let res;
    try {
      res = await admin(UPDATE_WARD, {
        input: { id: wardId, version: before.version, nameEn: 'Renamed' },
      });
    } finally {
      await holder.query('ROLLBACK');
    }
    expect(res.data?.updateWard ?? null).toBeNull();
    expect(res.errors).toEqual([
      {
        message: expect.stringMatching(/longer than allowed/),
        path: ['updateWard'],
        extensions: { code: 'TIMEOUT', retryable: true },
      },
    ]);
    expect(JSON.stringify(res)).not.toMatch(/lock|statement|SQL|wards/i);
    expect(await wardRow()).toEqual(before);
    expect(await auditEntries()).toBe(auditBefore);

    // Once the lock is gone, the same call goes through.
    const retry = await admin(UPDATE_WARD, {
      input: { id: wardId, version: before.version, nameEn: 'Renamed' },
    });
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.updateWard).toMatchObject({
      ward: { nameEn: 'Renamed', version: before.version + 1 },
      errors: [],
    });
    expect(await auditEntries()).toBe(auditBefore + 1);
  });

  it('stops a read waiting on a locked table the same way', async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE wards IN ACCESS EXCLUSIVE MODE');
    let res;
    try {
      res = await admin(`{ wards { totalCount } }`);
    } finally {
      await holder.query('ROLLBACK');
    }
    expect(res.errors?.[0].extensions).toEqual({ code: 'TIMEOUT', retryable: true });
    expect((await admin(`{ wards { totalCount } }`)).data?.wards.totalCount).toBe(1);
  });
});
