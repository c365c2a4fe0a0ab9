import { StaffRole } from '../../src/common/access/staff-role';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { FakeGraphApi, said } from '../support/fake-graph-api';
import {
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { settle as settleBackground } from '../support/background';
import {
  APP_SECRET,
  buttonReply,
  HELPLINE,
  image,
  inbound,
  listReply,
  messagesPayload,
  postWebhook,
  statusPayload,
  text,
  VERIFY_TOKEN,
} from '../support/whatsapp-webhooks';

const ENV = (fake: FakeGraphApi) => ({
  WHATSAPP_ACCESS_TOKEN: 'test-access-token',
  WHATSAPP_API_BASE_URL: fake.url,
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  WHATSAPP_RATE_PER_SECOND: '1000',
  NOTIFY_RETRY_BASE_MS: '20',
  NOTIFY_RETRY_MAX_MS: '80',
});

describe('the WhatsApp helpline (e2e: signed webhooks in, fake Graph API out)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward5: string;
  let coordinator: GraphQL;

  const settle = () => settleBackground(t, 60_000, { dueOnly: true });
  /** Sends messages as one signed webhook and returns what the resident was told. */
  const write = async (from: string, ...messages: Array<ReturnType<typeof text>>) => {
    const before = fake.messages().length;
    const res = await postWebhook(
      t,
      messagesPayload(messages, { [from]: names[from] ?? 'Resident' }),
    );
    expect(res.status).toBe(200);
    await settle();
    return fake
      .messages()
      .slice(before)
      .filter((c) => c.body.to === from)
      .map(said);
  };
  const names: Record<string, string> = {};
  const requestsOf = async (wa: string) =>
    (
      await t.db.pool.query(
        `SELECT r.tracking_number, r.status, r.channel, r.attributes,
                (SELECT count(*) FROM request_attachments a WHERE a.request_id = r.id)::int AS files
           FROM service_requests r JOIN residents p ON p.id = r.resident_id
          WHERE p.whatsapp_id = $1 ORDER BY r.created_at`,
        [wa],
      )
    ).rows;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp(ENV(fake));
    const bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5] = await insertWards(t, bsr, 5);
    await t.db.pool.query(
      `UPDATE wards SET whatsapp_phone_number_id = $2, name_bn = 'ওয়ার্ড ৫', name_en = 'Ward 5' WHERE id = $1`,
      [ward5, HELPLINE],
    );
    await seedCatalogue(t, bsr);
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
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('takes a resident writing Bengali from "হ্যালো" to a tracked request', async () => {
    const wa = '919800000001';
    names[wa] = 'ফাতিমা বিবি';
    const hello = await write(wa, text(wa, 'হ্যালো'));
    expect(hello[0]).toMatch(/^নমস্কার! ওয়ার্ড ৫-এর দুয়ারে হেল্পলাইনে স্বাগত/);
    const list = fake.messages().filter((c) => c.body.to === wa)[1].body;
    expect(list.type).toBe('interactive');
    const rows = list.interactive.action.sections[0].rows;
    expect(rows).toHaveLength(10);
    expect(rows[3]).toMatchObject({ id: 'svc:4', title: '৪. আয়ের শংসাপত্র' });
    expect(rows[9]).toMatchObject({ id: 'menu:2', title: 'আরও…' });
    expect(
      rows.every(
        (r: any) => r.title.length <= 24 && r.description.length <= 72 && r.description.length > 0,
      ),
    ).toBe(true);

    const chosen = await write(wa, text(wa, '৪'));
    expect(chosen[0]).toMatch(/^আয়ের শংসাপত্র\nএই কাগজগুলোর ছবি বা পিডিএফ/);
    expect(chosen[1]).toMatch(
      /^এটি কী কাজে লাগবে\?\nনম্বর লিখে বেছে নিন:\n১\. স্কুল\/কলেজ\n২\. ব্যাংক/,
    );
    expect(await write(wa, text(wa, '২'))).toEqual(['আপনার পরিবারের বছরে মোট আয় কত টাকা?']);
    const wrong = await write(wa, text(wa, 'অনেক'));
    expect(wrong[0]).toMatch(/^দুঃখিত, বুঝতে পারিনি। একটি সংখ্যা লিখুন, যেমন ১,২০,০০০।/);
    const summary = await write(wa, text(wa, '১,২০,০০০'));
    expect(summary[0]).toContain(
      'আয়ের শংসাপত্র\n১. কী কাজে লাগবে: ব্যাংক\n২. পরিবারের বার্ষিক আয় (টাকা): ১,২০,০০০\n\nকোনো উত্তর বদলাতে তার নম্বর লিখুন।',
    );
    expect(await write(wa, image(wa, 'media-aadhaar-1', 'আধার'))).toEqual([
      'ফাইলটি পেয়েছি, আবেদনের সঙ্গে রাখা হলো।',
    ]);
    const done = await write(wa, buttonReply(wa, 'confirm:yes', 'হ্যাঁ'));
    const [request] = await requestsOf(wa);
    expect(request).toMatchObject({
      status: 'SUBMITTED',
      channel: 'WHATSAPP',
      attributes: { purpose: 'bank', annual_income: 120000 },
      files: 1,
    });
    // The acknowledgement is the request_received notification, inside the window: text.
    expect(done).toEqual([expect.stringContaining(`ট্র্যাকিং নম্বর: ${request.tracking_number}`)]);
    const resident = await t.db.pool.query(
      `SELECT full_name, verification, preferred_language, phone, created_channel FROM residents WHERE whatsapp_id = $1`,
      [wa],
    );
    expect(resident.rows[0]).toEqual({
      full_name: 'ফাতিমা বিবি',
      verification: 'UNVERIFIED',
      preferred_language: 'BN',
      phone: '+919800000001',
      created_channel: 'WHATSAPP',
    });
    // Coordinators with a phone hear of a request that came on WhatsApp.
    expect(
      fake
        .messages()
        .some(
          (c) =>
            c.body.to === '917000000555' && c.body.template?.name === 'duare_staff_new_request',
        ),
    ).toBe(true);
  });

  it('speaks English to a resident who writes in English, with list replies', async () => {
    const wa = '919800000002';
    const hi = await write(wa, text(wa, 'Hi'));
    expect(hi[0]).toMatch(/^Hello! Welcome to the Duare helpline of Ward 5/);
    const page2 = await write(wa, listReply(wa, 'menu:2', 'More…'));
    expect(page2[0]).toMatch(
      /^Which service do you need\?\n10\. Drainage complaint\n11\. Garbage collection complaint/,
    );
    const garbage = await write(wa, listReply(wa, 'svc:11', '11. Garbage collection'));
    expect(garbage).toEqual([
      'Garbage collection complaint',
      expect.stringMatching(/^Where exactly is it\? Share a location, or describe the place/),
    ]);
    // A shared location answers "where".
    const pinned = await write(
      wa,
      inbound(wa, 'location', {
        location: { latitude: 22.6578, longitude: 88.8677, name: 'Basirhat College' },
      }),
    );
    expect(pinned).toEqual([
      expect.stringMatching(
        /^Your request:\nGarbage collection complaint\n1\. Place: Basirhat College\n\nTo change an answer, write its number\.\nShall I submit it\?$/,
      ),
    ]);
    const done = await write(wa, text(wa, 'yes'));
    expect(done[0]).toMatch(
      /^We have received your request \(Garbage collection complaint\)\. Tracking number: BSR-05-\d{4}-\d{5}/,
    );
    const switched = await write(wa, text(wa, 'বাংলা'));
    expect(switched).toEqual(['এখন থেকে বাংলায় লিখব।']);
  });

  it('reads dates as Indians write them and re-asks when they are not dates', async () => {
    const wa = '919800000003';
    await write(wa, text(wa, 'নমস্কার'));
    await write(wa, text(wa, '5')); // legal-heir recommendation
    expect(await write(wa, text(wa, 'আব্দুল করিম'))).toEqual(['তিনি কোন তারিখে মারা গেছেন?']);
    const bad = await write(wa, text(wa, '৩১/০২/২০২৪'));
    expect(bad[0]).toMatch(/তারিখ লিখুন দিন\/মাস\/বছর/);
    expect(await write(wa, text(wa, '১২/০৩/২০২৪'))).toEqual([
      'ওয়ারিশদের নাম আর তাঁদের সঙ্গে সম্পর্ক লিখুন।',
    ]);
    await write(wa, text(wa, 'রহিমা বিবি (স্ত্রী)'));
    await write(wa, text(wa, 'হ্যাঁ'));
    const [request] = await requestsOf(wa);
    expect(request.attributes).toEqual({
      deceased_name: 'আব্দুল করিম',
      date_of_death: '2024-03-12',
      heirs: 'রহিমা বিবি (স্ত্রী)',
    });
  });

  it('answers status, cancels a request or an unfinished one, in the resident’s words', async () => {
    const wa = '919800000001';
    const [request] = await requestsOf(wa);
    const status = await write(wa, text(wa, 'অবস্থা'));
    expect(status).toEqual([`আপনার আবেদন:\n${request.tracking_number} — আয়ের শংসাপত্র: জমা হয়েছে`]);
    const other = await write(wa, text(wa, 'অবস্থা BSR-05-2627-99999'));
    expect(other).toEqual(['BSR-05-2627-99999 নম্বরের কোনো আবেদন আপনার নামে পাইনি।']);
    await write(wa, text(wa, 'মেনু'));
    await write(wa, text(wa, '১'));
    expect(await write(wa, text(wa, 'বাতিল'))).toEqual([
      'ঠিক আছে, আবেদন জমা হয়নি। আবার শুরু করতে লিখুন "মেনু"।',
    ]);
    expect(await write(wa, text(wa, `বাতিল ${request.tracking_number.toLowerCase()}`))).toEqual([
      `আবেদন ${request.tracking_number} কি সত্যিই বাতিল করবেন?`,
    ]);
    const cancelled = await write(wa, text(wa, 'হ্যাঁ'));
    expect(cancelled).toEqual([
      expect.stringContaining(`আবেদন ${request.tracking_number} বাতিল করা হয়েছে`),
    ]);
    expect((await requestsOf(wa))[0].status).toBe('CANCELLED');
    expect(await write(wa, text(wa, `বাতিল ${request.tracking_number}`))).toEqual([
      `আবেদন ${request.tracking_number} এখন আর বাতিল করা যায় না।`,
    ]);
  });

  it('hands over to a coordinator, who answers, then hands back', async () => {
    const wa = '919800000004';
    await write(wa, text(wa, 'hello'));
    expect(await write(wa, text(wa, 'help'))).toEqual([
      'A coordinator has been told and will answer you soon. Meanwhile you can still write "status", "menu" or "cancel".',
    ]);
    expect(
      fake
        .messages()
        .some(
          (c) => c.body.to === '917000000555' && c.body.template?.name === 'duare_staff_handover',
        ),
    ).toBe(true);
    // The bot stays quiet while a person has the conversation.
    expect(await write(wa, text(wa, 'My water has been off since Monday'))).toEqual([]);
    const list = await coordinator(
      `{ helplineConversations(filter: { status: HUMAN }) { totalCount edges { node { id status resident { id fullName } messages { direction author text } } } } }`,
    );
    const conversation = list.data?.helplineConversations.edges[0].node;
    expect(list.data?.helplineConversations.totalCount).toBe(1);
    expect(conversation.messages.at(-1)).toEqual({
      direction: 'IN',
      author: 'RESIDENT',
      text: 'My water has been off since Monday',
    });
    const sent = await coordinator(
      `mutation ($id: ID!) { sendMessageToResident(input: { residentId: $id, text: "A plumber comes at 4 pm." }) { message { author text } errors { code field message } } }`,
      { id: conversation.resident.id },
    );
    expect(sent.data?.sendMessageToResident).toEqual({
      message: { author: 'STAFF', text: 'A plumber comes at 4 pm.' },
      errors: [],
    });
    await settle();
    expect(
      fake
        .messages()
        .filter((c) => c.body.to === wa)
        .map(said)
        .at(-1),
    ).toBe('A plumber comes at 4 pm.');
    const back = await coordinator(
      `mutation ($id: ID!) { handBackConversation(input: { conversationId: $id }) { status } }`,
      {
        id: conversation.id,
      },
    );
    expect(back.data?.handBackConversation.status).toBe('BOT');
    await settle();
    // The resident is told the assistant answers again.
    expect(
      fake
        .messages()
        .filter((c) => c.body.to === wa)
        .map(said)
        .at(-1),
    ).toMatch(/^The coordinator has finished/);
    expect((await write(wa, text(wa, 'menu')))[0]).toMatch(/^Which service do you need\?/);

    // Outside the 24-hour window a person cannot write free-form.
    await t.db.pool.query(
      `UPDATE whatsapp_windows SET last_inbound_at = now() - interval '25 hours' WHERE wa_id = $1`,
      [wa],
    );
    const late = await coordinator(
      `mutation ($id: ID!) { sendMessageToResident(input: { residentId: $id, text: "Hello?" }) { message { id } errors { code field message } } }`,
      { id: conversation.resident.id },
    );
    expect(late.data?.sendMessageToResident.errors[0]).toMatchObject({
      code: 'INVALID',
      field: 'residentId',
      message: expect.stringContaining('24-hour window'),
    });
  });

  it('knows a resident the coordinator registered by phone when they first write, and registers nobody twice', async () => {
    const wa = '919800000777';
    const id = await createResident(coordinator, ward5, 'রহিমা খাতুন', '+91 98000 00777');
    names[wa] = 'Rahima';
    // Their first message: greeted as a newcomer to the chat, but no second registration.
    expect((await write(wa, text(wa, 'হ্যালো')))[0]).toMatch(/^নমস্কার!/);
    const rows = await t.db.pool.query(
      `SELECT id, full_name, whatsapp_id, helpline_phone_number_id FROM residents WHERE phone = '+919800000777'`,
    );
    expect(rows.rows).toEqual([
      {
        id,
        full_name: 'রহিমা খাতুন',
        whatsapp_id: wa,
        helpline_phone_number_id: HELPLINE,
      },
    ]);
    const audit = await t.db.pool.query(
      `SELECT action, changes FROM audit_log WHERE entity_id = $1 ORDER BY seq`,
      [id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['resident.created', 'resident.updated']);
    expect(audit.rows[1].changes).toMatchObject({ fields: ['whatsappId'] });
    // The conversation and the stored message are theirs.
    const thread = await t.db.pool.query(
      `SELECT c.resident_id, m.text FROM whatsapp_messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.wa_id = $1 AND m.direction = 'IN'`,
      [wa],
    );
    expect(thread.rows).toEqual([{ resident_id: id, text: 'হ্যালো' }]);
  });

  it('answers a payload delivered five times at once only once, and creates one request', async () => {
    const wa = '919800000005';
    await write(wa, text(wa, 'hi'));
    await write(wa, listReply(wa, 'svc:11'));
    await write(wa, text(wa, 'skip'));
    const yes = buttonReply(wa, 'confirm:yes', 'Yes');
    const payload = messagesPayload([yes]);
    const before = fake.messages().length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(t, payload)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await settle();
    expect(await requestsOf(wa)).toHaveLength(1);
    expect(
      fake
        .messages()
        .slice(before)
        .filter((c) => c.body.to === wa),
    ).toHaveLength(1);
  });

  it('processes every message and status of a batch payload, and ignores unknown helplines', async () => {
    const [a, b] = ['919800000006', '919800000007'];
    const payload = messagesPayload([text(a, 'hello'), text(b, 'নমস্কার')]);
    const notified = await t.db.pool.query(
      `SELECT provider_message_id FROM notifications WHERE provider_message_id LIKE 'wamid.%' LIMIT 1`,
    );
    payload.entry[0].changes.push(
      statusPayload([{ id: notified.rows[0].provider_message_id, status: 'read' }]).entry[0]
        .changes[0] as never,
    );
    payload.entry.push(messagesPayload([text('919800000008', 'hello')], {}, '999999999').entry[0]);
    const before = fake.messages().length;
    await postWebhook(t, payload);
    await settle();
    const replies = fake.messages().slice(before);
    expect(replies.some((c) => c.body.to === a)).toBe(true);
    expect(replies.some((c) => c.body.to === b)).toBe(true);
    expect(replies.some((c) => c.body.to === '919800000008')).toBe(false);
    const status = await t.db.pool.query(
      `SELECT status FROM notifications WHERE provider_message_id = $1`,
      [notified.rows[0].provider_message_id],
    );
    expect(status.rows[0].status).toBe('READ');
    const stray = await t.db.pool.query(
      `SELECT ward_id, phone_number_id FROM whatsapp_messages WHERE wa_id = '919800000008'`,
    );
    expect(stray.rows).toEqual([{ ward_id: null, phone_number_id: '999999999' }]);
  });
});

describe('the WhatsApp helpline after a crash (e2e)', () => {
  it('processes what was stored but not processed when the service starts again', async () => {
    const fake = await new FakeGraphApi().start();
    const first = await startTestApp(ENV(fake));
    try {
      const bsr = await seedMunicipality(first, 'BSR');
      const [ward] = await insertWards(first, bsr, 1);
      await first.db.pool.query(`UPDATE wards SET whatsapp_phone_number_id = $2 WHERE id = $1`, [
        ward,
        HELPLINE,
      ]);
      await seedCatalogue(first, bsr);
      await first.close({ keepDatabase: true });
      // As if the process died right after answering 200: the payload is in the inbox only.
      const wa = '919800000099';
      await first.db.pool.query(`INSERT INTO whatsapp_inbox (payload) VALUES ($1)`, [
        JSON.stringify(messagesPayload([text(wa, 'হ্যালো')])),
      ]);
      const second = await startTestApp(ENV(fake), first.db);
      try {
        for (let i = 0; i < 100 && !fake.messages().some((c) => c.body.to === wa); i += 1) {
          await second.app.get(NotificationDispatcherService).kick();
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        expect(
          fake
            .messages()
            .filter((c) => c.body.to === wa)
            .map(said)[0],
        ).toMatch(/^নমস্কার!/);
        const inbox = await second.db.pool.query(`SELECT status FROM whatsapp_inbox`);
        expect(inbox.rows).toEqual([{ status: 'DONE' }]);
      } finally {
        await second.close();
      }
    } finally {
      await first.db.drop();
      await fake.stop();
    }
  });
});
