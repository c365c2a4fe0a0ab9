import { StaffRole } from '../../src/common/access/staff-role';
import { insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('the points budget per API client and account (e2e)', () => {
  let t: TestApp;
  let keys: string[];

  const call = (key: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ wards { totalCount } }' }),
    });

  beforeAll(async () => {
    t = await startTestApp({ API_RATE_PER_MINUTE: '5' });
    const bsr = await seedMunicipality(t, 'BSR');
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

  it('tells what is left, refuses with 429 when it is used up, and keeps clients apart', async () => {
    // Start at the beginning of a window, so the five calls fall in the same minute.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000)
      await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
    const remaining: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await call(keys[0]);
      const body = (await response.json()) as {
        data?: unknown;
        extensions?: { rateLimit?: { remaining: number; limit: number } };
      };
      expect(response.status).toBe(200);
      expect(body.extensions?.rateLimit).toMatchObject({ limit: 5, remaining: 4 - i });
      remaining.push(String(response.headers.get('x-ratelimit-remaining')));
      expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const refused = await call(keys[0]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as {
      data?: unknown;
      errors: Array<{ extensions: Record<string, unknown> }>;
    };
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    // Another client has its own budget; anonymous sign-in is not charged to anyone.
    expect((await call(keys[1])).status).toBe(200);
  });
});
