import { StaffRole } from '../../src/common/access/staff-role';
import { HelplineEscalationService } from '../../src/whatsapp/helpline-desk/helpline-escalation.service';
import { settle } from '../support/background';
import { FakeGraphApi, said } from '../support/fake-graph-api';
import {
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  HELPLINE,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

const CREATE_CANNED = `mutation ($input: CreateCannedReplyInput!) {
  createCannedReply(input: $input) { cannedReply { id version title wardId } errors { code field message } }
}`;
const UPDATE_CANNED = `mutation ($input: UpdateCannedReplyInput!) {
  updateCannedReply(input: $input) { cannedReply { id version bodyEn } errors { code field message } }
}`;
const DESK = `desk { episodeId assignee { id displayName } labels waitingSince unreadCount firstResponseAt closedAt }`;
const LIST = `query ($filter: HelpDeskFilter) {
  helpDeskConversations(filter: $filter, first: 10) { totalCount edges { node { id status resident { id } ${DESK} } } }
}`;
const SEND = `mutation ($input: SendMessageToResidentInput!) {
  sendMessageToResident(input: $input) { message { author text } errors { code field message } }
}`;
describe('the helpline as a help desk (e2e: signed webhooks in, fake Graph API out)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward1: string;
  let ward2: string;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let otherCoordinator: GraphQL;
  let agentId: string;
  let otherWardCoordinatorId: string;
  let wardReply: string;
  let hoursReply: string;
  let trackingReply: string;

  const write = async (from: string, body: string, name = 'Resident') => {
    const before = fake.messages().length;
    expect(
      (await postWebhook(t, messagesPayload([text(from, body)], { [from]: name }))).status,
    ).toBe(200);
    await settle(t);
    return fake
      .messages()
      .slice(before)
      .filter((c) => c.body.to === from)
      .map(said);
  };
  const residentOf = async (wa: string) =>
    (await t.db.pool.query(`SELECT id FROM residents WHERE whatsapp_id = $1`, [wa])).rows[0]
      .id as string;
  const conversationOf = async (wa: string) =>
    (await t.db.pool.query(`SELECT id FROM conversations WHERE wa_id = $1`, [wa])).rows[0]
      .id as string;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '80',
    });
    const bsr = await seedMunicipality(t, 'BSR');
    [ward1, ward2] = await insertWards(t, bsr, 2);
    await t.db.pool.query(
      `UPDATE wards SET whatsapp_phone_number_id = $2,
              service_hours = '{"days":["MON","TUE","WED","THU","FRI","SAT"],"opensAt":"10:00","closesAt":"17:00"}'
        WHERE id = $1`,
      [ward1, HELPLINE],
    );
    await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward1 },
    ]);
    otherCoordinator = await staffClient(t, bsr, 'coord.2', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward2 },
    ]);
    agentId = await seedStaff(t, bsr, 'agent.1', [{ role: StaffRole.FIELD_AGENT, wardId: ward1 }]);
    await seedStaff(t, bsr, 'bsr.admin.phone', [{ role: StaffRole.MUNICIPAL_ADMIN }], {
      phone: '+91 70000 00999',
    });
    otherWardCoordinatorId = (
      await t.db.pool.query(`SELECT id FROM staff_accounts WHERE username = 'coord.2'`)
    ).rows[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('keeps canned replies per ward and municipality, placeholders checked when saved', async () => {
    const good = {
      wardId: ward1,
      title: 'আলো সারাই',
      bodyBn: 'নমস্কার {{residentName}}, আপনার অভিযোগ পেয়েছি। কাল ইলেকট্রিশিয়ান যাবেন।',
      bodyEn: 'Hello {{residentName}}, we have your complaint. An electrician comes tomorrow.',
    };
    let res = await coordinator(CREATE_CANNED, { input: good });
    expect(res.data?.createCannedReply.errors).toEqual([]);
    wardReply = res.data?.createCannedReply.cannedReply.id;
    // Duplicates (any case), unknown or unclosed placeholders, blank and huge texts.
    res = await coordinator(CREATE_CANNED, { input: { ...good, title: 'আলো সারাই' } });
    expect(res.data?.createCannedReply.errors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', field: 'title' }),
    ]);
    res = await coordinator(CREATE_CANNED, {
      input: { ...good, title: 'x', bodyBn: 'নমস্কার {{name}}', bodyEn: 'Hello {{residentName}' },
    });
    expect(res.data?.createCannedReply.errors).toEqual([
      expect.objectContaining({
        field: 'bodyBn',
        message: expect.stringContaining('unknown placeholder {{name}}'),
      }),
      expect.objectContaining({ field: 'bodyEn', message: expect.stringContaining('not closed') }),
    ]);
    res = await coordinator(CREATE_CANNED, {
      input: { ...good, title: ' ', bodyEn: 'x'.repeat(2001) },
    });
    expect(res.data?.createCannedReply.errors.map((e: any) => [e.code, e.field])).toEqual([
      ['REQUIRED', 'title'],
      ['TOO_LONG', 'bodyEn'],
    ]);
    // Another ward's, and the municipality's (administrators only).
    res = await coordinator(CREATE_CANNED, { input: { ...good, wardId: ward2 } });
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    res = await coordinator(CREATE_CANNED, { input: { ...good, wardId: null } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      Number((await t.db.pool.query(`SELECT count(*) AS n FROM canned_replies`)).rows[0].n),
    ).toBe(1);

    res = await admin(CREATE_CANNED, {
      input: {
        title: 'অফিসের সময়',
        bodyBn: '{{residentName}}, ওয়ার্ড অফিস খোলা থাকে {{ wardHours }}।',
        bodyEn: '{{residentName}}, the ward office is open {{wardHours}}.',
      },
    });
    hoursReply = res.data?.createCannedReply.cannedReply.id;
    expect(res.data?.createCannedReply.cannedReply.wardId).toBeNull();
    res = await coordinator(CREATE_CANNED, {
      input: {
        ...good,
        title: 'আবেদনের খবর',
        bodyBn: 'আপনার আবেদন {{trackingNumber}} দেখা হচ্ছে।',
        bodyEn: 'Your request {{trackingNumber}} is being looked at.',
      },
    });
    trackingReply = res.data?.createCannedReply.cannedReply.id;

    // Updates check the version.
    res = await coordinator(UPDATE_CANNED, { input: { id: wardReply, version: 7, bodyEn: 'x' } });
    expect(res.data?.updateCannedReply.errors[0].code).toBe('STALE_VERSION');
    res = await coordinator(UPDATE_CANNED, {
      input: {
        id: wardReply,
        version: 1,
        bodyEn: 'Hello {{residentName}}, an electrician comes tomorrow.',
      },
    });
    expect(res.data?.updateCannedReply.cannedReply).toMatchObject({ version: 2 });
    res = await otherCoordinator(UPDATE_CANNED, {
      input: { id: wardReply, version: 2, bodyEn: 'x' },
    });
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const mine = await coordinator(`{ cannedReplies { title wardId } }`);
    expect(mine.data?.cannedReplies.map((r: any) => r.title)).toEqual([
      'অফিসের সময়',
      'আবেদনের খবর',
      'আলো সারাই',
    ]);
    const theirs = await otherCoordinator(`{ cannedReplies { title } }`);
    expect(theirs.data?.cannedReplies.map((r: any) => r.title)).toEqual(['অফিসের সময়']);
  });

  it('assigns, labels, answers with canned replies in both languages, closes, and counts the times', async () => {
    const wa = '919800000301';
    await write(wa, 'হ্যালো', 'রহিম শেখ');
    await write(wa, 'help', 'রহিম শেখ');
    expect(await write(wa, 'রাস্তার আলো তিন দিন ধরে জ্বলছে না', 'রহিম শেখ')).toEqual([]);
    const conversationId = await conversationOf(wa);
    const residentId = await residentOf(wa);

    const list = await coordinator(LIST, { filter: { unanswered: true } });
    expect(list.data?.helpDeskConversations.totalCount).toBe(1);
    const node = list.data?.helpDeskConversations.edges[0].node;
    expect(node).toMatchObject({ id: conversationId, status: 'HUMAN' });
    expect(node.desk).toMatchObject({
      assignee: null,
      labels: [],
      unreadCount: 2,
      firstResponseAt: null,
    });
    expect(node.desk.waitingSince).not.toBeNull();
    expect((await otherCoordinator(LIST, {})).data?.helpDeskConversations.totalCount).toBe(0);

    // Assignment: a field agent of the ward yes; another ward's coordinator no, nothing changed.
    const ASSIGN = `mutation ($id: ID!, $to: ID) { assignConversation(input: { conversationId: $id, assigneeId: $to }) { ${DESK} errors { code field message } } }`;
    let res = await coordinator(ASSIGN, { id: conversationId, to: otherWardCoordinatorId });
    expect(res.data?.assignConversation.errors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: 'assigneeId' }),
    ]);
    res = await coordinator(ASSIGN, { id: conversationId, to: 'নয়' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    res = await otherCoordinator(ASSIGN, { id: conversationId, to: agentId });
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    res = await coordinator(ASSIGN, { id: conversationId, to: agentId });
    expect(res.data?.assignConversation.desk.assignee).toEqual({
      id: agentId,
      displayName: 'agent.1',
    });

    const LABEL = `mutation ($id: ID!, $labels: [String!]!) { labelConversation(input: { conversationId: $id, labels: $labels }) { ${DESK} errors { code field message } } }`;
    res = await coordinator(LABEL, {
      id: conversationId,
      labels: Array.from({ length: 11 }, (_v, i) => `l${i}`),
    });
    expect(res.data?.labelConversation.errors[0]).toMatchObject({
      code: 'TOO_LONG',
      field: 'labels',
    });
    res = await coordinator(LABEL, { id: conversationId, labels: ['রাস্তার আলো', ' '] });
    expect(res.data?.labelConversation.errors[0]).toMatchObject({
      code: 'REQUIRED',
      field: 'labels.1',
    });
    res = await coordinator(LABEL, { id: conversationId, labels: ['রাস্তার আলো', 'জরুরি', 'জরুরি'] });
    expect(res.data?.labelConversation.desk.labels).toEqual(['রাস্তার আলো', 'জরুরি']);

    // Filters: by assignee, label, unanswered and waiting time.
    const count = async (filter: Record<string, unknown>) =>
      (await coordinator(LIST, { filter })).data?.helpDeskConversations.totalCount;
    expect(await count({ assigneeId: agentId })).toBe(1);
    expect(await count({ unassigned: true })).toBe(0);
    expect(await count({ label: 'জরুরি' })).toBe(1);
    expect(await count({ label: 'পানীয় জল' })).toBe(0);
    expect(await count({ waitingLongerThanMinutes: 0 })).toBe(1);
    expect(await count({ waitingLongerThanMinutes: 600 })).toBe(0);

    const READ = `mutation ($id: ID!) { markConversationRead(input: { conversationId: $id }) { ${DESK} errors { code } } }`;
    res = await coordinator(READ, { id: conversationId });
    expect(res.data?.markConversationRead.desk.unreadCount).toBe(0);

    // Canned replies: a {{trackingNumber}} without an open request, text and reply together.
    res = await coordinator(SEND, { input: { residentId, cannedReplyId: trackingReply } });
    expect(res.data?.sendMessageToResident.errors).toEqual([
      expect.objectContaining({
        field: 'cannedReplyId',
        message: expect.stringContaining('no open request'),
      }),
    ]);
    res = await coordinator(SEND, {
      input: { residentId, cannedReplyId: wardReply, text: 'and more' },
    });
    expect(res.data?.sendMessageToResident.errors[0]).toMatchObject({ field: 'text' });
    const sentBefore = fake.messages().length;
    res = await coordinator(SEND, { input: { residentId, cannedReplyId: hoursReply } });
    expect(res.data?.sendMessageToResident).toEqual({
      errors: [],
      message: {
        author: 'STAFF',
        text: 'রহিম শেখ, ওয়ার্ড অফিস খোলা থাকে সোম–শনি, সকাল ১০টা–বিকেল ৫টা।',
      },
    });
    await settle(t);
    expect(fake.messages().slice(sentBefore).map(said)).toEqual([
      'রহিম শেখ, ওয়ার্ড অফিস খোলা থাকে সোম–শনি, সকাল ১০টা–বিকেল ৫টা।',
    ]);
    expect(await count({ unanswered: true })).toBe(0);

    // An English reader gets the English text, Latin digits.
    const en = '919800000302';
    await write(en, 'hello', 'Mina Das');
    const enResident = await residentOf(en);
    res = await coordinator(SEND, { input: { residentId: enResident, cannedReplyId: hoursReply } });
    expect(res.data?.sendMessageToResident.message.text).toBe(
      'Mina Das, the ward office is open Mon–Sat, 10 am–5 pm.',
    );
    res = await coordinator(SEND, { input: { residentId: enResident, cannedReplyId: wardReply } });
    expect(res.data?.sendMessageToResident.message.text).toBe(
      'Hello Mina Das, an electrician comes tomorrow.',
    );
    // Another ward's coordinator cannot use this ward's reply on their own resident either way.
    res = await otherCoordinator(SEND, {
      input: { residentId: enResident, cannedReplyId: wardReply },
    });
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // Closing: the episode ends, the bot answers again, the times reach the statistics.
    const CLOSE = `mutation ($id: ID!) { closeConversation(input: { conversationId: $id }) { ${DESK} errors { code } } }`;
    res = await otherCoordinator(CLOSE, { id: conversationId });
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    res = await coordinator(CLOSE, { id: conversationId });
    expect(res.data?.closeConversation.desk.closedAt).not.toBeNull();
    expect(res.data?.closeConversation.desk.firstResponseAt).not.toBeNull();
    const { rows } = await t.db.pool.query(`SELECT status FROM conversations WHERE id = $1`, [
      conversationId,
    ]);
    expect(rows[0].status).toBe('BOT');
    expect(await count({})).toBe(0);
    expect(await count({ includeClosed: true })).toBe(1);

    const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
    const stats = await coordinator(
      `query ($w: ID!, $d: String!) { wardHelplineStats(wardId: $w, from: $d, to: $d) {
         opened answered closed escalated firstResponseMinutes { median p90 } resolutionMinutes { median }
         byStaff { displayName firstResponses closed firstResponseMinutes { median } }
         byDay { day opened firstResponseMinutes { median } } } }`,
      { w: ward1, d: today },
    );
    const s = stats.data?.wardHelplineStats;
    expect(s).toMatchObject({ opened: 1, answered: 1, closed: 1, escalated: 0 });
    expect(s.firstResponseMinutes.median).toBeGreaterThanOrEqual(0);
    expect(s.resolutionMinutes.median).toBeGreaterThanOrEqual(s.firstResponseMinutes.median);
    expect(s.byStaff).toEqual([
      {
        displayName: 'coord.1',
        firstResponses: 1,
        closed: 1,
        firstResponseMinutes: { median: s.firstResponseMinutes.median },
      },
    ]);
    expect(s.byDay).toEqual([
      { day: today, opened: 1, firstResponseMinutes: { median: s.firstResponseMinutes.median } },
    ]);
    const other = await otherCoordinator(
      `query ($w: ID!, $d: String!) { wardHelplineStats(wardId: $w, from: $d, to: $d) { opened } }`,
      { w: ward1, d: today },
    );
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('escalates a conversation left unanswered too long to the administrators, once', async () => {
    const wa = '919800000303';
    await write(wa, 'হ্যালো', 'সালমা খাতুন');
    await write(wa, 'help', 'সালমা খাতুন');
    await write(wa, 'জলের লাইন ফেটে গেছে', 'সালমা খাতুন');
    const conversationId = await conversationOf(wa);
    const escalation = t.app.get(HelplineEscalationService);
    // Not yet overdue (HELPLINE_OVERDUE_MINUTES = 120 by default).
    expect(await escalation.runOnce(new Date(Date.now() + 60 * 60_000))).toBe(0);
    const before = fake.messages().length;
    expect(await escalation.runOnce(new Date(Date.now() + 3 * 3600_000))).toBe(1);
    expect(await escalation.runOnce(new Date(Date.now() + 4 * 3600_000))).toBe(0);
    await settle(t);
    const alerts = fake.messages().slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].body).toMatchObject({
      to: '917000000999',
      type: 'template',
      template: { name: 'duare_staff_conversation_overdue' },
    });
    const { rows } = await t.db.pool.query(
      `SELECT body FROM notifications WHERE template_key = 'staff_conversation_overdue'`,
    );
    expect(rows).toEqual([
      { body: 'ওয়ার্ড 1: সালমা খাতুন হেল্পলাইনে উত্তরের অপেক্ষায় আছেন, উত্তর দেওয়ার সময় পেরিয়ে গেছে।' },
    ]);
    const list = await coordinator(LIST, { filter: { unanswered: true } });
    const node = list.data?.helpDeskConversations.edges.find(
      (e: any) => e.node.id === conversationId,
    ).node;
    expect(node.desk.waitingSince).not.toBeNull();
    const escalatedAt = (
      await t.db.pool.query(
        `SELECT escalated_at FROM helpline_episodes WHERE conversation_id = $1`,
        [conversationId],
      )
    ).rows[0].escalated_at;
    expect(escalatedAt).not.toBeNull();
  });
});
