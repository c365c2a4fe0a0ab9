import { startTestApp, TestApp } from '../support/test-app';

/** Production's default (`GRAPHQL_INTROSPECTION` off): the schema is not given away. */
describe('introspection and field suggestions turned off (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(() => t.close());

  it('refuses introspection with a 400 validation error', async () => {
    const res = await t.gql(`{ __schema { types { name } } }`);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/introspection/i),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('does not suggest field names for a misspelt field', async () => {
    const res = await t.gql(`{ municipalitie { totalCount } }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).not.toMatch(/did you mean|municipalities/i);
  });

  it('does not suggest enum values, in literals or in variables (issue 21)', async () => {
    const literal = await t.gql(`{ requests(filter: { statuses: [SUBMITED] }) { totalCount } }`);
    const variable = await t.gql(
      `query ($s: [RequestStatus!]) { requests(filter: { statuses: $s }) { totalCount } }`,
      { s: ['SUBMITED'] },
    );
    for (const res of [literal, variable]) {
      expect(res.status).toBe(400);
      expect(res.errors?.[0].message).toMatch(/SUBMITED/);
      expect(res.errors?.[0].message).not.toMatch(/did you mean|SUBMITTED/i);
    }
  });

  it('still answers __typename (not introspection of the schema)', async () => {
    const res = await t.gql(`{ __typename }`);
    expect(res.data).toEqual({ __typename: 'Query' });
  });
});
