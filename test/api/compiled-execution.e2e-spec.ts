import { StaffRole } from '../../src/common/access/staff-role';
import { compiledExecutionCounts } from '../../src/common/graphql/compiled-execution.plugin';
import { insertWards, seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import {
  createRequest,
  createResident,
  QUEUE_CARD_FIELDS,
  seedCatalogue,
  step,
} from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Queries run compiled by graphql-jit (GRAPHQL_COMPILED_EXECUTION, on by default). Two
 * instances of one deployment, one compiled and one on graphql-js, must answer every query —
 * data, errors, nulls, HTTP status — byte for byte alike.
 */
describe('compiled query execution (e2e)', () => {
  let compiled: TestApp;
  let interpreted: TestApp;
  let coordinator: string;
  let otherWardResident: string;
  let request: Record<string, any>;

  beforeAll(async () => {
    // Public certificate checks: 3 a minute per address, shared by the two instances.
    compiled = await startTestApp({ VERIFY_RATE_PER_MINUTE: '3' });
    const bsr = await seedMunicipality(compiled, 'BSR');
    const [, ward5, ward6] = await insertWards(compiled, bsr, 6).then((w) => [w[0], w[4], w[5]]);
    const types = await seedCatalogue(compiled, bsr);
    await seedStaff(compiled, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    await seedStaff(compiled, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    coordinator = (await signIn(compiled, 'coord.5')).accessToken;
    const other = (await signIn(compiled, 'coord.6')).accessToken;
    const as5 = (q: string, v?: Record<string, unknown>) =>
      compiled.gql(q, v, { authorization: `Bearer ${coordinator}` });
    const as6 = (q: string, v?: Record<string, unknown>) =>
      compiled.gql(q, v, { authorization: `Bearer ${other}` });
    const rahim = await createResident(as5, ward5, 'রহিম শেখ', '+91 98765 43210');
    otherWardResident = await createResident(as6, ward6, 'করিম মণ্ডল', '9123456780');
    request = await createRequest(as5, {
      residentId: rahim,
      serviceTypeId: types.CHARACTER_CERT,
      attributes: { purpose: 'job' },
      channel: 'PHONE_CALL',
    });
    await step(as5, request, 'START_REVIEW');
    await createRequest(as5, { residentId: rahim, serviceTypeId: types.GARBAGE });
    interpreted = await startTestApp(
      { GRAPHQL_COMPILED_EXECUTION: 'false', VERIFY_RATE_PER_MINUTE: '3' },
      compiled.db,
    );
  });
  afterAll(async () => {
    await interpreted?.close({ keepDatabase: true });
    await compiled?.close();
  });

  /** The raw answer of one instance: status and body text. */
  const ask = async (
    t: TestApp,
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = coordinator,
  ) => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = JSON.parse(await res.text());
    // The caller's remaining budget moves between the two asks; everything else must match.
    delete body.extensions?.cost?.throttleStatus;
    delete body.extensions?.rateLimit;
    // A refusal's wait counts down between the two asks.
    for (const error of body.errors ?? []) {
      if (typeof error.extensions?.retryAfterSeconds === 'number')
        error.extensions.retryAfterSeconds = 'some seconds';
    }
    return { status: res.status, retryAfter: res.headers.has('retry-after'), body };
  };

  type Path = 'ran compiled' | 'handed back';
  const cases: Array<[string, Path, () => [string, Record<string, unknown>?, (string | null)?]]> = [
    [
      'the queue page, fully expanded',
      'ran compiled',
      () => [
        `query ($first: Int) { requests(first: $first) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { ${QUEUE_CARD_FIELDS} } } } }`,
        { first: 50 },
      ],
    ],
    [
      'fragments, aliases, @include and @skip by variable, __typename',
      'ran compiled',
      () => [
        `query ($id: ID!, $withResident: Boolean!, $noWard: Boolean!) {
           one: request(id: $id) { ...card __typename }
           again: request(id: $id) { id ward @skip(if: $noWard) { number } } }
         fragment card on ServiceRequest { id status resident @include(if: $withResident) { fullName } }`,
        { id: request.id, withResident: true, noWard: true },
      ],
    ],
    [
      'another ward’s resident (NOT_FOUND, bubbling to a null root)',
      'ran compiled',
      () => [
        `query ($id: ID!, $r: ID!) { resident(id: $r) { id fullName } request(id: $id) { id } }`,
        { id: request.id, r: otherWardResident },
      ],
    ],
    [
      'a request that does not exist',
      'ran compiled',
      () => [
        `query ($id: ID!) { request(id: $id) { id } }`,
        { id: '00000000-0000-4000-8000-000000000000' },
      ],
    ],
    [
      'a variable of the wrong type (refused before anything runs)',
      'handed back',
      () => [`query ($first: Int) { requests(first: $first) { totalCount } }`, { first: 'ten' }],
    ],
    [
      'a missing required variable',
      'handed back',
      () => [`query ($id: ID!) { request(id: $id) { id } }`, {}],
    ],
    [
      'Bengali digits where a number is due',
      'handed back',
      () => [`query ($first: Int) { requests(first: $first) { totalCount } }`, { first: '১০' }],
    ],
    [
      'literals that would break generated code (quotes, backslashes, ${}, Bengali)',
      'ran compiled',
      () => [
        `{ a: residents(filter: { search: "\\"); process.exit(1); //" }, first: 2) { totalCount }
           b: residents(filter: { search: "\${process.exit(1)} \\u09B0 রহিম" }, first: 2) {
             edges { node { fullName } } } }`,
      ],
    ],
    ['no credentials', 'ran compiled', () => [`{ requests(first: 1) { totalCount } }`, {}, null]],
  ];

  it.each(cases)('answers %s as graphql-js does (%s)', async (_name, path, make) => {
    const [query, variables, token] = make();
    const before = { ...compiledExecutionCounts };
    const [fromCompiled, fromInterpreted] = [
      await ask(compiled, query, variables, token === undefined ? coordinator : token),
      await ask(interpreted, query, variables, token === undefined ? coordinator : token),
    ];
    expect(fromCompiled).toEqual(fromInterpreted);
    expect({
      ran: compiledExecutionCounts.ranCompiled - before.ranCompiled,
      handedBack: compiledExecutionCounts.handedBack - before.handedBack,
    }).toEqual(path === 'ran compiled' ? { ran: 1, handedBack: 0 } : { ran: 0, handedBack: 1 });
  });

  it('answers a rate-limited public check as graphql-js does, Retry-After included', async () => {
    const verify = `query ($n: String!, $c: String!) { verifyCertificate(number: $n, code: $c) { status } }`;
    const variables = { n: 'BSR/CHR/2627/000001', c: 'ABCD-EFGH-JKLM' };
    for (let i = 0; i < 3; i += 1) {
      const allowed = await ask(compiled, verify, variables, null);
      expect(allowed.status).toBe(200);
    }
    const before = { ...compiledExecutionCounts };
    const fromCompiled = await ask(compiled, verify, variables, null);
    expect(compiledExecutionCounts.ranCompiled - before.ranCompiled).toBe(1);
    const fromInterpreted = await ask(interpreted, verify, variables, null);
    // Refused while resolving: the answer stays 200 (GraphQL over HTTP), Retry-After is set.
    expect(fromCompiled).toMatchObject({ status: 200, retryAfter: true });
    expect(fromCompiled.body.errors[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 'some seconds',
    });
    expect(fromCompiled).toEqual(fromInterpreted);
  });

  it('runs queries compiled, each document compiled once', async () => {
    const query = `query ($first: Int) { requests(first: $first) { totalCount edges { node { id status } } } }`;
    const before = { ...compiledExecutionCounts };
    const first = await ask(compiled, query, { first: 2 });
    const second = await ask(compiled, query, { first: 1 });
    expect(first.body.data.requests.edges).toHaveLength(2);
    expect(second.body.data.requests.edges).toHaveLength(1);
    expect(compiledExecutionCounts.ranCompiled - before.ranCompiled).toBe(2);
    expect(compiledExecutionCounts.compiled - before.compiled).toBe(1);
    // The interpreted instance (same process) never compiles.
    const untouched = { ...compiledExecutionCounts };
    await ask(interpreted, query, { first: 2 });
    expect(compiledExecutionCounts).toEqual(untouched);
  });

  it('leaves mutations to graphql-js', async () => {
    const before = { ...compiledExecutionCounts };
    const res = await ask(
      compiled,
      `mutation ($input: TransitionRequestInput!) { transitionRequest(input: $input) {
         request { id } errors { code field } } }`,
      { input: { requestId: request.id, action: 'NOT_AN_ACTION', expectedVersion: 1 } },
    );
    expect(res.status).toBe(400);
    expect(compiledExecutionCounts).toEqual(before);
  });
});
