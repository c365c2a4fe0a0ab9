import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { CREATE_WARD } from '../support/ward-queries';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

describe('API safety and operations (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;

  beforeAll(async () => {
    t = await startTestApp();
    const municipalityId = await seedMunicipality(t);
    admin = await staffClient(t, municipalityId, 'bsr.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
  });
  afterAll(() => t.close());

  it('hides the details of an internal error from the client and logs them', async () => {
    await t.db.pool.query('ALTER TABLE wards RENAME TO wards_moved_away');
    try {
      const res = await admin(`{ wards { totalCount } }`);
      expect(res.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['wards'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(res)).not.toMatch(/wards_moved_away|relation|SELECT|stack|at /i);
      expect(t.logs.join('')).toContain('unexpected error in GraphQL operation');
    } finally {
      await t.db.pool.query('ALTER TABLE wards_moved_away RENAME TO wards');
    }
  });

  it('answers BAD_USER_INPUT, not an internal error, for text PostgreSQL cannot store', async () => {
    const res = await admin(
      `query ($code: String) {
      municipality(code: $code) { id }
    }`,
      { code: 'B\u0000SR' },
    );
    // Refused at the API's edge, naming the argument the variable fills (issue 21).
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    const audit = await admin(
      `query ($type: String) { auditLog(filter: { entityType: $type }) { totalCount } }`,
      {
        type: 'Ward\u0000',
      },
    );
    expect(audit.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.entityType',
    });
    const nul = await admin(CREATE_WARD, { input: { number: 2, nameBn: 'ক\u0000খ', nameEn: 'K' } });
    expect(nul.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.nameBn' });
    // Text fields of mutations simply lose the other control characters.
    const created = await admin(CREATE_WARD, {
      input: { number: 2, nameBn: 'ক\u0007খ', nameEn: 'K' },
    });
    expect(created.data?.createWard.ward.nameBn).toBe('কখ');
  });

  it.each([
    [
      'a ward number beyond int4',
      '{ wards(after: $after) { totalCount } }',
      ['00000000-0000-4000-8000-000000000000', 3000000000, '00000000-0000-4000-8000-000000000000'],
    ],
    [
      'an audit position beyond bigint',
      '{ auditLog(after: $after) { totalCount } }',
      ['99999999999999999999'],
    ],
    [
      'a non-date in an API client cursor',
      '{ apiClients(after: $after) { totalCount } }',
      ['not-a-date', '00000000-0000-4000-8000-000000000000'],
    ],
  ])('answers BAD_USER_INPUT for a forged cursor with %s', async (_label, selection, key) => {
    const after = Buffer.from(JSON.stringify(key)).toString('base64url');
    const res = await admin(`query ($after: String) ${selection}`, { after });
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('answers BAD_USER_INPUT for an impossible date in a filter', async () => {
    const res = await admin(
      `{ auditLog(filter: { from: "2020-13-45T00:00:00Z" }) { totalCount } }`,
    );
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never logs personal data sent in a mutation', async () => {
    t.logs.length = 0;
    await admin(CREATE_WARD, {
      input: {
        number: 1,
        nameBn: 'ক',
        nameEn: 'K',
        helplineWhatsappNumber: '+91 98765 43210',
      },
    });
    expect(t.logs.join('')).not.toContain('98765');
  });

  it('answers with a request id, keeping a sane one the caller sent', async () => {
    const own = await fetch(`${t.url}/health/live`, { headers: { 'x-request-id': 'caller-123' } });
    expect(own.headers.get('x-request-id')).toBe('caller-123');
    const hostile = await fetch(`${t.url}/health/live`, {
      headers: { 'x-request-id': '<script>alert(1)</script>' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.logs.join('')).toContain('"reqId":"caller-123"');
  });

  it('reports liveness and database readiness', async () => {
    const live = await fetch(`${t.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
    });
  });

  it('keeps Apollo’s CSRF prevention on for simple GET requests', async () => {
    const query = encodeURIComponent('{ municipalities { totalCount } }');
    const simple = await fetch(`${t.url}/graphql?query=${query}`);
    expect(simple.status).toBe(400);
    const { accessToken } = await signIn(t, 'bsr.admin');
    const preflighted = await fetch(`${t.url}/graphql?query=${query}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${accessToken}` },
    });
    expect(await preflighted.json()).toMatchObject({ data: { municipalities: { totalCount: 1 } } });
  });

  it('refuses too deep, too aliased and cyclic-fragment operations with a clear error', async () => {
    const deep = await admin(`{ wards { edges { node { municipality { wards { edges { node {
      municipality { wards { edges { node { municipality { code } } } } } } } } } } } } }`);
    expect(deep.errors?.[0].message).toMatch(/depth/i);
    const aliases = Array.from(
      { length: 40 },
      (_, i) => `a${i}: municipalities { totalCount }`,
    ).join(' ');
    const aliased = await admin(`{ ${aliases} }`);
    expect(aliased.errors?.[0].message).toMatch(/alias/i);
    const cyclic = await admin(
      `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`,
    );
    expect(cyclic.status).toBe(400);
    expect(cyclic.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const res of [deep, aliased]) expect(res.data).toBeUndefined();
  });

  it('describes every type and field in the schema', async () => {
    const res = await t.gql(
      `{ __schema { types { name kind description fields { name description } } } }`,
    );
    const ours = res.data?.__schema.types.filter(
      (type: { name: string; kind: string }) =>
        !type.name.startsWith('__') && type.kind !== 'SCALAR',
    );
    const undocumented = ours.flatMap((type: any) => [
      ...(type.description || ROOT_TYPES.includes(type.name) ? [] : [type.name]),
      ...(type.fields ?? [])
        .filter((f: any) => !f.description)
        .map((f: any) => `${type.name}.${f.name}`),
    ]);
    expect(undocumented).toEqual([]);
  });
});
