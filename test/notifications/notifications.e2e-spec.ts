import { StaffRole } from '../../src/common/access/staff-role';
import { DomainEventsService } from '../../src/domain-events/domain-events.service';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { NotificationPlannerService } from '../../src/notifications/notification-planner.service';
import { TEMPLATES } from '../../src/notifications/notification-templates';
import { DataSource } from 'typeorm';
import { FakeGraphApi } from '../support/fake-graph-api';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import {
  CREATE_REQUEST,
  createRequest,
  createResident,
  seedCatalogue,
  step,
} from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { settle as settleBackground } from '../support/background';
import {
  HELPLINE,
  makeHelpline,
  postWebhook,
  statusPayload,
  VERIFY_TOKEN,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

const RAHIM_WA = '919876543210';

describe('notifications (e2e, fake WhatsApp Graph API)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let bsr: string;
  let ward5: string;
  let types: Record<string, string>;
  let coordinator: GraphQL;
  let admin: GraphQL;
  let apiClient: GraphQL;
  let rahim: string;
  let mary: string;

  /** Lets the dispatcher and the inbox finish what is due. */
  const settle = () => settleBackground(t, 60_000, { dueOnly: true });
  const notificationsOf = async (requestId: string) =>
    (
      await t.db.pool.query(
        `SELECT template_key, recipient_type, channel, language, body, status, sent_as, attempts,
                error_code, provider_message_id, template_name, template_params
           FROM notifications WHERE request_id = $1 ORDER BY seq`,
        [requestId],
      )
    ).rows;
  const callsTo = (wa: string) => fake.messages().filter((c) => c.body.to === wa);
  const garbage = (residentId = rahim) =>
    createRequest(coordinator, { residentId, serviceTypeId: types.GARBAGE });
  const openWindow = (wa: string) =>
    t.db.pool.query(
      `INSERT INTO whatsapp_windows (phone_number_id, wa_id, last_inbound_at) VALUES ($1, $2, now())
       ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET last_inbound_at = now()`,
      [HELPLINE, wa],
    );
  const closeWindows = () => t.db.pool.query(`DELETE FROM whatsapp_windows`);

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      WHATSAPP_TIMEOUT_MS: '300',
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '80',
      NOTIFY_MAX_ATTEMPTS: '4',
    });
    bsr = await seedMunicipality(t, 'BSR');
    let ward6: string;
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    await makeHelpline(t.db.pool, ward5);
    types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    await seedStaff(
      t,
      bsr,
      'coord.5.phone',
      [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }],
      {
        phone: '+91 70000 00555',
      },
    );
    await seedStaff(
      t,
      bsr,
      'coord.6.phone',
      [{ role: StaffRole.WARD_COORDINATOR, wardId: ward6 }],
      {
        phone: '+91 70000 00666',
      },
    );
    const key = (
      await admin(
        `mutation { createApiClient(input: { name: "e-District", scopes: [REQUESTS_READ, REQUESTS_WRITE] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey;
    apiClient = as(t, key);
    rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210');
    mary = await createResident(coordinator, ward5, 'Mary Das', '9830012345');
    await t.db.pool.query(`UPDATE residents SET preferred_language = 'EN' WHERE id = $1`, [mary]);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });
  beforeEach(async () => {
    await settle();
    fake.answerWith(null);
    fake.calls.length = 0;
    await closeWindows();
  });

  it('tells a resident outside the window with the approved Bengali template', async () => {
    const request = await garbage();
    await settle();
    const [sent] = callsTo(RAHIM_WA);
    expect(fake.messages()).toHaveLength(1);
    expect(sent.path).toBe(`/v21.0/${HELPLINE}/messages`);
    expect(sent.authorization).toBe('Bearer test-access-token');
    expect(sent.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: RAHIM_WA,
      type: 'template',
      template: {
        name: 'duare_request_received',
        language: { code: 'bn' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: request.trackingNumber },
              { type: 'text', text: 'আবর্জনা সংগ্রহের অভিযোগ' },
              { type: 'text', text: expect.stringMatching(/^[০-৯]+ \S+ [০-৯]{4}$/) },
            ],
          },
        ],
      },
    });
    expect(await notificationsOf(request.id)).toEqual([
      expect.objectContaining({
        template_key: 'request_received',
        recipient_type: 'RESIDENT',
        channel: 'WHATSAPP',
        language: 'bn',
        status: 'SENT',
        sent_as: 'TEMPLATE',
        attempts: 1,
        provider_message_id: expect.stringMatching(/^wamid\./),
      }),
    ]);
  });

  it('writes free-form text inside the 24-hour window, in the resident’s language', async () => {
    await openWindow(RAHIM_WA);
    await openWindow('919830012345');
    const bn = await garbage(rahim);
    const en = await garbage(mary);
    await settle();
    expect(callsTo(RAHIM_WA)[0].body).toMatchObject({
      type: 'text',
      text: { body: expect.stringContaining(`ট্র্যাকিং নম্বর: ${bn.trackingNumber}`) },
    });
    expect(callsTo('919830012345')[0].body).toMatchObject({
      type: 'text',
      text: {
        body: expect.stringMatching(
          new RegExp(
            `^We have received your request \\(Garbage collection complaint\\)\\. Tracking number: ${en.trackingNumber}`,
          ),
        ),
      },
    });
  });

  it('announces each step with its own message, with the reason when there is one', async () => {
    const request = await createRequest(coordinator, {
      residentId: rahim,
      serviceTypeId: types.CHARACTER_CERT,
      attributes: { purpose: 'job' },
    });
    let current = request;
    for (const [action, note] of [
      ['START_REVIEW'],
      ['REQUEST_INFO', 'ভোটার কার্ডের ছবি পাঠান'],
      ['PROVIDE_INFO'],
      ['REJECT', 'এই ওয়ার্ডের বাসিন্দা নন'],
    ]) {
      current = (await step(coordinator, current, action!, note)).data?.transitionRequest.request;
    }
    await settle();
    const sent = await notificationsOf(request.id);
    expect(sent.map((n) => n.template_key)).toEqual([
      'request_received',
      'request_needs_info',
      'request_rejected',
    ]);
    expect(sent[2].template_params).toEqual([request.trackingNumber, 'এই ওয়ার্ডের বাসিন্দা নন']);
    expect(sent.every((n) => n.status === 'SENT')).toBe(true);
    // In the order they were made.
    expect(callsTo(RAHIM_WA).map((c) => c.body.template.name)).toEqual([
      'duare_request_received',
      'duare_request_needs_info',
      'duare_request_rejected',
    ]);
  });

  it('sends nothing for a change that rolls back', async () => {
    await t.db.pool.query(`
      CREATE FUNCTION fail_after_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.template_key = 'request_received' AND NEW.body LIKE '%%' AND
        (SELECT description FROM service_requests WHERE id = NEW.request_id) = 'roll back'
        THEN RAISE EXCEPTION 'injected failure after planning'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER fail_after_events AFTER INSERT ON notifications
        FOR EACH ROW EXECUTE FUNCTION fail_after_events();`);
    try {
      const before = Number(
        (await t.db.pool.query('SELECT count(*) FROM notifications')).rows[0].count,
      );
      const res = await coordinator(CREATE_REQUEST, {
        input: { residentId: rahim, serviceTypeId: types.GARBAGE, description: 'roll back' },
      });
      expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      await settle();
      expect(
        Number((await t.db.pool.query('SELECT count(*) FROM notifications')).rows[0].count),
      ).toBe(before);
      expect(
        Number(
          (
            await t.db.pool.query(
              `SELECT count(*) FROM service_requests WHERE description = 'roll back'`,
            )
          ).rows[0].count,
        ),
      ).toBe(0);
      expect(fake.messages()).toHaveLength(0);
    } finally {
      await t.db.pool.query(
        `DROP TRIGGER fail_after_events ON notifications; DROP FUNCTION fail_after_events();`,
      );
    }
  });

  it('sends once when the same event is delivered to the planner again', async () => {
    const request = await garbage();
    await settle();
    const { rows } = await t.db.pool.query(
      `SELECT id, type, aggregate_type, aggregate_id, municipality_id, ward_id, payload
         FROM domain_events WHERE aggregate_id = $1 AND type = 'request.created'`,
      [request.id],
    );
    const event = rows[0];
    const planner = t.app.get(NotificationPlannerService);
    for (let i = 0; i < 3; i += 1) {
      await t.app.get(DataSource).transaction((manager) =>
        planner.react(manager, {
          id: event.id,
          type: event.type,
          aggregateType: event.aggregate_type,
          aggregateId: event.aggregate_id,
          municipalityId: event.municipality_id,
          wardId: event.ward_id,
          payload: event.payload,
        }),
      );
    }
    await settle();
    expect(await notificationsOf(request.id)).toHaveLength(1);
    expect(callsTo(RAHIM_WA)).toHaveLength(1);
    expect(t.app.get(DomainEventsService)).toBeDefined();
  });

  it('retries network errors, 5xx, 429 and throughput codes, then succeeds', async () => {
    fake.answerNext(
      { status: 503, body: { error: { message: 'unavailable' } } },
      FakeGraphApi.error(130429, 'Rate limit hit'),
      'HANG',
      FakeGraphApi.error(131056, 'pair rate limit'),
    );
    const request = await garbage();
    await settle();
    const [row] = await notificationsOf(request.id);
    expect(row).toMatchObject({ status: 'FAILED', attempts: 4, error_code: '131056' });
    // The fifth answer (success) would have come: max attempts is 4 here, so it never asked.
    expect(callsTo(RAHIM_WA)).toHaveLength(4);

    fake.answerNext({ status: 500, body: {} }, FakeGraphApi.error(131057, 'upgrading'));
    const second = await garbage();
    await settle();
    expect((await notificationsOf(second.id))[0]).toMatchObject({
      status: 'SENT',
      attempts: 3,
      error_code: null,
    });
  });

  it('records a permanent failure with the provider’s code, and an administrator can retry it', async () => {
    fake.answerNext(FakeGraphApi.error(131026, 'Message undeliverable'));
    const request = await garbage();
    await settle();
    const [failed] = await notificationsOf(request.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, error_code: '131026' });
    expect(callsTo(RAHIM_WA)).toHaveLength(1);
    const list = await admin(
      `query ($id: ID!) { request(id: $id) { notifications { id status errorCode errorMessage channel attempts } } }`,
      { id: request.id },
    );
    const [visible] = list.data!.request.notifications;
    expect(visible).toMatchObject({
      status: 'FAILED',
      errorCode: '131026',
      errorMessage: '(#131026) Message undeliverable',
    });
    const retried = await admin(
      `mutation ($id: ID!) { retryNotification(id: $id) { notification { status attempts } errors { code } } }`,
      { id: visible.id },
    );
    expect(retried.data?.retryNotification).toEqual({
      notification: { status: 'QUEUED', attempts: 0 },
      errors: [],
    });
    await settle();
    expect((await notificationsOf(request.id))[0]).toMatchObject({ status: 'SENT' });
    const again = await admin(
      `mutation ($id: ID!) { retryNotification(id: $id) { errors { code field } } }`,
      {
        id: visible.id,
      },
    );
    expect(again.data?.retryNotification.errors).toEqual([
      { code: 'INVALID_TRANSITION', field: 'id' },
    ]);
    const byCoordinator = await coordinator(
      `mutation ($id: ID!) { retryNotification(id: $id) { errors { code } } }`,
      {
        id: visible.id,
      },
    );
    expect(byCoordinator.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('falls back to the template when WhatsApp says the window has closed', async () => {
    await openWindow(RAHIM_WA);
    fake.answerNext(FakeGraphApi.error(131047, 'Re-engagement message'));
    const request = await garbage();
    await settle();
    const calls = callsTo(RAHIM_WA);
    expect(calls.map((c) => c.body.type)).toEqual(['text', 'template']);
    expect((await notificationsOf(request.id))[0]).toMatchObject({
      status: 'SENT',
      sent_as: 'TEMPLATE',
      attempts: 1,
    });
  });

  it('applies delivery statuses in any order, duplicated, never moving backwards', async () => {
    const request = await garbage();
    await settle();
    const [{ provider_message_id: wamid }] = await notificationsOf(request.id);
    const now = Math.floor(Date.now() / 1000);
    const res = await postWebhook(
      t,
      statusPayload([
        { id: wamid, status: 'read', timestamp: now + 20 },
        { id: wamid, status: 'delivered', timestamp: now + 10 },
        { id: wamid, status: 'read', timestamp: now + 20 },
        { id: wamid, status: 'sent', timestamp: now },
      ]),
    );
    expect(res.status).toBe(200);
    await settle();
    const { rows } = await t.db.pool.query(
      `SELECT status, delivered_at, read_at FROM notifications WHERE provider_message_id = $1`,
      [wamid],
    );
    expect(rows[0].status).toBe('READ');
    expect(rows[0].read_at).toEqual(new Date((now + 20) * 1000));
    expect(rows[0].delivered_at).not.toBeNull();
    // A late `delivered` in a second payload changes nothing.
    await postWebhook(t, statusPayload([{ id: wamid, status: 'delivered', timestamp: now + 30 }]));
    await settle();
    const after = await t.db.pool.query(
      `SELECT status FROM notifications WHERE provider_message_id = $1`,
      [wamid],
    );
    expect(after.rows[0].status).toBe('READ');
  });

  it('re-sends as a template when a text fails later with a closed window (status webhook)', async () => {
    await openWindow(RAHIM_WA);
    const request = await garbage();
    await settle();
    const [{ provider_message_id: wamid, sent_as: sentAs }] = await notificationsOf(request.id);
    expect(sentAs).toBe('TEXT');
    await closeWindows();
    await postWebhook(t, statusPayload([{ id: wamid, status: 'failed', errorCode: 131047 }]));
    await settle();
    expect(callsTo(RAHIM_WA).map((c) => c.body.type)).toEqual(['text', 'template']);
    expect((await notificationsOf(request.id))[0]).toMatchObject({
      status: 'SENT',
      sent_as: 'TEMPLATE',
    });
  });

  it('refuses unsigned or wrongly signed webhooks and stores nothing', async () => {
    const inbox = async () =>
      Number((await t.db.pool.query('SELECT count(*) FROM whatsapp_inbox')).rows[0].count);
    const before = await inbox();
    const payload = statusPayload([{ id: 'wamid.X', status: 'read' }]);
    expect((await postWebhook(t, payload, null)).status).toBe(401);
    expect((await postWebhook(t, payload, 'sha256=' + '0'.repeat(64))).status).toBe(401);
    expect((await postWebhook(t, payload, 'md5=abc')).status).toBe(401);
    expect(await inbox()).toBe(before);
    // The signature is over the raw bytes: Bengali text must not break it.
    const bengali = {
      ...payload,
      entry: [
        {
          id: 'W',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: '999' },
                messages: [
                  {
                    from: '91',
                    id: 'wamid.B',
                    timestamp: '1',
                    type: 'text',
                    text: { body: 'আবর্জনা' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    expect((await postWebhook(t, bengali)).status).toBe(200);
    expect(await inbox()).toBe(before + 1);

    const verify = (query: string) => fetch(`${t.url}/webhooks/whatsapp?${query}`);
    const ok = await verify(
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await verify('hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1')).status).toBe(
      403,
    );
  });

  it('records inbound messages as an open 24-hour window for that helpline', async () => {
    const message = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '917000000005', phone_number_id: HELPLINE },
                contacts: [{ profile: { name: 'রহিম' }, wa_id: RAHIM_WA }],
                messages: [
                  {
                    from: RAHIM_WA,
                    id: 'wamid.IN1',
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'text',
                    text: { body: 'হ্যালো' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    await postWebhook(t, message);
    await settle();
    await garbage();
    await settle();
    expect(callsTo(RAHIM_WA)[0].body.type).toBe('text');
  });

  it('keeps non-essential messages from residents who opted out; critical ones still go', async () => {
    const set = await coordinator(
      `mutation ($id: ID!) { setNotificationPreference(input: { residentId: $id, optOut: true }) { optedOut } }`,
      { id: mary },
    );
    expect(set.data?.setNotificationPreference.optedOut).toBe(true);
    const request = await createRequest(coordinator, {
      residentId: mary,
      serviceTypeId: types.TRADE_LICENCE_HELP,
      attributes: { business_name: 'Mary Stores' },
    });
    let current = request;
    for (const action of ['START_REVIEW', 'APPROVE']) {
      current = (await step(coordinator, current, action)).data?.transitionRequest.request;
    }
    await step(coordinator, current, 'MARK_READY');
    await settle();
    // Received (critical) goes; approved and ready (not critical) do not.
    expect((await notificationsOf(request.id)).map((n) => n.template_key)).toEqual([
      'request_received',
    ]);
    await coordinator(
      `mutation ($id: ID!) { setNotificationPreference(input: { residentId: $id, optOut: false }) { optedOut } }`,
      { id: mary },
    );
  });

  it('alerts the ward’s coordinators of requests they did not make themselves', async () => {
    const request = await createRequest(apiClient, {
      residentId: rahim,
      serviceTypeId: types.GARBAGE,
    });
    await settle();
    const rows = await notificationsOf(request.id);
    expect(rows.map((n) => [n.template_key, n.recipient_type])).toEqual([
      ['request_received', 'RESIDENT'],
      ['staff_new_request', 'STAFF'],
    ]);
    expect(callsTo('917000000555')).toHaveLength(1);
    expect(callsTo('917000000666')).toHaveLength(0);
  });

  it('lets administrators word messages, refusing unknown variables when saved', async () => {
    const SAVE = `mutation ($input: SaveNotificationTemplateInput!) { saveNotificationTemplate(input: $input) {
      template { templateKey language body isDefault whatsappTemplateParams } errors { code field message } } }`;
    const bad = await admin(SAVE, {
      input: {
        templateKey: 'request_received',
        language: 'EN',
        body: 'Hello {{residentName}}, your number is {{trackingNo}}',
        whatsappTemplateName: 'duare_request_received',
        whatsappTemplateParams: ['trackingNumber', 'shoeSize'],
      },
    });
    expect(bad.data?.saveNotificationTemplate.errors.map((e: any) => [e.code, e.field])).toEqual([
      ['INVALID', 'body'],
      ['INVALID', 'whatsappTemplateParams'],
    ]);
    const badName = await admin(SAVE, {
      input: {
        templateKey: 'request_received',
        language: 'EN',
        body: 'x',
        whatsappTemplateName: 'Has Spaces',
        whatsappTemplateParams: [],
      },
    });
    expect(badName.data?.saveNotificationTemplate.errors[0]).toMatchObject({
      field: 'whatsappTemplateName',
    });
    // The municipality's wordings are kept a few seconds once read: a save replaces them at once.
    await openWindow('919830012345');
    await garbage(mary);
    await settle();
    expect(callsTo('919830012345')[0].body.text.body).not.toContain('is with us');
    const good = await admin(SAVE, {
      input: {
        templateKey: 'request_received',
        language: 'EN',
        body: 'Dear {{residentName}}, request {{trackingNumber}} is with us.',
        whatsappTemplateName: 'bsr_received_v2',
        whatsappTemplateParams: ['residentName', 'trackingNumber'],
      },
    });
    expect(good.data?.saveNotificationTemplate).toMatchObject({
      template: { isDefault: false, whatsappTemplateParams: ['residentName', 'trackingNumber'] },
      errors: [],
    });
    const request = await garbage(mary);
    await settle();
    expect(callsTo('919830012345')[1].body.text.body).toBe(
      `Dear Mary Das, request ${request.trackingNumber} is with us.`,
    );
    await closeWindows();
    const outside = await garbage(mary);
    await settle();
    expect(callsTo('919830012345')[2].body.template).toMatchObject({
      name: 'bsr_received_v2',
      language: { code: 'en' },
      components: [{ parameters: [{ text: 'Mary Das' }, { text: outside.trackingNumber }] }],
    });
    const list = await admin(`{ notificationTemplates { templateKey language isDefault } }`);
    // Every message in both languages.
    expect(list.data?.notificationTemplates).toHaveLength(TEMPLATES.length * 2);
    expect(list.data?.notificationTemplates.filter((t: any) => !t.isDefault)).toEqual([
      { templateKey: 'request_received', language: 'EN', isDefault: false },
    ]);
  });

  it('keeps one resident’s messages in order while an earlier one is retried', async () => {
    fake.answerNext({ status: 502, body: {} }, { status: 502, body: {} });
    const request = await garbage();
    await coordinator(
      `mutation ($id: ID!) { addRequestNote(input: { requestId: $id, text: "কাল সকালে গাড়ি যাবে", toResident: true }) { errors { code } } }`,
      { id: request.id },
    );
    await settle();
    expect(callsTo(RAHIM_WA).map((c) => c.body.template.name)).toEqual([
      'duare_request_received',
      'duare_request_received',
      'duare_request_received',
      'duare_request_comment',
    ]);
  });

  it('takes over a send claimed by an instance that died', async () => {
    const request = await garbage();
    await settle();
    const [{ provider_message_id: first }] = await notificationsOf(request.id);
    // As if an instance had claimed it and crashed before recording the outcome.
    await t.db.pool.query(
      `UPDATE notifications SET status = 'SENDING', locked_until = now() - interval '1 second',
              provider_message_id = NULL WHERE request_id = $1`,
      [request.id],
    );
    await settle();
    const [row] = await notificationsOf(request.id);
    expect(row.status).toBe('SENT');
    expect(row.provider_message_id).not.toBe(first);
  });

  it('lists notifications ward-scoped, newest first', async () => {
    const mine = await coordinator(
      `{ notifications(first: 5) { totalCount edges { node { templateKey status channel } } } }`,
    );
    expect(mine.data?.notifications.totalCount).toBeGreaterThan(5);
    expect(mine.data?.notifications.edges).toHaveLength(5);
    const other = await staffClient(t, bsr, 'coord.6.reader', [
      {
        role: StaffRole.WARD_COORDINATOR,
        wardId: (await t.db.pool.query(`SELECT id FROM wards WHERE number = 6`)).rows[0].id,
      },
    ]);
    const theirs = await other(`{ notifications { totalCount } }`);
    expect(theirs.data?.notifications.totalCount).toBe(0);
  });
});

describe('notifications: the per-helpline rate limit (e2e)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      WHATSAPP_ACCESS_TOKEN: 'test-access-token',
      WHATSAPP_API_BASE_URL: fake.url,
      WHATSAPP_RATE_PER_SECOND: '20',
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('never sends faster than the configured rate from one helpline, even in a burst', async () => {
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const { rows } = await t.db.pool.query(
      `INSERT INTO domain_events (type, aggregate_type, aggregate_id, municipality_id, ward_id, payload)
       VALUES ('request.created', 'ServiceRequest', gen_random_uuid(), $1, $2, '{}') RETURNING id`,
      [bsr, ward],
    );
    await t.db.pool.query(
      `INSERT INTO notifications (municipality_id, ward_id, event_id, template_key, recipient_type,
         recipient_id, channel, address, sender, language, body, template_name)
       SELECT $1, $2, $3, 'request_received', 'RESIDENT', gen_random_uuid(), 'WHATSAPP',
              '9190000' || lpad(n::text, 5, '0'), $4, 'bn', 'x', 'duare_request_received'
       FROM generate_series(1, 40) AS n`,
      [bsr, ward, rows[0].id, HELPLINE],
    );
    const started = Date.now();
    await t.app.get(NotificationDispatcherService).kick();
    const times = fake.messages().map((c) => c.at);
    expect(times).toHaveLength(40);
    // 40 messages at 20 a second take at least (40 - 1) / 20 seconds...
    expect(Math.max(...times) - started).toBeGreaterThanOrEqual(1900);
    // ...and no second ever holds more than 20 of them.
    const busiest = Math.max(
      ...times.map((start) => times.filter((at) => at >= start && at < start + 1000).length),
    );
    expect(busiest).toBeLessThanOrEqual(20);
    const sent = await t.db.pool.query(`SELECT count(*) FROM notifications WHERE status = 'SENT'`);
    expect(Number(sent.rows[0].count)).toBe(40);
  });
});
