import { StaffRole } from '../../src/common/access/staff-role';
import { WhatsAppInboxService } from '../../src/whatsapp/whatsapp-inbox.service';
import { BOT_TEXTS } from '../../src/whatsapp/conversation/bot-texts';
import { settle } from '../support/background';
import { FakeGraphApi, GraphCall, said } from '../support/fake-graph-api';
import { GraphQL, insertWards, seedStaff, signIn, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import {
  buttonReply,
  helplineWard,
  HELPLINE,
  image,
  inbound,
  messagesPayload,
  poisonMessages,
  postWebhook,
  statusPayload,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/**
 * Issue 27: one payload that fails must not stop the helpline, and every shape Meta documents
 * gets a deliberate answer. Faults are real: a PostgreSQL trigger that refuses one message
 * (a database error inside processing) and a fake Graph API that fails media look-ups.
 */
describe('the helpline inbox under faults and every documented message shape (e2e)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward: string;
  let municipality: string;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let cure: () => Promise<void>;

  const post = async (payload: unknown) => expect((await postWebhook(t, payload)).status).toBe(200);
  const sendsTo = (wa: string): GraphCall[] =>
    fake.accepted().filter((c) => c.body.to === wa || c.body.recipient === wa);
  const inboxRows = async (where: string, params: unknown[] = []) =>
    (
      await t.db.pool.query(
        `SELECT id, status, attempts, last_error, parked_at, sender FROM whatsapp_inbox WHERE ${where}`,
        params,
      )
    ).rows;
  /** A coordinator of another ward of the same municipality, signed in: their token. */
  const seedOtherWardCoordinator = async () => {
    const [other] = await insertWards(t, municipality, 1, 7);
    await seedStaff(t, municipality, 'coord.7', [
      { role: StaffRole.WARD_COORDINATOR, wardId: other },
    ]);
    return (await signIn(t, 'coord.7')).accessToken;
  };
  const kickUntil = <T>(what: string, check: () => Promise<T>) =>
    waitFor(what, async () => {
      await t.app.get(WhatsAppInboxService).kick();
      return check();
    });

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '80',
      WHATSAPP_INBOX_MAX_ATTEMPTS: '3',
      WHATSAPP_INBOX_RETRY_BASE_MS: '20',
      WHATSAPP_INBOX_RETRY_MAX_MS: '60',
    });
    const seeded = await helplineWard(t);
    ward = seeded.ward;
    municipality = seeded.municipality;
    coordinator = seeded.coordinator;
    admin = await staffClient(t, seeded.municipality, 'bsr.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
    // A database fault inside processing: any message whose id starts POISON is refused.
    cure = await poisonMessages(t.db.pool);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('answers 100 residents while one payload keeps failing, then parks it with its cause', async () => {
    const poisoned = '919811100000';
    await post(messagesPayload([text(poisoned, 'হ্যালো', 'wamid.POISON1')]));
    // The same resident's next message waits for the first; nobody else's does.
    await post(messagesPayload([text(poisoned, 'মেনু')]));
    const residents = Array.from({ length: 100 }, (_, i) => `9198222${String(i).padStart(5, '0')}`);
    for (let i = 0; i < residents.length; i += 10)
      await Promise.all(
        residents.slice(i, i + 10).map((wa) => post(messagesPayload([text(wa, 'হ্যালো')]))),
      );
    await settle(t, 120_000);

    for (const wa of residents) {
      const replies = sendsTo(wa).map(said);
      expect({ wa, greeted: replies[0]?.startsWith('নমস্কার!') }).toEqual({ wa, greeted: true });
    }
    const [row] = await inboxRows(`sender = $1 AND status = 'PARKED'`, [poisoned]);
    expect(row).toMatchObject({ attempts: 3, parked_at: expect.any(Date) });
    expect(row.last_error).toContain('poisoned for the test: wamid.POISON1');
    // The resident's later message went through once the first was parked.
    expect(sendsTo(poisoned).map(said)[0]).toMatch(/^নমস্কার!/);
    expect(await inboxRows(`status = 'PENDING'`)).toEqual([]);

    // The cause is logged: a warning per retry, an error when parked.
    const lines = t.logs.filter((l) => l.includes(row.id)).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.level === 40 && /will retry/.test(l.msg))).toHaveLength(2);
    const parked = lines.filter((l) => l.level === 50);
    expect(parked).toHaveLength(1);
    expect(parked[0].cause).toContain('poisoned for the test');

    // Administrators see it with its cause; a coordinator may not manage the inbox.
    const listed = await admin(
      `{ helplineInbox(first: 10) { totalCount edges { node {
          id status wardId senderMasked messageTypes attempts lastError parkedAt } } } }`,
    );
    expect(listed.data?.helplineInbox).toMatchObject({
      totalCount: 1,
      edges: [
        {
          node: {
            id: row.id,
            status: 'PARKED',
            wardId: ward,
            senderMasked: '…0000',
            messageTypes: ['text'],
            attempts: 3,
          },
        },
      ],
    });
    expect(listed.data?.helplineInbox.edges[0].node.lastError).toContain('poisoned');
    const refused = await coordinator(`{ helplineInbox { totalCount } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The fault is repaired; the administrator retries it and it goes through.
    await cure();
    const retried = await admin(
      `mutation($id: ID!) { retryHelplineInboxItem(input: { id: $id }) {
          item { status attempts } errors { code field } } }`,
      { id: row.id },
    );
    expect(retried.data?.retryHelplineInboxItem).toEqual({
      item: { status: 'PENDING', attempts: 0 },
      errors: [],
    });
    await settle(t);
    expect(await inboxRows(`id = $1`, [row.id])).toMatchObject([{ status: 'DONE' }]);
    const kept = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM whatsapp_messages WHERE wamid = 'wamid.POISON1'`,
    );
    expect(kept.rows[0].n).toBe(1);
    const again = await admin(
      `mutation($id: ID!) { retryHelplineInboxItem(input: { id: $id }) { item { id } errors { code field } } }`,
      { id: row.id },
    );
    expect(again.data?.retryHelplineInboxItem.errors).toEqual([
      { code: 'INVALID_TRANSITION', field: 'id' },
    ]);
    cure = await poisonMessages(t.db.pool);
  }, 240_000);

  it('lets an administrator discard a parked payload, with a reason', async () => {
    const wa = '919811100001';
    await post(messagesPayload([text(wa, 'হ্যালো', 'wamid.POISON2')]));
    await settle(t);
    const [row] = await inboxRows(`sender = $1`, [wa]);
    expect(row.status).toBe('PARKED');
    const blank = await admin(
      `mutation($id: ID!) { discardHelplineInboxItem(input: { id: $id, reason: "   " }) {
          item { id } errors { code field } } }`,
      { id: row.id },
    );
    expect(blank.data?.discardHelplineInboxItem).toEqual({
      item: null,
      errors: [{ code: 'REQUIRED', field: 'reason' }],
    });
    const done = await admin(
      `mutation($id: ID!) { discardHelplineInboxItem(input: { id: $id, reason: "পরীক্ষার বার্তা" }) {
          item { status processedAt } errors { code } } }`,
      { id: row.id },
    );
    expect(done.data?.discardHelplineInboxItem).toMatchObject({
      item: { status: 'DISCARDED', processedAt: expect.any(String) },
      errors: [],
    });
    const unknown = await admin(
      `mutation { discardHelplineInboxItem(input: { id: "00000000-0000-4000-8000-000000000000", reason: "x" }) { errors { code } } }`,
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('finishes a status for an unknown message at once and matches it when the send is recorded', async () => {
    const early = 'wamid.LATE000001';
    await post(statusPayload([{ id: early, status: 'delivered' }]));
    await settle(t);
    expect(await inboxRows(`payload::text LIKE $1`, [`%${early}%`])).toMatchObject([
      { status: 'DONE', attempts: 0 },
    ]);
    const aside = await t.db.pool.query(
      `SELECT status FROM whatsapp_unmatched_statuses WHERE message_id = $1`,
      [early],
    );
    expect(aside.rows).toEqual([{ status: 'delivered' }]);

    // WhatsApp hands the next send exactly that id: its status arrived before its send's answer.
    const wa = '919811100002';
    fake.answerNext({
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: wa, wa_id: wa }],
        messages: [{ id: early }],
      },
    });
    await post(messagesPayload([text(wa, 'হ্যালো')]));
    await settle(t);
    const matched = await kickUntil('the early status to be matched', async () => {
      const { rows } = await t.db.pool.query(
        `SELECT status, delivered_at FROM notifications WHERE provider_message_id = $1`,
        [early],
      );
      return rows[0]?.status === 'DELIVERED' ? rows[0] : null;
    });
    expect(matched.delivered_at).toBeInstanceOf(Date);
    const left = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM whatsapp_unmatched_statuses WHERE message_id = $1`,
      [early],
    );
    expect(left.rows[0].n).toBe(0);
  });

  it('keeps a file whose media look-up fails, goes on with the conversation and fetches it later', async () => {
    const wa = '919811100003';
    const failures = new Map<string, number>();
    fake.answerWith((call) => {
      if (call.method !== 'GET') return undefined;
      const id = call.path.split('/').pop() ?? '';
      const n = (failures.get(id) ?? 0) + 1;
      failures.set(id, n);
      // The first file fails twice, then WhatsApp recovers; the second never describes.
      if ((id === 'media-flaky-1' && n <= 2) || id === 'media-gone-2')
        return {
          status: 500,
          body: { error: { message: 'Service temporarily unavailable', code: 2 } },
        };
      return undefined;
    });
    await post(messagesPayload([text(wa, 'হ্যালো')]));
    await post(messagesPayload([text(wa, '৪')]));
    await settle(t);
    const before = sendsTo(wa).length;
    await post(messagesPayload([image(wa, 'media-flaky-1', 'আধার')]));
    await post(messagesPayload([image(wa, 'media-gone-2', 'রেশন কার্ড')]));
    await post(messagesPayload([text(wa, '২')]));
    await post(messagesPayload([text(wa, '১২০০০০')]));
    await settle(t);
    const replies = sendsTo(wa).slice(before).map(said);
    expect(replies.slice(0, 2)).toEqual([BOT_TEXTS.fileKept.bn, BOT_TEXTS.fileKept.bn]);
    expect(replies[replies.length - 1]).toContain(`${BOT_TEXTS.files.bn}: ২`);

    const fetches = async () =>
      (
        await t.db.pool.query(
          `SELECT media_id, status, attempts, last_error, file_size FROM whatsapp_media_fetches
            WHERE media_id LIKE 'media-%-_' ORDER BY media_id`,
        )
      ).rows;
    const finished = await kickUntil('both look-ups to finish', async () => {
      const rows = await fetches();
      return rows.length === 2 && rows.every((r) => r.status !== 'PENDING') ? rows : null;
    });
    expect(finished).toEqual([
      {
        media_id: 'media-flaky-1',
        status: 'FETCHED',
        attempts: 3,
        last_error: null,
        file_size: 48213,
      },
      {
        media_id: 'media-gone-2',
        status: 'FAILED',
        attempts: 3,
        last_error: 'the Graph API answered HTTP 500: Service temporarily unavailable',
        file_size: null,
      },
    ]);
    expect(t.logs.some((l) => l.includes('media-gone-2') && l.includes('"level":50'))).toBe(true);

    // Staff see what became of each file on the message.
    const conversation = await t.db.pool.query(`SELECT id FROM conversations WHERE wa_id = $1`, [
      wa,
    ]);
    const thread = await coordinator(
      `query($id: ID!) { helplineConversation(id: $id) { messages { type media } } }`,
      { id: conversation.rows[0].id },
    );
    const media = thread.data?.helplineConversation.messages
      .filter((m: { type: string }) => m.type === 'image')
      .map((m: { media: Record<string, unknown> }) => m.media);
    expect(media).toEqual([
      expect.objectContaining({
        id: 'media-flaky-1',
        fetch: 'FETCHED',
        fileSize: 48213,
        mimeType: 'image/jpeg',
        downloadUrl: expect.stringMatching(/^\/files\//),
      }),
      expect.objectContaining({
        id: 'media-gone-2',
        fetch: 'FAILED',
        fetchError: 'the Graph API answered HTTP 500: Service temporarily unavailable',
      }),
    ]);

    // The request carries the size WhatsApp gave for the file it could describe.
    await post(messagesPayload([buttonReply(wa, 'confirm:yes', 'হ্যাঁ')]));
    await settle(t);
    const files = await t.db.pool.query(
      `SELECT a.media_ref, a.size_bytes FROM request_attachments a
         JOIN service_requests r ON r.id = a.request_id
         JOIN residents p ON p.id = r.resident_id
        WHERE p.whatsapp_id = $1 ORDER BY a.media_ref`,
      [wa],
    );
    expect(files.rows).toEqual([
      { media_ref: 'media-flaky-1', size_bytes: 48213 },
      { media_ref: 'media-gone-2', size_bytes: 0 },
    ]);
    fake.answerWith(null);

    // Staff fetch the bytes Duare keeps, with their token, within their ward only.
    const [kept] = media;
    const path = kept.downloadUrl as string;
    expect(path).toMatch(/^\/files\/[0-9a-f-]{36}$/);
    const token = (await signIn(t, 'coord.1')).accessToken;
    const fetched = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    expect(fetched.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(
      FakeGraphApi.mediaBytes('media-flaky-1'),
    );
    expect((await fetch(`${t.url}${path}`)).status).toBe(401);
    const otherWard = await seedOtherWardCoordinator();
    const refused = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${otherWard}` },
    });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      error: { code: 'NOT_FOUND', message: expect.any(String) },
    });
    expect(
      (await fetch(`${t.url}/files/not-an-id`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(400);
  });

  it('keeps a voice note as audio staff can play', async () => {
    const wa = '919811100004';
    await post(messagesPayload([text(wa, 'হ্যালো')]));
    await post(messagesPayload([text(wa, '৪')]));
    await post(
      messagesPayload([
        inbound(wa, 'audio', {
          audio: { id: 'voice-note-1', mime_type: 'audio/ogg; codecs=opus', voice: true },
        }),
      ]),
    );
    await settle(t);
    const row = await kickUntil('the voice note to be fetched', async () => {
      const { rows } = await t.db.pool.query(
        `SELECT media FROM whatsapp_messages WHERE wa_id = $1 AND type = 'audio'`,
        [wa],
      );
      return rows[0]?.media?.fetch === 'FETCHED' ? rows[0].media : null;
    });
    const token = (await signIn(t, 'coord.1')).accessToken;
    const played = await fetch(`${t.url}${row.downloadUrl}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/ogg');
  });

  describe('every message shape Meta documents', () => {
    const reaction = (from: string, messageId: string, emoji?: string) =>
      inbound(from, 'reaction', {
        reaction: { message_id: messageId, ...(emoji ? { emoji } : {}) },
      });

    it('stores reactions on their message; a 👍 on "shall I submit it?" is a yes, others get no reply', async () => {
      const wa = '919811100010';
      for (const body of ['হ্যালো', '৪', '২', '১২০০০০']) {
        await post(
          messagesPayload([text(wa, body, body === 'হ্যালো' ? 'wamid.REACT-HELLO' : undefined)]),
        );
        await settle(t);
      }
      const sent = sendsTo(wa);
      const welcome = sent[0].wamid as string;
      const question = sent[sent.length - 1];
      expect(said(question)).toContain(BOT_TEXTS.confirmQuestion.bn);
      const before = sent.length;

      await post(messagesPayload([reaction(wa, welcome, '👍')]));
      await post(messagesPayload([reaction(wa, 'wamid.REACT-HELLO', '❤️')]));
      await post(messagesPayload([reaction(wa, welcome)]));
      await settle(t);
      expect(sendsTo(wa)).toHaveLength(before);
      const onHello = await t.db.pool.query(
        `SELECT reaction FROM whatsapp_messages WHERE wamid = 'wamid.REACT-HELLO'`,
      );
      expect(onHello.rows[0].reaction).toMatchObject({
        emoji: '❤️',
        messageId: 'wamid.REACT-HELLO',
      });
      const kept = await t.db.pool.query(
        `SELECT reaction->>'emoji' AS emoji FROM whatsapp_messages WHERE wa_id = $1 AND type = 'reaction' ORDER BY sent_at, created_at`,
        [wa],
      );
      expect(kept.rows.map((r) => r.emoji)).toEqual(['👍', '❤️', null]);
      expect(
        (
          await t.db.pool.query(
            `SELECT count(*)::int AS n FROM service_requests r JOIN residents p ON p.id = r.resident_id WHERE p.whatsapp_id = $1`,
            [wa],
          )
        ).rows[0].n,
      ).toBe(0);

      await post(messagesPayload([reaction(wa, question.wamid as string, '👍🏽')]));
      await settle(t);
      const made = await t.db.pool.query(
        `SELECT r.tracking_number FROM service_requests r JOIN residents p ON p.id = r.resident_id WHERE p.whatsapp_id = $1`,
        [wa],
      );
      expect(made.rows).toHaveLength(1);
      expect(sendsTo(wa).slice(before).map(said).join('\n')).toContain(
        made.rows[0].tracking_number,
      );
    });

    it('keeps a location with its coordinates, shows it to staff and says so to the resident', async () => {
      const wa = '919811100011';
      await post(messagesPayload([text(wa, 'hello')]));
      await settle(t);
      const before = sendsTo(wa).length;
      await post(
        messagesPayload([
          inbound(wa, 'location', {
            location: {
              latitude: 22.6578,
              longitude: 88.8677,
              name: 'Basirhat Bus Stand',
              address: 'Taki Road, Basirhat 743411',
            },
          }),
        ]),
      );
      await settle(t);
      expect(sendsTo(wa).slice(before).map(said)[0]).toBe(BOT_TEXTS.locationKept.en);
      const conversation = await t.db.pool.query(`SELECT id FROM conversations WHERE wa_id = $1`, [
        wa,
      ]);
      const thread = await coordinator(
        `query($id: ID!) { helplineConversation(id: $id) { messages { type text location { latitude longitude name address url } } } }`,
        { id: conversation.rows[0].id },
      );
      const pin = thread.data?.helplineConversation.messages.find(
        (m: { type: string }) => m.type === 'location',
      );
      expect(pin).toEqual({
        type: 'location',
        text: 'Basirhat Bus Stand, Taki Road, Basirhat 743411',
        location: {
          latitude: 22.6578,
          longitude: 88.8677,
          name: 'Basirhat Bus Stand',
          address: 'Taki Road, Basirhat 743411',
          url: null,
        },
      });
    });

    it('answers stickers, contacts, orders, unsupported and unknown types with one line saying what it reads', async () => {
      const wa = '919811100012';
      await post(messagesPayload([text(wa, 'হ্যালো')]));
      await settle(t);
      const before = sendsTo(wa).length;
      const shapes = [
        inbound(wa, 'sticker', {
          sticker: { id: 'st-1', mime_type: 'image/webp', sha256: 'x', animated: false },
        }),
        inbound(wa, 'contacts', {
          contacts: [{ name: { formatted_name: 'রহিম' }, phones: [{ phone: '+91 98300 00000' }] }],
        }),
        inbound(wa, 'order', {
          order: { catalog_id: 'c1', product_items: [{ product_retailer_id: 'p', quantity: 1 }] },
        }),
        inbound(wa, 'unsupported', { errors: [{ code: 131051, title: 'Message type unknown' }] }),
        inbound(wa, 'poll_vote_v9', { poll: { option: 2 } }),
      ];
      for (const shape of shapes) await post(messagesPayload([shape]));
      await settle(t);
      expect(sendsTo(wa).slice(before).map(said)).toEqual(
        shapes.map(() => BOT_TEXTS.cannotRead.bn),
      );
    });

    it('follows a resident who changed their number, saying nothing to either number', async () => {
      const old = '919811100013';
      const renewed = '919811100099';
      await post(messagesPayload([text(old, 'হ্যালো')]));
      await settle(t);
      const before = fake.accepted().length;
      await post(
        messagesPayload([
          inbound(old, 'system', {
            system: {
              body: `User changed from ${old} to ${renewed}`,
              wa_id: renewed,
              type: 'user_changed_number',
            },
          }),
        ]),
      );
      await settle(t);
      expect(fake.accepted().slice(before)).toEqual([]);
      const resident = await t.db.pool.query(
        `SELECT whatsapp_id, phone FROM residents WHERE whatsapp_id IN ($1, $2)`,
        [old, renewed],
      );
      expect(resident.rows).toEqual([{ whatsapp_id: renewed, phone: `+${renewed}` }]);
      const chats = await t.db.pool.query(
        `SELECT c.wa_id, (SELECT count(*)::int FROM whatsapp_messages m WHERE m.conversation_id = c.id AND m.author = 'SYSTEM') AS notices
           FROM conversations c WHERE c.wa_id IN ($1, $2)`,
        [old, renewed],
      );
      expect(chats.rows).toEqual([{ wa_id: renewed, notices: 1 }]);
      // The next message from the new number continues the same conversation.
      await post(messagesPayload([text(renewed, 'অবস্থা')]));
      await settle(t);
      expect(sendsTo(renewed).map(said)[0]).toBe(BOT_TEXTS.noRequests.bn);
    });

    it('answers a sender known only by a business-scoped user id, as `recipient`', async () => {
      const userId = 'IN.13491208655302741918';
      const message = inbound('', 'text', { text: { body: 'হ্যালো' } }) as Record<string, unknown>;
      delete message.from;
      message.from_user_id = userId;
      await post({
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
                  contacts: [{ profile: { name: 'Nusrat', username: '@nusrat' }, user_id: userId }],
                  messages: [message],
                },
              },
            ],
          },
        ],
      });
      await settle(t);
      const replies = sendsTo(userId);
      expect(replies.map(said)[0]).toMatch(/^নমস্কার!/);
      expect(replies[0].body.to).toBeUndefined();
      const resident = await t.db.pool.query(
        `SELECT full_name, phone FROM residents WHERE whatsapp_id = $1`,
        [userId],
      );
      expect(resident.rows).toEqual([{ full_name: 'Nusrat', phone: null }]);
    });

    it('does not answer free-form a message delivered after its 24-hour window; a person takes over', async () => {
      const wa = '919811100014';
      const late = text(wa, 'আমার জলের লাইন ভেঙে গেছে');
      late.timestamp = String(Math.floor(Date.now() / 1000) - 3 * 24 * 3600);
      await post(messagesPayload([late]));
      await settle(t);
      expect(sendsTo(wa)).toEqual([]);
      const chat = await t.db.pool.query(
        `SELECT status, handed_over_at FROM conversations WHERE wa_id = $1`,
        [wa],
      );
      expect(chat.rows).toEqual([{ status: 'HUMAN', handed_over_at: expect.any(Date) }]);
      const alert = await t.db.pool.query(
        `SELECT count(*)::int AS n FROM domain_events WHERE type = 'conversation.handed_over'
            AND payload->>'residentId' = (SELECT id::text FROM residents WHERE whatsapp_id = $1)`,
        [wa],
      );
      expect(alert.rows[0].n).toBe(1);
    });

    it('leaves nothing pending and answers everyone when every shape comes mixed with failing payloads', async () => {
      const writers = ['919811100020', '919811100021', '919811100022'];
      const mixed = messagesPayload([
        text(writers[0], 'হ্যালো'),
        inbound(writers[1], 'location', { location: { latitude: 22.6, longitude: 88.8 } }),
        inbound(writers[2], 'sticker', { sticker: { id: 'st-2', mime_type: 'image/webp' } }),
      ]);
      const statuses = statusPayload([
        { id: 'wamid.NEVER-SENT-1', status: 'read' },
        { id: 'wamid.NEVER-SENT-2', status: 'failed', errorCode: 131047 },
      ]);
      await post(statuses);
      await post(messagesPayload([text('919811100023', 'হ্যালো', 'wamid.POISON3')]));
      await post(mixed);
      await post(mixed);
      await post(messagesPayload([image('919811100024', 'media-late-9')]));
      await settle(t);
      expect(await inboxRows(`status = 'PENDING'`)).toEqual([]);
      for (const wa of [...writers, '919811100024'])
        expect({ wa, answered: sendsTo(wa).length > 0 }).toEqual({ wa, answered: true });
      expect(await inboxRows(`status = 'PARKED' AND sender = '919811100023'`)).toHaveLength(1);
    });
  });
});
