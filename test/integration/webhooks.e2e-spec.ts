import { StaffRole } from '../../src/common/access/staff-role';
import { WebhooksService } from '../../src/integration/webhooks/webhooks.service';
import { as, GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { settleWebhooks } from '../support/background';
import { Receiver } from '../support/webhook-receiver';

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  endpoint { id url eventTypes wardIds status } secret errors { code field message } } }`;
const ENDPOINT = `query ($id: ID!) { webhookEndpoint(id: $id) { status disabledReason
  deliveries { id eventId eventType status attempts lastStatusCode attemptLog { statusCode durationMs responseExcerpt } } } }`;

describe('outbound webhooks (e2e, a receiver on 127.0.0.1)', () => {
  let t: TestApp;
  let receiver: Receiver;
  let integrator: GraphQL;
  let coordinator: GraphQL;
  let ward5: string;
  let ward6: string;
  let resident: string;
  let types: Record<string, string>;

  const settle = () => settleWebhooks(t);
  const register = async (input: Record<string, unknown>) => {
    const url = receiver.nextUrl();
    const res = (await integrator(CREATE, { input: { ...input, url } })).data
      ?.createWebhookEndpoint;
    if (res.secret) receiver.secrets.set(new URL(url).pathname, res.secret);
    return res;
  };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_SECONDS: '2' });
    const bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    types = await seedCatalogue(t, bsr);
    const admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    const key = (
      await admin(
        `mutation { createApiClient(input: { name: "e-District", scopes: [WEBHOOKS_MANAGE, REQUESTS_READ] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey;
    integrator = as(t, key);
    resident = await createResident(coordinator, ward5, 'রহিম শেখ');
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    // Each test with its own endpoints, so the receiver's answers go where they are meant.
    await t.db.pool.query('DELETE FROM webhook_endpoints');
    receiver.received.length = 0;
    receiver.answers = [];
  });

  it('delivers signed events a receiver can verify from the docs, for its event types and wards', async () => {
    const created = await register({
      url: receiver.url,
      eventTypes: ['request.created', 'request.status_changed'],
    });
    expect(created.errors).toEqual([]);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.endpoint).toMatchObject({ status: 'ACTIVE', wardIds: [] });
    const elsewhere = await register({
      url: receiver.url,
      eventTypes: ['request.created'],
      wardIds: [ward6],
    });
    const request = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.GARBAGE,
    });
    await step(coordinator, request, 'START_REVIEW');
    await settle();
    expect(receiver.received.map((r) => [r.body.type, r.verified])).toEqual([
      ['request.created', true],
      ['request.status_changed', true],
    ]);
    const [first] = receiver.received;
    expect(first.headers['x-duare-event-id']).toBe(first.body.id);
    expect(first.body).toMatchObject({
      type: 'request.created',
      wardId: ward5,
      data: { trackingNumber: request.trackingNumber, requestId: request.id },
    });
    // No personal data in what leaves.
    expect(JSON.stringify(first.body)).not.toContain('রহিম');
    const other = (await integrator(ENDPOINT, { id: elsewhere.endpoint.id })).data?.webhookEndpoint;
    expect(other.deliveries).toEqual([]);
  });

  it('retries failures with backoff and records every attempt', async () => {
    const endpoint = (
      await register({ url: receiver.url, eventTypes: ['request.sla_breached', 'request.created'] })
    ).endpoint;
    receiver.answers = [500, 502, 200];
    await createRequest(coordinator, { residentId: resident, serviceTypeId: types.GARBAGE });
    await settle();
    const read = (await integrator(ENDPOINT, { id: endpoint.id })).data?.webhookEndpoint;
    const [delivery] = read.deliveries;
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastStatusCode: 200 });
    expect(delivery.attemptLog.map((a: any) => a.statusCode)).toEqual([500, 502, 200]);
    // Every retry carried the same event id.
    const ids = new Set(
      receiver.received.filter((r) => r.body.type === 'request.created').map((r) => r.body.id),
    );
    expect(ids.size).toBeLessThanOrEqual(3);
  });

  it('fails for good after the retry period, disables the endpoint, and can redeliver', async () => {
    const endpoint = (await register({ url: receiver.url, eventTypes: ['request.created'] }))
      .endpoint;
    receiver.answers = Array(1000).fill(503);
    await createRequest(coordinator, { residentId: resident, serviceTypeId: types.GARBAGE });
    for (let i = 0; i < 150; i += 1) {
      await t.app.get(WebhooksService).kick();
      const { rows } = await t.db.pool.query(`SELECT status FROM webhook_endpoints WHERE id = $1`, [
        endpoint.id,
      ]);
      if (rows[0].status === 'DISABLED') break;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const read = (await integrator(ENDPOINT, { id: endpoint.id })).data?.webhookEndpoint;
    expect(read.status).toBe('DISABLED');
    expect(read.disabledReason).toMatch(/last answer: 503/);
    const failed = read.deliveries.find((d: any) => d.status === 'FAILED');
    expect(failed.attemptLog.length).toBeGreaterThan(1);
    receiver.answers = [];
    receiver.received.length = 0;
    await integrator(`mutation ($id: ID!) { enableWebhookEndpoint(id: $id) { status } }`, {
      id: endpoint.id,
    });
    const again = await integrator(
      `mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`,
      { id: failed.id },
    );
    expect(again.data?.redeliverWebhook.status).toBe('PENDING');
    await settle();
    const after = (await integrator(ENDPOINT, { id: endpoint.id })).data?.webhookEndpoint;
    expect(after.deliveries.find((d: any) => d.id === failed.id).status).toBe('SUCCEEDED');
    expect(receiver.received.some((r) => r.body.id === failed.eventId && r.verified)).toBe(true);
  });

  it('refuses endpoints a receiver cannot be, and keeps clients to their own', async () => {
    const errors = async (input: Record<string, unknown>) =>
      (await integrator(CREATE, { input })).data?.createWebhookEndpoint.errors.map((e: any) => [
        e.code,
        e.field,
      ]);
    expect(await errors({ url: 'ftp://example.org', eventTypes: ['request.created'] })).toEqual([
      ['INVALID', 'url'],
    ]);
    expect(await errors({ url: receiver.url, eventTypes: [] })).toEqual([
      ['REQUIRED', 'eventTypes'],
    ]);
    expect(await errors({ url: receiver.url, eventTypes: ['resident.created'] })).toEqual([
      ['INVALID', 'eventTypes'],
    ]);
    const own = (await register({ eventTypes: ['certificate.issued'] })).endpoint;
    const mine = (await integrator(`{ webhookEndpoints { id } }`)).data?.webhookEndpoints;
    expect(mine).toEqual([{ id: own.id }]);
    const readOnly = (await coordinator(`{ webhookEndpoints { id } }`)).errors?.[0].extensions
      ?.code;
    expect(readOnly).toBe('FORBIDDEN');

    const production = await startTestApp({ NODE_ENV: 'production' });
    try {
      const bsr = await seedMunicipality(production, 'BSR');
      const admin = await staffClient(production, bsr, 'bsr.admin', [
        { role: StaffRole.MUNICIPAL_ADMIN },
      ]);
      const refuse = async (url: string) =>
        (await admin(CREATE, { input: { url, eventTypes: ['request.created'] } })).data
          ?.createWebhookEndpoint.errors[0]?.message;
      expect(await refuse(receiver.url)).toBe('must use https');
      expect(await refuse('https://127.0.0.1/hook')).toBe(
        'resolves to a non-public address (loopback)',
      );
      expect(await refuse('https://169.254.169.254/latest')).toBe(
        'resolves to a non-public address (linkLocal)',
      );
    } finally {
      await production.close();
    }
  });
});
