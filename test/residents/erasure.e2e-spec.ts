import { StaffRole } from '../../src/common/access/staff-role';
import { settle } from '../support/background';
import { FakeGraphApi } from '../support/fake-graph-api';
import {
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createRequest, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  HELPLINE,
  helplineWard,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

const WA = '919812345678';
/** Everything personal about the resident, as it may have been copied anywhere. */
const PERSONAL = {
  phone: '9812345678',
  profileName: 'সালমা খাতুন',
  fullName: 'Salma Khatun',
  street: 'Netaji Subhas Road',
  holding: '47/3B',
  chat: 'গোপন কথা: আমার স্বামী অসুস্থ',
  staffReply: 'Salma, we will call you at 4 pm',
};

describe('erasing a resident reaches every copy (e2e: helpline, notifications, deliveries)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let agentId: string;
  let bsr: string;
  let types: Record<string, string>;

  const write = async (body: string) => {
    const res = await postWebhook(
      t,
      messagesPayload([text(WA, body)], { [WA]: PERSONAL.profileName }),
    );
    expect(res.status).toBe(200);
    await settle(t);
  };
  /** Tables (and how many rows) whose text holds any of the personal values. */
  const tablesHolding = async (values: string[]) => {
    const tables = (
      await t.db.pool.query(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      )
    ).rows.map((row) => row.table_name as string);
    const found: Record<string, number> = {};
    for (const table of tables) {
      const { rows } = await t.db.pool.query(
        `SELECT count(*)::int AS n FROM "${table}" x WHERE x::text ILIKE ANY ($1)`,
        [values.map((v) => `%${v}%`)],
      );
      if (rows[0].n > 0) found[table] = rows[0].n;
    }
    return found;
  };

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp(whatsappEnv(fake));
    const {
      municipality,
      ward,
      types: catalogue,
      coordinator: wardCoordinator,
    } = await helplineWard(t);
    bsr = municipality;
    types = catalogue;
    coordinator = wardCoordinator;
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    // A coordinator with a phone gets alerts that name the resident.
    await seedStaff(t, bsr, 'coord.phone', [{ role: StaffRole.WARD_COORDINATOR, wardId: ward }], {
      phone: '+91 70000 00555',
    });
    agentId = await seedStaff(t, bsr, 'agent.1', [{ role: StaffRole.FIELD_AGENT, wardId: ward }]);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('leaves no name, number, address or chat text anywhere, and nothing more is sent', async () => {
    // The resident writes to the helpline, asks for a person, and says something private.
    await write('নমস্কার');
    await write('help');
    await write(PERSONAL.chat);
    const residentId = (
      await t.db.pool.query(`SELECT id, version FROM residents WHERE whatsapp_id = $1`, [WA])
    ).rows[0].id as string;
    const sent = await coordinator(
      `mutation ($id: ID!, $text: String!) { sendMessageToResident(input: { residentId: $id, text: $text }) { errors { code } } }`,
      { id: residentId, text: PERSONAL.staffReply },
    );
    expect(sent.data?.sendMessageToResident.errors).toEqual([]);
    // The coordinator completes the record, and a certificate goes out to the door.
    const version = (
      await t.db.pool.query(`SELECT version FROM residents WHERE id = $1`, [residentId])
    ).rows[0].version;
    const updated = await coordinator(
      `mutation ($input: UpdateResidentInput!) { updateResident(input: $input) { errors { code field } } }`,
      {
        input: {
          id: residentId,
          version,
          fullName: PERSONAL.fullName,
          address: { houseNumber: PERSONAL.holding, street: PERSONAL.street, pinCode: '743411' },
        },
      },
    );
    expect(updated.data?.updateResident.errors).toEqual([]);
    let request: any = await createRequest(coordinator, {
      residentId,
      serviceTypeId: types.BIRTH_DEATH_COPY,
      attributes: { registration_number: 'BSR/B/2019/01234' },
    });
    for (const action of ['START_REVIEW', 'APPROVE', 'MARK_READY']) {
      request = (await step(coordinator, request, action)).data?.transitionRequest.request;
    }
    const scheduled = await coordinator(
      `mutation ($input: ScheduleDeliveryInput!) { scheduleDelivery(input: $input) { delivery { address } errors { code field } } }`,
      {
        input: {
          requestId: request.id,
          version: request.version,
          date: '2099-01-01',
          windowStart: '10:00',
          windowEnd: '12:00',
          agentId,
        },
      },
    );
    expect(scheduled.data?.scheduleDelivery.delivery.address).toMatchObject({
      street: PERSONAL.street,
    });
    // A message to the resident is still waiting for a retry when the erasure comes.
    const waiting = await t.db.pool.query(
      `UPDATE notifications SET status = 'QUEUED', next_attempt_at = now() + interval '1 hour'
        WHERE id = (SELECT id FROM notifications WHERE resident_id = $1 AND recipient_type = 'RESIDENT'
                     ORDER BY seq DESC LIMIT 1)
        RETURNING id`,
      [residentId],
    );
    expect(waiting.rows).toHaveLength(1);

    const values = Object.values(PERSONAL);
    const before = await tablesHolding(values);
    // The copies this test is about exist before the erasure.
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        'deliveries',
        'notifications',
        'residents',
        'whatsapp_inbox',
        'whatsapp_messages',
        'whatsapp_windows',
        'conversations',
      ]),
    );

    const erased = await admin(
      `mutation ($input: EraseResidentInput!) { eraseResident(input: $input) { resident { fullName erasedAt } errors { code } } }`,
      { input: { residentId, reason: 'the resident asked (DPDP Act, section 12)' } },
    );
    expect(erased.data?.eraseResident.resident.fullName).toBe('[erased]');

    expect(await tablesHolding(values)).toEqual({});
    const unsent = await t.db.pool.query(
      `SELECT status, error_code, address FROM notifications WHERE id = $1`,
      [waiting.rows[0].id],
    );
    expect(unsent.rows[0]).toEqual({ status: 'FAILED', error_code: 'ERASED', address: '' });
    // What is counted stays: the request, the delivery, the messages (without their text).
    const kept = await t.db.pool.query(
      `SELECT (SELECT count(*) FROM deliveries WHERE request_id = $1)::int AS deliveries,
              (SELECT count(*) FROM whatsapp_messages WHERE text IS NULL AND wa_id = 'erased')::int AS messages`,
      [request.id],
    );
    expect(kept.rows[0].deliveries).toBe(1);
    expect(kept.rows[0].messages).toBeGreaterThanOrEqual(4);

    // The number writing again starts afresh, as a stranger.
    const sentBefore = fake.messages().length;
    await write('hello');
    const residents = await t.db.pool.query(
      `SELECT full_name FROM residents WHERE whatsapp_id = $1`,
      [WA],
    );
    expect(residents.rows).toEqual([{ full_name: PERSONAL.profileName }]);
    expect(fake.messages().slice(sentBefore).length).toBeGreaterThan(0);
  });

  it('leaves the same number alone where it is another municipality’s resident', async () => {
    const number = '919811112222';
    const TAKI_HELPLINE = '106540352249999';
    const taki = await seedMunicipality(t, 'TKI', { nameBn: 'টাকি', nameEn: 'Taki' });
    const [takiWard] = await insertWards(t, taki, 1);
    await t.db.pool.query(`UPDATE wards SET whatsapp_phone_number_id = $2 WHERE id = $1`, [
      takiWard,
      TAKI_HELPLINE,
    ]);
    const say = async (helpline: string, body: string) => {
      const payload = messagesPayload([text(number, body)], { [number]: 'Rina' }, helpline);
      expect((await postWebhook(t, payload)).status).toBe(200);
      await settle(t);
    };
    await say(HELPLINE, 'বসিরহাটে বলা কথা');
    await say(TAKI_HELPLINE, 'টাকিতে বলা কথা');
    const residentOf = async (municipalityId: string) =>
      (
        await t.db.pool.query(
          `SELECT id FROM residents WHERE whatsapp_id = $1 AND municipality_id = $2`,
          [number, municipalityId],
        )
      ).rows[0]?.id as string | undefined;
    const basirhatResident = await residentOf(bsr);
    expect(basirhatResident).toBeDefined();
    expect(await residentOf(taki)).toBeDefined();

    const erased = await admin(
      `mutation ($input: EraseResidentInput!) { eraseResident(input: $input) { errors { code } } }`,
      { input: { residentId: basirhatResident, reason: 'asked' } },
    );
    expect(erased.data?.eraseResident.errors).toEqual([]);
    const traces = async (helpline: string) =>
      (
        await t.db.pool.query(
          `SELECT (SELECT count(*) FROM whatsapp_messages WHERE phone_number_id = $1 AND wa_id = $2)::int AS messages,
                  (SELECT count(*) FROM whatsapp_windows WHERE phone_number_id = $1 AND wa_id = $2)::int AS windows,
                  (SELECT count(*) FROM whatsapp_inbox
                    WHERE payload::text LIKE '%' || $1 || '%' AND payload::text LIKE '%' || $2 || '%')::int AS payloads`,
          [helpline, number],
        )
      ).rows[0];
    expect(await traces(HELPLINE)).toEqual({ messages: 0, windows: 0, payloads: 0 });
    const inTaki = await traces(TAKI_HELPLINE);
    expect(inTaki.messages).toBeGreaterThanOrEqual(1);
    expect(inTaki).toMatchObject({ windows: 1, payloads: 1 });
    expect(await residentOf(taki)).toBeDefined();
  });
});
