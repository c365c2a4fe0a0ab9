import { StaffRole } from '../../src/common/access/staff-role';
import { as, GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE = `mutation ($input: CreateApiClientInput!) {
  createApiClient(input: $input) { apiKey apiClient { id name scopes wardIds revokedAt } errors { code field message } } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiClient(input: { apiClientId: $id }) { apiClient { revokedAt } } }`;

describe('API clients (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let wards: string[];
  let takiWard: string;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    wards = await insertWards(t, bsr, 3);
    [takiWard] = await insertWards(t, taki, 1);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'ward1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: wards[0] },
    ]);
  });
  afterAll(() => t.close());

  const register = async (input: Record<string, unknown>) => {
    const res = await admin(CREATE, { input: { name: 'Municipal ERP', ...input } });
    return res.data?.createApiClient;
  };

  it('shows the key once, stores only its hash, and the key works as a bearer token', async () => {
    const created = await register({ scopes: ['WARDS_READ'] });
    expect(created.apiKey).toMatch(/^duare_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.pool.query('SELECT secret_hash FROM api_clients WHERE id = $1', [
      created.apiClient.id,
    ]);
    expect(stored.rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    // The secret is everything after the id (base64url, so it may hold '_' itself).
    expect(JSON.stringify(stored.rows)).not.toContain(created.apiKey.split('_').slice(2).join('_'));

    const client = as(t, created.apiKey);
    const me = await client(`{ me { actorType permissions apiClient { name } } }`);
    expect(me.data?.me).toEqual({
      actorType: 'API_CLIENT',
      permissions: ['WARDS_READ'],
      apiClient: { name: 'Municipal ERP' },
    });
    expect((await client(`{ wards { totalCount } }`)).data?.wards.totalCount).toBe(3);
    const listed = await admin(`{ apiClients { edges { node { id name lastUsedAt } } } }`);
    const entry = listed.data?.apiClients.edges.find(
      (e: any) => e.node.id === created.apiClient.id,
    );
    expect(entry.node.lastUsedAt).toEqual(expect.any(String));
  });

  it('checks scopes exactly like roles', async () => {
    const { apiKey } = await register({ scopes: ['REQUESTS_READ'] });
    const res = await as(t, apiKey)(`{ wards { totalCount } }`);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const manage = await as(
      t,
      apiKey,
    )(
      `mutation { createWard(input: { number: 50, nameBn: "ক", nameEn: "K" }) { errors { code } } }`,
    );
    expect(manage.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('restricts a client to its wards when asked', async () => {
    const created = await register({ scopes: ['WARDS_READ', 'AUDIT_READ'], wardIds: [wards[1]] });
    expect(created.apiClient.wardIds).toEqual([wards[1]]);
    const me = await as(t, created.apiKey)(`{ me { wardIds } }`);
    expect(me.data?.me.wardIds).toEqual([wards[1]]);
  });

  it('refuses bad registrations with field errors', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ scopes: [] }, 'TOO_SHORT', 'scopes'],
      [{ scopes: ['STAFF_MANAGE'] }, 'INVALID', 'scopes'],
      [{ scopes: ['WARDS_READ', 'WARDS_READ'] }, 'DUPLICATE', 'scopes'],
      [{ scopes: ['WARDS_READ'], name: ' ' }, 'REQUIRED', 'name'],
      [{ scopes: ['WARDS_READ'], wardIds: ['nope'] }, 'INVALID_FORMAT', 'wardIds.0'],
      [{ scopes: ['WARDS_READ'], wardIds: [takiWard] }, 'NOT_FOUND', 'wardIds'],
    ];
    for (const [input, code, field] of cases) {
      const res = await register(input);
      expect({ input, errors: res.errors }).toEqual({
        input,
        errors: [expect.objectContaining({ code, field })],
      });
      expect(res.apiKey).toBeNull();
    }
  });

  it('a revoked key, a wrong secret or a made-up key is refused', async () => {
    const created = await register({ scopes: ['WARDS_READ'] });
    const wrongSecret = created.apiKey.replace(/_[^_]+$/, `_${'A'.repeat(43)}`);
    expect(
      (await as(t, wrongSecret)(`{ wards { totalCount } }`)).errors?.[0].extensions?.code,
    ).toBe('UNAUTHENTICATED');
    expect(
      (await as(t, 'duare_garbage')(`{ wards { totalCount } }`)).errors?.[0].extensions?.code,
    ).toBe('UNAUTHENTICATED');

    const revoked = await admin(REVOKE, { id: created.apiClient.id });
    expect(revoked.data?.revokeApiClient.apiClient.revokedAt).toEqual(expect.any(String));
    const res = await as(t, created.apiKey)(`{ wards { totalCount } }`);
    expect(res.errors?.[0]).toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringContaining('no longer valid'),
    });
  });

  it('pages through the clients without repeats', async () => {
    for (let i = 0; i < 3; i += 1) await register({ scopes: ['WARDS_READ'] });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await admin(
        `query ($after: String) { apiClients(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after },
      );
      const page: any = res.data?.apiClients;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) {
        expect(seen.length).toBe(page.totalCount);
        break;
      }
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('only administrators manage clients; an API client cannot sign out or change a password', async () => {
    const res = await coordinator(CREATE, { input: { name: 'x', scopes: ['WARDS_READ'] } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { apiKey } = await register({ scopes: ['WARDS_READ'] });
    expect(
      (await as(t, apiKey)(`mutation { signOut { endedSessions } }`)).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
