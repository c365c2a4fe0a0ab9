import { StaffRole } from '../../src/common/access/staff-role';
import {
  as,
  GraphQL,
  insertWards,
  PASSWORD,
  seedMunicipality,
  seedStaff,
  signIn,
  staffClient,
} from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const AUDIT_LOG = `query ($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id action entityType entityId wardId actorType actorId actorLabel changes requestId occurredAt } }
  } }`;
const UPDATE_WARD = `mutation ($input: UpdateWardInput!) { updateWard(input: $input) { ward { version } errors { code } } }`;

describe('audit trail (e2e)', () => {
  let t: TestApp;
  let bsr: string;
  let ward5: string;
  let ward6: string;
  let admin: GraphQL;
  let adminToken: string;
  let adminId: string;
  let coordinator: GraphQL;
  let takiAdmin: GraphQL;

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    adminId = await seedStaff(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    adminToken = (await signIn(t, 'bsr.admin')).accessToken;
    admin = as(t, adminToken);
    coordinator = await staffClient(t, bsr, 'ward5.coordinator', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    takiAdmin = await staffClient(t, taki, 'tki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
  });
  afterAll(() => t.close());

  const entriesFor = async (entityId: string) =>
    (await t.db.pool.query('SELECT * FROM audit_log WHERE entity_id = $1 ORDER BY seq', [entityId]))
      .rows;

  it('records who changed what, from what to what, under which request id, in the same transaction', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${adminToken}`,
        'x-request-id': 'req-audit-1',
      },
      body: JSON.stringify({
        query: UPDATE_WARD,
        variables: { input: { id: ward5, version: 1, population: 7000, nameEn: 'Ward Five' } },
      }),
    });
    expect(((await response.json()) as any).data.updateWard.errors).toEqual([]);
    const [entry] = (await entriesFor(ward5)).filter((e) => e.action === 'ward.updated');
    expect(entry).toMatchObject({
      actor_type: 'STAFF',
      actor_id: adminId,
      actor_label: 'bsr.admin',
      entity_type: 'Ward',
      municipality_id: bsr,
      ward_id: ward5,
      request_id: 'req-audit-1',
      changes: {
        nameEn: { from: 'Ward 5', to: 'Ward Five' },
        population: { from: null, to: 7000 },
      },
    });
  });

  it('records nothing for a refused or failed change', async () => {
    const before = (await entriesFor(ward5)).length;
    await admin(UPDATE_WARD, { input: { id: ward5, version: 1, population: -1 } });
    await admin(UPDATE_WARD, { input: { id: ward5, version: 1, population: 5 } });
    await coordinator(UPDATE_WARD, { input: { id: ward5, version: 2, population: 5 } });
    expect((await entriesFor(ward5)).length).toBe(before);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const statement of [
      `UPDATE audit_log SET action = 'forged'`,
      `DELETE FROM audit_log`,
      `TRUNCATE audit_log`,
    ]) {
      await expect(t.db.pool.query(statement)).rejects.toThrow(/append-only/);
    }
    expect((await entriesFor(ward5)).length).toBeGreaterThan(0);
  });

  it('keeps secrets out: password changes are recorded without any password or hash', async () => {
    const res = await admin(
      `mutation ($i: CreateStaffAccountInput!) { createStaffAccount(input: $i) { account { id } } }`,
      {
        i: {
          username: 'new.person',
          displayName: 'New',
          password: PASSWORD,
          roles: [{ role: 'SIGNATORY' }],
        },
      },
    );
    const id = res.data?.createStaffAccount.account.id;
    await admin(
      `mutation ($id: ID!) { resetStaffPassword(input: { accountId: $id, newPassword: "a fresh passphrase 9" }) { errors { code } } }`,
      { id },
    );
    const entries = await entriesFor(id);
    // The account had no session, so no sessions_ended entry.
    expect(entries.map((e) => e.action)).toEqual([
      'staff_account.created',
      'staff_account.password_reset',
    ]);
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/argon2|correct horse|fresh passphrase/);
  });

  it('records sign-ins and failed sign-ins against the account', async () => {
    await t.gql(
      `mutation { signIn(input: { login: "ward5.coordinator", password: "wrong password" }) { accessToken } }`,
    );
    const actions = (
      await t.db.pool.query(
        `SELECT action FROM audit_log a JOIN staff_accounts s ON s.id = a.entity_id WHERE s.username = 'ward5.coordinator'`,
      )
    ).rows.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['staff_account.created', 'auth.signed_in', 'auth.sign_in_failed']),
    );
  });

  it('shows administrators their municipality and coordinators only their wards', async () => {
    await admin(
      `mutation { setWardCouncillorStatus(input: { wardId: "${ward6}", status: VACANT, since: "2023-01-01" }) { errors { code } } }`,
    );
    const all = (await admin(AUDIT_LOG, { first: 100 })).data?.auditLog;
    expect(all.edges.map((e: any) => e.node.wardId)).toEqual(
      expect.arrayContaining([ward5, ward6, null]),
    );

    const mine = (await coordinator(AUDIT_LOG, { first: 100 })).data?.auditLog;
    expect(mine.totalCount).toBeGreaterThan(0);
    expect(new Set(mine.edges.map((e: any) => e.node.wardId))).toEqual(new Set([ward5]));
    const askedForOther = (await coordinator(AUDIT_LOG, { filter: { wardId: ward6 } })).data
      ?.auditLog;
    expect(askedForOther.totalCount).toBe(0);

    const taki = (await takiAdmin(AUDIT_LOG, { first: 100 })).data?.auditLog;
    expect(taki.edges.map((e: any) => e.node.wardId)).not.toContain(ward5);
  });

  it('shows an API client with AUDIT_READ the ward entries only, never accounts or sessions', async () => {
    const created = await admin(
      `mutation { createApiClient(input: { name: "ERP", scopes: [AUDIT_READ] }) { apiKey } }`,
    );
    const client = as(t, created.data?.createApiClient.apiKey);
    const seen = (await client(AUDIT_LOG, { first: 100 })).data?.auditLog;
    expect(seen.totalCount).toBeGreaterThan(0);
    expect(seen.edges.every((e: any) => e.node.wardId !== null)).toBe(true);
    expect(seen.edges.map((e: any) => e.node.entityType)).not.toContain('StaffAccount');
  });

  it('filters by entity, actor and time, newest first, in pages', async () => {
    const byEntity = (await admin(AUDIT_LOG, { filter: { entityType: 'Ward', entityId: ward6 } }))
      .data?.auditLog;
    expect(byEntity.edges.map((e: any) => e.node.action)).toEqual(['ward.councillor_status_set']);
    const byActor = (await admin(AUDIT_LOG, { filter: { actorId: adminId }, first: 100 })).data
      ?.auditLog;
    expect(byActor.edges.every((e: any) => e.node.actorId === adminId)).toBe(true);
    const future = (await admin(AUDIT_LOG, { filter: { from: '2999-01-01T00:00:00Z' } })).data
      ?.auditLog;
    expect(future.totalCount).toBe(0);

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await admin(AUDIT_LOG, { first: 3, after })).data?.auditLog;
      seen.push(...page.edges.map((e: any) => e.node.occurredAt));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const total = (await admin(AUDIT_LOG, {})).data?.auditLog.totalCount;
    expect(seen.length).toBe(total);
    expect([...seen].sort().reverse()).toEqual(seen);
  });
});
