import { StaffRole } from '../../src/common/access/staff-role';
import { HandOverWatchService } from '../../src/whatsapp/conversation/hand-over-watch.service';
import { settle } from '../support/background';
import { FakeGraphApi, GraphCall, said } from '../support/fake-graph-api';
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
  inbound,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/**
 * Residents are served in the chat they write to, whichever ward they live in: a resident of
 * ward 6 (own helpline) or of ward 7 (no helpline, no coordinator) writing to ward 5's number
 * files in their own ward, hears everything from ward 5's number, and someone is told. Voice
 * notes put the conversation in front of staff; hand-over alerts say who and what.
 */
describe('the helpline across wards, voice notes and hand-over alerts (e2e)', () => {
  const WARD6_HELPLINE = '106540352240006';
  const WARD7_HELPLINE = '106540352240007';
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward5: string;
  let ward6: string;
  let ward7: string;
  let coordinator5: GraphQL;

  /** Writes to a helpline as one signed webhook; returns the calls the resident got. */
  const write = async (
    from: string,
    body: string | ReturnType<typeof inbound>,
    helpline = HELPLINE,
  ): Promise<GraphCall[]> => {
    const before = fake.messages().length;
    const message = typeof body === 'string' ? text(from, body) : body;
    const res = await postWebhook(t, messagesPayload([message], { [from]: 'অমল দাস' }, helpline));
    expect(res.status).toBe(200);
    await settle(t);
    return fake
      .messages()
      .slice(before)
      .filter((c) => c.body.to === from);
  };
  const fromHelpline = (call: GraphCall) => call.path.split('/').at(-2);
  const applyForIncome = async (wa: string) => {
    await write(wa, 'income certificate chai');
    await write(wa, 'ব্যাংকে লাগবে');
    await write(wa, '১ লাখ ২০ হাজার');
    return write(wa, 'হ্যাঁ');
  };
  const requestOf = async (wa: string) =>
    (
      await t.db.pool.query(
        `SELECT r.ward_id, r.tracking_number FROM service_requests r
           JOIN residents p ON p.id = r.resident_id WHERE p.whatsapp_id = $1`,
        [wa],
      )
    ).rows;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({ ...whatsappEnv(fake), NOTIFY_RETRY_BASE_MS: '20' });
    const bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5, ward6, ward7] = await insertWards(t, bsr, 7);
    for (const [ward, helpline] of [
      [ward5, HELPLINE],
      [ward6, WARD6_HELPLINE],
      [ward7, WARD7_HELPLINE],
    ])
      await t.db.pool.query(`UPDATE wards SET whatsapp_phone_number_id = $2 WHERE id = $1`, [
        ward,
        helpline,
      ]);
    await seedCatalogue(t, bsr);
    coordinator5 = await staffClient(t, bsr, 'coord.5', [
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
    await seedStaff(t, bsr, 'admin.phone', [{ role: StaffRole.MUNICIPAL_ADMIN }], {
      phone: '+91 70000 00999',
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('files a ward-6 resident’s request in ward 6 and answers in ward 5’s chat', async () => {
    const wa = '919811100006';
    await write(wa, 'নমস্কার', WARD6_HELPLINE); // registered in ward 6
    const fromNowOn = fake.messages().length;
    await write(wa, 'নমস্কার');
    const filed = await applyForIncome(wa);
    const [request] = await requestOf(wa);
    expect(request.ward_id).toBe(ward6);
    const acknowledgement = filed.find((c) => said(c).includes(request.tracking_number));
    expect(acknowledgement).toBeDefined();
    expect(fromHelpline(acknowledgement!)).toBe(HELPLINE);
    // Everything since they wrote to ward 5 came from ward 5's number: one chat.
    const since = fake
      .messages()
      .slice(fromNowOn)
      .filter((c) => c.body.to === wa);
    expect(since.length).toBeGreaterThan(3);
    expect(new Set(since.map(fromHelpline))).toEqual(new Set([HELPLINE]));
    // Ward 6's coordinator (the request's ward) is told of the new request.
    expect(
      fake
        .messages()
        .some(
          (c) =>
            c.body.to === '917000000666' &&
            JSON.stringify(c.body).includes(request.tracking_number),
        ),
    ).toBe(true);
  });

  it('serves a resident of a ward without helpline or coordinator, and tells the administrators', async () => {
    const wa = '919811100007';
    await write(wa, 'নমস্কার', WARD7_HELPLINE); // registered in ward 7 ...
    await t.db.pool.query(`UPDATE wards SET whatsapp_phone_number_id = NULL WHERE id = $1`, [
      ward7,
    ]); // ... which then loses its helpline
    await write(wa, 'নমস্কার');
    const filed = await applyForIncome(wa);
    const [request] = await requestOf(wa);
    expect(request.ward_id).toBe(ward7);
    const acknowledgement = filed.find((c) => said(c).includes(request.tracking_number));
    expect(acknowledgement && fromHelpline(acknowledgement)).toBe(HELPLINE);
    const { rows: channels } = await t.db.pool.query(
      `SELECT n.channel FROM notifications n JOIN service_requests r ON r.id = n.request_id
        WHERE r.tracking_number = $1 AND n.recipient_type = 'RESIDENT'`,
      [request.tracking_number],
    );
    expect(channels.map((r) => r.channel)).toEqual(['WHATSAPP']);
    // Nobody coordinates ward 7: the administrator is told (by SMS: the ward has no number).
    const { rows: alerts } = await t.db.pool.query(
      `SELECT n.channel, n.body FROM notifications n JOIN service_requests r ON r.id = n.request_id
        WHERE r.tracking_number = $1 AND n.template_key = 'staff_new_request'`,
      [request.tracking_number],
    );
    expect(alerts).toEqual([
      { channel: 'SMS', body: expect.stringContaining(request.tracking_number) },
    ]);
    const { rows: to } = await t.db.pool.query(
      `SELECT address FROM notifications WHERE template_key = 'staff_new_request' AND body LIKE $1`,
      [`%${request.tracking_number}%`],
    );
    expect(to).toEqual([{ address: '917000000999' }]);
  });

  it('puts a voice note in front of the coordinator until someone answers', async () => {
    const wa = '919811100055';
    await write(wa, 'নমস্কার');
    const [reply] = await write(
      wa,
      inbound(wa, 'audio', { audio: { id: 'voice-55', mime_type: 'audio/ogg; codecs=opus' } }),
    );
    expect(said(reply)).toContain('ভয়েস মেসেজটি সমন্বয়কারীর কাছে পৌঁছেছে');
    const alert = fake
      .messages()
      .find(
        (c) => c.body.to === '917000000555' && c.body.template?.name === 'duare_staff_voice_note',
      );
    expect(JSON.stringify(alert?.body)).toContain('+919811100055');
    const list = await coordinator5(
      `{ helplineConversations { edges { node { id attention attentionAt resident { id } } } } }`,
    );
    const flagged = list.data?.helplineConversations.edges
      .map((e: { node: unknown }) => e.node)
      .find((n: { attention: string | null }) => n.attention === 'VOICE_NOTE');
    expect(flagged?.attentionAt).toBeTruthy();
    // A second voice note does not alert again.
    await write(wa, inbound(wa, 'audio', { audio: { id: 'voice-56', mime_type: 'audio/ogg' } }));
    expect(
      fake
        .messages()
        .filter(
          (c) => c.body.to === '917000000555' && c.body.template?.name === 'duare_staff_voice_note',
        ),
    ).toHaveLength(1);
    const sent = await coordinator5(
      `mutation ($id: ID!) { sendMessageToResident(input: { residentId: $id, text: "শুনেছি, কাল সকালে যাচ্ছি।" }) { errors { code } } }`,
      { id: flagged.resident.id },
    );
    expect(sent.data?.sendMessageToResident.errors).toEqual([]);
    const { rows } = await t.db.pool.query(`SELECT attention FROM conversations WHERE id = $1`, [
      flagged.id,
    ]);
    expect(rows[0].attention).toBeNull();
  });

  it('alerts the coordinator of a hand-over with the number, the name and the last messages', async () => {
    const wa = '919811100056';
    await write(wa, 'আমাদের গলির জল তিন দিন ধরে আসছে না');
    await write(wa, 'কাউন্সিলরের সাথে কথা বলতে চাই');
    const alert = fake
      .messages()
      .filter(
        (c) => c.body.to === '917000000555' && c.body.template?.name === 'duare_staff_handover',
      )
      .at(-1);
    const body = JSON.stringify(alert?.body);
    expect(body).toContain('+919811100056');
    expect(body).toContain('অমল দাস');
    expect(body).toContain('আমাদের গলির জল তিন দিন ধরে আসছে না');
  });

  it('marks a message read when its answer goes out, and not while nobody has answered', async () => {
    const wa = '919811100057';
    const [answer] = await write(wa, text(wa, 'নমস্কার', 'wamid.READ.1'));
    expect(answer).toBeDefined();
    expect(fake.readReceipts()).toContain('wamid.READ.1');
    await write(wa, text(wa, 'please call me', 'wamid.READ.2'));
    const quiet = await write(wa, text(wa, 'আমি অপেক্ষা করছি', 'wamid.READ.3'));
    expect(quiet).toEqual([]);
    expect(fake.readReceipts()).toContain('wamid.READ.2');
    expect(fake.readReceipts()).not.toContain('wamid.READ.3');
    const receipt = fake.calls.find((c) => c.body?.message_id === 'wamid.READ.1');
    expect(receipt?.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.READ.1',
    });
  });

  describe('a hand-over nobody answers', () => {
    const handOver = async (wa: string, at: string) => {
      await write(wa, 'please call me');
      const { rows } = await t.db.pool.query(
        `UPDATE conversations SET handed_over_at = $2
          WHERE wa_id = $1 AND phone_number_id = $3 RETURNING id`,
        [wa, at, HELPLINE],
      );
      return rows[0].id as string;
    };
    const escalateAt = async (iso: string) => {
      const n = await t.app.get(HandOverWatchService).escalateDue(new Date(iso));
      await settle(t);
      return n;
    };
    const escalations = async (conversationId: string) =>
      (
        await t.db.pool.query(
          `SELECT n.address FROM notifications n JOIN domain_events e ON e.id = n.event_id
            WHERE n.template_key = 'staff_handover_unanswered' AND e.aggregate_id = $1`,
          [conversationId],
        )
      ).rows;

    beforeAll(async () => {
      await t.db.pool.query(
        `UPDATE wards SET service_hours = '{"days":["MON","TUE","WED","THU","FRI","SAT"],"opensAt":"09:00","closesAt":"20:00"}'
          WHERE id = $1`,
        [ward5],
      );
    });

    it('goes to the administrators after an hour of staffed time, once', async () => {
      // Wednesday 2 December 2026, noon in Basirhat.
      const id = await handOver('919811100071', '2026-12-02T06:30:00Z');
      expect(await escalateAt('2026-12-02T07:00:00Z')).toBe(0);
      expect(await escalateAt('2026-12-02T07:31:00Z')).toBe(1);
      expect(await escalations(id)).toEqual([{ address: '917000000999' }]);
      expect(await escalateAt('2026-12-02T09:00:00Z')).toBe(0);
      expect(await escalations(id)).toHaveLength(1);
    });

    it('counts a hand-over at 2 a.m. from the morning opening', async () => {
      const id = await handOver('919811100072', '2026-12-01T20:30:00Z');
      expect(await escalateAt('2026-12-01T23:00:00Z')).toBe(0);
      expect(await escalateAt('2026-12-02T04:00:00Z')).toBe(0); // 9:30 in the morning
      expect(await escalateAt('2026-12-02T04:31:00Z')).toBe(1); // 10:01
      expect(await escalations(id)).toHaveLength(1);
    });

    it('escalates the others when one cannot be, and logs why', async () => {
      const stuck = await handOver('919811100074', '2026-12-02T06:30:00Z');
      const fine = await handOver('919811100075', '2026-12-02T06:30:00Z');
      await t.db.pool.query(
        `CREATE FUNCTION refuse_escalation() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.escalated_at IS NOT NULL AND NEW.id = '${stuck}' THEN
             RAISE EXCEPTION 'escalation refused for the test';
           END IF;
           RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_escalation BEFORE UPDATE ON conversations
           FOR EACH ROW EXECUTE FUNCTION refuse_escalation();`,
      );
      try {
        expect(await escalateAt('2026-12-02T08:00:00Z')).toBe(1);
        expect(await escalations(fine)).toHaveLength(1);
        expect(await escalations(stuck)).toEqual([]);
        expect(t.logs.join('\n')).toContain('escalation refused for the test');
      } finally {
        await t.db.pool.query(
          `DROP TRIGGER refuse_escalation ON conversations; DROP FUNCTION refuse_escalation();`,
        );
      }
      // Once it can be written, the next poll escalates it.
      expect(await escalateAt('2026-12-02T08:01:00Z')).toBe(1);
      expect(await escalations(stuck)).toHaveLength(1);
    });

    it('is not escalated once a person has answered', async () => {
      const wa = '919811100073';
      const id = await handOver(wa, '2026-12-02T06:30:00Z');
      const { rows } = await t.db.pool.query(
        `SELECT resident_id FROM conversations WHERE id = $1`,
        [id],
      );
      const sent = await coordinator5(
        `mutation ($id: ID!) { sendMessageToResident(input: { residentId: $id, text: "বলুন, শুনছি।" }) { errors { code } } }`,
        { id: rows[0].resident_id },
      );
      expect(sent.data?.sendMessageToResident.errors).toEqual([]);
      await t.db.pool.query(
        `UPDATE whatsapp_messages SET sent_at = '2026-12-02T06:40:00Z' WHERE conversation_id = $1 AND author = 'STAFF'`,
        [id],
      );
      expect(await escalateAt('2026-12-02T09:00:00Z')).toBe(0);
      expect(await escalations(id)).toEqual([]);
    });
  });
});
