import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const TYPE = `certificateType { id code nameBn signerRole validityDays feeRupees attributeCodes active retiredAt version templateBn }`;
const CREATE = `mutation ($input: CreateCertificateTypeInput!) { createCertificateType(input: $input) { ${TYPE} errors { code field message } } }`;
const UPDATE = `mutation ($input: UpdateCertificateTypeInput!) { updateCertificateType(input: $input) { ${TYPE} errors { code field message } } }`;
const RETIRE = `mutation ($input: RetireCertificateTypeInput!) { retireCertificateType(input: $input) { ${TYPE} errors { code field message } } }`;

const TRADE = {
  code: 'TRD',
  nameBn: 'ব্যবসার শংসাপত্র',
  nameEn: 'Trade certificate',
  signerRole: 'SIGNATORY',
  validityDays: 365,
  feeRupees: 100,
  templateBn: '{{holderName}}, {{wardName}}: {{business_name}} নামে ব্যবসা চালান।',
  templateEn: '{{holderName}}, {{wardName}}, runs a business named {{business_name}}.',
  attributeCodes: ['business_name'],
};

describe('certificate types kept by administrators (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let coordinator: GraphQL;
  const count = async () =>
    Number((await t.db.pool.query(`SELECT count(*) AS n FROM certificate_types`)).rows[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward1] = await insertWards(t, bsr, 1);
    await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'm.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward1 },
    ]);
  });
  afterAll(() => t.close());

  it('creates, versions and retires a type, checking its placeholders at save time', async () => {
    const bad = (
      await admin(CREATE, {
        input: { ...TRADE, templateBn: '{{holderName}} {{busines_name}}', code: 'x1' },
      })
    ).data?.createCertificateType;
    expect(bad.certificateType).toBeNull();
    expect(bad.errors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_FORMAT', 'code']]);
    const badText = (
      await admin(CREATE, { input: { ...TRADE, templateBn: '{{holderName}} {{busines_name}}' } })
    ).data?.createCertificateType;
    expect(badText.errors.map((e: any) => [e.code, e.field])).toEqual([
      ['INVALID', 'templateBn'],
      ['INVALID', 'templateEn'],
    ]);
    expect(badText.errors[0].message).toContain('{{busines_name}}');
    const before = await count();
    const created = (await admin(CREATE, { input: TRADE })).data?.createCertificateType;
    expect(created.errors).toEqual([]);
    expect(created.certificateType).toMatchObject({
      code: 'TRD',
      feeRupees: 100,
      attributeCodes: ['business_name'],
      active: true,
      version: 1,
    });
    expect(await count()).toBe(before + 1);
    const twice = (await admin(CREATE, { input: TRADE })).data?.createCertificateType;
    expect(twice.errors.map((e: any) => [e.code, e.field])).toEqual([['DUPLICATE', 'code']]);

    const id = created.certificateType.id;
    const unknown = (
      await admin(UPDATE, { input: { id, version: 1, templateEn: '{{holderName}} {{nope}}' } })
    ).data?.updateCertificateType;
    expect(unknown.errors[0]).toMatchObject({ code: 'INVALID', field: 'templateEn' });
    const updated = (await admin(UPDATE, { input: { id, version: 1, feeRupees: 150 } })).data
      ?.updateCertificateType;
    expect(updated.certificateType).toMatchObject({ feeRupees: 150, version: 2 });
    const stale = await admin(UPDATE, { input: { id, version: 1, feeRupees: 10 } });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const retired = (await admin(RETIRE, { input: { id, version: 2 } })).data
      ?.retireCertificateType;
    expect(retired.certificateType).toMatchObject({ active: false, version: 3 });
    expect(retired.certificateType.retiredAt).not.toBeNull();
    const audit = await t.db.pool.query(
      `SELECT action, changes FROM audit_log WHERE entity_id = $1 ORDER BY seq`,
      [id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'certificate_type.created',
      'certificate_type.updated',
      'certificate_type.retired',
    ]);
    expect(audit.rows[1].changes).toEqual({
      version: { from: 1, to: 2 },
      feeRupees: { from: 100, to: 150 },
    });
  });

  it('is for administrators only; the catalogue links services to their type', async () => {
    const res = await coordinator(CREATE, { input: { ...TRADE, code: 'TRE' } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await admin(CREATE, {
      input: {
        ...TRADE,
        code: 'RES',
        attributeCodes: ['purpose'],
        templateBn: '{{holderName}}: {{purpose}}',
        templateEn: '{{holderName}}: {{purpose}}',
      },
    });
    const linked = await coordinator(
      `{ serviceType(code: "RESIDENCE_CERT") { certificateTypeCode certificateType { code feeRupees } } }`,
    );
    expect(linked.data?.serviceType).toEqual({
      certificateTypeCode: 'RES',
      certificateType: { code: 'RES', feeRupees: 100 },
    });
  });
});
