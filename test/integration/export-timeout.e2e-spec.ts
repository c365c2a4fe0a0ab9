import { request as httpRequest } from 'node:http';
import { StaffRole } from '../../src/common/access/staff-role';
import { as, insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ROWS = 30_000;

/**
 * A CSV export is one database cursor from the first row to the last; it must outlive the
 * pool's statement timeout (GRAPHQL_OPERATION_TIMEOUT_MS, tiny here) however slowly the
 * client reads, while API operations stay limited by it.
 */
describe('an export outlives the operation timeout (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_OPERATION_TIMEOUT_MS: '300' });
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    token = (await signIn(t, 'bsr.admin')).accessToken;
    const resident = await createResident(as(t, token), ward, 'রহিম শেখ');
    await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id, service_type_id,
         definition_version, category, channel, attributes, sla_due_at, status, created_at)
       SELECT $1, $2, 'BSR-T-' || n, $3, $4, 1, 'COMPLAINT', 'API', '{}', now(), 'SUBMITTED',
              now() - n * interval '1 second'
       FROM generate_series(1, $5::int) AS n`,
      [bsr, ward, resident, types.GARBAGE, ROWS],
    );
  });
  afterAll(() => t.close());

  it('streams every row to a client that pauses for longer than the timeout', async () => {
    const { lines, paused } = await new Promise<{ lines: number; paused: boolean }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${t.url}/exports/requests.csv`,
          { headers: { authorization: `Bearer ${token}` } },
          (res) => {
            let lines = 0;
            let paused = false;
            res.on('data', (chunk: Buffer) => {
              for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
                lines += 1;
              }
              if (!paused) {
                // Stop reading after the first chunk: the server's cursor waits meanwhile.
                paused = true;
                res.pause();
                setTimeout(() => res.resume(), 1500);
              }
            });
            res.on('end', () => resolve({ lines, paused }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(paused).toBe(true);
    expect(lines).toBe(ROWS + 1); // the header and every row
  });

  it('while an API operation is still limited by it', async () => {
    const holder = await t.db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE service_requests IN ACCESS EXCLUSIVE MODE');
      const res = await t.gql(`{ requests { totalCount } }`, undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(res.errors?.[0].extensions).toEqual({ code: 'TIMEOUT', retryable: true });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });
});
