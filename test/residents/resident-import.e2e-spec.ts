import { StaffRole } from '../../src/common/access/staff-role';
import { as, insertWards, seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const CREATE_API_CLIENT = `mutation ($input: CreateApiClientInput!) {
  createApiClient(input: $input) { apiKey errors { code field message } } }`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Cell = string | number | null | undefined;

/** One CSV line; fields with a comma, quote or line break are quoted. */
function csvLine(cells: Cell[]): string {
  return cells
    .map((cell) => {
      const text = cell === null || cell === undefined ? '' : String(cell);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

function csv(header: string[], rows: Cell[][]): string {
  return [csvLine(header), ...rows.map(csvLine)].join('\n') + '\n';
}

interface ImportResponse {
  status: number;
  body: any;
}

describe('resident CSV import (e2e)', () => {
  let t: TestApp;
  let municipalityId: string;
  /** Ward ids by number: wards[n - 1] is ward n. */
  let wards: string[];
  let adminId: string;
  let adminToken: string;
  let coordinatorToken: string;
  let signatoryToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    municipalityId = await seedMunicipality(t, 'BSR');
    wards = await insertWards(t, municipalityId, 6);
    adminId = await seedStaff(t, municipalityId, 'import.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
    adminToken = (await signIn(t, 'import.admin')).accessToken;
    await seedStaff(t, municipalityId, 'ward2.coordinator', [
      { role: StaffRole.WARD_COORDINATOR, wardId: wards[1] },
    ]);
    coordinatorToken = (await signIn(t, 'ward2.coordinator')).accessToken;
    await seedStaff(t, municipalityId, 'signatory', [{ role: StaffRole.SIGNATORY }]);
    signatoryToken = (await signIn(t, 'signatory')).accessToken;
  });
  afterAll(() => t.close());

  async function importCsv(
    body: string | Buffer,
    token: string | null = adminToken,
    contentType = 'text/csv; charset=utf-8',
    timeoutMs = 10_000,
  ): Promise<ImportResponse> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${t.url}/imports/residents`, {
      method: 'POST',
      headers,
      body,
      // A request that never answers fails the test instead of hanging the run.
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the failure message.
    }
    return { status: response.status, body: parsed };
  }

  const residentCount = async (where = 'TRUE', params: unknown[] = []): Promise<number> =>
    (await t.db.pool.query(`SELECT count(*)::int AS n FROM residents WHERE ${where}`, params))
      .rows[0].n;

  const importAuditCount = async (): Promise<number> =>
    (
      await t.db.pool.query(
        `SELECT count(*)::int AS n FROM audit_log
         WHERE action = 'residents.imported' AND ward_id IS NULL`,
      )
    ).rows[0].n;

  const residentByPhone = async (phone: string) =>
    (
      await t.db.pool.query(
        `SELECT municipality_id, ward_id, full_name, alt_name, guardian_name, guardian_relation,
                phone, house_number, locality, street, pin_code, preferred_language,
                date_of_birth::text AS date_of_birth, created_channel, import_id, name_key,
                dedupe_key, verification
         FROM residents WHERE phone = $1`,
        [phone],
      )
    ).rows;

  it('stores Bengali names, Bengali digits, both relation spellings and quoted commas; audits the import', async () => {
    const file =
      '\uFEFF' +
      csv(
        [
          'ward_number',
          'full_name',
          'alt_name',
          'guardian_name',
          'guardian_relation',
          'phone',
          'house_number',
          'locality',
          'pin_code',
          'preferred_language',
          'date_of_birth',
        ],
        [
          [
            '৫',
            'রহিম শেখ',
            'Rahim Sheikh',
            'করিম শেখ',
            'পিতা',
            '০৯৮৭৬৫৪৩২১০',
            '12A',
            'Mondal Para, Taki Road',
            '৭৪৩৪১১',
            'bn',
            '1980-05-17',
          ],
          [
            '1',
            'Sunita Das',
            'সুনীতা দাস',
            'Amal Das',
            'Husband',
            '+91 98300 11122',
            '7',
            'Nayabad',
            '743411',
            'EN',
            '',
          ],
          ['৩', 'মালতী পাল', '', 'হরিপদ পাল', 'মাতা', '98300-11133', '', '', '', '', ''],
        ],
      );
    const before = await importAuditCount();

    const { status, body } = await importCsv(file);

    expect(status).toBe(200);
    expect(body).toEqual({
      importId: expect.stringMatching(UUID),
      rows: 3,
      created: 3,
      matched: 0,
      rejectedCount: 0,
      rejected: [],
    });
    expect(await residentCount('import_id = $1', [body.importId])).toBe(3);

    const [rahim] = await residentByPhone('+919876543210');
    expect(rahim).toEqual({
      municipality_id: municipalityId,
      ward_id: wards[4],
      full_name: 'রহিম শেখ',
      alt_name: 'Rahim Sheikh',
      guardian_name: 'করিম শেখ',
      guardian_relation: 'FATHER',
      phone: '+919876543210',
      house_number: '12A',
      locality: 'Mondal Para, Taki Road',
      street: null,
      pin_code: '743411',
      preferred_language: 'BN',
      date_of_birth: '1980-05-17',
      created_channel: 'IMPORT',
      import_id: body.importId,
      name_key: expect.stringContaining('rahim'),
      dedupe_key: null,
      verification: 'UNVERIFIED',
    });
    const [sunita] = await residentByPhone('+919830011122');
    expect(sunita).toMatchObject({
      ward_id: wards[0],
      full_name: 'Sunita Das',
      alt_name: 'সুনীতা দাস',
      guardian_relation: 'HUSBAND',
      preferred_language: 'EN',
      date_of_birth: null,
      created_channel: 'IMPORT',
      import_id: body.importId,
    });
    const [malati] = await residentByPhone('+919830011133');
    expect(malati).toMatchObject({
      ward_id: wards[2],
      full_name: 'মালতী পাল',
      alt_name: null,
      guardian_relation: 'MOTHER',
      house_number: null,
      pin_code: null,
      preferred_language: 'BN',
      created_channel: 'IMPORT',
    });

    expect(await importAuditCount()).toBe(before + 1);
    const audit = await t.db.pool.query(
      `SELECT actor_type, actor_id, actor_label, entity_type, municipality_id, changes
       FROM audit_log WHERE action = 'residents.imported' AND entity_id = $1 AND ward_id IS NULL`,
      [body.importId],
    );
    // Besides the summary, one entry per ward that received residents, for its coordinators.
    const perWard = await t.db.pool.query(
      `SELECT ward_id, changes FROM audit_log
       WHERE action = 'residents.imported' AND entity_id = $1 AND ward_id IS NOT NULL`,
      [body.importId],
    );
    expect(perWard.rows.reduce((sum, row) => sum + row.changes.created, 0)).toBe(3);
    expect(audit.rows).toEqual([
      {
        actor_type: 'STAFF',
        actor_id: adminId,
        actor_label: 'import.admin',
        entity_type: 'ResidentImport',
        municipality_id: municipalityId,
        changes: { rows: 3, created: 3, matched: 0, rejected: 0 },
      },
    ]);
  });

  it('rejects bad rows with their line numbers and fields, and stores the valid ones', async () => {
    const file = [
      'ward_number,full_name,phone,pin_code,date_of_birth,guardian_relation,preferred_language,whatsapp_id', // line 1
      '2,Valid One,9810000001,743411,1990-01-01,,,', // 2
      '2,Bad Phone,12345,,,,,', // 3
      '2,Bad Pin,9810000003,0123,,,,', // 4
      '99,Unknown Ward,9810000004,,,,,', // 5
      '2,,9810000005,,,,,', // 6
      '2,Born Later,9810000006,,2999-01-01,,,', // 7
      '2,Valid Two,9810000007,,,,,', // 8
      '2,Two Problems,5555555555,99,,,,', // 9
      '2,Odd Relation,9810000011,,,uncle,,', // 10
      '2,Odd Language,9810000012,,,,Hindi,', // 11
      '2,Odd WhatsApp,9810000013,,,,,abc', // 12
      `2,${'N'.repeat(201)},9810000014,,,,,`, // 13
      '2,Not A Date,9810000015,,17/05/1980,,,', // 14
    ].join('\n');

    const { status, body } = await importCsv(file);

    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 13, created: 2, matched: 0, rejectedCount: 11 });
    const problem = (code: string, field: string) => ({
      code,
      field,
      message: expect.any(String),
    });
    expect(body.rejected).toEqual([
      { row: 3, errors: [problem('INVALID_FORMAT', 'phone')] },
      { row: 4, errors: [problem('INVALID_FORMAT', 'pin_code')] },
      { row: 5, errors: [problem('NOT_FOUND', 'ward_number')] },
      { row: 6, errors: [problem('REQUIRED', 'full_name')] },
      { row: 7, errors: [problem('OUT_OF_RANGE', 'date_of_birth')] },
      {
        row: 9,
        errors: expect.arrayContaining([
          problem('INVALID_FORMAT', 'phone'),
          problem('INVALID_FORMAT', 'pin_code'),
        ]),
      },
      { row: 10, errors: [problem('INVALID', 'guardian_relation')] },
      { row: 11, errors: [problem('INVALID', 'preferred_language')] },
      { row: 12, errors: [problem('INVALID_FORMAT', 'whatsapp_id')] },
      { row: 13, errors: [problem('TOO_LONG', 'full_name')] },
      { row: 14, errors: [problem('INVALID_FORMAT', 'date_of_birth')] },
    ]);
    expect(body.rejected[5].errors).toHaveLength(2);

    const stored = await t.db.pool.query(
      `SELECT full_name, phone, pin_code, date_of_birth::text AS dob FROM residents
       WHERE import_id = $1 ORDER BY phone`,
      [body.importId],
    );
    expect(stored.rows).toEqual([
      { full_name: 'Valid One', phone: '+919810000001', pin_code: '743411', dob: '1990-01-01' },
      { full_name: 'Valid Two', phone: '+919810000007', pin_code: null, dob: null },
    ]);
    expect(await residentCount(`phone LIKE '+9198100000%'`)).toBe(2);
    expect(await residentCount(`phone LIKE '+9198100000%' OR phone LIKE '+9198100001%'`)).toBe(2);
    const audit = await t.db.pool.query(
      `SELECT changes FROM audit_log WHERE action = 'residents.imported' AND entity_id = $1`,
      [body.importId],
    );
    expect(audit.rows[0].changes).toEqual({ rows: 13, created: 2, matched: 0, rejected: 11 });
  });

  it('a blank line is skipped but still counts in the row numbers', async () => {
    const file = [
      'ward_number,full_name,phone', // row 1
      '2,Before The Gap,9810300001', // row 2
      '', // row 3: blank (a spreadsheet shows an empty row; it is line 3 of the file)
      '', // row 4: blank
      '99,After The Gap,9810300002', // row 5
    ].join('\n');

    const { status, body } = await importCsv(file);

    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 2, created: 1, rejectedCount: 1 });
    expect(body.rejected).toEqual([
      {
        row: 5,
        errors: [{ code: 'NOT_FOUND', field: 'ward_number', message: expect.any(String) }],
      },
    ]);
    expect(await residentCount('phone = $1', ['+919810300001'])).toBe(1);
  });

  it('reads Windows line endings and a header in any case; a cell over two lines is one row', async () => {
    const file = [
      ' Ward_Number , FULL_NAME ,Phone,Landmark', // row 1
      // A cell over two lines, as spreadsheets write it (a bare LF inside the quotes).
      '1,Two Lines,9810100001,"behind the ""old"" tank\nnear the school"', // row 2 (lines 2-3)
      '99,Row Three,9810100002,', // row 3 (line 4)
      '1,Row Four,9810100003,', // row 4
      '1,,9810100004,', // row 5
    ].join('\r\n');

    const { status, body } = await importCsv(file);

    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 4, created: 2, rejectedCount: 2 });
    // Numbered as a spreadsheet shows the rows (docs/integration.md), not by physical line.
    expect(body.rejected).toEqual([
      {
        row: 3,
        errors: [{ code: 'NOT_FOUND', field: 'ward_number', message: expect.any(String) }],
      },
      { row: 5, errors: [{ code: 'REQUIRED', field: 'full_name', message: expect.any(String) }] },
    ]);
    const stored = await t.db.pool.query(
      'SELECT full_name, landmark FROM residents WHERE import_id = $1 ORDER BY phone',
      [body.importId],
    );
    expect(stored.rows).toEqual([
      // Stored text has its whitespace runs (here the line break) collapsed.
      { full_name: 'Two Lines', landmark: 'behind the "old" tank near the school' },
      { full_name: 'Row Four', landmark: null },
    ]);
  });

  it('re-importing the same file changes nothing; a duplicate inside one file counts as matched', async () => {
    const file = csv(
      ['ward_number', 'full_name', 'phone', 'guardian_name'],
      [
        [4, 'Arup Ghosh', '9820000001', 'Tapan Ghosh'],
        [4, 'Bina Ghosh', '9820000002', 'Arup Ghosh'],
        [4, 'Chandan Sen', '9820000003', ''],
        // The same phone as the first row, written another way: the same person.
        [4, 'Arup Kumar Ghosh', '+91 98200-00001', 'Tapan Ghosh'],
        [6, 'Dipa Sen', '9820000004', ''],
      ],
    );
    const totalBefore = await residentCount();

    const first = await importCsv(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 5, created: 4, matched: 1, rejectedCount: 0 });
    expect(await residentCount()).toBe(totalBefore + 4);
    // The first spelling is kept; the in-file duplicate added nothing.
    expect((await residentByPhone('+919820000001')).map((r) => r.full_name)).toEqual([
      'Arup Ghosh',
    ]);

    const second = await importCsv(file);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      rows: 5,
      created: 0,
      matched: first.body.created + first.body.matched,
      rejectedCount: 0,
    });
    expect(second.body.importId).not.toBe(first.body.importId);
    expect(await residentCount()).toBe(totalBefore + 4);
    expect(await residentCount('import_id = $1', [second.body.importId])).toBe(0);
    expect(await residentCount('import_id = $1', [first.body.importId])).toBe(4);

    // A later file with other details for known phones matches them and changes nothing.
    const changed = await importCsv(
      csv(
        ['ward_number', 'full_name', 'phone'],
        [
          [5, 'Somebody Else', '09820000002'],
          [5, 'Another Name', '০৯৮২০০০০০০৩'],
        ],
      ),
    );
    expect(changed.body).toMatchObject({ rows: 2, created: 0, matched: 2, rejectedCount: 0 });
    const kept = await t.db.pool.query(
      `SELECT full_name, ward_id, import_id FROM residents WHERE phone = ANY($1) ORDER BY phone`,
      [['+919820000002', '+919820000003']],
    );
    expect(kept.rows).toEqual([
      { full_name: 'Bina Ghosh', ward_id: wards[3], import_id: first.body.importId },
      { full_name: 'Chandan Sen', ward_id: wards[3], import_id: first.body.importId },
    ]);
    expect(await residentCount()).toBe(totalBefore + 4);
  });

  it('keeps municipalities apart: ward numbers and phones are matched within the importer’s own', async () => {
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    const takiWards = await insertWards(t, taki, 2);
    await seedStaff(t, taki, 'taki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    const takiToken = (await signIn(t, 'taki.admin')).accessToken;
    const file = csv(
      ['ward_number', 'full_name', 'phone'],
      [
        [1, 'Shared Phone', '9825000001'],
        [2, 'Shared Phone Too', '9825000002'],
        [5, 'No Ward Five In Taki', '9825000003'],
      ],
    );

    const basirhat = await importCsv(file);
    expect(basirhat.body).toMatchObject({ created: 3, matched: 0, rejectedCount: 0 });
    const takiImport = await importCsv(file, takiToken);
    expect(takiImport.status).toBe(200);
    // Known in Basirhat, new in Taki; Taki has no ward 5.
    expect(takiImport.body).toMatchObject({ rows: 3, created: 2, matched: 0, rejectedCount: 1 });
    expect(takiImport.body.rejected).toEqual([
      { row: 4, errors: [expect.objectContaining({ code: 'NOT_FOUND', field: 'ward_number' })] },
    ]);
    const stored = await t.db.pool.query(
      `SELECT municipality_id, ward_id, phone FROM residents WHERE phone LIKE '+9198250000%'
       ORDER BY municipality_id = $1, phone`,
      [taki],
    );
    expect(stored.rows).toEqual([
      { municipality_id: municipalityId, ward_id: wards[0], phone: '+919825000001' },
      { municipality_id: municipalityId, ward_id: wards[1], phone: '+919825000002' },
      { municipality_id: municipalityId, ward_id: wards[4], phone: '+919825000003' },
      { municipality_id: taki, ward_id: takiWards[0], phone: '+919825000001' },
      { municipality_id: taki, ward_id: takiWards[1], phone: '+919825000002' },
    ]);
  });

  it('deduplicates rows without a phone by ward, name, guardian and holding, on re-import too', async () => {
    const file = csv(
      ['ward_number', 'full_name', 'guardian_name', 'guardian_relation', 'house_number'],
      [
        [3, 'গোপাল মণ্ডল', 'হরি মণ্ডল', 'পিতা', '12'],
        [3, 'Anita Roy', 'Bimal Roy', 'father', '3'],
        // Same person as the first row, with stray spaces: matched.
        [3, '  গোপাল   মণ্ডল ', 'হরি  মণ্ডল', 'পিতা', '12'],
        // Same name and guardian at another holding, or in another ward: other people.
        [3, 'গোপাল মণ্ডল', 'হরি মণ্ডল', 'পিতা', '14'],
        [5, 'গোপাল মণ্ডল', 'হরি মণ্ডল', 'পিতা', '12'],
      ],
    );
    const totalBefore = await residentCount();

    const first = await importCsv(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 5, created: 4, matched: 1, rejectedCount: 0 });
    const stored = await t.db.pool.query(
      `SELECT w.number AS ward, r.full_name, r.guardian_name, r.guardian_relation,
              r.house_number, r.phone, r.dedupe_key
       FROM residents r JOIN wards w ON w.id = r.ward_id
       WHERE r.import_id = $1 ORDER BY w.number, r.house_number`,
      [first.body.importId],
    );
    expect(stored.rows.map(({ dedupe_key: _, ...row }) => row)).toEqual([
      {
        ward: 3,
        full_name: 'গোপাল মণ্ডল',
        guardian_name: 'হরি মণ্ডল',
        guardian_relation: 'FATHER',
        house_number: '12',
        phone: null,
      },
      {
        ward: 3,
        full_name: 'গোপাল মণ্ডল',
        guardian_name: 'হরি মণ্ডল',
        guardian_relation: 'FATHER',
        house_number: '14',
        phone: null,
      },
      {
        ward: 3,
        full_name: 'Anita Roy',
        guardian_name: 'Bimal Roy',
        guardian_relation: 'FATHER',
        house_number: '3',
        phone: null,
      },
      {
        ward: 5,
        full_name: 'গোপাল মণ্ডল',
        guardian_name: 'হরি মণ্ডল',
        guardian_relation: 'FATHER',
        house_number: '12',
        phone: null,
      },
    ]);
    for (const row of stored.rows) expect(row.dedupe_key).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(stored.rows.map((r) => r.dedupe_key)).size).toBe(4);

    const second = await importCsv(file);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ rows: 5, created: 0, matched: 5, rejectedCount: 0 });
    expect(await residentCount()).toBe(totalBefore + 4);
  });

  describe('a broken file stores nothing', () => {
    const HEADER = 'ward_number,full_name,phone\n';
    const validRows = (count: number, firstPhone: number) =>
      Array.from({ length: count }, (_, i) => `1,Resident ${i},${firstPhone + i}\n`).join('');

    let residentsBefore: number;
    let auditsBefore: number;
    beforeEach(async () => {
      residentsBefore = await residentCount();
      auditsBefore = await importAuditCount();
    });
    afterEach(async () => {
      expect(await residentCount()).toBe(residentsBefore);
      expect(await importAuditCount()).toBe(auditsBefore);
    });

    it('invalid UTF-8 in the middle of a large file (after 5,000 valid rows)', async () => {
      const file = Buffer.concat([
        Buffer.from(HEADER + validRows(5000, 9830100000)),
        Buffer.from('1,Broken '),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
        Buffer.from(',9830199999\n'),
        Buffer.from(validRows(500, 9830200000)),
      ]);
      const { status, body } = await importCsv(file);
      expect({ status, body }).toEqual({
        status: 400,
        body: { error: { code: 'BAD_CSV', message: expect.stringContaining('UTF-8') } },
      });
      expect(await residentCount(`phone LIKE '+91983010%'`)).toBe(0);
    });

    it('invalid UTF-8 in the first line', async () => {
      const file = Buffer.concat([
        Buffer.from('ward_number,full_'),
        Buffer.from([0xff]),
        Buffer.from('name\n1,A,9830300001\n'),
      ]);
      const { status, body } = await importCsv(file);
      expect(status).toBe(400);
      expect(body.error.code).toBe('BAD_CSV');
    });

    it('an empty body (no header line at all)', async () => {
      for (const empty of ['', '\uFEFF', '\n\n']) {
        const { status, body } = await importCsv(empty);
        expect({ empty, status, code: body?.error?.code }).toEqual({
          empty,
          status: 400,
          code: 'BAD_CSV',
        });
      }
    });

    it('a missing full_name column', async () => {
      const { status, body } = await importCsv('ward_number,phone\n1,9830400001\n');
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'BAD_CSV',
        message: expect.stringContaining('full_name'),
      });
    });

    it('an unknown column', async () => {
      const { status, body } = await importCsv('ward_number,full_name,email\n1,A,a@example.com\n');
      expect(status).toBe(400);
      expect(body.error).toEqual({ code: 'BAD_CSV', message: expect.stringContaining('email') });
    });

    it('a repeated column', async () => {
      const { status, body } = await importCsv('ward_number,full_name,phone,Phone\n1,A,1,2\n');
      expect(status).toBe(400);
      expect(body.error.code).toBe('BAD_CSV');
    });

    it('a client that drops the connection mid-file: nothing stored, nothing left locked', async () => {
      const rows = HEADER + validRows(3000, 9830700000);
      const abort = new AbortController();
      async function* body() {
        yield Buffer.from(rows);
        // Six batches are written by now; then the client goes away mid-file.
        await new Promise((resolve) => setTimeout(resolve, 500));
        abort.abort();
        yield Buffer.from('1,Never Sent,9830799999\n');
      }
      await expect(
        fetch(`${t.url}/imports/residents`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${adminToken}` },
          body: body(),
          duplex: 'half',
          signal: abort.signal,
        }),
      ).rejects.toThrow();

      // The import's transaction ends (no session stays open in it)...
      const openTransactions = async () =>
        (
          await t.db.pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')`,
          )
        ).rows[0].n;
      for (let wait = 0; wait < 50 && (await openTransactions()) > 0; wait += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await openTransactions()).toBe(0);
      expect(await residentCount(`phone LIKE '+91983070%'`)).toBe(0);
      // ...so the same rows import at once afterwards (not blocked by uncommitted rows).
      const again = await importCsv(rows);
      expect(again.body).toMatchObject({ rows: 3000, created: 3000, rejectedCount: 0 });
      // Undone for the afterEach check, which is about the dropped upload; the audit entry of
      // this second import stays (audit_log is append-only) and is expected.
      await t.db.pool.query('DELETE FROM residents WHERE import_id = $1', [again.body.importId]);
      auditsBefore += 1;
    });

    it('an unterminated quote after 1,200 valid rows (more than one batch written)', async () => {
      const file = HEADER + validRows(1200, 9830500000) + '1,"Never closed,9830599999\n';
      const { status, body } = await importCsv(file);
      expect(status).toBe(400);
      expect(body.error.code).toBe('BAD_CSV');
      expect(await residentCount(`phone LIKE '+91983050%'`)).toBe(0);
    });

    it('a row with more fields than the header', async () => {
      const file = HEADER + validRows(10, 9830600000) + '1,A,9830699999,extra\n';
      const { status, body } = await importCsv(file);
      expect(status).toBe(400);
      expect(body.error.code).toBe('BAD_CSV');
    });
  });

  it('10,000 bad rows: all counted, the first 1,000 listed, nothing stored', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [99, `Nobody ${i}`, 9840000000 + i]);
    const file = csv(['ward_number', 'full_name', 'phone'], rows);
    const residentsBefore = await residentCount();

    const { status, body } = await importCsv(file);

    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 10_000, created: 0, matched: 0, rejectedCount: 10_000 });
    expect(body.rejected).toHaveLength(1000);
    expect(body.rejected[0]).toEqual({
      row: 2,
      errors: [{ code: 'NOT_FOUND', field: 'ward_number', message: expect.any(String) }],
    });
    expect(body.rejected[999].row).toBe(1001);
    expect(await residentCount()).toBe(residentsBefore);
    const audit = await t.db.pool.query(
      `SELECT changes FROM audit_log WHERE action = 'residents.imported' AND entity_id = $1`,
      [body.importId],
    );
    expect(audit.rows[0].changes).toEqual({
      rows: 10_000,
      created: 0,
      matched: 0,
      rejected: 10_000,
    });
  });

  describe('who may import', () => {
    const file = (rows: Cell[][]) => csv(['ward_number', 'full_name', 'phone'], rows);

    it('a ward coordinator imports into their own wards only; other rows are rejected', async () => {
      const { status, body } = await importCsv(
        file([
          [2, 'Own Ward', '9850000001'],
          [3, 'Other Ward', '9850000002'],
          [2, 'Own Ward Too', '9850000003'],
        ]),
        coordinatorToken,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ rows: 3, created: 2, matched: 0, rejectedCount: 1 });
      expect(body.rejected).toEqual([
        {
          row: 3,
          errors: [{ code: 'INVALID', field: 'ward_number', message: expect.any(String) }],
        },
      ]);
      const stored = await t.db.pool.query(
        'SELECT phone, ward_id FROM residents WHERE import_id = $1 ORDER BY phone',
        [body.importId],
      );
      expect(stored.rows).toEqual([
        { phone: '+919850000001', ward_id: wards[1] },
        { phone: '+919850000003', ward_id: wards[1] },
      ]);
      expect(await residentCount('phone = $1', ['+919850000002'])).toBe(0);
    });

    it('a signatory (no write permission) gets 403 and nothing is stored', async () => {
      const before = await residentCount();
      const { status, body } = await importCsv(
        file([[1, 'Signed Off', '9850000011']]),
        signatoryToken,
      );
      expect(status).toBe(403);
      expect(body.error.code).toBe('FORBIDDEN');
      expect(await residentCount()).toBe(before);
    });

    it('no token gets 401, a bad token too', async () => {
      const before = await residentCount();
      const anonymous = await importCsv(file([[1, 'Anon', '9850000021']]), null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
      const forged = await importCsv(file([[1, 'Anon', '9850000021']]), 'not-a-token');
      expect(forged.status).toBe(401);
      expect(await residentCount()).toBe(before);
    });

    it('a body that is not text/csv gets 415', async () => {
      const before = await residentCount();
      const { status, body } = await importCsv(
        file([[1, 'Plain Text', '9850000031']]),
        adminToken,
        'text/plain',
      );
      expect(status).toBe(415);
      expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await residentCount()).toBe(before);
    });

    it('an API client with the RESIDENTS_WRITE scope imports; one without it gets 403', async () => {
      const admin = as(t, adminToken);
      const writer = await admin(CREATE_API_CLIENT, {
        input: { name: 'Municipal ERP', scopes: ['RESIDENTS_WRITE'] },
      });
      const writerKey: string = writer.data?.createApiClient.apiKey;
      expect(writerKey).toEqual(expect.any(String));
      const reader = await admin(CREATE_API_CLIENT, {
        input: { name: 'Reporting', scopes: ['RESIDENTS_READ'] },
      });
      const readerKey: string = reader.data?.createApiClient.apiKey;

      const wardSix = await admin(CREATE_API_CLIENT, {
        input: { name: 'Ward 6 app', scopes: ['RESIDENTS_WRITE'], wardIds: [wards[5]] },
      });
      const wardSixKey: string = wardSix.data?.createApiClient.apiKey;

      const refused = await importCsv(file([[1, 'Via Reader', '9850000041']]), readerKey);
      expect(refused.status).toBe(403);
      expect(await residentCount('phone = $1', ['+919850000041'])).toBe(0);

      const { status, body } = await importCsv(
        file([
          [1, 'Via Api', '9850000042'],
          [6, 'Via Api Too', '9850000043'],
        ]),
        writerKey,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ rows: 2, created: 2, rejectedCount: 0 });
      const stored = await t.db.pool.query(
        'SELECT phone, created_channel FROM residents WHERE import_id = $1 ORDER BY phone',
        [body.importId],
      );
      expect(stored.rows).toEqual([
        { phone: '+919850000042', created_channel: 'IMPORT' },
        { phone: '+919850000043', created_channel: 'IMPORT' },
      ]);
      const audit = await t.db.pool.query(
        `SELECT actor_type, actor_label FROM audit_log
         WHERE action = 'residents.imported' AND entity_id = $1 AND ward_id IS NULL`,
        [body.importId],
      );
      expect(audit.rows).toEqual([{ actor_type: 'API_CLIENT', actor_label: 'Municipal ERP' }]);

      // A key restricted to ward 6 adds residents of ward 6 only.
      const restricted = await importCsv(
        file([
          [1, 'Outside The Key', '9850000044'],
          [6, 'Inside The Key', '9850000045'],
        ]),
        wardSixKey,
      );
      expect(restricted.status).toBe(200);
      expect(restricted.body).toMatchObject({ rows: 2, created: 1, rejectedCount: 1 });
      expect(restricted.body.rejected).toEqual([
        { row: 2, errors: [expect.objectContaining({ code: 'INVALID', field: 'ward_number' })] },
      ]);
      expect(await residentCount('phone = $1', ['+919850000044'])).toBe(0);
      expect(await residentCount('phone = $1 AND ward_id = $2', ['+919850000045', wards[5]])).toBe(
        1,
      );
    });
  });

  it('streams a ~20 MB file although JSON bodies are limited to 1 MiB', async () => {
    // The limit is in force for JSON...
    const bigJson = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(bigJson.status).toBe(413);

    // ...but a CSV of about 20 MB goes through: 20,000 rows of about 1 KB.
    const count = 20_000;
    const pad = (label: string, i: number, width = 195) => `${label} ${i} `.padEnd(width, 'x');
    const lines = [
      'ward_number,full_name,phone,guardian_name,house_number,locality,street,landmark,post_office',
    ];
    for (let i = 0; i < count; i += 1) {
      lines.push(
        [
          (i % 6) + 1,
          `Streamed Resident ${i}`,
          9860000000 + i,
          pad('Guardian', i),
          pad('H', i, 48),
          pad('Locality', i),
          pad('Street', i),
          pad('Landmark', i),
          pad('PO', i),
        ].join(','),
      );
    }
    const file = Buffer.from(lines.join('\n') + '\n');
    expect(file.length).toBeGreaterThan(20 * 1000 * 1000);

    // 20 s on a quiet machine; CI machines are shared, so the bound is generous.
    const { status, body } = await importCsv(file, adminToken, 'text/csv', 150_000);

    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: count, created: count, matched: 0, rejectedCount: 0 });
    expect(await residentCount('import_id = $1', [body.importId])).toBe(count);
    const last = await residentByPhone(`+91${9860000000 + count - 1}`);
    expect(last[0]).toMatchObject({
      full_name: `Streamed Resident ${count - 1}`,
      ward_id: wards[(count - 1) % 6],
      street: pad('Street', count - 1),
    });
  }, 180_000);
});
