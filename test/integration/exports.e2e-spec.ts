import { parse } from 'csv-parse/sync';
import { StaffRole } from '../../src/common/access/staff-role';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  signIn,
  staffClient,
} from '../support/fixtures';
import { createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('CSV exports (e2e)', () => {
  let t: TestApp;
  let ward5: string;
  let ward6: string;
  let adminToken: string;
  let coordinatorToken: string;
  let scopedKey: string;

  const download = (path: string, token: string | null) =>
    fetch(`${t.url}/exports/${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const rowsOf = async (response: Response) => {
    const bytes = Buffer.from(await response.arrayBuffer());
    // A UTF-8 byte-order mark, so spreadsheet programs read the Bengali right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parse(bytes.subarray(3).toString('utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    const types = await seedCatalogue(t, bsr);
    const admin: GraphQL = await staffClient(t, bsr, 'bsr.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
    adminToken = (await signIn(t, 'bsr.admin')).accessToken;
    await staffClient(t, bsr, 'coord.5', [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }]);
    coordinatorToken = (await signIn(t, 'coord.5')).accessToken;
    scopedKey = (
      await admin(
        `mutation ($w: [ID!]) { createApiClient(input: { name: "ward 6 dashboard", scopes: [REQUESTS_READ], wardIds: $w }) { apiKey } }`,
        { w: [ward6] },
      )
    ).data?.createApiClient.apiKey;
    const resident = await createResident(as(t, adminToken), ward5, 'রহিম শেখ');
    // 6,000 requests over two wards and two Indian days, written straight in SQL.
    await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id, service_type_id,
         definition_version, category, channel, attributes, sla_due_at, status, created_at)
       SELECT $1, CASE WHEN n % 3 = 0 THEN $3 ELSE $2 END::uuid, 'BSR-X-' || n, $4, $5, 1, 'COMPLAINT', 'API', '{}',
              now(), CASE WHEN n % 2 = 0 THEN 'CLOSED' ELSE 'SUBMITTED' END::request_status,
              CASE WHEN n <= 3000 THEN timestamptz '2026-11-26 18:29:00+00' ELSE timestamptz '2026-11-26 18:31:00+00' END
       FROM generate_series(1, 6000) AS n`,
      [bsr, ward5, ward6, resident, types.GARBAGE],
    );
  });
  afterAll(() => t.close());

  it('streams every matching request as CSV, with Indian-day periods and filters', async () => {
    const all = await download('requests.csv', adminToken);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = await rowsOf(all);
    expect(rows).toHaveLength(6000);
    expect(Object.keys(rows[0])).toEqual([
      'tracking_number',
      'ward_number',
      'service_code',
      'category',
      'channel',
      'status',
      'priority',
      'created_at',
      'sla_due_at',
      'completed_at',
      'resident_id',
      'request_id',
    ]);
    expect(rows[0]).toMatchObject({
      service_code: 'GARBAGE',
      created_at: '2026-11-26T18:29:00.000Z',
    });
    // 18:29 UTC is 23:59 on the 26th in India; 18:31 UTC is 00:01 on the 27th.
    expect(
      await rowsOf(await download('requests.csv?from=2026-11-27&to=2026-11-27', adminToken)),
    ).toHaveLength(3000);
    expect(await rowsOf(await download('requests.csv?to=2026-11-26', adminToken))).toHaveLength(
      3000,
    );
    expect(
      await rowsOf(await download(`requests.csv?wardId=${ward6}&status=CLOSED`, adminToken)),
    ).toHaveLength(1000);
    // No names in an export.
    expect(JSON.stringify(rows.slice(0, 50))).not.toContain('রহিম');
  });

  it('keeps coordinators and scoped API keys to their wards', async () => {
    const coordinator = await rowsOf(await download('requests.csv', coordinatorToken));
    expect(coordinator).toHaveLength(4000);
    expect(new Set(coordinator.map((r) => r.ward_number))).toEqual(new Set(['5']));
    const scoped = await rowsOf(await download('requests.csv', scopedKey));
    expect(scoped).toHaveLength(2000);
    expect(
      await rowsOf(await download(`requests.csv?wardId=${ward6}`, coordinatorToken)),
    ).toHaveLength(0);
  });

  it('answers bad requests clearly', async () => {
    expect((await download('requests.csv', null)).status).toBe(401);
    expect((await download('certificates.csv', scopedKey)).status).toBe(403);
    expect((await download('residents.csv', adminToken)).status).toBe(404);
    const badDate = await download('requests.csv?from=27-11-2026', adminToken);
    expect(badDate.status).toBe(400);
    expect(await badDate.json()).toMatchObject({
      error: { code: 'BAD_USER_INPUT', field: 'from' },
    });
    expect((await download('requests.csv?status=DONE', adminToken)).status).toBe(400);
    expect((await download('requests.csv?wardId=5', adminToken)).status).toBe(400);
    const certificates = await download('certificates.csv', adminToken);
    expect(certificates.status).toBe(200);
    expect(await rowsOf(certificates)).toEqual([]);
  });
});
