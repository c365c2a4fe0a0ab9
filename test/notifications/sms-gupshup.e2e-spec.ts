import { StaffRole } from '../../src/common/access/staff-role';
import { settle as settleBackground } from '../support/background';
import { TEMPLATES } from '../../src/notifications/notification-templates';
import { FakeGraphApi } from '../support/fake-graph-api';
import { FakeGupshup, gupshupEnv, SMS_DLR_SECRET, SMS_ENTITY_ID } from '../support/fake-gupshup';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { whatsappEnv } from '../support/whatsapp-webhooks';

const BN_DLT = '1107170000000000001';
const EN_DLT = '1107170000000000002';
const SAVE_TEMPLATE = `mutation ($input: SaveNotificationTemplateInput!) {
  saveNotificationTemplate(input: $input) {
    template { templateKey language dltTemplateId isDefault } errors { code field message } } }`;

/**
 * SMS through Gupshup Enterprise (a fake on 127.0.0.1 speaking its form-encoded SendMessage
 * call and `format=text` answers), in production mode: a ward without a WhatsApp helpline
 * reaches its residents by SMS.
 */
describe('SMS through Gupshup (e2e, fake gateway, production mode)', () => {
  let graph: FakeGraphApi;
  let gupshup: FakeGupshup;
  let t: TestApp;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let types: Record<string, string>;
  let rahim: string;
  let mary: string;

  const settle = () => settleBackground(t, 60_000, { inbox: false });
  const smsOf = async (requestId: string) =>
    (
      await t.db.pool.query(
        `SELECT id, channel, status, attempts, provider_message_id, error_code, error_message,
                delivered_at, body, address
           FROM notifications WHERE request_id = $1 AND recipient_type = 'RESIDENT'`,
        [requestId],
      )
    ).rows[0];
  const statusOf = async (id: string) =>
    (await t.db.pool.query(`SELECT status, error_code FROM notifications WHERE id = $1`, [id]))
      .rows[0];
  const dlrUrl = (params: Record<string, string>) =>
    `${t.url}/webhooks/sms/gupshup?${new URLSearchParams(params).toString()}`;
  const request = (residentId: string) =>
    createRequest(coordinator, { residentId, serviceTypeId: types.GARBAGE });
  const saveWording = (language: 'BN' | 'EN', dltTemplateId: string | null) => {
    const definition = TEMPLATES.find((d) => d.key === 'request_received')!;
    return admin(SAVE_TEMPLATE, {
      input: {
        templateKey: 'request_received',
        language,
        body: language === 'BN' ? definition.bn : definition.en,
        whatsappTemplateName: definition.whatsappTemplate.name,
        whatsappTemplateParams: [...definition.whatsappTemplate.params],
        dltTemplateId,
      },
    });
  };

  beforeAll(async () => {
    graph = await new FakeGraphApi().start();
    gupshup = await new FakeGupshup().start();
    t = await startTestApp({
      ...whatsappEnv(graph),
      ...gupshupEnv(gupshup),
      NODE_ENV: 'production',
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '80',
      NOTIFY_MAX_ATTEMPTS: '4',
    });
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    rahim = await createResident(coordinator, ward, 'রহিম শেখ', '+91 98765 43210');
    mary = await createResident(coordinator, ward, 'Mary Das', '9830012345');
    await t.db.pool.query(`UPDATE residents SET preferred_language = 'EN' WHERE id = $1`, [mary]);
  });
  afterAll(async () => {
    await t?.close();
    await gupshup?.stop();
    await graph?.stop();
  });
  beforeEach(async () => {
    await settle();
    gupshup.calls.length = 0;
  });

  it('refuses a DLT template id that is not 19 digits, and saves a good one', async () => {
    for (const bad of ['12345', '১১০৭১৭০০০০০০০০০০০০১', 'x'.repeat(19), '1'.repeat(20)]) {
      const res = await saveWording('BN', bad);
      expect(res.data?.saveNotificationTemplate.errors).toEqual([
        expect.objectContaining({ code: 'INVALID_FORMAT', field: 'dltTemplateId' }),
      ]);
    }
    const saved = await saveWording('BN', BN_DLT);
    expect(saved.data?.saveNotificationTemplate).toEqual({
      template: {
        templateKey: 'request_received',
        language: 'BN',
        dltTemplateId: BN_DLT,
        isDefault: false,
      },
      errors: [],
    });
  });

  it('sends Bengali as UNICODE_TEXT with the entity id, sender header and template id', async () => {
    const req = await request(rahim);
    await settle();
    expect(gupshup.calls).toHaveLength(1);
    const { params, contentType } = gupshup.calls[0];
    expect(contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(params).toMatchObject({
      method: 'SendMessage',
      v: '1.1',
      auth_scheme: 'plain',
      format: 'text',
      userid: '2000123456',
      password: 'gupshup-test-password',
      send_to: '919876543210',
      msg_type: 'UNICODE_TEXT',
      mask: 'BSRMUN',
      principalEntityId: SMS_ENTITY_ID,
      dltTemplateId: BN_DLT,
    });
    expect(params.msg).toContain('আপনার আবেদন');
    expect(params.msg).toContain(req.trackingNumber);
    const sms = await smsOf(req.id);
    // The tracking link is a secret: it went out, but the stored copy hides it.
    const link = /https?:\/\/\S+\/t\/[\w-]+/.exec(params.msg)?.[0] ?? '';
    expect(link).not.toBe('');
    expect(sms).toMatchObject({
      channel: 'SMS',
      status: 'SENT',
      attempts: 1,
      body: params.msg.replace(link, '••••••'),
    });
    expect(gupshup.calls[0].answer).toBe(`success | 919876543210 | ${sms.provider_message_id}`);
    // Nothing of the message or the password reaches the log.
    expect(t.logs.join('')).not.toContain('gupshup-test-password');
    expect(t.logs.join('')).toContain('"segments":');
  });

  it('marks the message DELIVERED from a delivery report, once however often it comes', async () => {
    const req = await request(rahim);
    await settle();
    const sms = await smsOf(req.id);
    const report = {
      secret: SMS_DLR_SECRET,
      externalId: sms.provider_message_id,
      deliveredTS: String(Date.now()),
      status: 'SUCCESS',
      cause: 'SUCCESS',
      phoneNo: '919876543210',
      errCode: '000',
      noOfFrags: '2',
      mask: 'BSRMUN',
    };
    const first = await fetch(dlrUrl(report));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ verdicts: ['APPLIED'] });
    const again = await fetch(dlrUrl(report));
    expect(await again.json()).toEqual({ verdicts: ['UNCHANGED'] });
    const after = await smsOf(req.id);
    expect(after.status).toBe('DELIVERED');
    expect(after.delivered_at).not.toBeNull();
  });

  it('refuses forged and malformed reports and changes nothing', async () => {
    const req = await request(rahim);
    await settle();
    const { id, provider_message_id: externalId } = await smsOf(req.id);
    const good = { externalId, status: 'SUCCESS', phoneNo: '919876543210' };
    expect((await fetch(dlrUrl(good))).status).toBe(401);
    expect((await fetch(dlrUrl({ ...good, secret: 'wrong-secret-of-same-size' }))).status).toBe(
      401,
    );
    const posted = await fetch(dlrUrl({ secret: 'nope' }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ externalId, eventType: 'DELIVERED', destAddr: '919876543210' }]),
    });
    expect(posted.status).toBe(401);
    const withSecret = { ...good, secret: SMS_DLR_SECRET };
    // Someone else's number, a status Gupshup does not send, no message id.
    expect((await fetch(dlrUrl({ ...withSecret, phoneNo: '919830012345' }))).status).toBe(400);
    expect((await fetch(dlrUrl({ ...withSecret, status: 'পৌঁছেছে' }))).status).toBe(400);
    expect((await fetch(dlrUrl({ secret: SMS_DLR_SECRET, status: 'SUCCESS' }))).status).toBe(400);
    const notAnArray = await fetch(dlrUrl({ secret: SMS_DLR_SECRET }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ externalId, eventType: 'DELIVERED' }),
    });
    expect(notAnArray.status).toBe(400);
    expect(await statusOf(id)).toEqual({ status: 'SENT', error_code: null });
    // A report about a message we never sent is acknowledged (the gateway stops retrying).
    const unknown = await fetch(dlrUrl({ ...withSecret, externalId: '1-2' }));
    expect(await unknown.json()).toEqual({ verdicts: ['UNKNOWN_MESSAGE'] });
  });

  it('records an operator failure from a POSTed batch, the bad event refused on its own', async () => {
    const req = await request(rahim);
    await settle();
    const { id, provider_message_id: externalId } = await smsOf(req.id);
    const res = await fetch(dlrUrl({ secret: SMS_DLR_SECRET }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { eventType: 'DELIVERED' },
        {
          externalId,
          eventType: 'FAILED',
          eventTs: Date.now(),
          destAddr: 919876543210,
          srcAddr: 'BSRMUN',
          cause: 'UNKNOWN_SUBSCRIBER',
          errCode: '003',
          channel: 'SMS',
          noOfFrags: 1,
        },
      ]),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verdicts: ['REFUSED', 'APPLIED'] });
    expect(await statusOf(id)).toEqual({ status: 'FAILED', error_code: 'DLR_003' });
  });

  it('does not retry a message the gateway refuses for good', async () => {
    gupshup.answerNext({
      status: 200,
      text: 'error | 919876543210 | 105 | The message does not match the DLT template',
    });
    const req = await request(rahim);
    await settle();
    expect(gupshup.calls).toHaveLength(1);
    expect(await smsOf(req.id)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error_code: 'GUPSHUP_105',
      error_message: 'The message does not match the DLT template',
    });
  });

  it('retries when the gateway is down, then sends', async () => {
    gupshup.answerNext({ status: 503, text: 'Service Unavailable' });
    const req = await request(rahim);
    await settle();
    expect(gupshup.calls).toHaveLength(2);
    expect(await smsOf(req.id)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('sends once more after a timeout (it may have gone out), and counts the doubt', async () => {
    gupshup.answerNext('HANG');
    const req = await request(rahim);
    await settle();
    expect(gupshup.calls.map((c) => c.answer?.split(' |')[0])).toEqual(['HANG', 'success']);
    const { rows } = await t.db.pool.query(
      `SELECT status, attempts, ambiguous_sends FROM notifications
        WHERE request_id = $1 AND recipient_type = 'RESIDENT'`,
      [req.id],
    );
    expect(rows[0]).toEqual({ status: 'SENT', attempts: 2, ambiguous_sends: 1 });
  });

  it('refuses to send a wording without a DLT template id in production, with the reason', async () => {
    const req = await request(mary);
    await settle();
    expect(gupshup.calls).toHaveLength(0);
    const sms = await smsOf(req.id);
    expect(sms).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error_code: 'DLT_TEMPLATE_MISSING',
    });
    expect(sms.error_message).toContain('request_received');
  });

  it('sends English as plain TEXT once its wording has a DLT template id', async () => {
    await saveWording('EN', EN_DLT);
    const req = await request(mary);
    await settle();
    expect(gupshup.calls).toHaveLength(1);
    expect(gupshup.calls[0].params).toMatchObject({
      send_to: '919830012345',
      msg_type: 'TEXT',
      dltTemplateId: EN_DLT,
    });
    expect(await smsOf(req.id)).toMatchObject({ status: 'SENT' });
  });
});
