import { StaffRole } from '../../src/common/access/staff-role';
import { insertWards, seedMunicipality, seedStaff, signIn, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
    extensions?: {
      rateLimit?: { limit: number; remaining: number; resetAt: string };
      cost?: {
        requestedQueryCost: number;
        actualQueryCost: number;
        throttleStatus?: { maximumAvailable: number; currentlyAvailable: number };
      };
    };
  };
}

/** One page of up to 50 wards: requests 1 + 50 points; two wards exist, so it really costs 3. */
const PAGE = 'query ($n: Int) { wards(first: $n) { edges { node { id number } } } }';

describe('the points budget per API client and account (e2e)', () => {
  let t: TestApp;
  let keys: string[];
  let bsr: string;

  const call = async (key: string, query: string, variables?: unknown): Promise<Answer> => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Answer['body'],
    };
  };

  beforeAll(async () => {
    t = await startTestApp({ API_RATE_PER_MINUTE: '60' });
    bsr = await seedMunicipality(t, 'BSR');
    await insertWards(t, bsr, 2);
    const admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    keys = [];
    for (const name of ['one', 'two']) {
      keys.push(
        (
          await admin(
            `mutation { createApiClient(input: { name: "${name}", scopes: [WARDS_READ] }) { apiKey } }`,
          )
        ).data?.createApiClient.apiKey,
      );
    }
  });
  afterAll(() => t.close());

  /** The budget's window: PostgreSQL's clock minute. */
  const windowNow = async () =>
    Number((await t.db.pool.query(`SELECT floor(extract(epoch FROM now()) / 60) AS w`)).rows[0].w);
  /**
   * Runs `steps`, which expect every call to fall in one budget window. A run that failed
   * after crossing into the next minute met a fresh budget halfway, which proves nothing: it
   * runs once more, in the new window (a run takes seconds, never a minute).
   */
  const inOneWindow = async (steps: () => Promise<void>) => {
    for (let attempt = 1; ; attempt += 1) {
      const started = await windowNow();
      try {
        return await steps();
      } catch (error) {
        if (attempt === 2 || (await windowNow()) === started) throw error;
      }
    }
  };

  it('takes the requested cost up front, gives back what was not used, refuses with 429 when it is not all left, and keeps clients apart', async () => {
    await inOneWindow(async () => {
      const remaining: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const answer = await call(keys[0], PAGE, { n: 50 });
        expect(answer.status).toBe(200);
        expect(answer.body.data).toMatchObject({ wards: { edges: [{}, {}] } });
        const left = answer.body.extensions!.rateLimit!.remaining;
        // Headers, `rateLimit` and `cost.throttleStatus` tell the same budget.
        expect(answer.body.extensions?.rateLimit).toMatchObject({ limit: 60 });
        expect(answer.headers.get('x-ratelimit-limit')).toBe('60');
        expect(answer.headers.get('x-ratelimit-remaining')).toBe(String(left));
        expect(Number(answer.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
        expect(answer.body.extensions?.cost).toEqual({
          requestedQueryCost: 51,
          actualQueryCost: 3,
          maximumQueryCost: expect.any(Number),
          throttleStatus: { maximumAvailable: 60, currentlyAvailable: left },
        });
        remaining.push(left);
        if (left < 51) break;
      }
      // Each call is charged its actual cost (3), not the 51 it asked for.
      expect(remaining).toEqual([57, 54, 51, 48]);

      // 48 left: a call that asks for 51 is refused though it would really cost 3 …
      const refused = await call(keys[0], PAGE, { n: 50 });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors?.[0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      });
      // … and takes nothing; asking for less fits (1 + 2 × 1, charged 3).
      const small = await call(keys[0], PAGE, { n: 2 });
      expect(small.status).toBe(200);
      expect(small.body.extensions?.rateLimit?.remaining).toBe(45);

      // Another client has its own budget.
      expect((await call(keys[1], PAGE, { n: 50 })).body.extensions?.rateLimit?.remaining).toBe(57);
    });
  });

  it('refuses an operation that costs more than the whole budget per minute, for good', async () => {
    const answer = await call(keys[1], PAGE, { n: 60 });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      requestedQueryCost: 61,
      maximumQueryCost: 60,
    });
    expect(answer.body.errors?.[0].message).toMatch(/budget per minute of 60/);
  });

  it('charges a staff session in its sign-in check’s statement, and nothing once the session has ended', async () => {
    const accountId = await seedStaff(t, bsr, 'bsr.budget', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    const { accessToken } = await signIn(t, 'bsr.budget');
    /** Points taken from the account in the current window (the stored row). */
    const taken = async () =>
      (
        await t.db.pool.query(
          `SELECT coalesce(sum(hits), 0)::int AS hits FROM rate_limit_windows
            WHERE key = encode(sha256(convert_to($1, 'UTF8')), 'hex')
              AND window_start = to_timestamp(floor(extract(epoch FROM now()) / 60) * 60)`,
          [`api:STAFF:${accountId}`],
        )
      ).rows[0].hits as number;
    await inOneWindow(async () => {
      const before = await taken();
      const first = await call(accessToken, PAGE, { n: 50 });
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ wards: { edges: [{}, {}] } });
      // Taken up front: the 51 points asked for (the 48 unused wait for the next charge).
      expect(await taken()).toBe(before + 51);
      expect(first.body.extensions?.rateLimit?.remaining).toBe(60 - before - 3);
      const signedOut = await call(accessToken, 'mutation { signOut { endedSessions } }');
      expect(signedOut.body.errors).toBeUndefined();
      const afterSignOut = await taken();
      // The ended session is refused at once and is charged nothing.
      const refused = await call(accessToken, PAGE, { n: 50 });
      expect(refused.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(await taken()).toBe(afterSignOut);
    });
  });

  it('refuses a staff session with 429 when its budget does not hold the points, taking none', async () => {
    const accountId = await seedStaff(t, bsr, 'bsr.spender', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    const { accessToken } = await signIn(t, 'bsr.spender');
    const window = `key = encode(sha256(convert_to($1, 'UTF8')), 'hex')
      AND window_start = to_timestamp(floor(extract(epoch FROM now()) / 60) * 60)`;
    await inOneWindow(async () => {
      expect((await call(accessToken, PAGE, { n: 50 })).status).toBe(200);
      // Far beyond the budget, even after the refund the first call is owed.
      await t.db.pool.query(`UPDATE rate_limit_windows SET hits = 1000 WHERE ${window}`, [
        `api:STAFF:${accountId}`,
      ]);
      const refused = await call(accessToken, PAGE, { n: 2 });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      expect(refused.body.data).toBeUndefined();
      const { rows } = await t.db.pool.query(
        `SELECT hits FROM rate_limit_windows WHERE ${window}`,
        [`api:STAFF:${accountId}`],
      );
      expect(rows).toEqual([{ hits: 1000 }]);
    });
  });
});
