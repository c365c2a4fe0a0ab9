import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { settle } from '../support/background';
import { FakeGraphApi, GraphAnswer, said } from '../support/fake-graph-api';
import { GraphQL } from '../support/fixtures';
import { createRequest, createResident } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import {
  buttonReply,
  listReply,
  helplineWard,
  messagesPayload,
  postWebhook,
  statusPayload,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/**
 * The WhatsApp side misbehaving: the Cloud API down for a while (5xx and timeouts), and
 * webhooks delivered many times at once and out of order (Meta delivers at least once and
 * does not order). The everyday versions of these live in test/whatsapp/helpline.e2e-spec.ts
 * (a payload five times) and test/notifications/notifications.e2e-spec.ts (statuses in any
 * order in one payload); these push them harder.
 */
describe('WhatsApp faults (e2e, fake Graph API)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward: string;
  let types: Record<string, string>;
  let coordinator: GraphQL;

  const notificationsTo = async (wa: string) =>
    (
      await t.db.pool.query(
        `SELECT id, status, attempts, provider_message_id, template_key FROM notifications
          WHERE address = $1 AND channel = 'WHATSAPP' ORDER BY seq`,
        [wa],
      )
    ).rows;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      // Small retry settings so the outage is a few seconds, not hours.
      WHATSAPP_TIMEOUT_MS: '300',
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '50',
    });
    ({ ward, types, coordinator } = await helplineWard(t));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });
  beforeEach(async () => {
    await settle(t);
    fake.answerWith(null);
    fake.calls.length = 0;
  });

  it('queues through a Cloud API outage (5xx, timeouts) and delivers all, in order per resident', async () => {
    let n = 0;
    const outage: GraphAnswer[] = [
      FakeGraphApi.error(1, 'An unknown error occurred', 500),
      'HANG',
      { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } },
      FakeGraphApi.error(131000, 'Something went wrong', 500),
    ];
    // A hang is an ambiguous outcome (the message may have gone out): it is retried once
    // and a second one parks the notification (test/faults/notifications.e2e-spec.ts), so
    // each resident meets at most one here; the other failures are plain ones.
    const hung = new Set<string>();
    fake.answerWith((call) => {
      const answer = outage[n++ % outage.length];
      if (answer !== 'HANG') return answer;
      if (hung.has(call.body?.to)) return outage[0];
      hung.add(call.body?.to);
      return answer;
    });

    const phones = ['919830020001', '919830020002', '919830020003', '919830020004'];
    for (const [i, wa] of phones.entries()) {
      const resident = await createResident(coordinator, ward, `Resident ${i}`, `+${wa}`);
      const request = await createRequest(coordinator, {
        residentId: resident,
        serviceTypeId: types.GARBAGE,
      });
      for (const note of ['first note', 'second note']) {
        const res = await coordinator(
          `mutation ($id: ID!, $text: String!) { addRequestNote(input: { requestId: $id, text: $text, toResident: true }) { errors { code } } }`,
          { id: request.id, text: `${note} ${i}` },
        );
        expect(res.data?.addRequestNote.errors).toEqual([]);
      }
    }
    // Down long enough that every resident's first message failed several times.
    const dispatcher = t.app.get(NotificationDispatcherService);
    await waitFor('several failed attempts per resident', async () => {
      await dispatcher.kick();
      const firsts = await Promise.all(phones.map(async (wa) => (await notificationsTo(wa))[0]));
      return firsts.every((row) => row.attempts >= 3);
    });
    expect(fake.accepted()).toHaveLength(0);
    for (const wa of phones) {
      const rows = await notificationsTo(wa);
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.status === 'QUEUED' || r.status === 'SENDING')).toBe(true);
      // The later messages wait behind the first: never tried while it is failing.
      expect(rows.slice(1).map((r) => r.attempts)).toEqual([0, 0]);
    }
    expect(fake.calls.some((c) => c.answered === 'HANG')).toBe(true);
    expect(fake.calls.some((c) => c.answered === 500)).toBe(true);

    fake.answerWith(null);
    await settle(t);
    for (const wa of phones) {
      const rows = await notificationsTo(wa);
      expect(rows.map((r) => r.status)).toEqual(['SENT', 'SENT', 'SENT']);
      // WhatsApp accepted each exactly once, in the order the messages were made.
      const accepted = fake.accepted().filter((c) => c.body.to === wa);
      expect(accepted.map((c) => c.wamid)).toEqual(rows.map((r) => r.provider_message_id));
      expect(accepted.map(said)).toEqual([
        '[template duare_request_received]',
        '[template duare_request_comment]',
        '[template duare_request_comment]',
      ]);
    }
  }, 120_000);

  it('handles one webhook delivered 10 times at once: one request, one reply', async () => {
    const wa = '919830020010';
    const at10 = async (payload: unknown) => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook(t, payload)));
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
      await settle(t);
    };
    await at10(messagesPayload([text(wa, 'hi')]));
    // Greeted once: a welcome and the menu, not ten of each.
    expect(fake.accepted().filter((c) => c.body.to === wa)).toHaveLength(2);
    await at10(messagesPayload([listReply(wa, 'svc:11')]));
    await at10(messagesPayload([text(wa, 'skip')]));
    const before = fake.accepted().filter((c) => c.body.to === wa).length;
    await at10(messagesPayload([buttonReply(wa, 'confirm:yes', 'Yes')]));
    const requests = await t.db.pool.query(
      `SELECT r.id FROM service_requests r JOIN residents p ON p.id = r.resident_id WHERE p.whatsapp_id = $1`,
      [wa],
    );
    expect(requests.rows).toHaveLength(1);
    const replies = fake
      .accepted()
      .filter((c) => c.body.to === wa)
      .slice(before);
    expect(replies).toHaveLength(1);
    expect(said(replies[0])).toMatch(/received your request|আবেদন/);
    expect(
      Number(
        (
          await t.db.pool.query(
            `SELECT count(*) AS n FROM whatsapp_messages WHERE wa_id = $1 AND direction = 'IN'`,
            [wa],
          )
        ).rows[0].n,
      ),
    ).toBe(4); // hi, the service, skip, yes: each once
  });

  it('applies statuses delivered in reverse order, each 10 times at once, ending on the latest', async () => {
    const resident = await createResident(coordinator, ward, 'Status Resident', '+919830020020');
    const request = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.GARBAGE,
    });
    await settle(t);
    const [{ provider_message_id: wamid }] = (
      await t.db.pool.query(
        `SELECT provider_message_id FROM notifications WHERE request_id = $1 AND channel = 'WHATSAPP'`,
        [request.id],
      )
    ).rows;
    expect(wamid).toMatch(/^wamid\./);
    const now = Math.floor(Date.now() / 1000);
    // Newest first, each as its own webhook, each delivered ten times concurrently.
    for (const [status, at] of [
      ['read', now + 20],
      ['delivered', now + 10],
      ['sent', now],
    ] as const) {
      const payload = statusPayload([{ id: wamid, status, timestamp: at }]);
      const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook(t, payload)));
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    }
    await settle(t);
    const { rows } = await t.db.pool.query(
      `SELECT status, delivered_at, read_at FROM notifications WHERE provider_message_id = $1`,
      [wamid],
    );
    expect(rows).toEqual([
      {
        status: 'READ',
        delivered_at: new Date((now + 10) * 1000),
        read_at: new Date((now + 20) * 1000),
      },
    ]);
    const inbox = await t.db.pool.query(
      `SELECT status, count(*)::int AS n FROM whatsapp_inbox
        WHERE payload::text LIKE '%' || $1 || '%' GROUP BY status`,
      [wamid],
    );
    expect(inbox.rows).toEqual([{ status: 'DONE', n: 30 }]);
  });
});
