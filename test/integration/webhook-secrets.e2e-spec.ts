import { randomBytes } from 'node:crypto';
import { StaffRole } from '../../src/common/access/staff-role';
import { WebhooksService } from '../../src/integration/webhooks/webhooks.service';
import { as, insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { Receiver } from '../support/webhook-receiver';

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  endpoint { id } secret errors { code } } }`;
const KEY = randomBytes(32).toString('base64');

describe('webhook secrets at rest (e2e)', () => {
  const receiver = new Receiver();
  let first: TestApp;
  let resident: string;
  let types: Record<string, string>;

  const storedSecrets = async () =>
    (await first.db.pool.query(`SELECT id, secret FROM webhook_endpoints ORDER BY created_at`))
      .rows as Array<{ id: string; secret: string }>;
  const register = async (app: TestApp) => {
    const url = receiver.nextUrl();
    const res = (
      await as(app, integratorKey)(CREATE, { input: { url, eventTypes: ['request.created'] } })
    ).data?.createWebhookEndpoint;
    receiver.secrets.set(new URL(url).pathname, res.secret);
    return res as { endpoint: { id: string }; secret: string };
  };
  let integratorKey: string;

  beforeAll(async () => {
    await receiver.start();
    first = await startTestApp();
    const bsr = await seedMunicipality(first, 'BSR');
    const [ward1] = await insertWards(first, bsr, 1);
    types = await seedCatalogue(first, bsr);
    const admin = await staffClient(first, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    const coordinator = await staffClient(first, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward1 },
    ]);
    integratorKey = (
      await admin(
        `mutation { createApiClient(input: { name: "e-District", scopes: [WEBHOOKS_MANAGE] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey;
    resident = await createResident(coordinator, ward1, 'রহিম শেখ');
  });
  afterAll(async () => {
    await first.db.drop();
    await receiver.stop();
  });

  it('seals older secrets at start, seals new ones, signs with both, and will not start without the key', async () => {
    // Before a key is configured, a secret is stored as it is.
    const before = await register(first);
    expect((await storedSecrets())[0].secret).toBe(before.secret);
    await first.close({ keepDatabase: true });

    const keyed = await startTestApp({ SECRETS_ENCRYPTION_KEY: KEY }, first.db);
    try {
      const after = await register(keyed);
      const stored = await storedSecrets();
      expect(stored.map((row) => row.id)).toEqual([before.endpoint.id, after.endpoint.id]);
      for (const [row, plain] of [
        [stored[0], before.secret],
        [stored[1], after.secret],
      ] as const) {
        expect(row.secret.startsWith('enc1:')).toBe(true);
        expect(row.secret).not.toContain(plain);
        expect(row.secret).not.toContain(plain.slice('whsec_'.length, 20));
      }
      // Both endpoints receive deliveries signed with the secret their owner was shown.
      const { accessToken } = await signIn(keyed, 'coord.1');
      await createRequest(as(keyed, accessToken), {
        residentId: resident,
        serviceTypeId: types.GARBAGE,
      });
      const deadline = Date.now() + 10_000;
      while (receiver.received.length < 2 && Date.now() < deadline) {
        await keyed.app.get(WebhooksService).kick();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(receiver.received.map((r) => r.verified)).toEqual([true, true]);
    } finally {
      await keyed.close();
    }

    await expect(startTestApp({}, first.db)).rejects.toThrow(
      'SECRETS_ENCRYPTION_KEY is not set, but 2 webhook secrets are sealed with it',
    );
    await expect(
      startTestApp({ SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, first.db),
    ).rejects.toThrow('SECRETS_ENCRYPTION_KEY does not open the stored webhook secrets');
  });

  it('refuses a key that is not 32 bytes, naming the variable and not echoing it', async () => {
    const short = randomBytes(16).toString('base64');
    const refused = startTestApp({ SECRETS_ENCRYPTION_KEY: short }, first.db);
    await expect(refused).rejects.toThrow('SECRETS_ENCRYPTION_KEY');
    await expect(refused).rejects.not.toThrow(short);
  });
});
