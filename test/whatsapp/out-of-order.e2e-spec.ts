import { settle } from '../support/background';
import { FakeGraphApi } from '../support/fake-graph-api';
import { GraphQL } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  helplineWard,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/**
 * WhatsApp does not promise to deliver a resident's messages in the order they were written.
 * Within a short window the helpline takes them in WhatsApp's time order, and staff read the
 * thread in that order.
 */
describe('the helpline handles messages in the order they were written (e2e)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let coordinator: GraphQL;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({ ...whatsappEnv(fake), WHATSAPP_REORDER_WINDOW_MS: '400' });
    ({ coordinator } = await helplineWard(t));
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const writtenAt = (message: ReturnType<typeof text>, secondsAgo: number) => ({
    ...message,
    timestamp: String(Math.floor(Date.now() / 1000) - secondsAgo),
  });

  it('picks the service written first although its message arrived second', async () => {
    const wa = '919822200001';
    await postWebhook(t, messagesPayload([writtenAt(text(wa, 'নমস্কার'), 10)]));
    await settle(t);
    // The resident chose 3 from the menu, then answered "2" to its first question; WhatsApp
    // delivered the answer first.
    const answer = await postWebhook(t, messagesPayload([writtenAt(text(wa, '২'), 1)]));
    const choice = await postWebhook(t, messagesPayload([writtenAt(text(wa, '৩'), 5)]));
    expect([answer.status, choice.status]).toEqual([200, 200]);
    await settle(t);
    const { rows } = await t.db.pool.query(
      `SELECT c.data FROM conversations c WHERE c.wa_id = $1`,
      [wa],
    );
    const data = rows[0].data as { menu: string[]; draft?: { serviceTypeId: string } };
    expect(data.draft?.serviceTypeId).toBe(data.menu[2]);

    const list = await coordinator(
      `{ helplineConversations { edges { node { messages { author text } } } } }`,
    );
    const thread = list.data?.helplineConversations.edges[0].node.messages as Array<{
      author: string;
      text: string;
    }>;
    const fromResident = thread.filter((m) => m.author === 'RESIDENT').map((m) => m.text);
    expect(fromResident).toEqual(['নমস্কার', '৩', '২']);
    // Each reply follows the message it answers.
    const three = thread.findIndex((m) => m.text === '৩');
    expect(thread[three + 1].author).toBe('BOT');
  });

  it('still handles a lone message within the window', async () => {
    const wa = '919822200002';
    const before = fake.messages().length;
    await postWebhook(t, messagesPayload([text(wa, 'hello')]));
    await settle(t);
    expect(
      fake
        .messages()
        .slice(before)
        .some((c) => c.body.to === wa),
    ).toBe(true);
  });
});
