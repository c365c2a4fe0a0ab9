import { StaffRole } from '../../src/common/access/staff-role';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  signIn,
  staffClient,
} from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const WARD_STAFF = `query ($wardId: ID!, $roles: [StaffRole!]) {
  wardStaff(wardId: $wardId, roles: $roles) { id displayName username phone role active deliveriesUnderWay } }`;
const PAYLOAD = `account { id username displayName phone active } firstSignInPassword errors { code field message }`;
const CREATE = `mutation ($input: CreateFieldAgentInput!) { createFieldAgent(input: $input) { ${PAYLOAD} } }`;
const DEACTIVATE = `mutation ($input: FieldAgentRefInput!) { deactivateFieldAgent(input: $input) { ${PAYLOAD} } }`;
const RESET = `mutation ($input: FieldAgentRefInput!) { resetFieldAgentPassword(input: $input) { ${PAYLOAD} } }`;

describe('a ward’s people, kept by its coordinator (e2e)', () => {
  let t: TestApp;
  let ward5: string;
  let ward6: string;
  let coordinator: GraphQL;
  let coordinatorId: string;
  let agent6Id: string;
  let bsr: string;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.pool.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    coordinatorId = await seedStaff(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    coordinator = as(t, (await signIn(t, 'coord.5')).accessToken);
    agent6Id = await seedStaff(t, bsr, 'agent.6', [{ role: StaffRole.FIELD_AGENT, wardId: ward6 }]);
  });
  afterAll(() => t.close());

  it('creates an agent with a password shown once, lists, resets and deactivates it, all audited', async () => {
    const created = (
      await coordinator(CREATE, {
        input: {
          wardId: ward5,
          username: 'ward5.salma',
          displayName: 'সালমা খাতুন',
          phone: '৯৮৭৬৫ ১১১১১',
        },
      })
    ).data?.createFieldAgent;
    expect(created.errors).toEqual([]);
    expect(created.account).toMatchObject({ username: 'ward5.salma', phone: '+919876511111' });
    const password = created.firstSignInPassword as string;
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    // Stored only as a hash, and not in the audit trail.
    const audit = await t.db.pool.query(
      `SELECT action, actor_label, changes::text FROM audit_log WHERE entity_id = $1 ORDER BY seq`,
      [created.account.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['staff_account.created']);
    expect(audit.rows[0].changes).not.toContain(password);
    const agent = as(t, (await signIn(t, 'ward5.salma', password)).accessToken);
    expect((await agent(`{ myDeliveries { id } }`)).data?.myDeliveries).toEqual([]);

    const people = (await coordinator(WARD_STAFF, { wardId: ward5 })).data?.wardStaff;
    expect(people).toEqual([
      expect.objectContaining({
        id: coordinatorId,
        role: 'WARD_COORDINATOR',
        deliveriesUnderWay: 0,
      }),
      {
        id: created.account.id,
        displayName: 'সালমা খাতুন',
        username: 'ward5.salma',
        phone: '+919876511111',
        role: 'FIELD_AGENT',
        active: true,
        deliveriesUnderWay: 0,
      },
    ]);
    const agentsOnly = (await coordinator(WARD_STAFF, { wardId: ward5, roles: ['FIELD_AGENT'] }))
      .data?.wardStaff;
    expect(agentsOnly.map((p: any) => p.id)).toEqual([created.account.id]);

    const reset = (await coordinator(RESET, { input: { accountId: created.account.id } })).data
      ?.resetFieldAgentPassword;
    expect(reset.errors).toEqual([]);
    expect(reset.firstSignInPassword).not.toBe(password);
    // The old password and the agent's sessions are dead.
    expect((await agent(`{ myDeliveries { id } }`)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    await expect(signIn(t, 'ward5.salma', password)).rejects.toThrow();
    await signIn(t, 'ward5.salma', reset.firstSignInPassword);

    const off = (await coordinator(DEACTIVATE, { input: { accountId: created.account.id } })).data
      ?.deactivateFieldAgent;
    expect(off).toMatchObject({
      account: { active: false },
      firstSignInPassword: null,
      errors: [],
    });
    await expect(signIn(t, 'ward5.salma', reset.firstSignInPassword)).rejects.toThrow();
    const actions = await t.db.pool.query(
      `SELECT action, actor_label FROM audit_log WHERE entity_id = $1 AND action LIKE 'staff_account.%' ORDER BY seq`,
      [created.account.id],
    );
    expect(actions.rows.map((r) => r.action)).toEqual([
      'staff_account.created',
      'staff_account.password_reset',
      'staff_account.deactivated',
    ]);
    expect(new Set(actions.rows.map((r) => r.actor_label))).toEqual(new Set(['coord.5']));
  });

  it('keeps to the coordinator’s own ward and to field agents, changing nothing otherwise', async () => {
    const before = await count(`SELECT count(*) AS n FROM staff_accounts`);
    const CHANGES = `SELECT count(*) AS n FROM audit_log WHERE action IN ('staff_account.deactivated', 'staff_account.password_reset')`;
    const changesBefore = await count(CHANGES);
    const other = await coordinator(CREATE, {
      input: { wardId: ward6, username: 'ward6.x', displayName: 'X' },
    });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await coordinator(WARD_STAFF, { wardId: ward6 })).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    for (const mutation of [DEACTIVATE, RESET]) {
      for (const accountId of [agent6Id, coordinatorId]) {
        const res = await coordinator(mutation, { input: { accountId } });
        expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      }
    }
    const bad = (
      await coordinator(CREATE, {
        input: { wardId: ward5, username: 'A B', displayName: ' ', phone: '12' },
      })
    ).data?.createFieldAgent;
    expect(bad.account).toBeNull();
    expect(bad.firstSignInPassword).toBeNull();
    expect(bad.errors.map((e: any) => [e.code, e.field]).sort()).toEqual(
      [
        ['INVALID_FORMAT', 'username'],
        ['INVALID_FORMAT', 'phone'],
        ['REQUIRED', 'displayName'],
      ].sort(),
    );
    const agent = await staffClient(t, bsr, 'agent.5', [
      { role: StaffRole.FIELD_AGENT, wardId: ward5 },
    ]);
    expect((await agent(WARD_STAFF, { wardId: ward5 })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(await count(`SELECT count(*) AS n FROM staff_accounts`)).toBe(before + 1);
    expect(await count(CHANGES)).toBe(changesBefore);
  });
});
