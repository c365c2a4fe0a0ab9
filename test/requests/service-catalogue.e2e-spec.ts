import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CATALOGUE } from '../../src/demo/demo-catalogue';
import { ServiceCatalogueService } from '../../src/requests/catalogue/service-catalogue.service';
import { GraphQL, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const TYPE_FIELDS = `id code category nameBn nameEn slaHours slaWorkingDays doorstepDelivery certificateTypeCode
  active definitionVersion version
  attributes { code labelBn labelEn datatype required order choices { code labelEn } min max maxLength }
  documents { code labelEn required }`;
const CREATE = `mutation ($input: CreateServiceTypeInput!) {
  createServiceType(input: $input) { serviceType { ${TYPE_FIELDS} } errors { code field message } } }`;
const UPDATE = `mutation ($input: UpdateServiceTypeInput!) {
  updateServiceType(input: $input) { serviceType { ${TYPE_FIELDS} } errors { code field message } } }`;
const LIST = `query ($filter: ServiceTypeFilter, $first: Int, $after: String) {
  serviceTypes(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { code category } } } }`;

const income = (): any => structuredClone(DEMO_CATALOGUE.find((s) => s.code === 'INCOME_CERT'));

describe('service catalogue (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let takiAdmin: GraphQL;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    const [ward] = (
      await t.db.pool.query(
        `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours)
         VALUES ($1, 5, 'ওয়ার্ড ৫', 'Ward 5', '{}') RETURNING id`,
        [bsr],
      )
    ).rows.map((r) => r.id);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    takiAdmin = await staffClient(t, taki, 'tki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
  });
  afterAll(() => t.close());

  it('accepts the whole demo catalogue of the domain reference', async () => {
    for (const input of DEMO_CATALOGUE) {
      const res = await admin(CREATE, { input });
      expect({ code: input.code, errors: res.data?.createServiceType.errors }).toEqual({
        code: input.code,
        errors: [],
      });
    }
    const certificates = await coordinator(LIST, {
      filter: { category: 'CERTIFICATE' },
      first: 100,
    });
    expect(certificates.data?.serviceTypes.totalCount).toBe(7);
    const all: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await coordinator(LIST, { first: 5, after })).data?.serviceTypes;
      all.push(...page.edges.map((e: any) => e.node.code));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(all).toEqual(DEMO_CATALOGUE.map((s) => s.code).sort());
    expect((await takiAdmin(LIST, {})).data?.serviceTypes.totalCount).toBe(0);
  });

  it('serves a type by code with its bilingual, ordered definition', async () => {
    const res = await coordinator(`{ serviceType(code: "income_cert") { ${TYPE_FIELDS} } }`);
    expect(res.data?.serviceType).toMatchObject({
      code: 'INCOME_CERT',
      category: 'CERTIFICATE',
      nameBn: 'আয়ের শংসাপত্র',
      certificateTypeCode: 'INC',
      slaWorkingDays: 7,
      slaHours: null,
      doorstepDelivery: true,
      definitionVersion: 1,
      attributes: [
        expect.objectContaining({ code: 'purpose', datatype: 'SINGLE_CHOICE', order: 0 }),
        expect.objectContaining({ code: 'annual_income', datatype: 'NUMBER', min: 0, order: 1 }),
      ],
    });
    const other = await takiAdmin(`{ serviceType(code: "INCOME_CERT") { id } }`);
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it.each([
    ['a duplicate code', (i: any) => i, 'DUPLICATE', 'code'],
    ['a bad code', (i: any) => ({ ...i, code: 'income cert' }), 'INVALID_FORMAT', 'code'],
    [
      'no SLA',
      (i: any) => ((i.definition.slaWorkingDays = null), i),
      'REQUIRED',
      'definition.slaHours',
    ],
    ['two SLAs', (i: any) => ((i.definition.slaHours = 24), i), 'REQUIRED', 'definition.slaHours'],
    [
      'a certificate without its type',
      (i: any) => ((i.definition.certificateTypeCode = null), i),
      'REQUIRED',
      'definition.certificateTypeCode',
    ],
    [
      'a choice attribute without choices',
      (i: any) => ((i.definition.attributes[0].choices = []), i),
      'REQUIRED',
      'definition.attributes.0.choices',
    ],
    [
      'min above max',
      (i: any) => ((i.definition.attributes[1].min = 10), (i.definition.attributes[1].max = 1), i),
      'OUT_OF_RANGE',
      'definition.attributes.1.max',
    ],
    [
      'a repeated attribute code',
      (i: any) => ((i.definition.attributes[1].code = 'purpose'), i),
      'DUPLICATE',
      'definition.attributes',
    ],
    [
      'a blank Bengali name',
      (i: any) => ((i.definition.nameBn = ' '), i),
      'REQUIRED',
      'definition.nameBn',
    ],
  ])('refuses %s with a field error and stores nothing', async (_label, change, code, field) => {
    const input = change(income());
    // A fresh code, unless the code itself is what is wrong.
    if (field !== 'code') input.code = `X_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const before = (await t.db.pool.query('SELECT count(*)::int AS n FROM service_types')).rows[0]
      .n;
    const res = await admin(CREATE, { input });
    expect(res.data?.createServiceType.errors).toEqual([expect.objectContaining({ code, field })]);
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM service_types')).rows[0].n).toBe(
      before,
    );
  });

  it('versions definitions: a change makes the next version and keeps the old one', async () => {
    const current = (
      await admin(`{ serviceType(code: "INCOME_CERT") { id version definitionVersion } }`)
    ).data?.serviceType;
    const changed = income().definition;
    changed.slaWorkingDays = 10;
    changed.attributes.push({
      code: 'earning_members',
      labelBn: 'উপার্জনকারী সদস্য',
      labelEn: 'Earning members',
      datatype: 'NUMBER',
      required: false,
      order: 2,
      min: 0,
      max: 30,
    });
    const res = await admin(UPDATE, {
      input: { id: current.id, version: current.version, definition: changed },
    });
    expect(res.data?.updateServiceType.serviceType).toMatchObject({
      slaWorkingDays: 10,
      definitionVersion: 2,
    });
    expect(res.data?.updateServiceType.serviceType.attributes).toHaveLength(3);

    const catalogue = t.app.get(ServiceCatalogueService);
    expect((await catalogue.definitionAt(current.id, 1))?.slaWorkingDays).toBe(7);
    expect((await catalogue.definitionAt(current.id, 2))?.slaWorkingDays).toBe(10);

    const stale = await admin(UPDATE, {
      input: { id: current.id, version: current.version, active: false },
    });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'version' });
    const deactivated = await admin(UPDATE, {
      input: { id: current.id, version: current.version + 1, active: false },
    });
    expect(deactivated.data?.updateServiceType.serviceType).toMatchObject({
      active: false,
      definitionVersion: 2,
    });
    const audit = await t.db.pool.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`,
      [current.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'service_type.created',
      'service_type.updated',
      'service_type.updated',
    ]);
  });

  it('lets only administrators change the catalogue', async () => {
    const res = await coordinator(CREATE, { input: { ...income(), code: 'NOT_ALLOWED' } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const current = (await admin(`{ serviceType(code: "GARBAGE") { id version } }`)).data
      ?.serviceType;
    const foreign = await takiAdmin(UPDATE, {
      input: { id: current.id, version: current.version, active: false },
    });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
