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

const FIELDS = `id wardId fullName altName guardianName guardianRelation phone whatsappId preferredLanguage
  dateOfBirth verification verifiedBy verifiedAt erasedAt version createdChannel
  address { houseNumber locality street landmark postOffice pinCode }`;
const PAYLOAD = `resident { ${FIELDS} } duplicateResidentId errors { code field message }`;
const CREATE = `mutation ($input: CreateResidentInput!) { createResident(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation ($input: UpdateResidentInput!) { updateResident(input: $input) { ${PAYLOAD} } }`;
const VERIFY = `mutation ($id: ID!) { verifyResident(input: { residentId: $id }) { ${PAYLOAD} } }`;
const MOVE = `mutation ($input: MoveResidentInput!) { moveResident(input: $input) { ${PAYLOAD} } }`;
const ERASE = `mutation ($input: EraseResidentInput!) { eraseResident(input: $input) { ${PAYLOAD} } }`;
const BY_PHONE = `query ($phone: String!) { residentByPhone(phone: $phone) { id fullName } }`;
const LIST = `query ($filter: ResidentFilter, $first: Int, $after: String) {
  residents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id fullName altName ward { number } } } } }`;

describe('resident registry (e2e)', () => {
  let t: TestApp;
  let wards: string[];
  let ward5: string;
  let ward6: string;
  let admin: GraphQL;
  let coordinator5: GraphQL;
  let coordinator5Id: string;
  let coordinator6: GraphQL;
  let takiAdmin: GraphQL;
  let takiWard: string;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    wards = await insertWards(t, bsr, 6);
    [ward5, ward6] = [wards[4], wards[5]];
    [takiWard] = await insertWards(t, taki, 1);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator5Id = await seedStaff(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    coordinator5 = as(t, (await signIn(t, 'coord.5')).accessToken);
    coordinator6 = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    takiAdmin = await staffClient(t, taki, 'tki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
  });
  afterAll(() => t.close());

  const create = async (client: GraphQL, input: Record<string, unknown>) =>
    (await client(CREATE, { input: { wardId: ward5, ...input } })).data?.createResident;
  const count = async () =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n;

  describe('phone numbers', () => {
    it.each([
      ['+91 98300 11111', '+919830011111'],
      ['098300-11112', '+919830011112'],
      ['9830011113', '+919830011113'],
      ['৯৮৩০০ ১১১১৪', '+919830011114'],
      ['০৯৮৩০০১১১১৫', '+919830011115'],
      ['+৯১-৯৮৩০০-১১১১৬', '+919830011116'],
    ])('stores %p as %p and finds it written any way', async (written, e164) => {
      const created = await create(coordinator5, { fullName: 'ফোন পরীক্ষা', phone: written });
      expect(created.errors).toEqual([]);
      expect(created.resident.phone).toBe(e164);
      const local = `0${e164.slice(3, 8)} ${e164.slice(8)}`.replace(
        /\d/g,
        (d) => '০১২৩৪৫৬৭৮৯'[Number(d)],
      );
      const found = await coordinator5(BY_PHONE, { phone: local });
      expect(found.data?.residentByPhone.id).toBe(created.resident.id);
    });

    it.each([['12345'], ['১২৩'], ['+1 202 555 0143 999'], ['phone']])(
      'refuses %p with a field error',
      async (written) => {
        const before = await count();
        const res = await create(coordinator5, { fullName: 'ভুল ফোন', phone: written });
        expect(res.errors).toEqual([
          expect.objectContaining({ code: 'INVALID_FORMAT', field: 'phone' }),
        ]);
        expect(await count()).toBe(before);
        const lookup = await coordinator5(BY_PHONE, { phone: written });
        expect(lookup.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'phone' });
      },
    );
  });

  it('registers a known number once: the second try names the existing resident', async () => {
    const first = await create(coordinator5, { fullName: 'সালমা খাতুন', phone: '9830022222' });
    const second = await create(coordinator5, { fullName: 'Salma Khatun', phone: '০৯৮৩০০ ২২২২২' });
    expect(second).toEqual({
      resident: null,
      duplicateResidentId: first.resident.id,
      errors: [expect.objectContaining({ code: 'DUPLICATE', field: 'phone' })],
    });
    // A resident the caller may not read stays hidden: DUPLICATE, but no id.
    const hidden = await create(coordinator6, {
      wardId: ward6,
      fullName: 'Salma',
      phone: '9830022222',
    });
    expect(hidden).toEqual({
      resident: null,
      duplicateResidentId: null,
      errors: [expect.objectContaining({ code: 'DUPLICATE', field: 'phone' })],
    });
    // Another municipality is another registry.
    const elsewhere = await create(takiAdmin, {
      wardId: takiWard,
      fullName: 'Salma',
      phone: '9830022222',
    });
    expect(elsewhere.errors).toEqual([]);
  });

  it('validates every field and stores text NFC, PIN codes from Bengali digits', async () => {
    const created = await create(coordinator5, {
      fullName: '  রাজিয়া   বেগম '.normalize('NFD'),
      guardianName: 'আব্দুল করিম',
      guardianRelation: 'HUSBAND',
      address: { houseNumber: '১২/ক', locality: 'ইটিন্ডা রোড', pinCode: '৭৪৩ ৪১১' },
      dateOfBirth: '1980-02-29',
      preferredLanguage: 'BN',
      consent: { channel: 'WALK_IN', purposeVersion: '2026-01' },
    });
    expect(created.resident).toMatchObject({
      fullName: 'রাজিয়া বেগম'.normalize('NFC'),
      address: { houseNumber: '12/ক', pinCode: '743411' },
      createdChannel: 'WALK_IN',
      verification: 'UNVERIFIED',
    });
    const bad = await create(coordinator5, {
      fullName: 'x'.repeat(201),
      address: { pinCode: '12345' },
      dateOfBirth: '2999-01-01',
      channel: 'WHATSAPP',
      whatsappId: 'abc',
    });
    expect(
      bad.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort(),
    ).toEqual([
      'address.pinCode:INVALID_FORMAT',
      'channel:INVALID',
      'dateOfBirth:OUT_OF_RANGE',
      'fullName:TOO_LONG',
      'whatsappId:INVALID_FORMAT',
    ]);
    const unknownWard = await create(admin, { wardId: takiWard, fullName: 'কেউ' });
    expect(unknownWard.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'wardId' }),
    ]);
  });

  describe('search', () => {
    beforeAll(async () => {
      for (const [fullName, altName, houseNumber] of [
        ['রহিম শেখ', null, '12/A'],
        ['Karim Mondal', null, '7'],
        ['আব্দুল বিশ্বাস', 'Abdul Biswas', '31'],
        ['Fatima Roy', null, '9'],
        ['রহিমা খাতুন', null, '44'],
      ]) {
        const res = await create(coordinator5, { fullName, altName, address: { houseNumber } });
        expect(res.errors).toEqual([]);
      }
    });

    const names = async (search: string, client = coordinator5) =>
      (await client(LIST, { filter: { search }, first: 5 })).data?.residents.edges.map(
        (e: any) => e.node.fullName,
      );

    it.each([
      ['Rahim Sheikh', 'রহিম শেখ'],
      ['rahim shekh', 'রহিম শেখ'],
      ['Rahm Sheik', 'রহিম শেখ'],
      ['করিম মণ্ডল', 'Karim Mondal'],
      ['Mandal', 'Karim Mondal'],
      ['Biswas', 'আব্দুল বিশ্বাস'],
      ['বিশ্বাস', 'আব্দুল বিশ্বাস'],
      ['ফাতিমা রায়', 'Fatima Roy'],
      ['12/A', 'রহিম শেখ'],
    ])('finds %p → %p first', async (search, expected) => {
      expect((await names(search))?.[0]).toBe(expected);
    });

    it('ranks the closer name first and pages through ranked results without repeats', async () => {
      const ranked = await names('Rahim');
      expect(ranked?.slice(0, 2)).toEqual(['রহিম শেখ', 'রহিমা খাতুন']);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res = await coordinator5(LIST, { filter: { search: 'Rahim' }, first: 1, after });
        const page: any = res.data?.residents;
        seen.push(...page.edges.map((e: any) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(
        (await coordinator5(LIST, { filter: { search: 'Rahim' } })).data?.residents.totalCount,
      );
    });

    it('finds nothing for a name nobody has, and never another ward’s residents', async () => {
      expect(await names('Xyzzy Qwerty')).toEqual([]);
      expect(await names('Rahim Sheikh', coordinator6)).toEqual([]);
      expect(await names('Rahim Sheikh', takiAdmin)).toEqual([]);
    });

    it('lists with a pinned number of SQL statements', async () => {
      t.queries.reset();
      const res = await coordinator5(LIST, { first: 100 });
      expect(res.errors).toBeUndefined();
      // Session, points budget (taken; the unused part is given back with the caller's next
      // spend), count, page, wards of the page (one batch).
      expect(t.queries.statements).toBe(4);
    });
  });

  it('keeps each ward’s residents to its own coordinators', async () => {
    const { resident } = await create(coordinator5, { fullName: 'গোপন', phone: '9830033333' });
    const read = `query ($id: ID!) { resident(id: $id) { id } }`;
    expect((await coordinator5(read, { id: resident.id })).data?.resident.id).toBe(resident.id);
    expect((await coordinator6(read, { id: resident.id })).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    // Another ward's resident is nobody to this coordinator: null, as for an unknown number.
    const elsewhere = await coordinator6(BY_PHONE, { phone: '9830033333' });
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data?.residentByPhone).toBeNull();
    expect((await takiAdmin(read, { id: resident.id })).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    const update = await coordinator6(UPDATE, {
      input: { id: resident.id, version: 1, altName: 'x' },
    });
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const listed = (await coordinator6(LIST, { first: 100 })).data?.residents.edges.map(
      (e: any) => e.node.id,
    );
    expect(listed).not.toContain(resident.id);
  });

  it('lets exactly one of concurrent updates of the same version win', async () => {
    const { resident } = await create(coordinator5, { fullName: 'একই সময়' });
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((altName) =>
        coordinator5(UPDATE, { input: { id: resident.id, version: 1, altName } }),
      ),
    );
    expect(results.filter((r) => r.data?.updateResident?.resident)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(3);
  });

  it('updates names and keeps search in step; null clears, omitted keeps', async () => {
    const { resident } = await create(coordinator5, {
      fullName: 'পুরনো নাম',
      guardianName: 'পিতা',
      phone: '9830044444',
    });
    const res = await coordinator5(UPDATE, {
      input: { id: resident.id, version: 1, fullName: 'Nobo Kumar', guardianName: null },
    });
    expect(res.data?.updateResident.resident).toMatchObject({
      fullName: 'Nobo Kumar',
      guardianName: null,
      phone: '+919830044444',
      version: 2,
    });
    const found = (await coordinator5(LIST, { filter: { search: 'নব কুমার' } })).data?.residents
      .edges;
    expect(found.map((e: any) => e.node.id)).toContain(resident.id);
  });

  it('verifies with who and when', async () => {
    const { resident } = await create(coordinator5, { fullName: 'যাচাই' });
    const res = await coordinator5(VERIFY, { id: resident.id });
    expect(res.data?.verifyResident.resident).toMatchObject({
      verification: 'VERIFIED',
      verifiedBy: coordinator5Id,
      verifiedAt: expect.any(String),
    });
  });

  it('moves a resident to another ward and keeps the history', async () => {
    const { resident } = await create(coordinator5, { fullName: 'নতুন ঠিকানা' });
    const res = await coordinator5(MOVE, {
      input: { residentId: resident.id, toWardId: ward6, reason: 'বাড়ি বদল' },
    });
    expect(res.data?.moveResident.resident.wardId).toBe(ward6);
    const history = await coordinator6(
      `query ($id: ID!) { resident(id: $id) { ward { number } wardMoves { fromWardId toWardId reason } } }`,
      { id: resident.id },
    );
    expect(history.data?.resident).toEqual({
      ward: { number: 6 },
      wardMoves: [{ fromWardId: ward5, toWardId: ward6, reason: 'বাড়ি বদল' }],
    });
    const gone = await coordinator5(`query ($id: ID!) { resident(id: $id) { id } }`, {
      id: resident.id,
    });
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const nowhere = await coordinator6(MOVE, {
      input: { residentId: resident.id, toWardId: takiWard },
    });
    expect(nowhere.data?.moveResident.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'toWardId' }),
    ]);
  });

  it('erases personal data (DPDP Act) and keeps counts and anonymous history', async () => {
    const { resident } = await create(coordinator5, {
      fullName: 'মুছে ফেলুন',
      altName: 'Erase Me',
      phone: '9830055555',
      guardianName: 'গোপন পিতা',
      address: { houseNumber: '99', street: 'গোপন রাস্তা', pinCode: '743411' },
      dateOfBirth: '1990-01-01',
    });
    await coordinator5(UPDATE, { input: { id: resident.id, version: 1, altName: 'Erase Me Too' } });
    await coordinator5(MOVE, {
      input: { residentId: resident.id, toWardId: wards[0], reason: 'গোপন কারণ' },
    });
    const before = await count();

    const refused = await coordinator5(ERASE, {
      input: { residentId: resident.id, reason: 'DPDP-7' },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const erased = await admin(ERASE, {
      input: { residentId: resident.id, reason: 'DPDP request 7' },
    });
    expect(erased.data?.eraseResident.resident).toMatchObject({
      fullName: '[erased]',
      altName: null,
      phone: null,
      guardianName: null,
      dateOfBirth: null,
      address: { houseNumber: null, street: null, pinCode: null },
      erasedAt: expect.any(String),
    });
    expect(await count()).toBe(before);
    expect((await admin(BY_PHONE, { phone: '9830055555' })).data?.residentByPhone).toBeNull();
    expect((await admin(LIST, { filter: { search: 'Erase Me' } })).data?.residents.totalCount).toBe(
      0,
    );

    const everything = JSON.stringify([
      (await t.db.pool.query('SELECT * FROM residents WHERE id = $1', [resident.id])).rows,
      (
        await t.db.pool.query('SELECT * FROM resident_ward_moves WHERE resident_id = $1', [
          resident.id,
        ])
      ).rows,
      (await t.db.pool.query('SELECT * FROM audit_log WHERE entity_id = $1', [resident.id])).rows,
    ]);
    for (const personal of ['মুছে', 'Erase Me', '9830055555', 'গোপন', '1990-01-01', '743411']) {
      expect(everything).not.toContain(personal);
    }
    const actions = (
      await t.db.pool.query('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq', [
        resident.id,
      ])
    ).rows.map((r) => r.action);
    expect(actions).toEqual([
      'resident.created',
      'resident.updated',
      'resident.moved',
      'resident.erased',
    ]);
    const afterErase = await admin(UPDATE, {
      input: { id: resident.id, version: 3, fullName: 'Back' },
    });
    expect(afterErase.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});
