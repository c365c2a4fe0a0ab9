import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { GraphQLResponse, startTestApp, TestApp } from '../support/test-app';
import { ANONYMOUS_MAX_DOCUMENT_LENGTH } from '../../src/common/graphql/anonymous-document-limit';

/** Wards, each with its municipality's wards: connections nested two deep. */
const NESTED = `query ($n: Int) {
  wards(first: $n) { edges { node { number municipality { wards(first: $n) { edges { node { id } } } } } } }
}`;

describe('the cost of an operation (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_MAX_COST: '10000' });
    const municipalityId = await seedMunicipality(t);
    await insertWards(t, municipalityId, 3);
    admin = await staffClient(t, municipalityId, 'bsr.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
  });
  afterAll(() => t.close());

  it('refuses a huge `first` given through variables before execution, naming the limit', async () => {
    // 1 + 100 × (ward 1 + municipality 1 + connection 1 + 100 × ward 1) = 10,301 > 10,000
    const res = await admin(NESTED, { n: 100 });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      requestedQueryCost: 10301,
      maximumQueryCost: 10000,
    });
    expect(res.errors?.[0].message).toMatch(/10301 points.*maximum per request of 10000/);
  });

  it('counts `first` beyond the maximum page size as the maximum (100)', async () => {
    const res = await admin(NESTED, { n: 1_000_000 });
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      requestedQueryCost: 10301,
    });
  });

  it('sees through fragments and aliases', async () => {
    const res = await admin(
      `query ($n: Int) {
         a: wards(first: $n) { edges { node { ...Inner } } }
         b: wards(first: $n) { edges { node { ...Inner } } }
       }
       fragment Inner on Ward { municipality { wards(first: $n) { edges { node { id } } } } }`,
      { n: 70 },
    );
    // 2 × (1 + 70 × (1 + 1 + 1 + 70)) = 10,222
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      requestedQueryCost: 10222,
    });
  });

  it('runs an affordable operation and tells its requested and actual cost', async () => {
    const res = await admin(NESTED, { n: 10 });
    expect(res.errors).toBeUndefined();
    expect(res.data?.wards.edges).toHaveLength(3);
    const body = res as unknown as { extensions: Record<string, any> };
    // requested: 1 + 10 × (1 + 1 + 1 + 10); actual: 1 + 3 × (1 + 1 + 1 + 3)
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 131,
      actualQueryCost: 19,
      maximumQueryCost: 10000,
      throttleStatus: { maximumAvailable: 1000000, currentlyAvailable: expect.any(Number) },
    });
  });

  it('still answers a fragment cycle with a clean 400 validation error', async () => {
    const res = await admin(
      `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`,
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('tells the cost to anonymous callers too, without a budget', async () => {
    const res = (await t.gql(`{ __typename }`)) as unknown as { extensions: Record<string, any> };
    expect(res.extensions.cost).toEqual({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      maximumQueryCost: 10000,
    });
    expect(res.extensions.rateLimit).toBeUndefined();
  });

  /** The issue-21 document: 5.5 KB, 300³ expansions of `__typename` when not memoised. */
  const spreads = (name: string) => Array.from({ length: 300 }, () => `...${name}`).join(' ');
  const ISSUE_21 = `query { ...F3 } fragment F0 on Query { __typename }
    fragment F1 on Query { ${spreads('F0')} } fragment F2 on Query { ${spreads('F1')} }
    fragment F3 on Query { ${spreads('F2')} }`;

  /** The document's answer and a /health/live asked at the same time, with their times. */
  async function withLiveness(send: () => Promise<GraphQLResponse>) {
    const started = Date.now();
    const answer = send().then((res) => ({ res, ms: Date.now() - started }));
    const live = await fetch(`${t.url}/health/live`).then((r) => ({
      status: r.status,
      ms: Date.now() - started,
    }));
    return { ...(await answer), live };
  }

  it('refuses the issue-21 document without credentials before parsing it, naming the limit', async () => {
    const { res, ms, live } = await withLiveness(() => t.gql(ISSUE_21));
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maximumLength: ANONYMOUS_MAX_DOCUMENT_LENGTH,
    });
    expect(live.status).toBe(200);
    // Generous bounds on a shared machine: the stall took 8–10 s (cubic in the spreads).
    expect(ms).toBeLessThan(2000);
    expect(live.ms).toBeLessThan(2000);
    console.info(`issue-21 anonymous: refused in ${ms} ms, /health/live in ${live.ms} ms`);
  });

  it('answers the issue-21 document for a signed-in caller while /health/live stays responsive', async () => {
    const { res, ms, live } = await withLiveness(() => admin(ISSUE_21));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __typename: 'Query' });
    expect(live.status).toBe(200);
    expect(ms).toBeLessThan(2000);
    expect(live.ms).toBeLessThan(2000);
    console.info(`issue-21 signed in: answered in ${ms} ms, /health/live in ${live.ms} ms`);
  });
});
