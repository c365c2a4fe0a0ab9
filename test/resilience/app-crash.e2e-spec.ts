import { StaffRole } from '../../src/common/access/staff-role';
import { AppProcess, killHard, startAppProcess } from '../support/app-process';
import { FakeGraphApi, said } from '../support/fake-graph-api';
import { as, insertWards, seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait';
import {
  buttonReply,
  image,
  listReply,
  makeHelpline,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/**
 * The real service (`node dist/src/main.js`) killed with SIGKILL at the worst moments and
 * started again on the same database: nothing stored is lost, nothing is done twice.
 * The kill lands in the window deterministically because the fake Graph API holds its
 * answer (the call is in flight) until the process is dead.
 */
describe('the app process killed (kill -9) and started again (e2e, real process)', () => {
  let fake: FakeGraphApi;
  let db: TestDatabase;
  let ward: string;
  let types: Record<string, string>;
  let running: AppProcess | undefined;

  const start = async (env: Record<string, string>) => {
    running = await startAppProcess({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '4',
      DEMO_DATA: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      SLA_SWEEP_SECONDS: '0',
      API_RATE_PER_MINUTE: '1000000',
      ...whatsappEnv(fake),
      NOTIFY_POLL_MS: '200',
      NOTIFY_RETRY_BASE_MS: '50',
      NOTIFY_RETRY_MAX_MS: '200',
      ...env,
    });
    return running;
  };
  const kill = async () => {
    if (running) await killHard(running);
    running = undefined;
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.pool.query(sql, params)).rows[0].n);
  /** Nothing left to do: the inbox is processed and no notification waits. */
  const settled = async () =>
    (await count(`SELECT count(*) AS n FROM whatsapp_inbox WHERE status = 'PENDING'`)) === 0 &&
    (await count(
      `SELECT count(*) AS n FROM notifications WHERE status IN ('QUEUED', 'SENDING')`,
    )) === 0;
  const acceptedTo = (wa: string) => fake.accepted().filter((c) => c.body.to === wa);

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    // Fixtures through an in-process app's trusted paths; the process under test comes after.
    const seed = await startTestApp();
    db = seed.db;
    const bsr = await seedMunicipality(seed, 'BSR');
    [ward] = await insertWards(seed, bsr, 1);
    await makeHelpline(db.pool, ward);
    types = await seedCatalogue(seed, bsr);
    await seedStaff(seed, bsr, 'coord.1', [{ role: StaffRole.WARD_COORDINATOR, wardId: ward }]);
    await seed.close({ keepDatabase: true });
  }, 60_000);
  afterAll(async () => {
    await kill();
    await db?.drop();
    await fake?.stop();
  }, 60_000);
  afterEach(() => kill());
  beforeEach(() => {
    fake.answerWith(null);
    fake.calls.length = 0;
  });

  it('sends each notification of a committed change exactly once when killed mid-send', async () => {
    // WhatsApp takes the calls and never answers while the first process lives.
    fake.answerWith((call) => (call.path.endsWith('/messages') ? 'HANG' : undefined));
    const claim = { WHATSAPP_TIMEOUT_MS: '5000', NOTIFY_CLAIM_SECONDS: '10' };
    const first = await start(claim);
    const coordinator = as(first, (await signIn(first, 'coord.1')).accessToken);
    const residents = 6;
    const requests: string[] = [];
    for (let i = 0; i < residents; i += 1) {
      const resident = await createResident(
        coordinator,
        ward,
        `Resident ${i}`,
        `+91 98300 1000${i}`,
      );
      // Committed and answered: its notification is now the service's promise to keep.
      requests.push(
        (await createRequest(coordinator, { residentId: resident, serviceTypeId: types.GARBAGE }))
          .id,
      );
    }
    const mine = `SELECT count(*) AS n FROM notifications WHERE request_id = ANY($1) AND channel = 'WHATSAPP'`;
    // Sends claimed and in flight (the fake holds each call open; the dispatcher waits on
    // its batch), the others committed and queued behind them. Usually one is in flight; on a
    // slow machine the first may have timed out and been claimed again with others.
    let inFlight = 0;
    await waitFor('a send to be in flight', async () => {
      inFlight = await count(`${mine} AND status = 'SENDING'`, [requests]);
      return inFlight >= 1 && fake.hangingCount === inFlight;
    });
    await kill();
    expect(await count(mine, [requests])).toBe(residents);
    expect(await count(`${mine} AND status = 'SENDING'`, [requests])).toBeGreaterThanOrEqual(1);
    expect(await count(`${mine} AND status IN ('SENDING', 'QUEUED')`, [requests])).toBe(residents);
    expect(fake.accepted()).toHaveLength(0);

    fake.answerWith(null);
    await start(claim);
    // The queued ones go at once; the dead process's claim runs out (NOTIFY_CLAIM_SECONDS)
    // and the new process takes that send over.
    await waitFor('the sends to be taken over', () => settled(), 90_000, 200);
    const { rows } = await db.pool.query(
      `SELECT id, status, provider_message_id FROM notifications
        WHERE request_id = ANY($1) AND channel = 'WHATSAPP'`,
      [requests],
    );
    expect(rows).toHaveLength(residents);
    expect(rows.map((r) => r.status)).toEqual(Array(residents).fill('SENT'));
    // Each accepted by WhatsApp exactly once, and recorded with the id WhatsApp gave it.
    const accepted = fake.accepted();
    expect(accepted).toHaveLength(residents);
    expect(accepted.map((c) => c.wamid).sort()).toEqual(
      rows.map((r) => r.provider_message_id).sort(),
    );
    expect(new Set(accepted.map((c) => c.body.to)).size).toBe(residents);
  }, 180_000);

  it('processes every acknowledged webhook once when killed before processing them', async () => {
    // Long enough that the held lock is still awaited when the kill comes.
    const held = { GRAPHQL_OPERATION_TIMEOUT_MS: '60000', NOTIFY_CLAIM_SECONDS: '60' };
    const first = await start(held);
    const a = '919800000100';
    const post = async (payload: unknown) =>
      expect((await postWebhook(first, payload)).status).toBe(200);
    await post(messagesPayload([text(a, 'হ্যালো')]));
    await post(messagesPayload([listReply(a, 'svc:11')]));
    await post(messagesPayload([text(a, 'skip')])); // the complaint's optional place
    await waitFor(
      'the helpline to answer',
      async () => (await settled()) && acceptedTo(a).length >= 5,
    );
    const beforeImage = acceptedTo(a).length;

    // The test holds the resident's conversation locked, so the inbox is mid-payload with
    // the photo (waiting for the lock) and every later payload waits, stored and unprocessed.
    const holder = await db.pool.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM conversations WHERE wa_id = $1 FOR UPDATE`, [a]);
    await post(messagesPayload([image(a, 'media-crash-1', 'আধার')]));
    await waitFor(
      'the inbox to wait for the held conversation',
      async () =>
        (await count(
          `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
            WHERE NOT l.granted AND s.datname = current_database()`,
        )) >= 1,
    );
    const confirm = messagesPayload([buttonReply(a, 'confirm:yes', 'হ্যাঁ')]);
    await post(confirm);
    const others = Array.from({ length: 8 }, (_, i) => `91980000020${i}`);
    const greetings = others.map((wa) => messagesPayload([text(wa, 'হ্যালো')]));
    await Promise.all(greetings.map(post));
    // WhatsApp delivers at least once: two payloads come again.
    await post(confirm);
    await post(greetings[0]);
    // Acknowledged (200) and stored, none processed: the image's row is mid-transaction.
    expect(await count(`SELECT count(*) AS n FROM whatsapp_inbox WHERE status = 'PENDING'`)).toBe(
      1 + 1 + 8 + 2,
    );
    expect(
      await count(`SELECT count(*) AS n FROM whatsapp_messages WHERE wa_id = ANY($1)`, [others]),
    ).toBe(0);
    await kill();
    await holder.query('ROLLBACK');
    holder.release();

    await start(held);
    await waitFor('the stored payloads to be processed and answered', () => settled(), 90_000, 200);
    expect(
      (await db.pool.query(`SELECT status, count(*)::int AS n FROM whatsapp_inbox GROUP BY status`))
        .rows,
    ).toEqual([{ status: 'DONE', n: 4 + 1 + 8 + 2 }]);
    for (const wa of others) {
      // One conversation, the message recorded once, greeted once (welcome and menu).
      const replies = acceptedTo(wa);
      expect({ wa, replies: replies.length }).toEqual({ wa, replies: 2 });
      expect(said(replies[0])).toMatch(/^নমস্কার!/);
      expect(replies[1].body.type).toBe('interactive');
      expect(
        await count(
          `SELECT count(*) AS n FROM whatsapp_messages WHERE wa_id = $1 AND direction = 'IN'`,
          [wa],
        ),
      ).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM conversations WHERE wa_id = $1`, [wa])).toBe(1);
    }
    // The photo kept once, the request made once, its acknowledgement sent once.
    const afterImage = acceptedTo(a).slice(beforeImage).map(said);
    expect(afterImage.filter((s) => s.startsWith('ফাইলটি পেয়েছি'))).toHaveLength(1);
    const made = await db.pool.query(
      `SELECT r.id, (SELECT count(*)::int FROM request_attachments x WHERE x.request_id = r.id) AS files
         FROM service_requests r JOIN residents p ON p.id = r.resident_id WHERE p.whatsapp_id = $1`,
      [a],
    );
    expect(made.rows).toEqual([{ id: expect.any(String), files: 1 }]);
    expect(
      await count(
        `SELECT count(*) AS n FROM notifications WHERE request_id = $1 AND template_key = 'request_received'`,
        [made.rows[0].id],
      ),
    ).toBe(1);
  }, 180_000);
});
