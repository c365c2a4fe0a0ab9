import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { StaffRole } from '../../src/common/access/staff-role';
import { seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Subscriptions go through graphql-ws, not Apollo: the same limits must hold there. */
describe('limits on subscriptions over WebSocket (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_MAX_TOKENS: '1000' });
    const municipalityId = await seedMunicipality(t);
    await seedStaff(t, municipalityId, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    token = (await signIn(t, 'bsr.admin')).accessToken;
  });
  afterAll(() => t.close());

  /** Subscribes and resolves with the errors the server refuses it with. */
  async function refusal(query: string): Promise<Array<{ message: string }>> {
    const client = createClient({
      url: t.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    try {
      return await new Promise((resolve, reject) => {
        client.subscribe(
          { query },
          {
            next: (value) =>
              value.errors
                ? resolve(value.errors as Array<{ message: string }>)
                : reject(new Error('an event arrived')),
            error: (error) => (Array.isArray(error) ? resolve(error) : reject(error as Error)),
            complete: () => reject(new Error('completed without a refusal')),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  it('refuses an alias flood', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
    const errors = await refusal(`subscription { requestEvents { ${aliases} } }`);
    expect(errors[0].message).toMatch(/aliases limit of 30 exceeded/i);
  });

  it('refuses a document over the token limit', async () => {
    const fields = Array.from({ length: 1200 }, () => 'id').join(' ');
    const errors = await refusal(`subscription { requestEvents { ${fields} } }`);
    expect(errors[0].message).toMatch(/more that 1000 tokens/);
  });

  it('still refuses a fragment cycle cleanly', async () => {
    const errors = await refusal(
      `subscription { ...A } fragment A on Subscription { ...B } fragment B on Subscription { ...A }`,
    );
    expect(errors[0].message).toMatch(/cannot spread fragment/i);
  });
});
