import { createHash } from 'node:crypto';
import { StaffRole } from '../../src/common/access/staff-role';
import { seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const QUERY = '{ municipalities { totalCount } }';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/): GET for queries,
 * POST with JSON, both response media types, and the status codes of requests that are not
 * well-formed; plus Apollo's CSRF prevention and automatic persisted queries.
 */
describe('GraphQL over HTTP (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const municipalityId = await seedMunicipality(t);
    await seedStaff(t, municipalityId, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    token = (await signIn(t, 'bsr.admin')).accessToken;
  });
  afterAll(() => t.close());

  /** A browser can send none of these without a CORS preflight. */
  const preflighted = () => ({
    authorization: `Bearer ${token}`,
    'apollo-require-preflight': 'true',
  });

  const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/graphql?${new URLSearchParams(params)}`, { headers });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${t.url}/graphql`, { method: 'POST', body, headers });

  describe('GET', () => {
    it('runs a query given as URL parameters, with variables as JSON', async () => {
      const res = await get(
        {
          query:
            'query ($n: Int) { municipalities(first: $n) { totalCount edges { node { code } } } }',
          variables: JSON.stringify({ n: 1 }),
        },
        preflighted(),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        data: { municipalities: { totalCount: 1, edges: [{ node: { code: 'BSR' } }] } },
      });
    });

    it('refuses a mutation with 405 and Allow: POST', async () => {
      const res = await get({ query: 'mutation { __typename }' }, preflighted());
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      const body = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    });

    it('refuses a simple (CSRF-able) GET that a browser would send without a preflight', async () => {
      const res = await get({ query: QUERY }, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/CSRF/);
    });
  });

  describe('POST', () => {
    it('answers application/json with application/json (the legacy default)', async () => {
      const res = await post(JSON.stringify({ query: QUERY }), {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ data: { municipalities: { totalCount: 1 } } });
    });

    it(`answers ${GRAPHQL_RESPONSE} when the client accepts it`, async () => {
      const res = await post(JSON.stringify({ query: QUERY }), {
        'content-type': 'application/json',
        accept: `${GRAPHQL_RESPONSE}, application/json;q=0.9`,
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      expect(await res.json()).toMatchObject({ data: { municipalities: { totalCount: 1 } } });
    });

    it.each([
      ['a syntax error', '{ municipalities { ', 'GRAPHQL_PARSE_FAILED'],
      ['an unknown field', '{ municipalitiez { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ])(`answers 4xx for %s, in both media types`, async (_label, query, code) => {
      for (const accept of [GRAPHQL_RESPONSE, 'application/json']) {
        const res = await post(JSON.stringify({ query }), {
          'content-type': 'application/json',
          accept,
          authorization: `Bearer ${token}`,
        });
        expect([accept, res.status]).toEqual([accept, 400]);
        expect(res.headers.get('content-type')).toContain(accept);
        const body = (await res.json()) as { data?: unknown; errors: any[] };
        expect(body.data).toBeUndefined();
        expect(body.errors[0].extensions.code).toBe(code);
      }
    });

    it('answers 400 when the request has no query', async () => {
      const res = await post(JSON.stringify({ variables: {} }), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/query/);
    });

    it('answers 400, not 500, to a body that is not JSON, without internals', async () => {
      const res = await post('{"query": "{ municipalities { totalCount } }"', {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        errors: [
          {
            message: expect.stringMatching(/not valid JSON/),
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      expect(text).not.toMatch(/at .*\.js|node_modules|stack/i);
    });

    it('answers 415 to a media type it does not read', async () => {
      const res = await post('<query/>', {
        'content-type': 'application/xml',
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: expect.stringMatching(/application\/json/),
            extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
          },
        ],
      });
    });

    it.each([
      ['text/plain', JSON.stringify({ query: QUERY })],
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(QUERY)}`],
    ])('refuses a CSRF-style simple POST (%s, no preflight header)', async (type, body) => {
      const res = await post(body, { 'content-type': type, authorization: `Bearer ${token}` });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { data?: unknown; errors: Array<{ message: string }> };
      expect(answer.data).toBeUndefined();
      expect(answer.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    });

    it('refuses batched operations', async () => {
      const res = await post(JSON.stringify([{ query: QUERY }, { query: QUERY }]), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/batch/i);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const padding = 'x'.repeat(1024 * 1024);
      const res = await post(JSON.stringify({ query: QUERY, variables: { padding } }), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: 'The request body is larger than the limit of 1 MiB',
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
    });
  });

  describe('automatic persisted queries', () => {
    const query = '{ municipalities { edges { node { code } } } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const send = async (body: Record<string, unknown>) => {
      const res = await post(JSON.stringify(body), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };

    it('asks for the query once, then runs it from its hash alone (POST and GET)', async () => {
      const unknown = await send({ extensions });
      expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(unknown.body.data).toBeUndefined();

      const registered = await send({ query, extensions });
      expect(registered.status).toBe(200);
      expect(registered.body.data).toEqual({
        municipalities: { edges: [{ node: { code: 'BSR' } }] },
      });

      const byHash = await send({ extensions });
      expect(byHash.body.data).toEqual(registered.body.data);
      // The cost model applies to persisted queries too.
      expect(byHash.body.extensions.cost).toMatchObject({ requestedQueryCost: 21 });

      const overGet = await get({ extensions: JSON.stringify(extensions) }, preflighted());
      expect(overGet.status).toBe(200);
      expect(await overGet.json()).toMatchObject({ data: registered.body.data });
    });

    it('refuses a query that does not match its hash', async () => {
      const wrong = await send({
        query: '{ municipalities { totalCount } }',
        extensions,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.data).toBeUndefined();
      expect(wrong.body.errors[0]).toMatchObject({
        message: expect.stringMatching(/sha256Hash/),
        extensions: { code: 'BAD_REQUEST' },
      });
    });
  });
});
