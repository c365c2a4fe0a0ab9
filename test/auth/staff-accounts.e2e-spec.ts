import { StaffRole } from '../../src/common/access/staff-role';
import {
  as,
  GraphQL,
  insertWards,
  PASSWORD,
  seedMunicipality,
  SIGN_IN,
  signIn,
  staffClient,
} from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ACCOUNT = `account { id username displayName phone active version roles { role wardId } } errors { code field message }`;
const CREATE = `mutation ($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { ${ACCOUNT} } }`;
const UPDATE = `mutation ($input: UpdateStaffAccountInput!) { updateStaffAccount(input: $input) { ${ACCOUNT} } }`;
const DEACTIVATE = `mutation ($input: StaffAccountRefInput!) { deactivateStaffAccount(input: $input) { ${ACCOUNT} } }`;
const REACTIVATE = `mutation ($input: StaffAccountRefInput!) { reactivateStaffAccount(input: $input) { ${ACCOUNT} } }`;
const RESET = `mutation ($input: ResetStaffPasswordInput!) { resetStaffPassword(input: $input) { ${ACCOUNT} } }`;
const LIST = `query ($after: String) { staffAccounts(first: 2, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { username } } } }`;

describe('staff account administration (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let takiAdmin: GraphQL;
  let wards: string[];
  let takiWards: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    wards = await insertWards(t, bsr, 6);
    takiWards = await insertWards(t, taki, 2);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    takiAdmin = await staffClient(t, taki, 'tki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
  });
  afterAll(() => t.close());

  const create = (input: Record<string, unknown>) =>
    admin(CREATE, {
      input: {
        displayName: 'রহিম শেখ',
        password: PASSWORD,
        roles: [{ role: 'SIGNATORY' }],
        ...input,
      },
    });

  it('creates an account whose owner can then sign in with their roles', async () => {
    const res = await create({
      username: 'Rahim.Sk',
      phone: '৯৮৩০০ ১২৩৪৫',
      roles: [
        { role: 'WARD_COORDINATOR', wardId: wards[4] },
        { role: 'FIELD_AGENT', wardId: wards[5] },
      ],
    });
    expect(res.data?.createStaffAccount).toMatchObject({
      errors: [],
      account: {
        username: 'rahim.sk',
        phone: '+919830012345',
        active: true,
        roles: expect.arrayContaining([
          { role: 'WARD_COORDINATOR', wardId: wards[4] },
          { role: 'FIELD_AGENT', wardId: wards[5] },
        ]),
      },
    });
    const me = await as(t, (await signIn(t, 'rahim.sk')).accessToken)(`{ me { wardIds } }`);
    expect(me.data?.me.wardIds).toEqual([wards[4], wards[5]].sort());
  });

  it.each([
    ['a weak password', { username: 'weak.one', password: 'password123' }, 'TOO_WEAK', 'password'],
    [
      'a password holding the username',
      { username: 'karim', password: 'karim-is-great-2026' },
      'TOO_WEAK',
      'password',
    ],
    ['a bad username', { username: 'has space' }, 'INVALID_FORMAT', 'username'],
    ['no roles', { username: 'no.roles', roles: [] }, 'TOO_SHORT', 'roles'],
    [
      'a ward role without a ward',
      { username: 'x.y', roles: [{ role: 'FIELD_AGENT' }] },
      'REQUIRED',
      'roles.0.wardId',
    ],
    [
      'a municipal role with a ward',
      {
        username: 'x.z',
        roles: [{ role: 'SIGNATORY', wardId: '00000000-0000-4000-8000-000000000000' }],
      },
      'INVALID',
      'roles.0.wardId',
    ],
    [
      'another municipality’s ward',
      { username: 'x.w', roles: [{ role: 'SIGNATORY' }, { role: 'FIELD_AGENT', wardId: 'TAKI' }] },
      'NOT_FOUND',
      'roles.1.wardId',
    ],
    ['a blank display name', { username: 'x.v', displayName: '  ' }, 'REQUIRED', 'displayName'],
    ['a bad phone', { username: 'x.u', phone: '12' }, 'INVALID_FORMAT', 'phone'],
  ])('refuses %s and stores nothing', async (_label, input: any, code, field) => {
    if (input.roles?.[1]?.wardId === 'TAKI') input.roles[1].wardId = takiWards[0];
    const before = await t.db.pool.query('SELECT count(*)::int AS n FROM staff_accounts');
    const res = await create(input);
    expect(res.data?.createStaffAccount.account).toBeNull();
    expect(res.data?.createStaffAccount.errors).toEqual([expect.objectContaining({ code, field })]);
    const after = await t.db.pool.query('SELECT count(*)::int AS n FROM staff_accounts');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a username or phone another account has', async () => {
    await create({ username: 'dup.one', phone: '+919830099999' });
    const sameName = await create({ username: 'DUP.ONE' });
    expect(sameName.data?.createStaffAccount.errors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', field: 'username' }),
    ]);
    const samePhone = await create({ username: 'dup.two', phone: '098300 99999' });
    expect(samePhone.data?.createStaffAccount.errors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', field: 'phone' }),
    ]);
  });

  it('updates with optimistic locking and replaces roles', async () => {
    const { id } = (await create({ username: 'upd.me' })).data!.createStaffAccount.account;
    const res = await admin(UPDATE, {
      input: {
        id,
        version: 1,
        displayName: 'New Name',
        roles: [{ role: 'FIELD_AGENT', wardId: wards[0] }],
      },
    });
    expect(res.data?.updateStaffAccount.account).toMatchObject({
      displayName: 'New Name',
      version: 2,
      roles: [{ role: 'FIELD_AGENT', wardId: wards[0] }],
    });
    const stale = await admin(UPDATE, { input: { id, version: 1, displayName: 'Again' } });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'version' });
    const foreign = await takiAdmin(UPDATE, { input: { id, version: 2, displayName: 'Hijack' } });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('deactivation ends the account’s sessions at once and blocks sign-in; reactivation restores it', async () => {
    const { id } = (await create({ username: 'leaving.soon' })).data!.createStaffAccount.account;
    const session = await signIn(t, 'leaving.soon');
    const client = as(t, session.accessToken);
    expect((await client(`{ me { actorType } }`)).data?.me.actorType).toBe('STAFF');

    const res = await admin(DEACTIVATE, { input: { accountId: id } });
    expect(res.data?.deactivateStaffAccount.account.active).toBe(false);
    expect((await client(`{ me { actorType } }`)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const refresh = await t.gql(
      `mutation ($t: String!) { refreshSession(input: { refreshToken: $t }) { accessToken } }`,
      {
        t: session.refreshToken,
      },
    );
    expect(refresh.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const again = await t.gql(SIGN_IN, { input: { login: 'leaving.soon', password: PASSWORD } });
    expect(again.errors?.[0].message).toBe('Invalid login or password');

    await admin(REACTIVATE, { input: { accountId: id } });
    await t.db.pool.query('DELETE FROM sign_in_throttles');
    expect((await signIn(t, 'leaving.soon')).accessToken).toBeTruthy();
  });

  it('an administrator cannot deactivate their own account or reset their own password', async () => {
    const me = await admin(`{ me { staffAccount { id } } }`);
    const res = await admin(DEACTIVATE, { input: { accountId: me.data?.me.staffAccount.id } });
    expect(res.data?.deactivateStaffAccount.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'accountId' }),
    ]);
    const reset = await admin(RESET, {
      input: { accountId: me.data?.me.staffAccount.id, newPassword: 'a takeover passphrase' },
    });
    expect(reset.data?.resetStaffPassword.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'accountId' }),
    ]);
  });

  it('a password reset ends every session and only the new password works', async () => {
    const { id } = (await create({ username: 'forgetful' })).data!.createStaffAccount.account;
    const session = await signIn(t, 'forgetful');
    const weak = await admin(RESET, { input: { accountId: id, newPassword: 'forgetful1234' } });
    expect(weak.data?.resetStaffPassword.errors).toEqual([
      expect.objectContaining({ code: 'TOO_WEAK', field: 'newPassword' }),
    ]);
    await admin(RESET, { input: { accountId: id, newPassword: 'temporary passphrase 7' } });
    const me = await as(t, session.accessToken)(`{ me { actorType } }`);
    expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await signIn(t, 'forgetful', 'temporary passphrase 7')).accessToken).toBeTruthy();
  });

  it('lists the municipality’s accounts only, by username, in pages', async () => {
    const usernames: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await admin(LIST, { after });
      const page: any = res.data?.staffAccounts;
      usernames.push(...page.edges.map((e: any) => e.node.username));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(usernames).toEqual([...usernames].sort());
    expect(usernames).toContain('bsr.admin');
    expect(usernames).not.toContain('tki.admin');
  });
});
