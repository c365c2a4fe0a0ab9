import fc from 'fast-check';
import { StaffRole } from '../../src/common/access/staff-role';
import { signPayload } from '../../src/whatsapp/whatsapp-signature';
import { insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { APP_SECRET, HELPLINE } from '../support/whatsapp-webhooks';

/** Text that mixes what hostile clients send: control characters, scripts, braces, huge runs. */
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '\u0000',
    '\u202e',
    '{{}}',
    '${x}',
    '\ud800',
    '০১২৩',
    'রহিম',
    '"',
    '\\',
    '__proto__',
    'constructor',
  ),
  fc.string({
    unit: fc.constantFrom('ক', '্', 'ষ', 'a', '{', '}', '\u200d', '\n', ' '),
    maxLength: 500,
  }),
  fc.nat(5000).map((n) => 'x'.repeat(n * 100)),
);

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(nastyText, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('hostile input at the public surfaces never gets a 500 (property-based)', () => {
  let t: TestApp;
  let token: string;
  let residentId: string;
  let serviceTypeId: string;

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  /** Never a server error, never a stack trace or SQL text. */
  const sane = async (response: Response) => {
    const text = await response.text();
    expect({ status: response.status, internal: text.includes('INTERNAL_SERVER_ERROR') }).toEqual({
      status: response.status < 500 ? response.status : 'a 5xx',
      internal: false,
    });
    expect(text).not.toMatch(/at [\w.]+ \(|QueryFailedError|syntax error at or near/);
  };

  beforeAll(async () => {
    t = await startTestApp({
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_ACCESS_TOKEN: 'x',
      WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9',
    });
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    await t.db.pool.query(`UPDATE wards SET whatsapp_phone_number_id = $2 WHERE id = $1`, [
      ward,
      HELPLINE,
    ]);
    const types = await seedCatalogue(t, bsr);
    serviceTypeId = types.INCOME_CERT;
    const coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    token = (await signIn(t, 'coord.1')).accessToken;
    residentId = await createResident(coordinator, ward, 'রহিম শেখ');
  });
  afterAll(() => t.close());

  it('GraphQL documents: random and broken text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          nastyText,
          nastyText.map(
            (x) => `{ requests(filter: { search: ${JSON.stringify(x)} }) { totalCount } }`,
          ),
          fc.nat(300).map((n) => `{ ${'requests { edges { node { ward { '.repeat(n)} }`),
          fc
            .nat(200)
            .map(
              (n) =>
                `query { ${Array.from({ length: n }, (_, i) => `a${i}: me { actorType }`).join(' ')} }`,
            ),
          fc.constant('fragment A on Query { ...B } fragment B on Query { ...A } { ...A }'),
        ),
        async (query) => {
          await sane(
            await post('/graphql', JSON.stringify({ query }), { authorization: `Bearer ${token}` }),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('GraphQL variables: wrong types, huge and hostile values', async () => {
    const mutation = `mutation ($input: CreateRequestInput!) { createRequest(input: $input) { errors { code field } } }`;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          residentId: fc.oneof(fc.constant(residentId), nastyText, fc.uuid()),
          serviceTypeId: fc.oneof(fc.constant(serviceTypeId), nastyText, fc.integer()),
          attributes: fc.oneof(
            jsonValue,
            fc.constant({ purpose: 'school', annual_income: '১,২০,০০০' }),
          ),
          description: fc.oneof(nastyText, fc.constant(null)),
          idempotencyKey: fc.oneof(nastyText, fc.constant(null)),
          channel: fc.oneof(fc.constant('PHONE_CALL'), nastyText),
        }),
        async (input) => {
          await sane(
            await post('/graphql', JSON.stringify({ query: mutation, variables: { input } }), {
              authorization: `Bearer ${token}`,
            }),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('request bodies that are not JSON, or too big', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          nastyText,
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
        ),
        async (body) => {
          await sane(await post('/graphql', body as never, { authorization: `Bearer ${token}` }));
        },
      ),
      { numRuns: 40 },
    );
    await sane(
      await post(
        '/graphql',
        JSON.stringify({ query: '{ me { actorType } }', pad: 'x'.repeat(2 * 1024 * 1024) }),
      ),
    );
  });

  it('signed webhook bodies of any shape, and 3 MB payloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          jsonValue.map((v) =>
            JSON.stringify({
              object: 'whatsapp_business_account',
              entry: [{ changes: [{ field: 'messages', value: v }] }],
            }),
          ),
          fc
            .record({
              from: nastyText,
              id: nastyText,
              timestamp: nastyText,
              type: nastyText,
              text: fc.record({ body: nastyText }),
            })
            .map((m) =>
              JSON.stringify({
                object: 'whatsapp_business_account',
                entry: [
                  {
                    id: 'W',
                    changes: [
                      {
                        field: 'messages',
                        value: { metadata: { phone_number_id: HELPLINE }, messages: [m] },
                      },
                    ],
                  },
                ],
              }),
            ),
          nastyText,
        ),
        async (raw) => {
          const bytes = Buffer.from(raw, 'utf8');
          await sane(
            await post('/webhooks/whatsapp', bytes, {
              'x-hub-signature-256': signPayload(bytes, APP_SECRET),
            }),
          );
        },
      ),
      { numRuns: 60 },
    );
    const big = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [],
        pad: 'ক'.repeat(1_000_000),
      }),
    );
    expect(big.length).toBeGreaterThan(2_900_000);
    const answer = await post('/webhooks/whatsapp', big, {
      'x-hub-signature-256': signPayload(big, APP_SECRET),
    });
    expect(answer.status).toBe(200);
    // Whatever was stored is processed or parked, never crashes the processor.
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM whatsapp_inbox WHERE status NOT IN ('DONE', 'PENDING', 'PARKED')`,
    );
    expect(rows[0].n).toBe(0);
  });
});
