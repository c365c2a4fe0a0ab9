import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { CREATE_WARD, WARD_FIELDS } from '../support/ward-queries';

const UPDATE_WARD = `
  mutation ($input: UpdateWardInput!) {
    updateWard(input: $input) { ward { ${WARD_FIELDS} } errors { code field message } }
  }`;
const SET_STATUS = `
  mutation ($input: SetWardCouncillorStatusInput!) {
    setWardCouncillorStatus(input: $input) {
      ward { id councillorStatus councillorStatusSince version
             councillorStatusHistory { status since note } }
      errors { code field message }
    }
  }`;
const DEACTIVATE = `
  mutation ($input: DeactivateWardInput!) {
    deactivateWard(input: $input) { ward { id active deactivatedAt version } errors { code field } }
  }`;

describe('ward mutations (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let takiAdmin: GraphQL;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    takiAdmin = await staffClient(t, taki, 'tki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
  });
  afterAll(() => t.close());

  const wardCount = async () =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM wards')).rows[0].n as number;

  describe('createWard', () => {
    it('stores a ward with normalised text and phone, and starts its status history', async () => {
      const res = await admin(CREATE_WARD, {
        input: {
          number: 5,
          nameBn: '  ওয়ার্ড   ৫ '.normalize('NFD'),
          nameEn: 'Ward 5',
          councillorStatus: 'VACANT',
          councillorStatusSince: '2022-03-20',
          population: 7000,
          helplineWhatsappNumber: '০৭০০০০ ০০০০৫',
          whatsappPhoneNumberId: '100000000000005',
        },
      });
      expect(res.data?.createWard.errors).toEqual([]);
      const ward = res.data?.createWard.ward;
      expect(ward).toMatchObject({
        number: 5,
        nameBn: 'ওয়ার্ড ৫'.normalize('NFC'),
        councillorStatus: 'VACANT',
        councillorStatusSince: '2022-03-20',
        helplineWhatsappNumber: '+917000000005',
        active: true,
        version: 1,
        serviceHours: {
          days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
          opensAt: '00:00',
          closesAt: '24:00',
        },
      });
      const row = (await t.db.pool.query('SELECT * FROM wards WHERE id = $1', [ward.id])).rows[0];
      expect(row.name_bn).toBe('ওয়ার্ড ৫'.normalize('NFC'));
      expect(row.helpline_whatsapp_number).toBe('+917000000005');
      const history = await t.db.pool.query(
        'SELECT status, since::text FROM ward_councillor_status_changes WHERE ward_id = $1',
        [ward.id],
      );
      expect(history.rows).toEqual([{ status: 'VACANT', since: '2022-03-20' }]);
    });

    it.each([
      ['negative population', { population: -1 }, 'OUT_OF_RANGE', 'population'],
      ['zero ward number', { number: 0 }, 'OUT_OF_RANGE', 'number'],
      ['blank Bengali name', { nameBn: '   ' }, 'REQUIRED', 'nameBn'],
      ['huge English name', { nameEn: 'x'.repeat(100_000) }, 'TOO_LONG', 'nameEn'],
      [
        'invalid phone',
        { helplineWhatsappNumber: '১২৩' },
        'INVALID_FORMAT',
        'helplineWhatsappNumber',
      ],
      [
        'future status date',
        { councillorStatusSince: '2999-01-01' },
        'OUT_OF_RANGE',
        'councillorStatusSince',
      ],
      [
        'impossible date',
        { councillorStatusSince: '2022-02-30' },
        'INVALID_FORMAT',
        'councillorStatusSince',
      ],
      [
        'non-numeric phone_number_id',
        { whatsappPhoneNumberId: 'abc' },
        'INVALID_FORMAT',
        'whatsappPhoneNumberId',
      ],
      [
        'closing before opening',
        { serviceHours: { days: ['MON'], opensAt: '18:00', closesAt: '09:00' } },
        'OUT_OF_RANGE',
        'serviceHours.closesAt',
      ],
      [
        'no service days',
        { serviceHours: { days: [], opensAt: '09:00', closesAt: '17:00' } },
        'TOO_SHORT',
        'serviceHours.days',
      ],
      [
        'badly written time',
        { serviceHours: { days: ['MON'], opensAt: '9am', closesAt: '17:00' } },
        'INVALID_FORMAT',
        'serviceHours.opensAt',
      ],
    ])(
      'refuses a %s with a field error and stores nothing',
      async (_label, change, code, field) => {
        const before = await wardCount();
        const res = await admin(CREATE_WARD, {
          input: { number: 77, nameBn: 'ওয়ার্ড ৭৭', nameEn: 'Ward 77', ...change },
        });
        expect(res.errors).toBeUndefined();
        expect(res.data?.createWard.ward).toBeNull();
        expect(res.data?.createWard.errors).toEqual([
          expect.objectContaining({ code, field, message: expect.any(String) }),
        ]);
        expect(await wardCount()).toBe(before);
      },
    );

    it('reports every problem of an input at once', async () => {
      const res = await admin(CREATE_WARD, {
        input: { number: -3, nameBn: '', nameEn: '', population: -5 },
      });
      const fields = res.data?.createWard.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['nameBn', 'nameEn', 'number', 'population']);
    });

    it('refuses a duplicate ward number in the same municipality, not in another', async () => {
      const input = { number: 9, nameBn: 'ওয়ার্ড ৯', nameEn: 'Ward 9' };
      expect((await admin(CREATE_WARD, { input })).data?.createWard.errors).toEqual([]);
      const again = await admin(CREATE_WARD, { input });
      expect(again.data?.createWard).toEqual({
        ward: null,
        errors: [expect.objectContaining({ code: 'DUPLICATE', field: 'number' })],
      });
      const elsewhere = await takiAdmin(CREATE_WARD, { input });
      expect(elsewhere.data?.createWard.errors).toEqual([]);
    });

    it('refuses a WhatsApp phone_number_id already routed to another ward', async () => {
      const base = { nameBn: 'ক', nameEn: 'K', whatsappPhoneNumberId: '5550001' };
      await admin(CREATE_WARD, { input: { ...base, number: 31 } });
      const res = await admin(CREATE_WARD, { input: { ...base, number: 32 } });
      expect(res.data?.createWard.errors).toEqual([
        expect.objectContaining({ code: 'DUPLICATE', field: 'whatsappPhoneNumberId' }),
      ]);
    });

    it('rejects wrongly typed values before running anything', async () => {
      const res = await admin(CREATE_WARD, {
        input: { number: 'five', nameBn: 'ক', nameEn: 'K' },
      });
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain('number');
    });
  });

  describe('updateWard', () => {
    let ward: { id: string; version: number };
    // A number of its own for each test's ward (a random one collided now and then).
    let nextNumber = 100;
    beforeEach(async () => {
      const number = nextNumber++;
      const res = await admin(CREATE_WARD, {
        input: { number, nameBn: 'পুরনো', nameEn: 'Old' },
      });
      ward = res.data?.createWard.ward;
    });

    it('changes the given fields, keeps the others and bumps the version', async () => {
      const res = await admin(UPDATE_WARD, {
        input: { id: ward.id, version: ward.version, nameEn: 'New', population: 1234 },
      });
      expect(res.data?.updateWard.ward).toMatchObject({
        nameEn: 'New',
        nameBn: 'পুরনো',
        population: 1234,
        version: ward.version + 1,
      });
    });

    it('clears an optional field given null, refuses to clear a required one', async () => {
      await admin(UPDATE_WARD, { input: { id: ward.id, version: 1, population: 10 } });
      const cleared = await admin(UPDATE_WARD, {
        input: { id: ward.id, version: 2, population: null },
      });
      expect(cleared.data?.updateWard.ward.population).toBeNull();
      const refused = await admin(UPDATE_WARD, {
        input: { id: ward.id, version: 3, nameBn: null },
      });
      expect(refused.data?.updateWard.errors).toEqual([
        expect.objectContaining({ code: 'REQUIRED', field: 'nameBn' }),
      ]);
    });

    it('answers CONFLICT for a stale version and keeps the newer data', async () => {
      await admin(UPDATE_WARD, { input: { id: ward.id, version: 1, nameEn: 'First' } });
      const stale = await admin(UPDATE_WARD, {
        input: { id: ward.id, version: 1, nameEn: 'Second' },
      });
      expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'version' });
      const row = await t.db.pool.query('SELECT name_en, version FROM wards WHERE id = $1', [
        ward.id,
      ]);
      expect(row.rows[0]).toEqual({ name_en: 'First', version: 2 });
    });

    it('lets exactly one of two concurrent updates of the same version win', async () => {
      const results = await Promise.all(
        ['A', 'B', 'C', 'D'].map((nameEn) =>
          admin(UPDATE_WARD, { input: { id: ward.id, version: 1, nameEn } }),
        ),
      );
      const won = results.filter((r) => r.data?.updateWard?.ward);
      const lost = results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT');
      expect([won.length, lost.length]).toEqual([1, 3]);
      const row = await t.db.pool.query('SELECT name_en, version FROM wards WHERE id = $1', [
        ward.id,
      ]);
      expect(row.rows[0]).toEqual({ name_en: won[0].data?.updateWard.ward.nameEn, version: 2 });
    });

    it('refuses a number another ward of the municipality has', async () => {
      const res = await admin(UPDATE_WARD, { input: { id: ward.id, version: 1, number: 5 } });
      expect(res.data?.updateWard.errors).toEqual([
        expect.objectContaining({ code: 'DUPLICATE', field: 'number' }),
      ]);
    });

    it('answers NOT_FOUND for an unknown ward and BAD_USER_INPUT for a malformed id', async () => {
      const unknown = await admin(UPDATE_WARD, {
        input: { id: '00000000-0000-4000-8000-000000000000', version: 1, nameEn: 'X' },
      });
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const malformed = await admin(UPDATE_WARD, { input: { id: '১২৩', version: 1 } });
      expect(malformed.data?.updateWard.errors).toEqual([
        expect.objectContaining({ code: 'INVALID_FORMAT', field: 'id' }),
      ]);
    });
  });

  describe('setWardCouncillorStatus and deactivateWard', () => {
    it('records a vacancy and its end, keeping the whole history', async () => {
      const created = await admin(CREATE_WARD, {
        input: {
          number: 12,
          nameBn: 'ওয়ার্ড ১২',
          nameEn: 'Ward 12',
          councillorStatusSince: '2022-03-02',
        },
      });
      const wardId = created.data?.createWard.ward.id;
      await admin(SET_STATUS, {
        input: { wardId, status: 'VACANT', since: '2023-01-10', note: 'মৃত্যু' },
      });
      const ended = await admin(SET_STATUS, {
        input: { wardId, status: 'ELECTED', since: '2024-06-01' },
      });
      expect(ended.data?.setWardCouncillorStatus.ward).toMatchObject({
        councillorStatus: 'ELECTED',
        councillorStatusSince: '2024-06-01',
        version: 3,
        councillorStatusHistory: [
          { status: 'ELECTED', since: '2022-03-02', note: null },
          { status: 'VACANT', since: '2023-01-10', note: 'মৃত্যু' },
          { status: 'ELECTED', since: '2024-06-01', note: null },
        ],
      });
    });

    it('refuses a future date and an unknown ward', async () => {
      const future = await admin(SET_STATUS, {
        input: {
          wardId: '00000000-0000-4000-8000-000000000000',
          status: 'VACANT',
          since: '2999-01-01',
        },
      });
      expect(future.data?.setWardCouncillorStatus.errors).toEqual([
        expect.objectContaining({ code: 'OUT_OF_RANGE', field: 'since' }),
      ]);
      const unknown = await admin(SET_STATUS, {
        input: {
          wardId: '00000000-0000-4000-8000-000000000000',
          status: 'VACANT',
          since: '2024-01-01',
        },
      });
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('deactivates a ward once; doing it again changes nothing', async () => {
      const created = await admin(CREATE_WARD, {
        input: { number: 20, nameBn: 'ওয়ার্ড ২০', nameEn: 'Ward 20' },
      });
      const wardId = created.data?.createWard.ward.id;
      const first = await admin(DEACTIVATE, { input: { wardId } });
      expect(first.data?.deactivateWard.ward).toMatchObject({ active: false, version: 2 });
      expect(first.data?.deactivateWard.ward.deactivatedAt).toEqual(expect.any(String));
      const second = await admin(DEACTIVATE, { input: { wardId } });
      expect(second.data?.deactivateWard.ward).toEqual(first.data?.deactivateWard.ward);
    });
  });
});
