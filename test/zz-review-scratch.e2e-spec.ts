import { StaffRole } from '../src/common/access/staff-role';
import {
  as,
  insertWards,
  PASSWORD,
  seedMunicipality,
  seedStaff,
  SIGN_IN,
  signIn,
} from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

const out: Record<string, unknown> = {};
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const code = (r: any) => r.errors?.[0]?.extensions?.code ?? 'OK';

describe('review scratch', () => {
  let t: TestApp;
  let m1: string;
  let m2: string;
  let wards: string[];
  let otherWards: string[];
  let admin: any;
  let coord: any;

  beforeAll(async () => {
    t = await startTestApp();
    m1 = await seedMunicipality(t, 'BSR');
    m2 = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    wards = await insertWards(t, m1, 3);
    otherWards = await insertWards(t, m2, 2);
    await seedStaff(t, m1, 'adm', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    admin = as(t, (await signIn(t, 'adm')).accessToken);
    await seedStaff(t, m1, 'coord1', [{ role: StaffRole.WARD_COORDINATOR, wardId: wards[0] }], {
      phone: '+919876543210',
    });
    coord = as(t, (await signIn(t, 'coord1')).accessToken);
    await seedStaff(t, m2, 'other.adm', [{ role: StaffRole.MUNICIPAL_ADMIN }], {
      phone: '+919830012345',
    });
  });
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(out, null, 1));
    await t.close();
  });

  it('throttle: phone variants are separate keys', async () => {
    await t.db.pool.query('DELETE FROM sign_in_throttles');
    const fails: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await t.gql(SIGN_IN, { input: { login: '+919876543210', password: 'wrong' + i } });
      fails.push(code(r));
      await t.db.pool.query(`UPDATE sign_in_throttles SET locked_until = NULL WHERE failures < 10`);
    }
    const locked = await t.gql(SIGN_IN, { input: { login: '+919876543210', password: PASSWORD } });
    // clear only the per-address key: simulate another IP (address key hashed differently)
    const keys = await t.db.pool.query('SELECT key, failures, locked_until FROM sign_in_throttles');
    const variants = [
      '09876543210',
      '9876543210',
      '+91 98765 43210',
      '৯৮৭৬৫৪৩২১০',
      '98765-43210',
      'coord1',
    ];
    const res: Record<string, string> = {};
    for (const v of variants) {
      // drop the address-key lock so only the login key matters (another client address)
      await t.db.pool.query(`DELETE FROM sign_in_throttles WHERE failures < 10 OR key <> ALL($1)`, [
        keys.rows.filter((r) => r.failures >= 10).map((r) => r.key),
      ]);
      const r = await t.gql(SIGN_IN, { input: { login: v, password: PASSWORD } });
      res[v] = r.data?.signIn?.accessToken ? 'SIGNED_IN' : code(r);
    }
    out.throttle = { fails, lockedCanonical: code(locked), rows: keys.rowCount, variants: res };
  });

  it('residents: duplicate phone leaks another ward resident', async () => {
    const create = `mutation($i: CreateResidentInput!){ createResident(input:$i){ resident{id wardId} duplicateResidentId errors{code field message} } }`;
    const a = await admin(create, {
      i: { wardId: wards[1], fullName: 'Rahim Sheikh', phone: '+919800000001' },
    });
    const hiddenId = a.data.createResident.resident.id;
    const byPhone = await coord(`query{ residentByPhone(phone:"+919800000001"){ id } }`);
    const byId = await coord(`query($id:ID!){ resident(id:$id){ id } }`, { id: hiddenId });
    const dup = await coord(create, {
      i: { wardId: wards[0], fullName: 'X', phone: '09800000001' },
    });
    out.dupLeak = {
      hiddenId,
      residentByPhone: code(byPhone),
      residentById: code(byId),
      createDuplicate: dup.data?.createResident,
    };
    // Update path too
    const mine = await coord(create, {
      i: { wardId: wards[0], fullName: 'Mine', phone: '+919800000002' },
    });
    const r = mine.data.createResident.resident;
    const upd = await coord(
      `mutation($i: UpdateResidentInput!){ updateResident(input:$i){ duplicateResidentId errors{code} } }`,
      { i: { id: r.id, version: 1, phone: '+919800000001' } },
    );
    out.dupLeakUpdate = upd.data ?? upd.errors;
    // import oracle
    const resp = await fetch(`${t.url}/imports/residents`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${(await signIn(t, 'coord1')).accessToken}`,
      },
      body: 'ward_number,full_name,phone\n1,Someone,+919800000001\n1,Nobody,+919800000099\n',
    });
    out.importOracle = await resp.json();
  });

  it('NUL bytes and bad cursors', async () => {
    const probes: Record<string, [string, Record<string, unknown>?, any?]> = {
      wardsSearch: [
        `query($s:String){ wards(filter:{search:$s}){ totalCount } }`,
        { s: 'a\u0000b' },
      ],
      auditEntityType: [
        `query($s:String){ auditLog(filter:{entityType:$s}){ totalCount } }`,
        { s: 'W\u0000' },
      ],
      residentsSearch: [
        `query($s:String){ residents(filter:{search:$s}){ totalCount } }`,
        { s: 'ra\u0000him' },
      ],
      municipalityCode: [`query($c:String){ municipality(code:$c){ id } }`, { c: 'B\u0000' }],
      createWardName: [
        `mutation($i:CreateWardInput!){ createWard(input:$i){ ward{id} errors{code} } }`,
        { i: { number: 50, nameBn: 'ক\u0000', nameEn: 'x' } },
      ],
      createResidentName: [
        `mutation($i:CreateResidentInput!){ createResident(input:$i){ resident{id} errors{code} } }`,
        { i: { wardId: wards[0], fullName: 'Ra\u0000him' } },
      ],
      createApiClientName: [
        `mutation($i:CreateApiClientInput!){ createApiClient(input:$i){ apiKey errors{code} } }`,
        { i: { name: 'E\u0000RP', scopes: ['WARDS_READ'] } },
      ],
      apiClientsBadCursor: [
        `query($a:String){ apiClients(after:$a){ totalCount } }`,
        { a: b64(['not-a-date', '00000000-0000-4000-8000-000000000000']) },
      ],
      wardsHugeNumberCursor: [
        `query($a:String){ wards(after:$a){ totalCount } }`,
        { a: b64([m1, 3000000000, '00000000-0000-4000-8000-000000000000']) },
      ],
      auditHugeSeqCursor: [
        `query($a:String){ auditLog(after:$a){ totalCount } }`,
        { a: b64(['99999999999999999999']) },
      ],
      residentsNulCursor: [
        `query($a:String){ residents(after:$a){ totalCount } }`,
        { a: b64(['n', 'a\u0000', '00000000-0000-4000-8000-000000000000']) },
      ],
      staffNulCursor: [
        `query($a:String){ staffAccounts(after:$a){ totalCount } }`,
        { a: b64(['a\u0000']) },
      ],
      wardUpperUuid: [`query($id:ID!){ ward(id:$id){ id } }`, { id: 'ZZZ' }],
      auditFrom: [`query{ auditLog(filter:{from:"2020-13-45"}){ totalCount } }`],
      firstHuge: [`query{ wards(first: 2147483647){ totalCount } }`],
      firstNeg: [`query{ wards(first: -1){ totalCount } }`],
      otherMunicipalityWardById: [`query($id:ID!){ ward(id:$id){ id } }`, { id: otherWards[0] }],
      otherMunicipalityById: [`query($id:ID!){ municipality(id:$id){ id } }`, { id: m2 }],
    };
    const res: Record<string, unknown> = {};
    for (const [name, [q, v]] of Object.entries(probes)) {
      const r = await admin(q, v);
      res[name] = r.errors
        ? r.errors.map((e: any) => `${e.extensions?.code}: ${e.message}`)
        : r.data;
    }
    const signInNul = await t.gql(SIGN_IN, { input: { login: 'ad\u0000m', password: 'x' } });
    res.signInNul =
      signInNul.errors?.map((e: any) => `${e.extensions?.code}: ${e.message}`) ?? signInNul.data;
    const updStaff = await admin(
      `mutation($i:UpdateStaffAccountInput!){ updateStaffAccount(input:$i){ account{id} errors{code} } }`,
      {
        i: {
          id: (await t.db.pool.query(`SELECT id FROM staff_accounts WHERE username='coord1'`))
            .rows[0].id,
          version: 1,
          displayName: 'C\u0000',
        },
      },
    );
    res.updStaffNul = updStaff.errors?.map((e: any) => e.extensions?.code) ?? updStaff.data;
    const csvResp = await fetch(`${t.url}/imports/residents`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${(await signIn(t, 'adm')).accessToken}`,
      },
      body: 'ward_number,full_name\n1,Ab\u0000c\n',
    });
    res.importNul = { status: csvResp.status, body: await csvResp.text() };
    out.probes = res;
    out.logSample = t.logs
      .filter((l) => l.includes('"level":50'))
      .slice(0, 3)
      .map((l) => l.slice(0, 900));
  });

  it('staff unique constraints leak across municipalities', async () => {
    const r = await admin(
      `mutation($i:CreateStaffAccountInput!){ createStaffAccount(input:$i){ account{id} errors{code field message} } }`,
      {
        i: {
          username: 'new.person',
          displayName: 'N',
          phone: '+919830012345',
          password: 'a much better pw 42',
          roles: [{ role: 'SIGNATORY' }],
        },
      },
    );
    const r2 = await admin(
      `mutation($i:CreateStaffAccountInput!){ createStaffAccount(input:$i){ account{id} errors{code field message} } }`,
      {
        i: {
          username: 'other.adm',
          displayName: 'N',
          password: 'a much better pw 42',
          roles: [{ role: 'SIGNATORY' }],
        },
      },
    );
    out.staffLeak = { phone: r.data?.createStaffAccount, username: r2.data?.createStaffAccount };
  });

  it('admin resets own password without the current one', async () => {
    const me = await admin(`{ me { staffAccount { id } } }`);
    const r = await admin(
      `mutation($i:ResetStaffPasswordInput!){ resetStaffPassword(input:$i){ account{id} errors{code message} } }`,
      { i: { accountId: me.data.me.staffAccount.id, newPassword: 'attacker chosen pw 99' } },
    );
    const s = await t.gql(SIGN_IN, { input: { login: 'adm', password: 'attacker chosen pw 99' } });
    out.selfReset = {
      reset: r.data ?? r.errors,
      signIn: s.data?.signIn?.accessToken ? 'SIGNED_IN' : code(s),
    };
  });
});
