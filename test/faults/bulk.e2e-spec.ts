/**
 * Fault injection, bulk endpoints and the connection budget (issue 30 items 5, 6 and the
 * CSV parts of 9): uploads that are huge, have huge fields, dribble in or never finish;
 * exports that are never read or come in a crowd. The pool here has 4 connections: the
 * service keeps answering everyone else throughout.
 */
import { request as httpRequest, ClientRequest } from 'node:http';
import { StaffRole } from '../../src/common/access/staff-role';
import { as, insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const HEADER = 'ward_number,full_name,phone,whatsapp_id\n';

describe('faults: bulk endpoints', () => {
  let t: TestApp;
  let token: string;

  const post = async (body: string | Buffer) => {
    const response = await fetch(`${t.url}/imports/residents`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** A request whose body starts and then stalls; resolves with how it ended. */
  const stalled = (path: string, headers: Record<string, string>, first: string) => {
    let req!: ClientRequest;
    const ended = new Promise<{ status?: number; error?: string }>((resolve) => {
      req = httpRequest(`${t.url}${path}`, { method: 'POST', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      });
      req.on('error', (error) => resolve({ error: error.message }));
    });
    const sent = new Promise<void>((resolve) => req.write(first, () => resolve()));
    return { req, ended, sent };
  };
  const connections = () =>
    new Promise<number>((resolve, reject) =>
      t.app
        .getHttpServer()
        .getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  const apiAnswers = async () => {
    const ready = await fetch(`${t.url}/health/ready`, { signal: AbortSignal.timeout(5000) });
    const me = await t.gql(`{ me { actorType } }`, {}, { authorization: `Bearer ${token}` });
    return ready.status === 200 && me.data?.me.actorType === 'STAFF';
  };
  const openTransactions = async () =>
    Number(
      (
        await t.db.pool.query(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
              AND application_name = 'duare' AND state LIKE 'idle in transaction%'`,
        )
      ).rows[0].count,
    );

  beforeAll(async () => {
    t = await startTestApp({
      DATABASE_POOL_SIZE: '4',
      IMPORT_MAX_BYTES: String(64 * 1024),
      IMPORT_MAX_FIELD_CHARS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
      EXPORT_STATEMENT_TIMEOUT_MS: '2000',
    });
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    token = (await signIn(t, 'bsr.admin')).accessToken;
    const resident = await createResident(as(t, token), ward, 'Rahim Sheikh');
    await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id, service_type_id,
         definition_version, category, channel, attributes, sla_due_at, status, created_at)
       SELECT $1, $2, 'BSR-F-' || n, $3, $4, 1, 'COMPLAINT', 'API', '{}', now(), 'SUBMITTED',
              now() - n * interval '1 second'
       FROM generate_series(1, 30000) AS n`,
      [bsr, ward, resident, types.GARBAGE],
    );
  });
  afterAll(() => t?.close());

  it('item 6: an upload over IMPORT_MAX_BYTES is 413, a record over IMPORT_MAX_FIELD_CHARS is 400; nothing stored', async () => {
    const before = (await t.db.pool.query(`SELECT count(*)::int AS n FROM residents`)).rows[0].n;
    const big = await post(HEADER + `1,${'x'.repeat(100)},,\n`.repeat(1000));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const wide = await post(HEADER + `1,${'y'.repeat(20_000)},,\n`);
    expect(wide.status).toBe(400);
    expect(wide.body.error).toMatchObject({ code: 'BAD_CSV' });
    expect(wide.body.error.message).toMatch(/longer than the limit/);
    const after = (await t.db.pool.query(`SELECT count(*)::int AS n FROM residents`)).rows[0].n;
    expect(after).toBe(before);
    expect(await apiAnswers()).toBe(true);
  });

  it('item 9: a semicolon-separated file gets a hint; a WhatsApp id given twice is refused', async () => {
    const semi = await post('ward_number;full_name\n1;Karim\n');
    expect(semi.status).toBe(400);
    expect(semi.body.error.message).toMatch(/separated by ";"/);
    const twice = await post(
      HEADER + '1,Karim Ali,+919830011111,919830099999\n1,Selina Ali,+919830022222,919830099999\n',
    );
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ created: 1, rejectedCount: 1 });
    expect(twice.body.rejected[0]).toMatchObject({
      row: 3,
      errors: [{ code: 'DUPLICATE', field: 'whatsapp_id' }],
    });
    // Against residents already stored too.
    const again = await post(HEADER + '1,Rafiq Ali,+919830033333,919830099999\n');
    expect(again.body).toMatchObject({ created: 0, rejectedCount: 1 });
  });

  it('item 5: ten uploads that stall hold no database connection; the API answers; they time out', async () => {
    const uploads = Array.from({ length: 10 }, () =>
      stalled(
        '/imports/residents',
        { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        HEADER + '1,Stalled Upload,,\n',
      ),
    );
    // Once the server holds all ten connections open, with their first bytes sent: no
    // transaction waits on them, and everyone else is served.
    await Promise.all(uploads.map((u) => u.sent));
    await waitFor(
      'the ten stalled uploads to be connected',
      async () => (await connections()) >= 10,
    );
    expect(await openTransactions()).toBe(0);
    for (let i = 0; i < 5; i += 1) expect(await apiAnswers()).toBe(true);
    // HTTP_REQUEST_TIMEOUT_MS ends them.
    const ended = await Promise.all(uploads.map((u) => u.ended));
    for (const end of ended) expect(end.status === 408 || end.error !== undefined).toBe(true);
    uploads.forEach((u) => u.req.destroy());
    expect(await apiAnswers()).toBe(true);
  }, 30_000);

  it('item 5: exports are limited per caller, and one that is never read ends at its statement timeout', async () => {
    // A client that never reads: the cursor waits on it until the export's timeout.
    const unread = await new Promise<ClientRequest>((resolve) => {
      const req = httpRequest(`${t.url}/exports/requests.csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      req.on('response', (res) => {
        res.pause();
        resolve(req);
      });
      req.on('error', () => undefined);
      req.end();
    });
    // The same caller's second export at once: 429, with Retry-After.
    const second = await fetch(`${t.url}/exports/requests.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('30');
    await second.body?.cancel();
    expect(await apiAnswers()).toBe(true);
    // The unread export is cut off and its connection given back: the next one works.
    await waitFor(
      'the unread export to release its slot',
      async () => {
        const next = await fetch(`${t.url}/exports/requests.csv?status=CLOSED`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const ok = next.status === 200;
        await next.text();
        return ok;
      },
      15_000,
      250,
    );
    unread.destroy();
    expect(
      Number(
        (
          await t.db.pool.query(
            `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                AND application_name = 'duare' AND state = 'active' AND query LIKE '%service_requests r%'`,
          )
        ).rows[0].count,
      ),
    ).toBe(0);
  }, 30_000);
});
