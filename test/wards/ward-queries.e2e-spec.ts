import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { CREATE_WARD } from '../support/ward-queries';

const WARDS = `
  query ($filter: WardFilter, $first: Int, $after: String) {
    wards(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id number nameEn municipality { code } } }
    }
  }`;

type WardPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: Array<{
    cursor: string;
    node: { id: string; number: number; municipality: { code: string } };
  }>;
};

describe('ward queries (e2e)', () => {
  let t: TestApp;
  let bsr: string;
  let taki: string;
  let admin: GraphQL;
  let takiAdmin: GraphQL;

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি পৌরসভা', nameEn: 'Taki Municipality' });
    await insertWards(t, bsr, 120);
    await insertWards(t, taki, 16);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    takiAdmin = await staffClient(t, taki, 'tki.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    await t.db.pool.query(
      `UPDATE wards SET councillor_status = 'VACANT', name_en = 'Ward 5 (100% vacant_seat)'
       WHERE municipality_id = $1 AND number IN (5, 17)`,
      [bsr],
    );
    await t.db.pool.query(
      `UPDATE wards SET active = false WHERE municipality_id = $1 AND number = 3`,
      [taki],
    );
  });
  afterAll(() => t.close());

  const page = async (variables: Record<string, unknown>, client = admin) => {
    const res = await client(WARDS, variables);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.wards as WardPage;
  };

  it('pages through every ward exactly once, in order, following endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: WardPage = await page({ first: 25, after });
      pages += 1;
      expect(result.totalCount).toBe(120);
      expect(result.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...result.edges.map((e) => `${e.node.municipality.code}-${e.node.number}`));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    // Only the caller's municipality, each ward once, in number order.
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => `BSR-${i + 1}`));
  });

  it('defaults to 20 and caps `first` at 100', async () => {
    expect((await page({})).edges).toHaveLength(20);
    const capped = await page({ first: 5000 });
    expect(capped.edges).toHaveLength(100);
    expect(capped.pageInfo.hasNextPage).toBe(true);
    const empty = await page({ first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.totalCount).toBe(120);
  });

  it.each([
    ['negative first', { first: -1 }, 'first'],
    ['garbage cursor', { after: 'not-a-cursor' }, 'after'],
    [
      'well-formed base64 of something else',
      { after: Buffer.from('{"a":1}').toString('base64url') },
      'after',
    ],
    ['cursor of another list', { after: Buffer.from('["BSR"]').toString('base64url') }, 'after'],
    ['malformed municipality filter', { filter: { municipalityId: 'x' } }, 'filter.municipalityId'],
  ])('answers BAD_USER_INPUT for a %s', async (_label, variables, field) => {
    const res = await admin(WARDS, variables);
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('filters by municipality, councillor status and activity, within the caller’s municipality', async () => {
    expect((await page({ filter: { municipalityId: taki } })).totalCount).toBe(0);
    expect((await page({ filter: { municipalityId: taki } }, takiAdmin)).totalCount).toBe(16);
    const vacant = await page({ filter: { councillorStatus: 'VACANT' } });
    expect(vacant.edges.map((e) => e.node.number)).toEqual([5, 17]);
    const inactive = await page({ filter: { active: false } }, takiAdmin);
    expect(inactive.edges.map((e) => `${e.node.municipality.code}-${e.node.number}`)).toEqual([
      'TKI-3',
    ]);
    const both = await page({
      filter: { municipalityId: bsr, councillorStatus: 'VACANT' },
      first: 1,
    });
    expect(both.totalCount).toBe(2);
  });

  it('searches names in either script and numbers in either digit set', async () => {
    const toBengaliDigits = await page({ filter: { search: '১১৭', municipalityId: bsr } });
    expect(toBengaliDigits.edges.map((e) => e.node.number)).toEqual([117]);
    const bengaliName = await page({ filter: { search: 'ওয়ার্ড ১১' } });
    // Fixture names use Latin digits after the Bengali word; no match is the right answer.
    expect(bengaliName.totalCount).toBe(0);
    const latin = await page({ filter: { search: 'ward 11', municipalityId: bsr } });
    expect(latin.edges.map((e) => e.node.number)).toEqual([
      11, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
    ]);
  });

  it('treats % and _ in a search as plain characters', async () => {
    expect((await page({ filter: { search: '100%' } })).totalCount).toBe(2);
    expect((await page({ filter: { search: '%' } })).totalCount).toBe(2);
    expect((await page({ filter: { search: 'vacant_seat' } })).totalCount).toBe(2);
  });

  it('serves ward(id), and NOT_FOUND / BAD_USER_INPUT for unknown, foreign and malformed ids', async () => {
    const [{ node }] = (await page({ first: 1 })).edges;
    const found = await admin(`query ($id: ID!) { ward(id: $id) { id number } }`, { id: node.id });
    expect(found.data?.ward).toEqual({ id: node.id, number: node.number });
    const unknown = await admin(`{ ward(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(unknown.errors?.[0]).toMatchObject({
      message: 'Ward not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const foreign = await takiAdmin(`query ($id: ID!) { ward(id: $id) { id } }`, { id: node.id });
    expect(foreign.errors?.[0]).toMatchObject({
      message: 'Ward not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const malformed = await admin(`{ ward(id: "৫") { id } }`);
    expect(malformed.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('serves the caller’s municipality with its wards, by id or code, and no other', async () => {
    const res = await admin(`{
      municipalities { totalCount edges { node { code wards(first: 2) { totalCount edges { node { number } } } } } }
      byCode: municipality(code: "bsr") { nameEn }
    }`);
    expect(res.data).toEqual({
      municipalities: {
        totalCount: 1,
        edges: [
          {
            node: {
              code: 'BSR',
              wards: { totalCount: 120, edges: [{ node: { number: 1 } }, { node: { number: 2 } }] },
            },
          },
        ],
      },
      byCode: { nameEn: 'Basirhat Municipality' },
    });
    const other = await admin(`query ($id: ID!) { municipality(id: $id) { id } }`, { id: taki });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const otherByCode = await admin(`{ municipality(code: "TKI") { id } }`);
    expect(otherByCode.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const neither = await admin(`{ municipality { id } }`);
    expect(neither.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages a municipality’s wards with cursors that the top-level list also accepts', async () => {
    const nested = await takiAdmin(
      `query ($id: ID!) { municipality(id: $id) { wards(first: 3) { pageInfo { endCursor } } } }`,
      { id: taki },
    );
    const after = nested.data?.municipality.wards.pageInfo.endCursor;
    const next = await takiAdmin(
      `query ($id: ID!, $after: String) {
        municipality(id: $id) {
          wards(first: 2, after: $after) { edges { node { number } } pageInfo { hasNextPage hasPreviousPage } }
        }
      }`,
      { id: taki, after },
    );
    expect(next.data?.municipality.wards).toEqual({
      edges: [{ node: { number: 4 } }, { node: { number: 5 } }],
      pageInfo: { hasNextPage: true, hasPreviousPage: true },
    });
    const topLevel = await page({ first: 1, after }, takiAdmin);
    expect(topLevel.edges[0].node.number).toBe(4);
  });

  it('loads nested lists in batches: the statement count does not grow with the page', async () => {
    const query = `query ($first: Int) {
      municipalities { edges { node { code wards(first: $first) { edges { node {
        number municipality { code } councillorStatusHistory { status }
      } } } } } }
    }`;
    const count = async (first: number) => {
      t.queries.reset();
      const res = await admin(query, { first });
      expect(res.errors).toBeUndefined();
      return t.queries.statements;
    };
    const small = await count(1);
    const large = await count(100);
    // The caller's session and points budget (taken; the unused part is given back with the
    // caller's next spend), count + page of municipalities, wards of all municipalities,
    // their municipalities, their status histories.
    expect(small).toBe(6);
    expect(large).toBe(small);
  });

  it('creates through the API what the lists then show', async () => {
    const created = await takiAdmin(CREATE_WARD, {
      input: { number: 17, nameBn: 'ওয়ার্ড ১৭', nameEn: 'Ward 17' },
    });
    expect(created.data?.createWard.errors).toEqual([]);
    const result = await page({ filter: { search: '17' } }, takiAdmin);
    expect(result.edges.map((e) => e.node.id)).toEqual([created.data?.createWard.ward.id]);
  });
});
