import { StaffRole } from '../../src/common/access/staff-role';
import { HousekeepingService, PURGE_BATCH } from '../../src/housekeeping/housekeeping.service';
import { GraphQL, insertWards, seedMunicipality, SIGN_IN, staffClient } from '../support/fixtures';
import { CREATE_REQUEST, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('housekeeping (e2e)', () => {
  let t: TestApp;
  let coordinator: GraphQL;
  let resident: string;
  let types: Record<string, string>;

  const count = async (table: string) =>
    Number((await t.db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const purge = (now: Date) => t.app.get(HousekeepingService).run(now);
  /** Expired idempotency keys, as old callers would have left them. */
  const insertExpiredKeys = (n: number, prefix: string) =>
    t.db.pool.query(
      `INSERT INTO idempotency_keys (caller, key, operation, input_hash, result_id, created_at, expires_at)
       SELECT 'STAFF:old', $2 || g, 'createRequest', repeat('0', 64), gen_random_uuid(),
              now() - interval '3 days', now() - interval '1 day'
       FROM generate_series(1, $1) g`,
      [n, prefix],
    );

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward1] = await insertWards(t, bsr, 1);
    types = await seedCatalogue(t, bsr);
    coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward1 },
    ]);
    resident = await createResident(coordinator, ward1, 'রহিম শেখ');
  });
  afterAll(() => t.close());

  it('keeps what still counts and purges what is dead once its time has passed', async () => {
    await t.db.pool.query(`TRUNCATE idempotency_keys, rate_limit_windows, sign_in_throttles`);
    // An idempotent create, failed sign-ins and a budgeted call leave their rows.
    const input = { residentId: resident, serviceTypeId: types.GARBAGE, idempotencyKey: 'k-1' };
    const made = await coordinator(CREATE_REQUEST, { input });
    expect(made.data?.createRequest.request.id).toBeDefined();
    for (let i = 0; i < 3; i++) {
      const res = await t.gql(SIGN_IN, { input: { login: 'coord.1', password: 'wrong one' } });
      expect(res.data?.signIn ?? null).toBeNull();
    }
    // A throttle still locked is kept whatever its age.
    await t.db.pool.query(
      `INSERT INTO sign_in_throttles (key, failures, last_failure_at, locked_until)
       VALUES (repeat('a', 64), 10, now() - interval '2 days', now() + interval '3 days')`,
    );
    const before = {
      keys: await count('idempotency_keys'),
      windows: await count('rate_limit_windows'),
      throttles: await count('sign_in_throttles'),
    };
    expect(before.keys).toBe(1);
    expect(before.windows).toBeGreaterThan(0);
    expect(before.throttles).toBe(3); // the login, the address and the locked one

    expect(await purge(new Date())).toEqual({
      idempotency_keys: 0,
      rate_limit_windows: 0,
      sign_in_throttles: 0,
      whatsapp_inbox: 0,
      webhook_deliveries: 0,
      notifications: 0,
    });
    // The key still protects the create: a retry replays it.
    const replay = await coordinator(CREATE_REQUEST, { input });
    expect(replay.data?.createRequest.request.id).toBe(made.data?.createRequest.request.id);

    const later = new Date(Date.now() + 49 * HOUR);
    const purged = await purge(later);
    expect(purged).toEqual({
      idempotency_keys: 1,
      rate_limit_windows: expect.any(Number),
      sign_in_throttles: 2,
      whatsapp_inbox: 0,
      webhook_deliveries: 0,
      notifications: expect.any(Number),
    });
    expect(purged.rate_limit_windows).toBeGreaterThanOrEqual(before.windows);
    expect(await count('idempotency_keys')).toBe(0);
    expect(
      (await t.db.pool.query(`SELECT key FROM sign_in_throttles`)).rows.map((r) => r.key),
    ).toEqual(['a'.repeat(64)]);
  });

  it('deletes raw WhatsApp payloads processed longer ago than the retention, not parked ones', async () => {
    await t.db.pool.query(`TRUNCATE whatsapp_inbox`);
    const { rows } = await t.db.pool.query(
      `INSERT INTO whatsapp_inbox (payload, status, received_at, processed_at) VALUES
         ('{"old": true}', 'DONE', now() - interval '31 days', now() - interval '31 days'),
         ('{"recent": true}', 'DONE', now() - interval '29 days', now() - interval '29 days'),
         ('{"parked": true}', 'PARKED', now() - interval '90 days', NULL),
         ('{"waiting": true}', 'PENDING', now() - interval '90 days', NULL)
       RETURNING id, payload`,
    );
    expect(rows).toHaveLength(4);
    expect((await purge(new Date())).whatsapp_inbox).toBe(1);
    const left = await t.db.pool.query(`SELECT payload FROM whatsapp_inbox ORDER BY received_at`);
    expect(left.rows.map((r) => Object.keys(r.payload)[0]).sort()).toEqual([
      'parked',
      'recent',
      'waiting',
    ]);
  });

  it('purges in batches and two instances together delete each row once', async () => {
    await t.db.pool.query(`TRUNCATE idempotency_keys`);
    const expired = 2 * PURGE_BATCH + 123;
    await insertExpiredKeys(expired, 'old-');
    const other = await startTestApp({}, t.db);
    try {
      const [mine, theirs] = await Promise.all([
        purge(new Date()),
        other.app.get(HousekeepingService).run(new Date()),
      ]);
      // The advisory lock lets one purge at a time; whichever got it deleted them all, in
      // batches, and the other found the lock taken and stopped.
      expect(mine.idempotency_keys + theirs.idempotency_keys).toBe(expired);
      expect(await count('idempotency_keys')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('runs on its own timer on every instance', async () => {
    await insertExpiredKeys(5, 'timer-');
    const timed = await startTestApp({ HOUSEKEEPING_SECONDS: '1' }, t.db);
    try {
      const deadline = Date.now() + 15_000;
      while ((await count('idempotency_keys')) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await count('idempotency_keys')).toBe(0);
      const line = timed.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'housekeeping');
      expect(line?.purged).toMatchObject({ idempotency_keys: 5 });
    } finally {
      await timed.close();
    }
  });
});
