import { AnnouncementSenderService } from '../../src/announcements/announcement-sender.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { settle } from '../support/background';
import { FakeGraphApi, said } from '../support/fake-graph-api';
import { FakeGupshup, gupshupEnv } from '../support/fake-gupshup';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import {
  HELPLINE,
  inbound,
  messagesPayload,
  postWebhook,
  statusPayload,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

const CREATE = `mutation ($input: CreateAnnouncementInput!) {
  createAnnouncement(input: $input) {
    announcement { id status needsApproval wardIds wholeMunicipality }
    errors { code field message }
  }
}`;
const SCHEDULE = `mutation ($input: ScheduleAnnouncementInput!) {
  scheduleAnnouncement(input: $input) { announcement { id status } errors { code field message } }
}`;
const APPROVE = `mutation ($input: AnnouncementRefInput!) {
  approveAnnouncement(input: $input) { announcement { id status approvedByName } errors { code field message } }
}`;
const PREVIEW = `query ($input: AnnouncementAudienceInput!) {
  announcementAudience(input: $input) {
    audience { total whatsapp sms whatsappBn whatsappEn smsBn smsEn optedOut unreachable }
    errors { code field message }
  }
}`;
const SETTINGS = `mutation ($input: SaveAnnouncementSettingsInput!) {
  saveAnnouncementSettings(input: $input) {
    settings { messagingTier dailyLimit templates { language whatsappTemplateName smsDltTemplateId } }
    errors { code field message }
  }
}`;
const PROGRESS = `query ($id: ID!) {
  announcement(id: $id) {
    id status pauses pauseReason
    progress { recipients queued sent delivered read failed replies failedByReason { code count } }
  }
}`;

describe('announcements (e2e: GraphQL in, fake Graph API out, signed webhooks back)', () => {
  let fake: FakeGraphApi;
  let gupshup: FakeGupshup;
  let t: TestApp;
  let ward1: string;
  let ward2: string;
  let admin: GraphQL;
  let admin2: GraphQL;
  let coordinator: GraphQL;
  const residents: Record<string, string> = {};

  const seedResident = async (
    key: string,
    wardId: string,
    contact: { whatsapp?: string; phone?: string },
    language: 'BN' | 'EN' = 'BN',
    locality: string | null = null,
  ) => {
    const { rows } = await t.db.pool.query(
      `INSERT INTO residents (municipality_id, ward_id, full_name, whatsapp_id, phone, preferred_language,
              created_channel, locality)
       SELECT municipality_id, $1, $2, $3, $4, $5, 'WALK_IN', $6 FROM wards WHERE id = $1 RETURNING id`,
      [
        wardId,
        `বাসিন্দা ${key}`,
        contact.whatsapp ?? null,
        contact.phone ?? null,
        language,
        locality,
      ],
    );
    residents[key] = rows[0].id;
  };
  const write = async (from: string, body: string) => {
    const before = fake.messages().length;
    expect((await postWebhook(t, messagesPayload([text(from, body)]))).status).toBe(200);
    await settle(t);
    return fake
      .messages()
      .slice(before)
      .filter((c) => c.body.to === from)
      .map(said);
  };
  const sender = () => t.app.get(AnnouncementSenderService);
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.pool.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    gupshup = await new FakeGupshup().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      ...gupshupEnv(gupshup),
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '80',
      ANNOUNCE_POLL_MS: '3600000',
      ANNOUNCE_BATCH_SIZE: '2',
      ANNOUNCE_PAUSE_MS: '150',
    });
    const bsr = await seedMunicipality(t, 'BSR');
    [ward1, ward2] = await insertWards(t, bsr, 3);
    await t.db.pool.query(`UPDATE wards SET whatsapp_phone_number_id = $2 WHERE id = $1`, [
      ward1,
      HELPLINE,
    ]);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    admin2 = await staffClient(t, bsr, 'bsr.admin2', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward1 },
    ]);
    await seedResident('A', ward1, { whatsapp: '919800000101' }, 'BN', 'ইটিন্ডা রোড');
    await seedResident('B', ward1, { whatsapp: '919800000102' }, 'EN');
    await seedResident('C', ward1, { whatsapp: '919800000103' });
    await seedResident('D', ward1, { phone: '+919800000104' });
    await seedResident('E', ward1, { whatsapp: '919800000105' });
    await seedResident('F', ward1, {});
    await seedResident('G', ward2, { whatsapp: '919800000107' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
    await gupshup?.stop();
  });

  it('"বন্ধ" and "STOP" opt a resident out of announcements, "চালু"/"START" back in, politely', async () => {
    expect(await write('919800000105', 'বন্ধ')).toEqual([
      'ঠিক আছে, আপনাকে আর ওয়ার্ডের ঘোষণা পাঠানো হবে না। আপনার নিজের আবেদনের খবর আগের মতোই পাবেন। আবার ঘোষণা পেতে চাইলে "চালু" লিখে পাঠান।',
    ]);
    expect(await write('919800000102', 'STOP')).toEqual([
      'Done: you will no longer receive ward announcements. News about your own requests will still reach you. To receive announcements again, send "START".',
    ]);
    expect(await write('919800000102', 'start')).toEqual([
      'Done: you will receive ward announcements again. To stop them, send "STOP".',
    ]);
    const { rows } = await t.db.pool.query(
      `SELECT resident_id FROM announcement_opt_outs ORDER BY resident_id`,
    );
    expect(rows.map((r) => r.resident_id)).toEqual([residents.E]);
    // Not an opt-out of their own requests' updates.
    expect(await count(`SELECT count(*) AS n FROM notification_opt_outs`)).toBe(0);
  });

  it('refuses bad announcements with a clear error and sends nothing', async () => {
    const sentBefore = fake.messages().length;
    const base = {
      textBn: 'কাল সকাল ১০টা থেকে জল বন্ধ থাকবে।',
      textEn: 'Water is off tomorrow from 10 am.',
    };
    // No templates saved yet.
    let res = await coordinator(CREATE, { input: { ...base, wardIds: [ward1] } });
    expect(res.data?.createAnnouncement.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'templates',
          message: expect.stringContaining('Bengali (bn)'),
        }),
      ]),
    );
    // A template for Bengali only: the English reader is missing one.
    res = await admin(SETTINGS, {
      input: {
        messagingTier: 'TIER_250',
        templates: [
          {
            language: 'BN',
            whatsappTemplateName: 'ward_announcement_bn',
            smsDltTemplateId: '1107170000000000001',
          },
        ],
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.saveAnnouncementSettings.errors).toEqual([]);
    res = await coordinator(CREATE, { input: { ...base, wardIds: [ward1] } });
    expect(res.data?.createAnnouncement.errors).toEqual([
      expect.objectContaining({
        field: 'templates',
        message: expect.stringContaining('English (en)'),
      }),
    ]);
    // Bad settings are refused field by field.
    res = await admin(SETTINGS, {
      input: {
        messagingTier: 'TIER_250',
        templates: [
          { language: 'BN', whatsappTemplateName: 'Ward Announcement', smsDltTemplateId: '১১০৭' },
          { language: 'BN', whatsappTemplateName: 'x' },
        ],
      },
    });
    expect(res.data?.saveAnnouncementSettings.errors.map((e: any) => e.field)).toEqual(
      expect.arrayContaining([
        'templates.0.whatsappTemplateName',
        'templates.0.smsDltTemplateId',
        'templates',
      ]),
    );
    res = await admin(SETTINGS, {
      input: {
        messagingTier: 'TIER_250',
        templates: [
          {
            language: 'BN',
            whatsappTemplateName: 'ward_announcement_bn',
            smsDltTemplateId: '1107170000000000001',
          },
          { language: 'EN', whatsappTemplateName: 'ward_announcement_en', smsDltTemplateId: null },
        ],
      },
    });
    expect(res.data?.saveAnnouncementSettings.settings).toMatchObject({
      messagingTier: 'TIER_250',
      dailyLimit: 250,
    });
    // A coordinator targeting the municipality, another ward, or several.
    res = await coordinator(CREATE, { input: { ...base, wholeMunicipality: true } });
    expect(res.data?.createAnnouncement.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'wholeMunicipality' }),
    ]);
    res = await coordinator(CREATE, { input: { ...base, wardIds: [ward2] } });
    expect(res.data?.createAnnouncement.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'wardIds' }),
    ]);
    res = await coordinator(CREATE, { input: { ...base, wardIds: [ward1, ward2] } });
    expect(res.data?.createAnnouncement.errors[0]).toMatchObject({ field: 'wardIds' });
    // An empty audience, blank and huge texts, a wrong id.
    res = await coordinator(CREATE, {
      input: { ...base, wardIds: [ward1], locality: 'কোথাও নেই' },
    });
    expect(res.data?.createAnnouncement.errors).toEqual([
      expect.objectContaining({
        field: 'wardIds',
        message: expect.stringContaining('audience is empty'),
      }),
    ]);
    res = await coordinator(CREATE, {
      input: { textBn: '   ', textEn: 'x'.repeat(1001), wardIds: [ward1] },
    });
    expect(res.data?.createAnnouncement.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'textBn' }),
      expect.objectContaining({ code: 'TOO_LONG', field: 'textEn' }),
    ]);
    res = await coordinator(CREATE, { input: { ...base, wardIds: ['not-a-uuid'] } });
    expect(res.data?.createAnnouncement.errors[0]).toMatchObject({ field: 'wardIds.0' });
    res = await coordinator(CREATE, { input: { ...base, textBn: 12, wardIds: [ward1] } });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count(`SELECT count(*) AS n FROM announcements`)).toBe(0);
    await settle(t);
    expect(fake.messages().length).toBe(sentBefore);
  });

  it('previews the exact audience per channel', async () => {
    const res = await coordinator(PREVIEW, { input: { wardIds: [ward1] } });
    expect(res.data?.announcementAudience).toEqual({
      errors: [],
      audience: {
        total: 4,
        whatsapp: 3,
        sms: 1,
        whatsappBn: 2,
        whatsappEn: 1,
        smsBn: 1,
        smsEn: 0,
        optedOut: 1,
        unreachable: 1,
      },
    });
    const narrowed = await coordinator(PREVIEW, {
      input: { wardIds: [ward1], locality: '  ইটিন্ডা রোড ' },
    });
    expect(narrowed.data?.announcementAudience.audience).toMatchObject({ total: 1, whatsapp: 1 });
    const other = await coordinator(PREVIEW, { input: { wardIds: [ward2] } });
    expect(other.data?.announcementAudience.errors[0]).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends a ward announcement at the tier’s pace, holds on 130429 and resumes without sending twice', async () => {
    const created = await coordinator(CREATE, {
      input: {
        wardIds: [ward1],
        textBn: 'আগামী ৪ ডিসেম্বর সকাল ১০টা থেকে দুপুর ২টো পর্যন্ত জল সরবরাহ বন্ধ থাকবে।',
        textEn: 'Water supply will be off on 4 December from 10 am to 2 pm.',
      },
    });
    const { id, status, needsApproval } = created.data!.createAnnouncement.announcement;
    expect({ status, needsApproval }).toEqual({ status: 'DRAFT', needsApproval: false });

    // The first template Meta sees is refused with a throughput limit, once.
    let templateCalls = 0;
    fake.answerWith((call) => {
      if (call.body?.type !== 'template') return undefined;
      templateCalls += 1;
      if (templateCalls !== 1) return undefined;
      return {
        ...(FakeGraphApi.error(130429, 'Rate limit hit') as object),
        headers: { 'retry-after': '1' },
      } as any;
    });
    const scheduled = await coordinator(SCHEDULE, { input: { id } });
    expect(scheduled.data?.scheduleAnnouncement.announcement.status).toBe('SCHEDULED');

    await sender().runOnce();
    // One batch (ANNOUNCE_BATCH_SIZE = 2) handed to the outbox, the rest waits for the next run.
    expect(
      await count(`SELECT count(*) AS n FROM announcement_recipients WHERE announcement_id = $1`, [
        id,
      ]),
    ).toBe(4);
    expect(
      await count(
        `SELECT count(*) AS n FROM announcement_recipients WHERE announcement_id = $1 AND released_at IS NOT NULL`,
        [id],
      ),
    ).toBe(2);
    // Sends what is due: one accepted, one refused (Meta asks for a second's wait).
    await t.app.get(NotificationDispatcherService).kick();
    await sender().runOnce();
    const after = (
      await t.db.pool.query(
        `SELECT pauses, pause_reason, paused_until FROM announcements WHERE id = $1`,
        [id],
      )
    ).rows[0];
    expect(after.pauses).toBe(1);
    expect(after.pause_reason).toContain('130429');
    // Its message refused by Meta waits in the outbox at least until the hold ends.
    const { rows: held } = await t.db.pool.query(
      `SELECT n.next_attempt_at >= a.paused_until AS held, n.error_code
         FROM announcement_recipients ar JOIN notifications n ON n.id = ar.notification_id
         JOIN announcements a ON a.id = ar.announcement_id
        WHERE ar.announcement_id = $1 AND n.status = 'QUEUED'`,
      [id],
    );
    expect(held).toEqual([{ held: true, error_code: '130429' }]);
    // While held nothing new is released.
    await sender().runOnce();
    expect(
      await count(
        `SELECT count(*) AS n FROM announcement_recipients WHERE announcement_id = $1 AND released_at IS NOT NULL`,
        [id],
      ),
    ).toBe(2);

    await waitFor(
      'the announcement to finish',
      async () => {
        await sender().runOnce();
        await settle(t);
        return (
          (await count(
            `SELECT count(*) AS n FROM announcements WHERE id = $1 AND status = 'SENT'`,
            [id],
          )) === 1
        );
      },
      30_000,
      50,
    );
    fake.answerWith(null);
    const templates = fake.accepted().filter((c) => c.body.type === 'template');
    const to = templates.map((c) => c.body.to).sort();
    // Each WhatsApp reader exactly once; the opted-out one and the other ward's never.
    expect(to).toEqual(['919800000101', '919800000102', '919800000103']);
    const english = templates.find((c) => c.body.to === '919800000102')!.body.template;
    expect(english).toEqual({
      name: 'ward_announcement_en',
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Water supply will be off on 4 December from 10 am to 2 pm.' },
          ],
        },
      ],
    });
    const bengali = templates.find((c) => c.body.to === '919800000101')!.body.template;
    expect(bengali.name).toBe('ward_announcement_bn');
    expect(bengali.components[0].parameters[0].text).toMatch(/^আগামী ৪ ডিসেম্বর/);
    // Never free-form text, even to those whose window is open (they wrote "start" above).
    expect(
      fake
        .messages()
        .filter(
          (c) => c.body.to === '919800000102' && c.body.type === 'text' && /Water/.test(said(c)),
        ),
    ).toEqual([]);
    // The SMS reader through the SMS channel, at the gateway with the announcement's DLT
    // template id (not a request update's wording's).
    const { rows: sms } = await t.db.pool.query(
      `SELECT n.channel, n.address, n.template_name, n.dlt_template_id, n.status FROM notifications n
         JOIN announcement_recipients ar ON ar.notification_id = n.id
        WHERE ar.announcement_id = $1 AND n.channel = 'SMS'`,
      [id],
    );
    expect(sms).toEqual([
      {
        channel: 'SMS',
        address: '919800000104',
        template_name: null,
        dlt_template_id: '1107170000000000001',
        status: 'SENT',
      },
    ]);
    expect(gupshup.calls.map((c) => c.params)).toEqual([
      expect.objectContaining({
        send_to: '919800000104',
        dltTemplateId: '1107170000000000001',
        msg: expect.stringMatching(/^আগামী ৪ ডিসেম্বর/),
        msg_type: 'UNICODE_TEXT',
      }),
    ]);

    // Delivery statuses move the progress on.
    const wamidOf = (wa: string) => templates.find((c) => c.body.to === wa)!.wamid!;
    await postWebhook(
      t,
      statusPayload([
        { id: wamidOf('919800000101'), status: 'delivered', recipient_id: '919800000101' },
        { id: wamidOf('919800000103'), status: 'read', recipient_id: '919800000103' },
      ] as any),
    );
    await settle(t);
    const progress = await coordinator(PROGRESS, { id });
    expect(progress.data?.announcement).toMatchObject({
      status: 'SENT',
      pauses: 1,
      progress: {
        recipients: 4,
        queued: 0,
        sent: 2,
        delivered: 1,
        read: 1,
        failed: 0,
        failedByReason: [],
      },
    });

    // A reply to the announcement lands in the resident's conversation, marked as such.
    const reply = inbound('919800000101', 'text', {
      text: { body: 'কোন কোন পাড়ায় জল বন্ধ থাকবে?' },
    });
    (reply as any).context = { from: HELPLINE, id: wamidOf('919800000101') };
    const before = fake.messages().length;
    await postWebhook(t, messagesPayload([reply]));
    await settle(t);
    expect(fake.messages().slice(before).map(said)).toEqual([
      'ধন্যবাদ। ঘোষণা নিয়ে আপনার বার্তা ওয়ার্ড অফিসে পৌঁছে গেছে, কর্মীরা দেখে উত্তর দেবেন।',
    ]);
    const thread = await coordinator(
      `query { helplineConversations(first: 10) { edges { node { resident { id }
          messages { direction text inReplyToAnnouncement { id textBn } } } } } }`,
    );
    const mine = thread.data?.helplineConversations.edges
      .map((e: any) => e.node)
      .find((c: any) => c.resident?.id === residents.A);
    expect(mine.messages.filter((m: any) => m.inReplyToAnnouncement)).toEqual([
      {
        direction: 'IN',
        text: 'কোন কোন পাড়ায় জল বন্ধ থাকবে?',
        inReplyToAnnouncement: { id, textBn: expect.stringMatching(/^আগামী/) },
      },
    ]);
    expect((await coordinator(PROGRESS, { id })).data?.announcement.progress.replies).toBe(1);
  });

  it('needs a second administrator for a municipality-wide announcement', async () => {
    const created = await admin(CREATE, {
      input: {
        wholeMunicipality: true,
        textBn: 'কর জমার শেষ দিন ৩১ ডিসেম্বর।',
        textEn: 'Tax is due by 31 December.',
      },
    });
    const announcement = created.data?.createAnnouncement.announcement;
    expect(announcement).toMatchObject({
      status: 'PENDING_APPROVAL',
      needsApproval: true,
      wholeMunicipality: true,
    });
    expect(announcement.wardIds).toHaveLength(3);
    // Not before approval, not by its author, not by a coordinator.
    let res = await admin(SCHEDULE, { input: { id: announcement.id } });
    expect(res.data?.scheduleAnnouncement.errors[0].message).toMatch(/approval/);
    res = await admin(APPROVE, { input: { id: announcement.id } });
    expect(res.data?.approveAnnouncement.errors[0].message).toMatch(/second administrator/);
    res = await coordinator(APPROVE, { input: { id: announcement.id } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    res = await coordinator(
      `mutation ($input: AnnouncementRefInput!) { cancelAnnouncement(input: $input) { errors { code } } }`,
      { input: { id: announcement.id } },
    );
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    res = await admin2(APPROVE, { input: { id: announcement.id } });
    expect(res.data?.approveAnnouncement.announcement).toMatchObject({
      status: 'DRAFT',
      approvedByName: 'bsr.admin2',
    });
    res = await admin2(APPROVE, { input: { id: announcement.id } });
    expect(res.data?.approveAnnouncement.errors[0].code).toBe('INVALID_TRANSITION');

    // Scheduled for later, paused, then cancelled: nothing goes out.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    res = await admin(SCHEDULE, { input: { id: announcement.id, sendAt: later } });
    expect(res.data?.scheduleAnnouncement.announcement.status).toBe('SCHEDULED');
    res = await admin(
      `mutation ($input: AnnouncementRefInput!) { pauseAnnouncement(input: $input) { announcement { status } } }`,
      { input: { id: announcement.id } },
    );
    expect(res.data?.pauseAnnouncement.announcement.status).toBe('PAUSED');
    res = await admin(
      `mutation ($input: AnnouncementRefInput!) { cancelAnnouncement(input: $input) { announcement { status } } }`,
      { input: { id: announcement.id } },
    );
    expect(res.data?.cancelAnnouncement.announcement.status).toBe('CANCELLED');
    const sent = fake.messages().length;
    await sender().runOnce();
    await settle(t);
    expect(fake.messages().length).toBe(sent);
    expect(
      await count(`SELECT count(*) AS n FROM announcement_recipients WHERE announcement_id = $1`, [
        announcement.id,
      ]),
    ).toBe(0);

    // Coordinators see it (it reaches their ward) in the list, with its progress.
    const list = await coordinator(
      `query { announcements(first: 10) { totalCount edges { node { id status progress { recipients } } } } }`,
    );
    expect(list.data?.announcements.totalCount).toBe(2);
  });

  it('never reaches more residents per helpline in 24 hours than the messaging tier allows', async () => {
    // TIER_250 (saved above): 3 residents reached today, 246 more by an earlier announcement.
    const { rows: earlier } = await t.db.pool.query(
      `INSERT INTO announcements (municipality_id, ward_ids, text_bn, text_en, status, created_by_name)
       SELECT municipality_id, ARRAY[id], 'আগের ঘোষণা', 'Earlier', 'SENT', 'coord.1' FROM wards WHERE id = $1
       RETURNING id`,
      [ward1],
    );
    await t.db.pool.query(
      `INSERT INTO announcement_recipients (announcement_id, ward_id, resident_id, channel, language, notification_id, released_at)
       SELECT $1, $2, gen_random_uuid(), 'WHATSAPP', 'bn', gen_random_uuid(), now() - interval '1 hour'
         FROM generate_series(1, 246)`,
      [earlier[0].id, ward1],
    );
    const created = await coordinator(CREATE, {
      input: {
        wardIds: [ward1],
        textBn: 'শনিবার টিকাকরণ শিবির।',
        textEn: 'Vaccination camp on Saturday.',
      },
    });
    const id = created.data!.createAnnouncement.announcement.id;
    await coordinator(SCHEDULE, { input: { id } });
    const before = fake.accepted().length;
    for (let run = 0; run < 4; run += 1) {
      await sender().runOnce();
      await settle(t);
    }
    const templates = fake
      .accepted()
      .slice(before)
      .filter((c) => c.body.type === 'template');
    // One WhatsApp resident fits in the 250; the SMS reader is not counted against WhatsApp's tier.
    expect(templates).toHaveLength(1);
    const state = (
      await t.db.pool.query(`SELECT status, pause_reason FROM announcements WHERE id = $1`, [id])
    ).rows[0];
    expect(state).toEqual({
      status: 'SENDING',
      pause_reason: 'messaging tier TIER_250: waiting for the 24-hour limit',
    });
    const progress = await coordinator(PROGRESS, { id });
    expect(progress.data?.announcement.progress).toMatchObject({
      recipients: 4,
      queued: 2,
      sent: 2,
    });
    // Cancelled: the two still waiting never go.
    const cancelled = await coordinator(
      `mutation ($input: AnnouncementRefInput!) { cancelAnnouncement(input: $input) { announcement { status progress { queued failed failedByReason { code count } } } } }`,
      { input: { id } },
    );
    expect(cancelled.data?.cancelAnnouncement.announcement).toEqual({
      status: 'CANCELLED',
      progress: { queued: 0, failed: 2, failedByReason: [{ code: 'CANCELLED', count: 2 }] },
    });
    await sender().runOnce();
    await settle(t);
    expect(
      fake
        .accepted()
        .slice(before)
        .filter((c) => c.body.type === 'template'),
    ).toHaveLength(1);
  });
});
