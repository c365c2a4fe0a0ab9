import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, PASSWORD, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const LONE = 'a\ud800b';

/**
 * Issue 21: a lone UTF-16 surrogate (or NUL) in a string input answered
 * INTERNAL_SERVER_ERROR (PostgreSQL 22P02 writing jsonb). Every string input — variables,
 * object keys, literals — is checked once at the API's edge: BAD_USER_INPUT naming the field.
 */
describe('broken text in string inputs (e2e)', () => {
  let t: TestApp;
  let admin: GraphQL;
  let wardId: string;
  let requestId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    [wardId] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    const resident = await createResident(admin, wardId, 'রহিম শেখ', '9876543210');
    requestId = (await createRequest(admin, { residentId: resident, serviceTypeId: types.GARBAGE }))
      .id;
  });
  afterAll(() => t.close());

  const cases: Array<[string, string, () => Record<string, unknown>, string]> = [
    [
      'createApiClient.name',
      'mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { errors { code } } }',
      () => ({ name: LONE, scopes: ['REQUESTS_READ'] }),
      'input.name',
    ],
    [
      'addRequestNote.text',
      'mutation ($input: AddRequestNoteInput!) { addRequestNote(input: $input) { errors { code } } }',
      () => ({ requestId, text: LONE }),
      'input.text',
    ],
    [
      'createStaffAccount.displayName',
      'mutation ($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { errors { code } } }',
      () => ({
        username: 'broken.text',
        displayName: LONE,
        password: PASSWORD,
        roles: [{ role: 'SIGNATORY' }],
      }),
      'input.displayName',
    ],
    [
      'createWebhookEndpoint.url',
      'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { errors { code } } }',
      () => ({ url: `https://example.org/${LONE}`, eventTypes: ['request.created'] }),
      'input.url',
    ],
    [
      'createWard.nameEn',
      'mutation ($input: CreateWardInput!) { createWard(input: $input) { errors { code } } }',
      () => ({ number: 77, nameBn: 'ওয়ার্ড ৭৭', nameEn: LONE }),
      'input.nameEn',
    ],
  ];

  it.each(cases)('%s: a lone surrogate is BAD_USER_INPUT naming the field', async (...c) => {
    const [, query, input, field] = c;
    const res = await admin(query, { input: input() });
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0].message).toMatch(/lone UTF-16 surrogate/);
  });

  it('refuses NUL and surrogates in literals, nested values and object keys', async () => {
    const literal = await admin(
      `mutation { addRequestNote(input: { requestId: "${requestId}", text: "a\\u0000b" }) { errors { code } } }`,
    );
    expect(literal.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.text',
    });
    expect(literal.errors?.[0].message).toMatch(/NUL/);
    const nested = await admin(
      'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { errors { code } } }',
      { input: { url: 'https://example.org/x', eventTypes: ['request.created', `x${LONE}`] } },
    );
    expect(nested.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.eventTypes.1',
    });
    // A low surrogate alone, and a pair in the wrong order, are as broken as a high one.
    for (const text of ['\udc00', '\udc00\ud800']) {
      const res = await admin(
        'mutation ($input: AddRequestNoteInput!) { addRequestNote(input: $input) { errors { code } } }',
        { input: { requestId, text } },
      );
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('keeps well-formed text: Bengali, emoji pairs, joiners and RTL marks', async () => {
    const res = await admin(
      'mutation ($input: AddRequestNoteInput!) { addRequestNote(input: $input) { errors { code } } }',
      { input: { requestId, text: 'রহিম 👨‍👩‍👧 \u202eabc 🇮🇳' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.addRequestNote.errors).toEqual([]);
  });
});
