import { StaffRole } from '../../src/common/access/staff-role';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  endpoint { id wardIds } errors { code field } } }`;

/** Issue 21: what one municipality's or integration's caller may learn of others. */
describe('scope of ids and staff data (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let bsrWard: string;
  let takiWard: string;
  let requestId: string;
  let assigneeId: string;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    [bsrWard] = await insertWards(t, bsr, 1);
    [takiWard] = await insertWards(t, taki, 1);
    const types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    assigneeId = await seedStaff(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: bsrWard },
    ]);
    const resident = await createResident(admin, bsrWard, 'রহিম শেখ', '9876543210');
    requestId = (await createRequest(admin, { residentId: resident, serviceTypeId: types.GARBAGE }))
      .id;
    await t.db.pool.query(`UPDATE service_requests SET assignee_id = $1 WHERE id = $2`, [
      assigneeId,
      requestId,
    ]);
  });
  afterAll(() => t.close());

  const apiClient = async (scopes: string) =>
    as(
      t,
      (
        await admin(
          `mutation { createApiClient(input: { name: "${scopes}", scopes: [${scopes}] }) { apiKey } }`,
        )
      ).data?.createApiClient.apiKey as string,
    );

  it('createWebhookEndpoint refuses another municipality’s ward ids', async () => {
    const input = { url: 'http://127.0.0.1:9/hook', eventTypes: ['request.created'] };
    for (const client of [admin, await apiClient('WEBHOOKS_MANAGE')]) {
      const foreign = await client(CREATE_ENDPOINT, { input: { ...input, wardIds: [takiWard] } });
      expect(foreign.data?.createWebhookEndpoint).toEqual({
        endpoint: null,
        errors: [{ code: 'NOT_FOUND', field: 'wardIds' }],
      });
      const mixed = await client(CREATE_ENDPOINT, {
        input: { ...input, wardIds: [bsrWard, takiWard] },
      });
      expect(mixed.data?.createWebhookEndpoint.errors).toEqual([
        { code: 'NOT_FOUND', field: 'wardIds' },
      ]);
      const own = await client(CREATE_ENDPOINT, { input: { ...input, wardIds: [bsrWard] } });
      expect(own.data?.createWebhookEndpoint).toEqual({
        endpoint: { id: expect.any(String), wardIds: [bsrWard] },
        errors: [],
      });
    }
    const stored = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM webhook_endpoints WHERE ward_ids ? $1`,
      [takiWard],
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('request.assignee shows no staff personal data to an API client', async () => {
    const query = `query ($id: ID!) { request(id: $id) {
      assignee { id username phone displayName lastSignInAt roles { role } } } }`;
    const integration = await (await apiClient('REQUESTS_READ'))(query, { id: requestId });
    expect(integration.errors).toBeUndefined();
    expect(integration.data?.request.assignee).toBeNull();
    // Colleagues in the municipality still see who works on it.
    const colleague = await admin(query, { id: requestId });
    expect(colleague.data?.request.assignee).toMatchObject({ id: assigneeId, username: 'coord.1' });
  });
});
