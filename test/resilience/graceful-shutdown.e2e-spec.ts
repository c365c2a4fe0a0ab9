import { request as httpRequest } from 'node:http';
import { PoolClient } from 'pg';
import { StaffRole } from '../../src/common/access/staff-role';
import { AppProcess, killHard, startAppProcess } from '../support/app-process';
import { as, insertWards, seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import { CREATE_REQUEST, createResident, seedCatalogue } from '../support/request-fixtures';
import { GraphQLResponse, startTestApp, TEST_JWT_SECRET } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait';

/**
 * A POST on a connection of its own (never a pooled keep-alive one): how a new client
 * fares. Resolves with the HTTP status, or the connection error's code.
 */
function freshRequest(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(
      `${url}/graphql`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

/**
 * SIGTERM to the real process (`node dist/src/main.js`) while many mutations are in flight.
 * The mutations are held in the database (the test locks the requests table) until the
 * signal has been handled, so "in flight at SIGTERM" is certain, not a matter of timing.
 */
describe('graceful shutdown on SIGTERM (e2e, real process)', () => {
  const IN_FLIGHT = 24;
  let db: TestDatabase;
  let ward: string;
  let types: Record<string, string>;
  let resident: string;
  let running: AppProcess | undefined;
  let locker: PoolClient | undefined;

  const start = (shutdownTimeoutMs: number) =>
    startAppProcess({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      // Every held mutation has its own connection, so each shows up waiting on the lock.
      DATABASE_POOL_SIZE: String(IN_FLIGHT + 4),
      DEMO_DATA: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      SLA_SWEEP_SECONDS: '0',
      API_RATE_PER_MINUTE: '1000000',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.pool.query(sql, params)).rows[0].n);
  const waitingOnLocks = () =>
    count(
      `SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
  /** Holds every insert into service_requests until `release()`. */
  const holdCreates = async () => {
    locker = await db.pool.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE service_requests IN EXCLUSIVE MODE');
  };
  const release = async () => {
    await locker?.query('COMMIT');
    locker?.release();
    locker = undefined;
  };
  /** Fires the mutations and waits until each is inside the app, waiting in the database. */
  const mutationsInFlight = async (app: AppProcess, prefix: string) => {
    const coordinator = as(app, (await signIn(app, 'coord.1')).accessToken);
    await holdCreates();
    const responses = Array.from({ length: IN_FLIGHT }, (_, i) =>
      coordinator(CREATE_REQUEST, {
        input: {
          residentId: resident,
          serviceTypeId: types.GARBAGE,
          idempotencyKey: `${prefix}-${i}`,
        },
      }).catch((error: Error) => ({ status: 0, error: error.message }) as GraphQLResponse),
    );
    await waitFor('every mutation to wait in the database', async () => {
      return (await waitingOnLocks()) === IN_FLIGHT;
    });
    return responses;
  };

  beforeAll(async () => {
    const seed = await startTestApp();
    db = seed.db;
    const bsr = await seedMunicipality(seed, 'BSR');
    [ward] = await insertWards(seed, bsr, 1);
    types = await seedCatalogue(seed, bsr);
    await seedStaff(seed, bsr, 'coord.1', [{ role: StaffRole.WARD_COORDINATOR, wardId: ward }]);
    resident = await createResident(
      as(seed, (await signIn(seed, 'coord.1')).accessToken),
      ward,
      'রহিম শেখ',
    );
    await seed.close({ keepDatabase: true });
  }, 60_000);
  afterEach(async () => {
    await release().catch(() => undefined);
    if (running) await killHard(running);
    running = undefined;
  });
  afterAll(() => db?.drop(), 30_000);

  it('finishes and commits the requests in flight, refuses new ones, and exits 0', async () => {
    const app = (running = await start(10_000));
    const responses = await mutationsInFlight(app, 'drain');

    app.child.kill('SIGTERM');
    // New connections are turned away (refused, or 503 while the listener closes) while the
    // held requests are still in flight.
    await waitFor('new requests to be refused', async () => {
      const answer = await freshRequest(app.url);
      return answer === 'ECONNREFUSED' || answer === 503;
    });
    expect(await waitingOnLocks()).toBe(IN_FLIGHT);
    expect(app.child.exitCode).toBeNull();

    await release();
    const answered = await Promise.all(responses);
    // Every request that was in flight got its full answer, and what it said is stored.
    expect(answered.map((r) => r.status)).toEqual(Array(IN_FLIGHT).fill(200));
    const ids = answered.map((r) => r.data?.createRequest?.request?.id);
    expect(ids.every(Boolean)).toBe(true);
    expect(
      await count(`SELECT count(*) AS n FROM service_requests WHERE id = ANY($1)`, [ids]),
    ).toBe(IN_FLIGHT);
    // Exits by itself, cleanly (a drain past SHUTDOWN_TIMEOUT_MS would be exit code 1).
    expect(await app.exited).toEqual({ code: 0, signal: null });
    running = undefined;
    expect(app.output()).not.toMatch(/shutdown timed out/);
  }, 120_000);

  it('gives up after SHUTDOWN_TIMEOUT_MS when in-flight work cannot finish, and exits 1', async () => {
    const app = (running = await start(1000));
    const responses = await mutationsInFlight(app, 'stuck');
    app.child.kill('SIGTERM');
    // The requests stay held past the drain timeout: the process must not wait for ever.
    expect(await app.exited).toEqual({ code: 1, signal: null });
    running = undefined;
    expect(app.output()).toMatch(/shutdown timed out/);
    await release();
    const answered = await Promise.all(responses);
    // Cut off, not answered wrongly: no request got a success it did not commit.
    const claimed = answered
      .map((r) => r.data?.createRequest?.request?.id)
      .filter((id): id is string => Boolean(id));
    expect(
      await count(`SELECT count(*) AS n FROM service_requests WHERE id = ANY($1)`, [claimed]),
    ).toBe(claimed.length);
  }, 120_000);
});
