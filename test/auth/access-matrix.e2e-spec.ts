import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createClient } from 'graphql-ws';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { declaredOperations } from '../../src/auth/access-policy.registry';
import { StaffRole } from '../../src/common/access/staff-role';
import {
  as,
  insertWards,
  PASSWORD,
  seedMunicipality,
  seedStaff,
  signIn,
} from '../support/fixtures';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';

/**
 * The policy test that cannot be forgotten: every operation of the schema must declare a
 * policy and appear in the matrix below, which runs it as every kind of caller.
 */
const ACTORS = [
  'ADMIN',
  'SIGNATORY',
  'COORDINATOR',
  'FIELD_AGENT',
  'OTHER_WARD_COORDINATOR',
  'OTHER_MUNICIPALITY_ADMIN',
  'API_CLIENT_WITH_SCOPES',
  'API_CLIENT_WITHOUT_SCOPE',
  'NO_TOKEN',
  'EXPIRED_TOKEN',
  'REVOKED_TOKEN',
] as const;
type ActorName = (typeof ACTORS)[number];

// Outcomes in ACTORS order. OK: the operation ran; E: it ran and its payload refused the
// input; F: FORBIDDEN; NF: NOT_FOUND; U: UNAUTHENTICATED.
//                          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
const READ_WARDS = /*    */ 'OK   OK   OK   OK   OK   OK   OK   F    U    U    U';
const READ_OWN = /*      */ 'OK   OK   OK   OK   OK   NF   OK   F    U    U    U';
const MANAGE_NEW = /*    */ 'OK   F    F    F    F    OK   F    F    U    U    U';
const MANAGE_OWN = /*    */ 'OK   F    F    F    F    NF   F    F    U    U    U';
const SESSION = /*       */ 'OK   OK   OK   OK   OK   OK   F    F    U    U    U';
const PUBLIC = /*        */ 'OK   OK   OK   OK   OK   OK   OK   OK   OK   OK   OK';
const READ_RESIDENT = /* */ 'OK   OK   OK   F    NF   NF   OK   F    U    U    U';
const WRITE_RESIDENT = /**/ 'OK   F    OK   F    NF   NF   OK   F    U    U    U';
// Field agents see their own deliveries, never the ward's requests.
const READ_REQUEST = /*  */ 'OK   OK   OK   F    NF   NF   OK   OK   U    U    U';
const WRITE_REQUEST = /* */ 'OK   F    OK   F    NF   NF   OK   F    U    U    U';

interface Context {
  t: TestApp;
  bsr: string;
  ward5: string;
  ward6: string;
  residentId: string;
  serviceTypeId: string;
  coordinatorId: string;
  agentId: string;
  fresh: () => string;
}

interface Case {
  expected: string;
  /** Staff callers get a brand-new session for this operation (it ends sessions). */
  freshSession?: boolean;
  run: (ctx: Context) => Promise<{ query: string; variables?: Record<string, unknown> }>;
  /** Subscriptions run over graphql-ws, authenticated in the connection parameters. */
  overWebSocket?: boolean;
}

/**
 * A subscription's outcome: U when the connection is refused, the error's code when the
 * subscription is refused, OK when it is accepted and stays open.
 */
function codeOf(error: { extensions?: { code?: unknown } }): string {
  const code = String(error?.extensions?.code);
  const short: Record<string, string> = { FORBIDDEN: 'F', NOT_FOUND: 'NF', UNAUTHENTICATED: 'U' };
  return short[code] ?? code;
}

async function subscriptionOutcome(
  t: TestApp,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<string> {
  const client = createClient({
    url: t.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  try {
    return await new Promise<string>((resolve) => {
      const accepted = setTimeout(() => resolve('OK'), 400);
      client.subscribe(
        { query, variables },
        {
          // A refused subscription arrives as a result carrying errors.
          next: (value) => {
            if (!value.errors) return;
            clearTimeout(accepted);
            resolve(codeOf(value.errors[0] as { extensions?: { code?: string } }));
          },
          complete: () => undefined,
          error: (error) => {
            clearTimeout(accepted);
            if ((error as { code?: number }).code === 4403) return resolve('U');
            resolve(codeOf(Array.isArray(error) ? error[0] : {}));
          },
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const wardVersion = async (ctx: Context) =>
  (await ctx.t.db.pool.query('SELECT version FROM wards WHERE id = $1', [ctx.ward5])).rows[0]
    .version;
const throwawayAccount = (ctx: Context) =>
  seedStaff(ctx.t, ctx.bsr, `x${ctx.fresh()}`, [{ role: StaffRole.SIGNATORY }]);
const throwawayResident = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO residents (municipality_id, ward_id, full_name, created_channel) VALUES ($1, $2, 'x', 'API') RETURNING id`,
      [ctx.bsr, ctx.ward5],
    )
  ).rows[0].id as string;
const throwawayRequest = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
         service_type_id, definition_version, category, channel, attributes, sla_due_at)
       VALUES ($1, $2, $3, $4, $5, 1, 'COMPLAINT', 'API', '{}', now() + interval '1 day')
       RETURNING id`,
      [
        ctx.bsr,
        ctx.ward5,
        `BSR-05-2627-9${ctx.fresh().padStart(4, '0')}`,
        ctx.residentId,
        ctx.serviceTypeId,
      ],
    )
  ).rows[0].id as string;
/** An open callback task of ward 5 (a missed call), straight into the table. */
const throwawayCallbackTask = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO callback_tasks (municipality_id, ward_id, caller_phone, first_call_at, last_call_at, due_at)
       VALUES ($1, $2, $3, now(), now(), now() + interval '2 hours') RETURNING id`,
      [ctx.bsr, ctx.ward5, `+9190000${ctx.fresh().padStart(5, '0')}`],
    )
  ).rows[0].id as string;
const REQUEST_MUTATION = (name: string, fields: string) =>
  `mutation ($id: ID!) { ${name}(input: { requestId: $id, ${fields} }) { errors { code } } }`;
/** A WhatsApp payload parked on ward 5's helpline (the ward gets a helpline number if it has none). */
const throwawayParkedPayload = async (ctx: Context) => {
  const { rows } = await ctx.t.db.pool.query(
    `UPDATE wards SET whatsapp_phone_number_id = coalesce(whatsapp_phone_number_id, 'matrix-helpline-5')
      WHERE id = $1 RETURNING whatsapp_phone_number_id AS helpline`,
    [ctx.ward5],
  );
  const parked = await ctx.t.db.pool.query(
    `INSERT INTO whatsapp_inbox (payload, status, attempts, helpline, sender, parked_at, last_error)
     VALUES ('{"object":"whatsapp_business_account","entry":[]}', 'PARKED', 6, $1, '919800000000', now(), 'matrix')
     RETURNING id`,
    [rows[0].helpline],
  );
  return parked.rows[0].id as string;
};

const throwawayFailedNotification = async (ctx: Context) => {
  const requestId = await throwawayRequest(ctx);
  const { rows } = await ctx.t.db.pool.query(
    `INSERT INTO domain_events (type, aggregate_type, aggregate_id, municipality_id, ward_id, payload)
     VALUES ('request.created', 'ServiceRequest', $1, $2, $3, '{}') RETURNING id`,
    [requestId, ctx.bsr, ctx.ward5],
  );
  const notification = await ctx.t.db.pool.query(
    `INSERT INTO notifications (municipality_id, ward_id, event_id, template_key, request_id,
       resident_id, recipient_type, recipient_id, channel, address, language, body, status)
     VALUES ($1, $2, $3, 'request_received', $4, $5, 'RESIDENT', $5, 'LOG', '919876543210', 'bn',
       'x', 'FAILED') RETURNING id`,
    [ctx.bsr, ctx.ward5, rows[0].id, requestId, ctx.residentId],
  );
  return notification.rows[0].id as string;
};
const throwawayConversation = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO conversations (phone_number_id, wa_id, municipality_id, ward_id, resident_id, language)
       VALUES ('matrix-helpline', $1, $2, $3, $4, 'bn') RETURNING id`,
      [`9190${ctx.fresh().padStart(8, '0')}`, ctx.bsr, ctx.ward5, ctx.residentId],
    )
  ).rows[0].id as string;
const throwawayAnnouncement = async (ctx: Context, status: string, whole = false) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO announcements (municipality_id, ward_ids, whole_municipality, text_bn, text_en, status,
         needs_approval, created_by_name)
       VALUES ($1, $2::uuid[], $3, 'ঘোষণা', 'Notice', $4, $3, 'matrix') RETURNING id`,
      [ctx.bsr, whole ? [ctx.ward5, ctx.ward6] : [ctx.ward5], whole, status],
    )
  ).rows[0].id as string;
const ANNOUNCEMENT_MUTATION = (name: string) =>
  `mutation ($id: ID!) { ${name}(input: { id: $id }) { errors { code } } }`;
const throwawayCannedReply = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO canned_replies (municipality_id, ward_id, title, body_bn, body_en)
       VALUES ($1, $2, $3, 'ধন্যবাদ', 'Thanks') RETURNING id`,
      [ctx.bsr, ctx.ward5, `reply ${ctx.fresh()}`],
    )
  ).rows[0].id as string;
const DESK_MUTATION = (name: string) =>
  `mutation ($id: ID!) { ${name}(input: { conversationId: $id }) { errors { code } } }`;
const throwawayCertificate = async (ctx: Context) => {
  const requestId = await throwawayRequest(ctx);
  await ctx.t.db.pool.query(
    `INSERT INTO certificate_signing_keys (key_id, public_key) VALUES ('matrix', 'x') ON CONFLICT DO NOTHING`,
  );
  const { rows } = await ctx.t.db.pool.query(
    `INSERT INTO certificates (municipality_id, ward_id, request_id, type_code, number, verification_code,
       holder, content, issued_at, signer_name, signer_role, key_id, signature)
     VALUES ($1, $2, $3, 'RES', $4, 'ABCDEFGH', '{}', '{}', now(), 'x', 'SIGNATORY', 'matrix', 'x')
     RETURNING id`,
    [ctx.bsr, ctx.ward5, requestId, `BSR/RES/2026-27/${ctx.fresh().padStart(6, '0')}`],
  );
  return rows[0].id as string;
};
const throwawayDelivery = async (ctx: Context) => {
  const requestId = await throwawayRequest(ctx);
  const { rows } = await ctx.t.db.pool.query(
    `INSERT INTO deliveries (municipality_id, ward_id, request_id, agent_id, scheduled_date,
       window_start, window_end, address, code_hash)
     VALUES ($1, $2, $3, $4, current_date + 1, '10:00', '12:00', '{}', repeat('0', 64)) RETURNING id`,
    [ctx.bsr, ctx.ward5, requestId, ctx.agentId],
  );
  return rows[0].id as string;
};
const throwawayEndpoint = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO webhook_endpoints (municipality_id, owner_type, owner_id, url, event_types, secret)
       SELECT $1, 'STAFF', id, 'http://127.0.0.1:9/hook', '["request.created"]', 'whsec_x'
         FROM staff_accounts WHERE username = 'm.admin' RETURNING id`,
      [ctx.bsr],
    )
  ).rows[0].id as string;
const throwawayWebhookDelivery = async (ctx: Context) => {
  const endpoint = await throwawayEndpoint(ctx);
  const { rows } = await ctx.t.db.pool.query(
    `INSERT INTO domain_events (type, aggregate_type, aggregate_id, municipality_id, ward_id, payload)
     VALUES ('request.created', 'ServiceRequest', gen_random_uuid(), $1, $2, '{}') RETURNING id`,
    [ctx.bsr, ctx.ward5],
  );
  const delivery = await ctx.t.db.pool.query(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body, status, give_up_at)
     VALUES ($1, $2, 'request.created', '{}', 'FAILED', now()) RETURNING id`,
    [endpoint, rows[0].id],
  );
  return delivery.rows[0].id as string;
};
const throwawayWard = async (ctx: Context) =>
  (await insertWards(ctx.t, ctx.bsr, 1, 100 + Number(ctx.fresh())))[0];

const throwawayAgent = (ctx: Context) =>
  seedStaff(ctx.t, ctx.bsr, `a${ctx.fresh()}`, [
    { role: StaffRole.FIELD_AGENT, wardId: ctx.ward5 },
  ]);
/** A code of letters only (certificate type codes are A–Z). */
const letters = (ctx: Context) =>
  'T' + [...ctx.fresh()].map((d) => 'ABCDEFGHIJ'[Number(d)]).join('');
const throwawayCertificateType = async (ctx: Context) =>
  (
    await ctx.t.db.pool.query(
      `INSERT INTO certificate_types (municipality_id, code, name_bn, name_en, signer_role, template_bn, template_en)
       VALUES ($1, $2, 'ক', 'K', 'SIGNATORY', '{{holderName}}', '{{holderName}}') RETURNING id`,
      [ctx.bsr, letters(ctx)],
    )
  ).rows[0].id as string;
const TYPE_TEXT = 'templateBn: "{{holderName}}", templateEn: "{{holderName}}"';

const MATRIX: Record<string, Case> = {
  'Query.me': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   OK   OK   OK   OK   OK   U    U    U',
    run: async () => ({ query: '{ me { actorType } }' }),
  },
  'Query.municipalities': {
    expected: READ_WARDS,
    run: async () => ({ query: '{ municipalities { totalCount } }' }),
  },
  'Query.municipality': {
    expected: READ_OWN,
    run: async (ctx) => ({
      query: 'query ($id: ID) { municipality(id: $id) { id } }',
      variables: { id: ctx.bsr },
    }),
  },
  'Query.wards': { expected: READ_WARDS, run: async () => ({ query: '{ wards { totalCount } }' }) },
  'Query.ward': {
    expected: READ_OWN,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { ward(id: $id) { id } }',
      variables: { id: ctx.ward5 },
    }),
  },
  'Query.auditLog': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ auditLog { totalCount } }' }),
  },
  'Query.staffAccounts': {
    expected: MANAGE_NEW,
    run: async () => ({ query: '{ staffAccounts { totalCount } }' }),
  },
  'Query.staffAccount': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { staffAccount(id: $id) { id } }',
      variables: { id: ctx.coordinatorId },
    }),
  },
  'Query.apiClients': {
    expected: MANAGE_NEW,
    run: async () => ({ query: '{ apiClients { totalCount } }' }),
  },
  'Mutation.createWard': {
    expected: MANAGE_NEW,
    run: async (ctx) => ({
      query:
        'mutation ($n: Int!) { createWard(input: { number: $n, nameBn: "ক", nameEn: "K" }) { errors { code } } }',
      variables: { n: 500 + Number(ctx.fresh()) },
    }),
  },
  'Mutation.updateWard': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!, $v: Int!) { updateWard(input: { id: $id, version: $v, population: 7001 }) { errors { code } } }',
      variables: { id: ctx.ward5, v: await wardVersion(ctx) },
    }),
  },
  'Mutation.setWardCouncillorStatus': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { setWardCouncillorStatus(input: { wardId: $id, status: VACANT, since: "2022-03-20" }) { errors { code } } }',
      variables: { id: ctx.ward5 },
    }),
  },
  'Mutation.deactivateWard': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { deactivateWard(input: { wardId: $id }) { errors { code } } }',
      variables: { id: await throwawayWard(ctx) },
    }),
  },
  'Mutation.createStaffAccount': {
    expected: MANAGE_NEW,
    run: async (ctx) => ({
      query: `mutation ($u: String!, $p: String!) { createStaffAccount(input: {
        username: $u, displayName: "New", password: $p, roles: [{ role: SIGNATORY }] }) { errors { code } } }`,
      variables: { u: `new${ctx.fresh()}`, p: PASSWORD },
    }),
  },
  'Mutation.updateStaffAccount': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { updateStaffAccount(input: { id: $id, version: 1, displayName: "Z" }) { errors { code } } }',
      variables: { id: await throwawayAccount(ctx) },
    }),
  },
  'Mutation.deactivateStaffAccount': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { deactivateStaffAccount(input: { accountId: $id }) { errors { code } } }',
      variables: { id: await throwawayAccount(ctx) },
    }),
  },
  'Mutation.reactivateStaffAccount': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { reactivateStaffAccount(input: { accountId: $id }) { errors { code } } }',
      variables: { id: await throwawayAccount(ctx) },
    }),
  },
  'Mutation.resetStaffPassword': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { resetStaffPassword(input: { accountId: $id, newPassword: "another long passphrase" }) { errors { code } } }',
      variables: { id: await throwawayAccount(ctx) },
    }),
  },
  'Mutation.createApiClient': {
    expected: MANAGE_NEW,
    run: async () => ({
      query:
        'mutation { createApiClient(input: { name: "X", scopes: [WARDS_READ] }) { errors { code } } }',
    }),
  },
  'Mutation.revokeApiClient': {
    expected: MANAGE_OWN,
    run: async (ctx) => {
      const { rows } = await ctx.t.db.pool.query(
        `INSERT INTO api_clients (municipality_id, name, scopes, secret_hash) VALUES ($1, 'throwaway', '{}', repeat('0', 64)) RETURNING id`,
        [ctx.bsr],
      );
      return {
        query:
          'mutation ($id: ID!) { revokeApiClient(input: { apiClientId: $id }) { errors { code } } }',
        variables: { id: rows[0].id },
      };
    },
  },
  'Mutation.signIn': {
    expected: PUBLIC,
    run: async (ctx) => {
      const username = `in${ctx.fresh()}`;
      await seedStaff(ctx.t, ctx.bsr, username, [{ role: StaffRole.SIGNATORY }]);
      return {
        query:
          'mutation ($l: String!, $p: String!) { signIn(input: { login: $l, password: $p }) { accessToken } }',
        variables: { l: username, p: PASSWORD },
      };
    },
  },
  'Mutation.refreshSession': {
    expected: PUBLIC,
    run: async (ctx) => {
      const username = `rf${ctx.fresh()}`;
      await seedStaff(ctx.t, ctx.bsr, username, [{ role: StaffRole.SIGNATORY }]);
      const { refreshToken } = await signIn(ctx.t, username);
      return {
        query:
          'mutation ($r: String!) { refreshSession(input: { refreshToken: $r }) { accessToken } }',
        variables: { r: refreshToken },
      };
    },
  },
  'Mutation.changePassword': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    E    E    E    E    E    F    F    U    U    U',
    run: async () => ({
      query:
        'mutation { changePassword(input: { currentPassword: "wrong on purpose", newPassword: "whatever passphrase" }) { errors { code } } }',
    }),
  },
  'Query.resident': {
    expected: READ_RESIDENT,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { resident(id: $id) { id } }',
      variables: { id: ctx.residentId },
    }),
  },
  'Query.residentByPhone': {
    // Nobody with that number in the caller's wards is null, not an error (issue 18).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ residentByPhone(phone: "৯৮৭৬৫ ৪৩২১০") { id } }' }),
  },
  'Query.residents': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ residents { totalCount } }' }),
  },
  'Mutation.createResident': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    NF   E    OK   F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($w: ID!) { createResident(input: { wardId: $w, fullName: "নতুন" }) { errors { code } } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Mutation.updateResident': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { updateResident(input: { id: $id, version: 1, altName: "Natun" }) { errors { code } } }',
      variables: { id: await throwawayResident(ctx) },
    }),
  },
  'Mutation.verifyResident': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { verifyResident(input: { residentId: $id }) { errors { code } } }',
      variables: { id: await throwawayResident(ctx) },
    }),
  },
  'Mutation.moveResident': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!, $to: ID!) { moveResident(input: { residentId: $id, toWardId: $to }) { errors { code } } }',
      variables: { id: await throwawayResident(ctx), to: ctx.ward6 },
    }),
  },
  'Mutation.eraseResident': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    F    F    F    NF   F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { eraseResident(input: { residentId: $id, reason: "DPDP request 7" }) { errors { code } } }',
      variables: { id: await throwawayResident(ctx) },
    }),
  },
  'Query.serviceTypes': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   OK   OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ serviceTypes { totalCount } }' }),
  },
  'Query.serviceType': {
    expected: READ_OWN,
    run: async (ctx) => ({
      query: 'query ($id: ID) { serviceType(id: $id) { id } }',
      variables: { id: ctx.serviceTypeId },
    }),
  },
  'Mutation.createServiceType': {
    expected: MANAGE_NEW,
    run: async (ctx) => ({
      query: `mutation ($code: String!) { createServiceType(input: { code: $code, category: COMPLAINT,
        definition: { nameBn: "ক", nameEn: "K", attributes: [], documents: [], slaHours: 24, doorstepDelivery: false } }) { errors { code } } }`,
      variables: { code: `T_${ctx.fresh()}` },
    }),
  },
  'Mutation.updateServiceType': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!, $v: Int!) { updateServiceType(input: { id: $id, version: $v, active: true }) { errors { code } } }',
      variables: {
        id: ctx.serviceTypeId,
        v: (
          await ctx.t.db.pool.query('SELECT version FROM service_types WHERE id = $1', [
            ctx.serviceTypeId,
          ])
        ).rows[0].version,
      },
    }),
  },
  'Query.requests': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   OK   U    U    U',
    run: async () => ({ query: '{ requests { totalCount } }' }),
  },
  'Query.request': {
    expected: READ_REQUEST,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { request(id: $id) { id } }',
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Query.requestByTrackingNumber': {
    expected: READ_REQUEST,
    run: async (ctx) => {
      const id = await throwawayRequest(ctx);
      const { rows } = await ctx.t.db.pool.query(
        'SELECT tracking_number FROM service_requests WHERE id = $1',
        [id],
      );
      return {
        query: 'query ($n: String!) { requestByTrackingNumber(trackingNumber: $n) { id } }',
        variables: { n: rows[0].tracking_number },
      };
    },
  },
  'Mutation.createRequest': {
    // Another ward's or municipality's resident is refused in the payload (NOT_FOUND).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    E    E    OK   F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($r: ID!, $s: ID!) { createRequest(input: { residentId: $r, serviceTypeId: $s }) { errors { code } } }',
      variables: { r: ctx.residentId, s: ctx.serviceTypeId },
    }),
  },
  'Mutation.transitionRequest': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query: REQUEST_MUTATION('transitionRequest', 'action: CANCEL, version: 1'),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.revokeTrackingLink': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { revokeTrackingLink(input: { requestId: $id }) { errors { code } } }',
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Query.callbackTasks': {
    // A list: other wards and municipalities see their own (empty) queue.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   OK   U    U    U',
    run: async () => ({ query: '{ callbackTasks { totalCount } }' }),
  },
  'Mutation.recordCallbackOutcome': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { recordCallbackOutcome(input: { taskId: $id, outcome: NO_ANSWER }) { errors { code } } }',
      variables: { id: await throwawayCallbackTask(ctx) },
    }),
  },
  'Mutation.setMissedCallNumber': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($w: ID!) { setMissedCallNumber(input: { wardId: $w, number: "08047112345" }) { errors { code } } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Mutation.reopenRequest': {
    // The throwaway complaint is not resolved: refused in the payload once allowed.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { reopenRequest(input: { requestId: $id, reason: "matrix" }) { errors { code } } }',
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.assignRequest': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query: REQUEST_MUTATION('assignRequest', `version: 1, assigneeId: "${ctx.coordinatorId}"`),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.setRequestPriority': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query: REQUEST_MUTATION('setRequestPriority', 'version: 1, priority: URGENT'),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.addRequestNote': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query: REQUEST_MUTATION('addRequestNote', 'text: "called back"'),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.addRequestAttachment': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query: REQUEST_MUTATION(
        'addRequestAttachment',
        `attachment: { kind: IMAGE, source: UPLOAD, mediaRef: "m/1", mimeType: "image/jpeg", sizeBytes: 10, sha256: "${'a'.repeat(64)}" }`,
      ),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Query.notifications': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ notifications { totalCount } }' }),
  },
  'Query.notificationTemplates': {
    expected: MANAGE_NEW,
    run: async () => ({ query: '{ notificationTemplates { templateKey } }' }),
  },
  'Mutation.saveNotificationTemplate': {
    expected: MANAGE_NEW,
    run: async () => ({
      query: `mutation { saveNotificationTemplate(input: { templateKey: "request_approved", language: EN,
        body: "Approved: {{trackingNumber}}", whatsappTemplateName: "duare_request_approved",
        whatsappTemplateParams: ["trackingNumber"] }) { errors { code } } }`,
    }),
  },
  'Mutation.retryNotification': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { retryNotification(id: $id) { errors { code } } }',
      variables: { id: await throwawayFailedNotification(ctx) },
    }),
  },
  'Query.helplineInbox': {
    expected: MANAGE_NEW,
    run: async () => ({ query: '{ helplineInbox { totalCount } }' }),
  },
  'Mutation.retryHelplineInboxItem': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { retryHelplineInboxItem(input: { id: $id }) { errors { code } } }',
      variables: { id: await throwawayParkedPayload(ctx) },
    }),
  },
  'Mutation.discardHelplineInboxItem': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { discardHelplineInboxItem(input: { id: $id, reason: "matrix" }) { errors { code } } }',
      variables: { id: await throwawayParkedPayload(ctx) },
    }),
  },
  'Mutation.setNotificationPreference': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { setNotificationPreference(input: { residentId: $id, optOut: true }) { optedOut } }',
      variables: { id: ctx.residentId },
    }),
  },
  'Query.announcements': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ announcements { totalCount } }' }),
  },
  'Query.announcement': {
    expected: READ_RESIDENT,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { announcement(id: $id) { id } }',
      variables: { id: await throwawayAnnouncement(ctx, 'DRAFT') },
    }),
  },
  'Query.announcementAudience': {
    // Another ward's or municipality's ward is refused in the payload (NOT_FOUND there).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    E    E    OK   F    U    U    U',
    run: async (ctx) => ({
      query:
        'query ($w: ID!) { announcementAudience(input: { wardIds: [$w] }) { errors { code } } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Query.announcementSettings': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ announcementSettings { messagingTier } }' }),
  },
  'Mutation.saveAnnouncementSettings': {
    expected: MANAGE_NEW,
    run: async () => ({
      query: `mutation { saveAnnouncementSettings(input: { messagingTier: TIER_1K,
        templates: [{ language: BN, whatsappTemplateName: "ward_notice_bn" }] }) { errors { code } } }`,
    }),
  },
  'Mutation.createAnnouncement': {
    // Ward 5's only resident has neither WhatsApp nor phone: allowed callers get "empty audience".
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    E    E    E    F    U    U    U',
    run: async (ctx) => ({
      query: `mutation ($w: ID!) { createAnnouncement(input: { wardIds: [$w], textBn: "ঘোষণা",
        textEn: "Notice" }) { errors { code } } }`,
      variables: { w: ctx.ward5 },
    }),
  },
  'Mutation.approveAnnouncement': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query: ANNOUNCEMENT_MUTATION('approveAnnouncement'),
      variables: { id: await throwawayAnnouncement(ctx, 'PENDING_APPROVAL', true) },
    }),
  },
  'Mutation.scheduleAnnouncement': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query: ANNOUNCEMENT_MUTATION('scheduleAnnouncement'),
      variables: { id: await throwawayAnnouncement(ctx, 'DRAFT') },
    }),
  },
  'Mutation.pauseAnnouncement': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query: ANNOUNCEMENT_MUTATION('pauseAnnouncement'),
      variables: { id: await throwawayAnnouncement(ctx, 'SCHEDULED') },
    }),
  },
  'Mutation.resumeAnnouncement': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query: ANNOUNCEMENT_MUTATION('resumeAnnouncement'),
      variables: { id: await throwawayAnnouncement(ctx, 'PAUSED') },
    }),
  },
  'Mutation.cancelAnnouncement': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query: ANNOUNCEMENT_MUTATION('cancelAnnouncement'),
      variables: { id: await throwawayAnnouncement(ctx, 'DRAFT') },
    }),
  },
  'Query.helpDeskConversations': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ helpDeskConversations { totalCount } }' }),
  },
  'Mutation.assignConversation': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { assignConversation(input: { conversationId: $id, assigneeId: null }) { errors { code } } }',
      variables: { id: await throwawayConversation(ctx) },
    }),
  },
  'Mutation.labelConversation': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { labelConversation(input: { conversationId: $id, labels: ["জল"] }) { errors { code } } }',
      variables: { id: await throwawayConversation(ctx) },
    }),
  },
  'Mutation.markConversationRead': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query: DESK_MUTATION('markConversationRead'),
      variables: { id: await throwawayConversation(ctx) },
    }),
  },
  'Mutation.closeConversation': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query: DESK_MUTATION('closeConversation'),
      variables: { id: await throwawayConversation(ctx) },
    }),
  },
  'Query.cannedReplies': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ cannedReplies { id } }' }),
  },
  'Mutation.createCannedReply': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query: `mutation ($w: ID!, $title: String!) { createCannedReply(input: { wardId: $w, title: $title,
        bodyBn: "নমস্কার {{residentName}}", bodyEn: "Hello {{residentName}}" }) { errors { code } } }`,
      variables: { w: ctx.ward5, title: `t${ctx.fresh()}` },
    }),
  },
  'Mutation.updateCannedReply': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { updateCannedReply(input: { id: $id, version: 1, bodyEn: "Thank you" }) { errors { code } } }',
      variables: { id: await throwawayCannedReply(ctx) },
    }),
  },
  'Query.wardHelplineStats': {
    expected: READ_RESIDENT,
    run: async (ctx) => ({
      query:
        'query ($w: ID!) { wardHelplineStats(wardId: $w, from: "2026-12-01", to: "2026-12-03") { opened } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Query.helplineConversations': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ helplineConversations { totalCount } }' }),
  },
  'Query.helplineConversation': {
    expected: READ_RESIDENT,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { helplineConversation(id: $id) { id } }',
      variables: { id: await throwawayConversation(ctx) },
    }),
  },
  'Mutation.sendMessageToResident': {
    // Ward 5 has no helpline in this fixture: allowed callers get a payload error.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { sendMessageToResident(input: { residentId: $id, text: "hello" }) { errors { code } } }',
      variables: { id: ctx.residentId },
    }),
  },
  'Mutation.handBackConversation': {
    expected: WRITE_RESIDENT,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { handBackConversation(input: { conversationId: $id }) { id status } }',
      variables: { id: await throwawayConversation(ctx) },
    }),
  },
  'Query.certificateTypes': {
    expected: READ_WARDS,
    run: async () => ({ query: '{ certificateTypes { code } }' }),
  },
  'Query.certificates': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   F    U    U    U',
    run: async () => ({ query: '{ certificates { totalCount } }' }),
  },
  'Query.certificate': {
    expected: READ_RESIDENT,
    run: async (ctx) => ({
      query: 'query ($id: ID!) { certificate(id: $id) { id } }',
      variables: { id: await throwawayCertificate(ctx) },
    }),
  },
  'Mutation.issueCertificate': {
    // Not a certificate request in this fixture: allowed callers reach the payload error;
    // the signer-role rules are in test/certificates.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    E    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { issueCertificate(input: { requestId: $id, version: 1 }) { errors { code } } }',
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.revokeCertificate': {
    // Only the role that signed (SIGNATORY for this residence certificate) revokes (issue 21).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'F    OK   F    F    NF   NF   F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { revokeCertificate(input: { certificateId: $id, reason: "matrix" }) { errors { code } } }',
      variables: { id: await throwawayCertificate(ctx) },
    }),
  },
  'Mutation.reissueCertificate': {
    // The fixture request is no certificate request: refused in the payload once allowed.
    expected: 'E    E    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { reissueCertificate(input: { certificateId: $id, reason: "matrix" }) { errors { code } } }',
      variables: { id: await throwawayCertificate(ctx) },
    }),
  },
  'Query.verifyCertificate': {
    expected: PUBLIC,
    run: async () => ({
      query: '{ verifyCertificate(number: "BSR/RES/2026-27/000001", code: "X") { status } }',
    }),
  },
  'Query.certificateSigningKeys': {
    expected: PUBLIC,
    run: async () => ({ query: '{ certificateSigningKeys { keyId } }' }),
  },
  'Query.municipalityHolidays': {
    expected: READ_WARDS,
    run: async () => ({ query: '{ municipalityHolidays { date } }' }),
  },
  'Mutation.setMunicipalityHolidays': {
    expected: MANAGE_NEW,
    run: async () => ({
      query: 'mutation { setMunicipalityHolidays(input: { holidays: [] }) { date } }',
    }),
  },
  'Query.myDeliveries': {
    // Any staff member may ask for their own; API clients carry nothing.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   OK   OK   OK   F    F    U    U    U',
    run: async () => ({ query: '{ myDeliveries { id } }' }),
  },
  'Mutation.scheduleDelivery': {
    // The fixture request is no doorstep service: allowed callers get the payload error.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query: `mutation ($id: ID!, $agent: ID!) { scheduleDelivery(input: { requestId: $id, version: 1,
        date: "2099-01-01", windowStart: "10:00", windowEnd: "12:00", agentId: $agent }) { errors { code } } }`,
      variables: { id: await throwawayRequest(ctx), agent: ctx.coordinatorId },
    }),
  },
  'Mutation.reissueDeliveryCode': {
    // A SCHEDULED delivery has no code until its trip starts: INVALID_TRANSITION (E).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { reissueDeliveryCode(deliveryId: $id) { errors { code } } }',
      variables: { id: await throwawayDelivery(ctx) },
    }),
  },
  'Mutation.cancelDelivery': {
    expected: WRITE_REQUEST,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { cancelDelivery(input: { deliveryId: $id, reason: "matrix" }) { errors { code } } }',
      variables: { id: await throwawayDelivery(ctx) },
    }),
  },
  'Mutation.confirmDelivery': {
    // Only the assigned agent may confirm (a wrong code is E); no one else holds
    // deliveries:carry, except administrators, who are not the agent.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'F    F    F    E    F    NF   F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { confirmDelivery(input: { deliveryId: $id, code: "123456" }) { errors { code } } }',
      variables: { id: await throwawayDelivery(ctx) },
    }),
  },
  'Mutation.failDelivery': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'F    F    F    OK   F    NF   F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { failDelivery(input: { deliveryId: $id, reason: NOT_AT_HOME }) { errors { code } } }',
      variables: { id: await throwawayDelivery(ctx) },
    }),
  },
  'Query.wardStaff': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    NF   OK   F    F    U    U    U',
    run: async (ctx) => ({
      query: 'query ($w: ID!) { wardStaff(wardId: $w) { id } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Mutation.createFieldAgent': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    NF   E    F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($w: ID!, $u: String!) { createFieldAgent(input: { wardId: $w, username: $u, displayName: "A" }) { errors { code } } }',
      variables: { w: ctx.ward5, u: `fa${ctx.fresh()}` },
    }),
  },
  'Mutation.deactivateFieldAgent': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    NF   NF   F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { deactivateFieldAgent(input: { accountId: $id }) { errors { code } } }',
      variables: { id: await throwawayAgent(ctx) },
    }),
  },
  'Mutation.resetFieldAgentPassword': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    OK   F    NF   NF   F    F    U    U    U',
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { resetFieldAgentPassword(input: { accountId: $id }) { errors { code } } }',
      variables: { id: await throwawayAgent(ctx) },
    }),
  },
  'Mutation.startDeliveryTrip': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'F    F    F    OK   F    NF   F    F    U    U    U',
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { startDeliveryTrip(deliveryId: $id) { errors { code } } }',
      variables: { id: await throwawayDelivery(ctx) },
    }),
  },
  'Mutation.resendDeliveryCode': {
    // A SCHEDULED delivery has no code yet: those who may act get INVALID_TRANSITION (E).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { resendDeliveryCode(deliveryId: $id) { errors { code } } }',
      variables: { id: await throwawayDelivery(ctx) },
    }),
  },
  'Mutation.createCertificateType': {
    expected: MANAGE_NEW,
    run: async (ctx) => ({
      query: `mutation ($c: String!) { createCertificateType(input: { code: $c, nameBn: "ক", nameEn: "K", signerRole: SIGNATORY, ${TYPE_TEXT} }) { errors { code } } }`,
      variables: { c: letters(ctx) },
    }),
  },
  'Mutation.updateCertificateType': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { updateCertificateType(input: { id: $id, version: 1, feeRupees: 5 }) { errors { code } } }',
      variables: { id: await throwawayCertificateType(ctx) },
    }),
  },
  'Mutation.retireCertificateType': {
    expected: MANAGE_OWN,
    run: async (ctx) => ({
      query:
        'mutation ($id: ID!) { retireCertificateType(input: { id: $id, version: 1 }) { errors { code } } }',
      variables: { id: await throwawayCertificateType(ctx) },
    }),
  },
  'Query.wardWorkload': {
    expected: READ_REQUEST,
    run: async (ctx) => ({
      query: 'query ($w: ID!) { wardWorkload(wardId: $w) { open } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Mutation.createDocumentUpload': {
    // The throwaway complaint asks for no documents: those who may act get INVALID (E).
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   E    F    U    U    U',
    run: async (ctx) => ({
      query: REQUEST_MUTATION('createDocumentUpload', 'documentCode: "aadhaar"'),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Mutation.waiveRequiredDocument': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'E    F    E    F    NF   NF   F    F    U    U    U',
    run: async (ctx) => ({
      query: REQUEST_MUTATION('waiveRequiredDocument', 'documentCode: "aadhaar", reason: "x"'),
      variables: { id: await throwawayRequest(ctx) },
    }),
  },
  'Query.wardStats': {
    expected: READ_REQUEST,
    run: async (ctx) => ({
      query:
        'query ($w: ID!) { wardStats(wardId: $w, from: "2026-04-01", to: "2026-11-30") { total } }',
      variables: { w: ctx.ward5 },
    }),
  },
  'Query.municipalityStats': {
    // Another ward's coordinator gets their own ward's numbers.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   NF   OK   OK   U    U    U',
    run: async (ctx) => ({
      query:
        'query ($m: ID!) { municipalityStats(municipalityId: $m, from: "2026-04-01", to: "2026-11-30") { total } }',
      variables: { m: ctx.bsr },
    }),
  },
  'Subscription.requestEvents': {
    overWebSocket: true,
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   OK   OK   F    OK   OK   OK   OK   U    U    U',
    run: async () => ({ query: 'subscription { requestEvents { id } }' }),
  },
  'Query.webhookEndpoints': {
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    F    F    F    OK   OK   F    U    U    U',
    run: async () => ({ query: '{ webhookEndpoints { id } }' }),
  },
  'Mutation.createWebhookEndpoint': {
    expected: 'OK   F    F    F    F    OK   OK   F    U    U    U',
    run: async () => ({
      query:
        'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/hook", eventTypes: ["request.created"] }) { errors { code } } }',
    }),
  },
  'Query.webhookEndpoint': {
    // An administrator's endpoint: not an API client's business (NOT_FOUND), even with the scope.
    //          ADM  SIG  COO  AGT  OWC  OMA  APIw APIo NONE EXP  REV
    expected: 'OK   F    F    F    F    NF   NF   F    U    U    U',
    run: async (ctx) => ({
      query: 'query ($id: ID!) { webhookEndpoint(id: $id) { id } }',
      variables: { id: await throwawayEndpoint(ctx) },
    }),
  },
  'Mutation.enableWebhookEndpoint': {
    expected: 'OK   F    F    F    F    NF   NF   F    U    U    U',
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { enableWebhookEndpoint(id: $id) { id } }',
      variables: { id: await throwawayEndpoint(ctx) },
    }),
  },
  'Mutation.deleteWebhookEndpoint': {
    expected: 'OK   F    F    F    F    NF   NF   F    U    U    U',
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }',
      variables: { id: await throwawayEndpoint(ctx) },
    }),
  },
  'Mutation.redeliverWebhook': {
    expected: 'OK   F    F    F    F    NF   NF   F    U    U    U',
    run: async (ctx) => ({
      query: 'mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }',
      variables: { id: await throwawayWebhookDelivery(ctx) },
    }),
  },
  'Mutation.signOut': {
    expected: SESSION,
    freshSession: true,
    run: async () => ({ query: 'mutation { signOut { endedSessions } }' }),
  },
  'Mutation.signOutEverywhere': {
    expected: SESSION,
    freshSession: true,
    run: async () => ({ query: 'mutation { signOutEverywhere { endedSessions } }' }),
  },
};

function outcome(res: {
  data?: Record<string, any> | null;
  errors?: Array<{ extensions?: Record<string, unknown> }>;
}): string {
  const payload = Object.values(res.data ?? {})[0];
  if (!res.errors && payload?.errors?.length) return 'E';
  const code = res.errors?.[0]?.extensions?.code;
  return (
    (
      { undefined: 'OK', FORBIDDEN: 'F', NOT_FOUND: 'NF', UNAUTHENTICATED: 'U' } as Record<
        string,
        string
      >
    )[String(code)] ?? String(code)
  );
}

describe('access policy (e2e)', () => {
  let t: TestApp;
  let ctx: Context;
  const staffLogins: Partial<Record<ActorName, string>> = {};
  const tokens: Partial<Record<ActorName, string | null>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    const [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    const [takiWard] = await insertWards(t, taki, 1);
    let counter = 0;
    const staff: Array<[ActorName, string, string, Array<{ role: StaffRole; wardId?: string }>]> = [
      ['ADMIN', bsr, 'm.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]],
      ['SIGNATORY', bsr, 'm.signatory', [{ role: StaffRole.SIGNATORY }]],
      ['COORDINATOR', bsr, 'm.coordinator', [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }]],
      ['FIELD_AGENT', bsr, 'm.agent', [{ role: StaffRole.FIELD_AGENT, wardId: ward5 }]],
      [
        'OTHER_WARD_COORDINATOR',
        bsr,
        'm.coordinator6',
        [{ role: StaffRole.WARD_COORDINATOR, wardId: ward6 }],
      ],
      [
        'OTHER_MUNICIPALITY_ADMIN',
        taki,
        't.admin',
        [
          { role: StaffRole.MUNICIPAL_ADMIN },
          { role: StaffRole.WARD_COORDINATOR, wardId: takiWard },
        ],
      ],
    ];
    let coordinatorId = '';
    let agentId = '';
    for (const [name, municipalityId, username, roles] of staff) {
      const id = await seedStaff(t, municipalityId, username, roles);
      if (name === 'COORDINATOR') coordinatorId = id;
      if (name === 'FIELD_AGENT') agentId = id;
      staffLogins[name] = username;
      tokens[name] = (await signIn(t, username)).accessToken;
    }
    const residentId = (
      await t.db.pool.query(
        `INSERT INTO residents (municipality_id, ward_id, full_name, phone, created_channel)
         VALUES ($1, $2, 'রহিম শেখ', '+919876543210', 'API') RETURNING id`,
        [bsr, ward5],
      )
    ).rows[0].id;
    const serviceTypeId = (
      await t.db.pool.query(
        `INSERT INTO service_types (municipality_id, code, category, definition)
         VALUES ($1, 'GARBAGE', 'COMPLAINT', '{"nameBn":"আবর্জনা","nameEn":"Garbage","attributes":[],"documents":[],"slaHours":24,"slaWorkingDays":null,"doorstepDelivery":false,"certificateTypeCode":null,"descriptionBn":null,"descriptionEn":null}')
         RETURNING id`,
        [bsr],
      )
    ).rows[0].id;
    await t.db.pool.query(
      `INSERT INTO service_type_versions (service_type_id, definition_version, definition)
       SELECT id, 1, definition FROM service_types WHERE id = $1`,
      [serviceTypeId],
    );
    ctx = {
      t,
      bsr,
      ward5,
      ward6,
      residentId,
      serviceTypeId,
      coordinatorId,
      agentId,
      fresh: () => String((counter += 1)),
    };

    const admin = as(t, tokens.ADMIN!);
    const createClient = async (scopes: string[]) =>
      (
        await admin(
          `mutation ($s: [Permission!]!) { createApiClient(input: { name: "c", scopes: $s }) { apiKey } }`,
          {
            s: scopes,
          },
        )
      ).data?.createApiClient.apiKey;
    tokens.API_CLIENT_WITH_SCOPES = await createClient([
      'WARDS_READ',
      'CATALOGUE_READ',
      'RESIDENTS_READ',
      'RESIDENTS_WRITE',
      'REQUESTS_READ',
      'REQUESTS_WRITE',
      'CERTIFICATES_READ',
      'CERTIFICATES_ISSUE',
      'WEBHOOKS_MANAGE',
      'AUDIT_READ',
    ]);
    tokens.API_CLIENT_WITHOUT_SCOPE = await createClient(['REQUESTS_READ']);
    tokens.NO_TOKEN = null;

    const { sid, sub } = JSON.parse(
      Buffer.from(tokens.ADMIN!.split('.')[1], 'base64url').toString(),
    );
    tokens.EXPIRED_TOKEN = await new SignJWT({ sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('duare')
      .setAudience('duare-api')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const revoked = await signIn(t, 'm.admin');
    await as(t, revoked.accessToken)('mutation { signOut { endedSessions } }');
    tokens.REVOKED_TOKEN = revoked.accessToken;
  });
  afterAll(() => t.close());

  const schemaOperations = () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter((type) => type !== null && type !== undefined)
      .flatMap((type) => Object.keys(type!.getFields()).map((field) => `${type!.name}.${field}`))
      .sort((a, b) => a.localeCompare(b));
  };

  it('finds a declared policy on every query, mutation and subscription of the schema', () => {
    const declared = declaredOperations(t.app.get(ModulesContainer));
    expect(declared.map((d) => d.operation)).toEqual(schemaOperations());
    expect(declared.filter((d) => !d.policy).map((d) => d.resolver)).toEqual([]);
    // Public operations are few and named here on purpose.
    expect(declared.filter((d) => d.policy?.public).map((d) => d.operation)).toEqual([
      'Mutation.refreshSession',
      'Mutation.signIn',
      'Query.certificateSigningKeys',
      'Query.verifyCertificate',
    ]);
  });

  it('has a row in the matrix for every operation', () => {
    expect(Object.keys(MATRIX).sort((a, b) => a.localeCompare(b))).toEqual(schemaOperations());
  });

  // signOutEverywhere ends the cached sessions too, so it runs last.
  const ordered = Object.keys(MATRIX).sort(
    (a, b) => Number(a.endsWith('Everywhere')) - Number(b.endsWith('Everywhere')),
  );

  it.each(ordered)('%s answers each kind of caller as the matrix says', async (operation) => {
    const row = MATRIX[operation];
    const expected = row.expected.trim().split(/\s+/);
    const actual: string[] = [];
    for (const actor of ACTORS) {
      const login = staffLogins[actor];
      const token =
        row.freshSession && login ? (await signIn(t, login)).accessToken : (tokens[actor] ?? null);
      const { query, variables } = await row.run(ctx);
      actual.push(
        row.overWebSocket
          ? await subscriptionOutcome(t, token, query, variables)
          : outcome(await as(t, token)(query, variables)),
      );
    }
    expect(Object.fromEntries(ACTORS.map((a, i) => [a, actual[i]]))).toEqual(
      Object.fromEntries(ACTORS.map((a, i) => [a, expected[i]])),
    );
  });
});
