import { SignJWT } from 'jose';
import { sha256Hex } from '../../src/common/crypto/sha256';
import { StaffRole } from '../../src/common/access/staff-role';
import { as, PASSWORD, seedMunicipality, seedStaff, SIGN_IN, signIn } from '../support/fixtures';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';

const ME = `{ me { actorType municipalityId wardIds permissions staffAccount { username }
  roles { role wardId ward { number } } municipality { code } } }`;
const REFRESH = `mutation ($input: RefreshSessionInput!) {
  refreshSession(input: $input) { accessToken refreshToken account { username } } }`;
const SIGN_OUT = `mutation { signOut { endedSessions } }`;
const SIGN_OUT_EVERYWHERE = `mutation { signOutEverywhere { endedSessions } }`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) {
  changePassword(input: $input) { account { id } errors { code field message } } }`;

describe('sign-in and sessions (e2e)', () => {
  let t: TestApp;
  let municipalityId: string;
  let ward5: string;
  let coordinatorId: string;

  beforeAll(async () => {
    t = await startTestApp();
    municipalityId = await seedMunicipality(t);
    [ward5] = await t.db.pool
      .query(
        `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours)
         VALUES ($1, 5, 'ওয়ার্ড ৫', 'Ward 5', '{}') RETURNING id`,
        [municipalityId],
      )
      .then((r) => r.rows.map((row) => row.id));
    coordinatorId = await seedStaff(
      t,
      municipalityId,
      'ward5.coordinator',
      [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }],
      { phone: '+919876543210' },
    );
  });
  afterAll(() => t.close());

  const status = async (token: string) => {
    const res = await as(t, token)(`{ me { staffAccount { username } } }`);
    return res.errors?.[0].extensions?.code ?? 'OK';
  };
  const clearThrottles = () => t.db.pool.query('DELETE FROM sign_in_throttles');

  it('signs in by username or by phone written with Bengali digits, and tells who is calling', async () => {
    const byName = await signIn(t, '  Ward5.Coordinator ');
    const byPhone = await signIn(t, '০৯৮৭৬৫-৪৩২১০');
    for (const session of [byName, byPhone]) {
      const me = await as(t, session.accessToken)(ME);
      expect(me.data?.me).toEqual({
        actorType: 'STAFF',
        municipalityId,
        wardIds: [ward5],
        permissions: expect.arrayContaining(['WARDS_READ', 'REQUESTS_WRITE', 'AUDIT_READ']),
        staffAccount: { username: 'ward5.coordinator' },
        roles: [{ role: 'WARD_COORDINATOR', wardId: ward5, ward: { number: 5 } }],
        municipality: { code: 'BSR' },
      });
      expect(me.data?.me.permissions).not.toContain('WARDS_MANAGE');
    }
    const sessions = await t.db.pool.query(
      'SELECT count(*)::int AS n FROM auth_sessions WHERE account_id = $1',
      [coordinatorId],
    );
    expect(sessions.rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it('stores refresh tokens hashed, never as given', async () => {
    const { refreshToken } = await signIn(t, 'ward5.coordinator');
    const stored = await t.db.pool.query('SELECT token_hash FROM refresh_tokens');
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(refreshToken);
    expect(stored.rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    const hash = await t.db.pool.query('SELECT password_hash FROM staff_accounts WHERE id = $1', [
      coordinatorId,
    ]);
    expect(hash.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers a wrong password and an unknown account alike', async () => {
    await clearThrottles();
    const wrong = await t.gql(SIGN_IN, {
      input: { login: 'ward5.coordinator', password: 'not the password' },
    });
    const unknown = await t.gql(SIGN_IN, {
      input: { login: 'nobody.here', password: 'not the password' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.data?.signIn ?? null).toBeNull();
      expect(res.errors?.[0]).toMatchObject({
        message: 'Invalid login or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    const blank = await t.gql(SIGN_IN, { input: { login: ' ', password: '' } });
    expect(blank.data?.signIn.errors.map((e: { field: string }) => e.field)).toEqual([
      'login',
      'password',
    ]);
  });

  it('slows down then locks a login name after repeated failures, whether or not it exists', async () => {
    await clearThrottles();
    // The existing name last: its one-second wait must still run when the right password
    // comes (on a slow machine, six more sign-ins in between outlasted it).
    for (const login of ['nobody.here', 'ward5.coordinator']) {
      const codes: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const res = await t.gql(SIGN_IN, { input: { login, password: `wrong ${i}` } });
        codes.push(res.errors?.[0].extensions?.code);
      }
      // Four free failures, the fifth imposes a wait, the sixth hits it.
      expect(codes).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'RATE_LIMITED',
      ]);
    }
    const locked = await t.gql(SIGN_IN, {
      input: { login: 'ward5.coordinator', password: PASSWORD },
    });
    expect(locked.errors?.[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });

    // The wait passes (moved into the past here rather than slept through).
    await t.db.pool.query(
      `UPDATE sign_in_throttles SET locked_until = now() - interval '1 second'`,
    );
    await t.db.pool.query(`UPDATE sign_in_throttles SET failures = 9`);
    const tenth = await t.gql(SIGN_IN, {
      input: { login: 'ward5.coordinator', password: 'wrong again' },
    });
    expect(tenth.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const afterTenth = await t.gql(SIGN_IN, {
      input: { login: 'ward5.coordinator', password: PASSWORD },
    });
    expect(afterTenth.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(850);

    await t.db.pool.query(`UPDATE sign_in_throttles SET locked_until = NULL`);
    expect((await signIn(t, 'ward5.coordinator')).accessToken).toEqual(expect.any(String));
    // Success forgets the failures of that name (keys are stored hashed).
    const loginKey = sha256Hex(`login:account:${coordinatorId}`);
    const row = await t.db.pool.query('SELECT 1 FROM sign_in_throttles WHERE key = $1', [loginKey]);
    expect(row.rowCount).toBe(0);
    const other = await t.db.pool.query('SELECT 1 FROM sign_in_throttles WHERE key = $1', [
      sha256Hex('login:user:nobody.here'),
    ]);
    expect(other.rowCount).toBe(1);
  });

  it('counts every way of writing a login against the same account', async () => {
    await clearThrottles();
    // Failures spread over the username and four spellings of the phone number…
    const spellings = [
      'ward5.coordinator',
      '+919876543210',
      '09876543210',
      '৯৮৭৬৫ ৪৩২১০',
      '98765-43210',
    ];
    for (const login of spellings) {
      const res = await t.gql(SIGN_IN, { input: { login, password: 'wrong guess' } });
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    // …add up to one lock, whichever spelling comes next, the right password included.
    for (const login of ['WARD5.Coordinator', '+91 98765 43210', '9876543210']) {
      const res = await t.gql(SIGN_IN, { input: { login, password: PASSWORD } });
      expect(res.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    }
    // An unknown phone is one key however it is written.
    await clearThrottles();
    for (const login of [
      '+919000000001',
      '09000000001',
      '৯০০০০ ০০০০১',
      '90000-00001',
      '9000000001',
    ]) {
      await t.gql(SIGN_IN, { input: { login, password: 'x' } });
    }
    const sixth = await t.gql(SIGN_IN, { input: { login: '+91 90000 00001', password: 'x' } });
    expect(sixth.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });

  it('lets no burst of parallel guesses slip past the waits', async () => {
    await clearThrottles();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.gql(SIGN_IN, { input: { login: 'ward5.coordinator', password: `parallel ${i}` } }),
      ),
    );
    const codes = results.map((r) => r.errors?.[0].extensions?.code);
    // Four free failures and the one that imposes the first wait; the rest are refused
    // before any password is checked.
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(15);
    await clearThrottles();
  });

  it('rotates refresh tokens, and a reused one ends the whole session', async () => {
    await clearThrottles();
    const first = await signIn(t, 'ward5.coordinator');
    const second = (await t.gql(REFRESH, { input: { refreshToken: first.refreshToken } })).data
      ?.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await status(second.accessToken)).toBe('OK');
    const third = (await t.gql(REFRESH, { input: { refreshToken: second.refreshToken } })).data
      ?.refreshSession;
    expect(await status(third.accessToken)).toBe('OK');

    const replay = await t.gql(REFRESH, { input: { refreshToken: first.refreshToken } });
    expect(replay.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0].message).toContain('already used');
    // Every token of the family is dead now, including the newest.
    expect(await status(third.accessToken)).toBe('UNAUTHENTICATED');
    const newest = await t.gql(REFRESH, { input: { refreshToken: third.refreshToken } });
    expect(newest.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const garbage = await t.gql(REFRESH, { input: { refreshToken: 'made-up' } });
    expect(garbage.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets two refreshes race: one wins, the session ends for the replay', async () => {
    const { refreshToken } = await signIn(t, 'ward5.coordinator');
    const results = await Promise.all(
      [1, 2, 3].map(() => t.gql(REFRESH, { input: { refreshToken } })),
    );
    expect(results.filter((r) => r.data?.refreshSession?.accessToken)).toHaveLength(1);
    expect(
      results.filter((r) => r.errors?.[0].extensions?.code === 'UNAUTHENTICATED'),
    ).toHaveLength(2);
  });

  it('signs out one session, or every session', async () => {
    const a = await signIn(t, 'ward5.coordinator');
    const b = await signIn(t, 'ward5.coordinator');
    expect((await as(t, a.accessToken)(SIGN_OUT)).data?.signOut).toEqual({ endedSessions: 1 });
    expect(await status(a.accessToken)).toBe('UNAUTHENTICATED');
    expect(await status(b.accessToken)).toBe('OK');
    const refreshAfterSignOut = await t.gql(REFRESH, { input: { refreshToken: a.refreshToken } });
    expect(refreshAfterSignOut.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const c = await signIn(t, 'ward5.coordinator');
    const everywhere = await as(t, c.accessToken)(SIGN_OUT_EVERYWHERE);
    expect(everywhere.data?.signOutEverywhere.endedSessions).toBeGreaterThanOrEqual(2);
    expect(await status(b.accessToken)).toBe('UNAUTHENTICATED');
    expect(await status(c.accessToken)).toBe('UNAUTHENTICATED');
  });

  it('refuses expired, forged and malformed access tokens', async () => {
    const { accessToken } = await signIn(t, 'ward5.coordinator');
    const { sid, sub } = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const expired = await new SignJWT({ sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('duare')
      .setAudience('duare-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const res = await as(t, expired)(`{ me { actorType } }`);
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringContaining('expired'),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const forged = await new SignJWT({ sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('duare')
      .setAudience('duare-api')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters'));
    expect(await status(forged)).toBe('UNAUTHENTICATED');
    const noAuth = await t.gql(`{ me { actorType } }`, {}, { authorization: 'Basic abc' });
    expect(noAuth.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('changes a password: the current one is required, other sessions end, this one stays', async () => {
    await clearThrottles();
    const mine = await signIn(t, 'ward5.coordinator');
    const other = await signIn(t, 'ward5.coordinator');
    const client = as(t, mine.accessToken);
    const wrong = await client(CHANGE_PASSWORD, {
      input: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.data?.changePassword.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'currentPassword' }),
    ]);
    // Wrong current passwords are throttled like sign-ins: with the one above, five
    // failures, and the fifth imposes a wait.
    for (let i = 0; i < 3; i += 1) {
      await client(CHANGE_PASSWORD, {
        input: { currentPassword: `guess ${i}`, newPassword: 'whatever passphrase' },
      });
    }
    const throttled = await client(CHANGE_PASSWORD, {
      input: { currentPassword: 'guess 5', newPassword: 'whatever passphrase' },
    });
    expect(throttled.data?.changePassword.errors[0].code).toBe('INVALID');
    const refused = await client(CHANGE_PASSWORD, {
      input: { currentPassword: PASSWORD, newPassword: 'whatever passphrase' },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    await clearThrottles();
    const weak = await client(CHANGE_PASSWORD, {
      input: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(weak.data?.changePassword.errors).toEqual([
      expect.objectContaining({ code: 'TOO_WEAK', field: 'newPassword' }),
    ]);
    const done = await client(CHANGE_PASSWORD, {
      input: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(done.data?.changePassword.errors).toEqual([]);
    expect(await status(mine.accessToken)).toBe('OK');
    expect(await status(other.accessToken)).toBe('UNAUTHENTICATED');
    const oldPassword = await t.gql(SIGN_IN, {
      input: { login: 'ward5.coordinator', password: PASSWORD },
    });
    expect(oldPassword.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    await clearThrottles();
    expect(
      (await signIn(t, 'ward5.coordinator', 'a brand new passphrase')).accessToken,
    ).toBeTruthy();
  });
});
