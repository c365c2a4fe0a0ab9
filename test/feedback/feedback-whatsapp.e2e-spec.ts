import { settle as settleBackground } from '../support/background';
import { FakeGraphApi } from '../support/fake-graph-api';
import { GraphQL } from '../support/fixtures';
import { createRequest, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  helplineWard,
  inbound,
  listReply,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

const WA = '919876543210';
const READ = `query ($id: ID!) { request(id: $id) { id status version completedAt slaDueAt
  feedback { rating comment answeredVia } } }`;

describe('rating and reopening on WhatsApp (e2e, signed Meta webhooks, fake Graph API)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let coordinator: GraphQL;
  let types: Record<string, string>;
  let resident: string;

  /** Lets the inbox and the dispatcher finish what is due. */
  const settle = () => settleBackground(t);
  const send = async (message: ReturnType<typeof inbound>) => {
    const response = await postWebhook(t, messagesPayload([message], { [WA]: 'Rahim' }));
    expect(response.status).toBe(200);
    await settle();
  };
  const sentTo = () => fake.messages().filter((c) => c.body.to === WA);
  const lastText = () => {
    const last = sentTo().at(-1)!.body;
    return String(last.text?.body ?? last.interactive?.body?.text ?? '');
  };
  const read = async (id: string) => (await coordinator(READ, { id })).data?.request;
  const resolvedComplaint = async () => {
    let request: any = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.GARBAGE,
    });
    for (const [action, note] of [['START_REVIEW'], ['RESOLVE', 'ময়লা তুলে নেওয়া হয়েছে']]) {
      request = (await step(coordinator, request, action, note)).data?.transitionRequest.request;
    }
    await settle();
    return request;
  };

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp(whatsappEnv(fake));
    ({ coordinator, types } = await helplineWard(t));
    await send(text(WA, 'নমস্কার'));
    const { rows } = await t.db.pool.query(`SELECT id FROM residents WHERE whatsapp_id = $1`, [WA]);
    resident = rows[0].id;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('asks with a list of five rows and stores the row the resident picks', async () => {
    const request = await resolvedComplaint();
    const question = sentTo().find(
      (c) => c.body.type === 'interactive' && JSON.stringify(c.body).includes('rate:1'),
    );
    expect(question).toBeDefined();
    const rows = question!.body.interactive.action.sections[0].rows;
    expect(rows.map((r: { id: string }) => r.id)).toEqual([
      'rate:1',
      'rate:2',
      'rate:3',
      'rate:4',
      'rate:5',
    ]);
    expect(rows[3].title).toBe('৪ — ভালো');
    expect(question!.body.interactive.body.text).toContain('১ থেকে ৫-এর মধ্যে');

    await send(listReply(WA, 'rate:4', '৪ — ভালো'));
    expect((await read(request.id)).feedback).toEqual({
      rating: 4,
      comment: null,
      answeredVia: 'WHATSAPP',
    });
    expect(lastText()).toBe('আপনার মতামতের জন্য ধন্যবাদ।');
    // The same row again: the question is closed; the rating stays.
    await send(listReply(WA, 'rate:1', '১ — খুব খারাপ'));
    expect((await read(request.id)).feedback.rating).toBe(4);
    expect(lastText()).toContain('মতামত নেওয়া শেষ হয়ে গেছে');
  });

  it('reopens the resolved complaint when the resident writes "এখনও ঠিক হয়নি"', async () => {
    const request = await resolvedComplaint();
    const before = await read(request.id);
    await send(text(WA, 'এখনও ঠিক হয়নি, আবার ময়লা জমেছে'));
    const after = await read(request.id);
    expect(after).toMatchObject({ status: 'IN_REVIEW', completedAt: null });
    expect(new Date(after.slaDueAt).getTime()).toBeGreaterThan(new Date(before.slaDueAt).getTime());
    expect(lastText()).toBe('আপনার অভিযোগ আবার খোলা হয়েছে; ওয়ার্ড অফিস আবার কাজটি দেখবে।');
    const { rows } = await t.db.pool.query(
      `SELECT reason, by_resident FROM request_reopenings WHERE request_id = $1`,
      [request.id],
    );
    expect(rows).toEqual([{ reason: 'এখনও ঠিক হয়নি, আবার ময়লা জমেছে', by_resident: true }]);
    // A digit typed outside a reply to the question is the conversation's, not a rating.
    await send(text(WA, '৩'));
    expect((await read(request.id)).feedback.rating).toBeNull();
  });
});
