/**
 * Fault injection, the notification dispatcher (issue 30 items 2 and 9, issue 27 item 5):
 * outcomes that cannot be recorded as they are, claims that run out, the 24-hour window
 * closing (131047), `Retry-After`, and answers that are lost. A fake Graph API on 127.0.0.1.
 * After each fault the other residents' messages go out, nothing is sent beyond the bound
 * (or the documented single ambiguous retry), and the cause is recorded and logged.
 */
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { DataSource } from 'typeorm';
import { FakeGraphApi, GraphCall } from '../support/fake-graph-api';
import { GraphQL } from '../support/fixtures';
import { createRequest, createResident } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import {
  HELPLINE,
  helplineWard,
  postWebhook,
  statusPayload,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

describe('faults: notifications', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward: string;
  let types: Record<string, string>;
  let coordinator: GraphQL;
  let phones = 0;

  const COORDINATOR_WA = '917000000555';
  const callsTo = (wa: string): GraphCall[] => fake.messages().filter((c) => c.body?.to === wa);
  const resident = async () => {
    phones += 1;
    const wa = `9198300${String(30000 + phones)}`;
    const id = await createResident(coordinator, ward, `Resident ${phones}`, `+${wa}`);
    return { id, wa };
  };
  const request = (residentId: string) =>
    createRequest(coordinator, { residentId, serviceTypeId: types.GARBAGE });
  const rowsTo = async (wa: string) =>
    (
      await t.db.pool.query(
        `SELECT id, status, attempts, error_code, error_message, provider_message_id, sent_as,
                ambiguous_sends, template_key
           FROM notifications WHERE address = $1 ORDER BY seq`,
        [wa],
      )
    ).rows;
  const openWindow = (wa: string) =>
    t.db.pool.query(
      `INSERT INTO whatsapp_windows (phone_number_id, wa_id, last_inbound_at) VALUES ($1, $2, now())
       ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET last_inbound_at = now()`,
      [HELPLINE, wa],
    );
  const settled = (wa: string) =>
    waitFor(`the notifications to ${wa} to settle`, async () => {
      const rows = await rowsTo(wa);
      return rows.length > 0 && rows.every((r) => !['QUEUED', 'SENDING'].includes(r.status));
    });

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      WHATSAPP_TIMEOUT_MS: '400',
      NOTIFY_CLAIM_SECONDS: '1',
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '3',
      // The dispatcher runs by itself (NOTIFY and a short poll); the tests only watch.
      NOTIFY_POLL_MS: '100',
    });
    ({ ward, types, coordinator } = await helplineWard(t));
    await t.db.pool.query(`UPDATE staff_accounts SET phone = $1 WHERE username = 'coord.1'`, [
      `+${COORDINATOR_WA}`,
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });
  beforeEach(() => {
    fake.answerWith(null);
  });

  it('item 2: NUL in an error text and an over-long error code are recorded, not fatal', async () => {
    const a = await resident();
    const b = await resident();
    fake.answerWith((call) =>
      call.body?.to === a.wa
        ? {
            status: 500,
            body: { error: { message: 'bad\u0000byte \ud800 here', code: 'E'.repeat(300) } },
          }
        : undefined,
    );
    await request(a.id);
    await request(b.id);
    await settled(a.wa);
    await settled(b.wa);
    const [row] = await rowsTo(a.wa);
    // 5xx: retried up to NOTIFY_MAX_ATTEMPTS, then FAILED with the (cleaned) cause.
    expect(row).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(row.error_code).toHaveLength(40);
    expect(row.error_message).toBe('badbyte \ufffd here');
    expect(callsTo(a.wa)).toHaveLength(3);
    expect((await rowsTo(b.wa))[0].status).toBe('SENT');
  });

  it('item 2: a provider message id another notification has is recorded SENT once, never re-sent', async () => {
    const a = await resident();
    const b = await resident();
    await request(a.id);
    await settled(a.wa);
    const [first] = await rowsTo(a.wa);
    fake.answerWith((call) =>
      call.body?.to === b.wa
        ? {
            status: 200,
            body: { messaging_product: 'whatsapp', messages: [{ id: first.provider_message_id }] },
          }
        : undefined,
    );
    await request(b.id);
    await settled(b.wa);
    const [row] = await rowsTo(b.wa);
    expect(row).toMatchObject({
      status: 'SENT',
      attempts: 1,
      error_code: 'DUPLICATE_PROVIDER_ID',
      provider_message_id: null,
    });
    expect(callsTo(b.wa)).toHaveLength(1);
    expect(t.logs.join('')).toContain('already has');
  });

  it('item 2: an outcome that cannot be recorded at all is bounded by the attempts, then parked; the resident’s next message goes', async () => {
    const a = await resident();
    const other = await resident();
    await request(a.id);
    await settled(a.wa);
    const before = callsTo(a.wa).length;
    // The fault: every write of an outcome for this resident's next notification fails.
    await t.db.pool.query(`
      CREATE OR REPLACE FUNCTION fault_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'SENDING' AND NEW.status <> 'SENDING' AND NEW.error_code IS DISTINCT FROM 'CLAIM_EXPIRED'
           AND OLD.address = '${a.wa}' AND OLD.template_key = 'request_received'
           AND OLD.seq = (SELECT max(seq) FROM notifications WHERE address = '${a.wa}'
                           AND template_key = 'request_received') THEN
          RAISE EXCEPTION 'injected: cannot store this outcome';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fault_outcome BEFORE UPDATE ON notifications
        FOR EACH ROW EXECUTE FUNCTION fault_outcome();`);
    try {
      await request(a.id);
      await request(other.id);
      await settled(other.wa);
      await waitFor('the stuck notification to be parked', async () => {
        const rows = await rowsTo(a.wa);
        return rows.at(-1)?.status === 'FAILED' ? rows.at(-1) : null;
      });
    } finally {
      await t.db.pool.query(
        `DROP TRIGGER fault_outcome ON notifications; DROP FUNCTION fault_outcome()`,
      );
    }
    const rows = await rowsTo(a.wa);
    expect(rows.at(-1)).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      error_code: 'CLAIM_EXPIRED',
    });
    expect(rows.at(-1)!.error_message).toMatch(
      /parked after 3 attempts without a recorded outcome/,
    );
    // Sent exactly NOTIFY_MAX_ATTEMPTS times (each outcome lost), never more.
    expect(callsTo(a.wa).length - before).toBe(3);
    expect(t.logs.join('')).toContain('could not record a send');
    expect(t.logs.join('')).toContain('notification parked');
    // The resident is not stuck behind it.
    await request(a.id);
    await settled(a.wa);
    expect((await rowsTo(a.wa)).at(-1)!.status).toBe('SENT');
  }, 40_000);

  it('issue 27 item 5: a free-form text failed with 131047 goes again as the template, once', async () => {
    const a = await resident();
    await openWindow(a.wa);
    await request(a.id);
    await settled(a.wa);
    const [sent] = await rowsTo(a.wa);
    expect(sent.sent_as).toBe('TEXT');
    await t.db.pool.query(`DELETE FROM whatsapp_windows WHERE wa_id = $1`, [a.wa]);
    // Three copies of the status in one payload. (Copies in later payloads, after the
    // template replaced the message id, are "unmatched" statuses: the inbox's business.)
    const copy = { id: sent.provider_message_id, status: 'failed' as const, errorCode: 131047 };
    expect((await postWebhook(t, statusPayload([copy, copy, copy]))).status).toBe(200);
    await waitFor('the template', async () => (await rowsTo(a.wa))[0].sent_as === 'TEMPLATE');
    await settled(a.wa);
    await t.app.get(NotificationDispatcherService).kick();
    expect(callsTo(a.wa).map((c) => c.body.type)).toEqual(['text', 'template']);
  });

  it('issue 27 item 5: without a template, a 131047 never sends the text again: FAILED with the reason, coordinators told', async () => {
    const a = await resident();
    await openWindow(a.wa);
    await request(a.id);
    await settled(a.wa);
    const [sent] = await rowsTo(a.wa);
    await t.db.pool.query(`UPDATE notifications SET template_name = NULL WHERE id = $1`, [sent.id]);
    await t.db.pool.query(`DELETE FROM whatsapp_windows WHERE wa_id = $1`, [a.wa]);
    const failed = statusPayload([
      { id: sent.provider_message_id, status: 'failed', errorCode: 131047 },
    ]);
    for (let i = 0; i < 3; i += 1) expect((await postWebhook(t, failed)).status).toBe(200);
    await waitFor('the failure', async () => (await rowsTo(a.wa))[0].status === 'FAILED');
    const [row] = await rowsTo(a.wa);
    expect(row.error_code).toBe('131047');
    expect(row.error_message).toMatch(/no approved template: not sent again/);
    await waitFor('the coordinators’ alert', async () =>
      callsTo(COORDINATOR_WA).some(
        (c) => c.body.template?.name === 'duare_staff_message_undelivered',
      ),
    );
    // One alert for three copies of the status; the text went once.
    const alerts = (await rowsTo(COORDINATOR_WA)).filter(
      (r) => r.template_key === 'staff_message_undelivered',
    );
    expect(alerts).toHaveLength(1);
    expect(callsTo(a.wa).map((c) => c.body.type)).toEqual(['text']);
    expect(t.logs.join('')).toContain('24-hour window closed');
  });

  it('issue 27 item 5: a message with no template is not sent into a closed window at all', async () => {
    const a = await resident();
    // Queued while the window is closed.
    await request(a.id);
    await settled(a.wa);
    const rows = await rowsTo(a.wa);
    // request_received has its template: it goes as the template, never as text.
    expect(rows[0]).toMatchObject({ status: 'SENT', sent_as: 'TEMPLATE' });
    expect(callsTo(a.wa).map((c) => c.body.type)).toEqual(['template']);
    // The same kind of message without a template, queued straight into a closed window.
    await t.db.pool.query(
      `INSERT INTO notifications (municipality_id, ward_id, template_key, resident_id, recipient_type,
              recipient_id, channel, address, sender, language, body)
       SELECT municipality_id, ward_id, 'request_comment', resident_id, 'RESIDENT', recipient_id,
              channel, address, sender, language, 'free text'
         FROM notifications WHERE id = $1`,
      [rows[0].id],
    );
    await t.db.pool.query(`SELECT pg_notify('duare_notifications', '')`);
    await settled(a.wa);
    const last = (await rowsTo(a.wa)).at(-1)!;
    expect(last).toMatchObject({ status: 'FAILED', error_code: '131047', attempts: 1 });
    expect(last.error_message).toMatch(/window is closed.*no approved template: not sent/);
    expect(callsTo(a.wa)).toHaveLength(1);
  });

  it('item 9: Retry-After on a 429 is honoured', async () => {
    const a = await resident();
    let first = true;
    fake.answerWith((call) => {
      if (call.body?.to !== a.wa || !first) return undefined;
      first = false;
      return {
        status: 429,
        headers: { 'retry-after': '2' },
        body: { error: { message: '(#130429) Rate limit hit', code: 130429 } },
      };
    });
    await request(a.id);
    await settled(a.wa);
    const calls = callsTo(a.wa);
    expect(calls).toHaveLength(2);
    // The backoff alone would have been under 100 ms.
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1900);
  });

  it('item 9: a lost answer is retried once and counted; lost twice, it is parked, not sent a third time', async () => {
    const once = await resident();
    const twice = await resident();
    const lost = new Map([
      [once.wa, 1],
      [twice.wa, 5],
    ]);
    fake.answerWith((call) => {
      const left = lost.get(call.body?.to) ?? 0;
      if (left <= 0) return undefined;
      lost.set(call.body.to, left - 1);
      // Alternately a hang (timeout) and an unreadable 200.
      return left % 2 ? 'HANG' : { status: 200, body: null, raw: '<html>oops' };
    });
    await request(once.id);
    await request(twice.id);
    await settled(once.wa);
    await settled(twice.wa);
    expect((await rowsTo(once.wa))[0]).toMatchObject({ status: 'SENT', ambiguous_sends: 1 });
    expect(callsTo(once.wa)).toHaveLength(2);
    const [parked] = await rowsTo(twice.wa);
    expect(parked).toMatchObject({ status: 'FAILED', ambiguous_sends: 2 });
    expect(parked.error_message).toMatch(/answer was lost twice/);
    expect(callsTo(twice.wa)).toHaveLength(2);
    expect(t.logs.join('')).toContain('outcome is unknown');
  });

  it('item 5: with every connection of the main pool taken, the dispatcher still sends (its own pool)', async () => {
    const a = await resident();
    await request(a.id);
    await settled(a.wa);
    const [first] = await rowsTo(a.wa);
    // API traffic holds the whole main pool (DATABASE_POOL_SIZE 4 in tests).
    const main = t.app.get(DataSource);
    const held = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const runner = main.createQueryRunner();
        await runner.connect();
        await runner.query('SELECT 1');
        return runner;
      }),
    );
    try {
      await t.db.pool.query(
        `INSERT INTO notifications (municipality_id, ward_id, template_key, resident_id, recipient_type,
                recipient_id, channel, address, sender, language, body, template_name, template_params)
         SELECT municipality_id, ward_id, template_key, resident_id, recipient_type, recipient_id,
                channel, address, sender, language, body, template_name, template_params
           FROM notifications WHERE id = $1`,
        [first.id],
      );
      await t.db.pool.query(`SELECT pg_notify('duare_notifications', '')`);
      await waitFor('the send while the main pool is exhausted', async () => {
        const rows = await rowsTo(a.wa);
        return rows.length === 2 && rows[1].status === 'SENT';
      });
    } finally {
      await Promise.all(held.map((runner) => runner.release()));
    }
  });
});
