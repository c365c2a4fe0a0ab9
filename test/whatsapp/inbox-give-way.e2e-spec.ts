import { WhatsAppInboxService } from '../../src/whatsapp/whatsapp-inbox.service';
import { settle } from '../support/background';
import { FakeGraphApi, said } from '../support/fake-graph-api';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import {
  helplineWard,
  messagesPayload,
  postWebhook,
  storePending,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/** The longest the bot waits for webhooks being stored before it takes a batch all the same. */
const GIVE_WAY_MAX_MS = 3000;
/** How long the slow webhook's INSERT takes: well past the bot's longest wait. */
const SLOW_INSERT_SECONDS = 9;

/**
 * Storing webhooks goes first (issue 25): a slow INSERT holds up no other webhook, and while
 * webhooks wait to be stored the bot waits before its next claim — but a flood only slows
 * the bot, it never stops it.
 */
describe('webhooks being stored: beside each other, and before the bot (e2e)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      WHATSAPP_INBOX_GIVE_WAY_AT: '1',
      WHATSAPP_INBOX_GIVE_WAY_MAX_MS: String(GIVE_WAY_MAX_MS),
    });
    await helplineWard(t);
    // An INSERT of the inbox that takes long: a webhook "being stored" for as long as needed.
    await t.db.pool.query(`
      CREATE FUNCTION test_slow_store() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.payload::text LIKE '%SLOW-STORE%' THEN PERFORM pg_sleep(${SLOW_INSERT_SECONDS}); END IF;
        RETURN NEW;
      END $$`);
    await t.db.pool.query(
      `CREATE TRIGGER test_slow_store BEFORE INSERT ON whatsapp_inbox
         FOR EACH ROW EXECUTE FUNCTION test_slow_store()`,
    );
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const storeGreeting = (wa: string) => storePending(t.db.pool, text(wa, 'হ্যালো'));

  /** Starts the bot on what is due and resolves with how long, by the database's clock, the
   *  row waited from then until its batch was claimed (`processed_at` is the claim's now()). */
  const secondsUntilHandled = async (id: string): Promise<number> => {
    const { rows } = await t.db.pool.query<{ at: Date }>(`SELECT clock_timestamp() AS at`);
    void t.app.get(WhatsAppInboxService).kick();
    const done = await waitFor('the greeting to be handled', async () => {
      const result = await t.db.pool.query<{ waited: number }>(
        `SELECT extract(epoch FROM processed_at - $2::timestamptz)::float8 AS waited
           FROM whatsapp_inbox WHERE id = $1 AND status = 'DONE'`,
        [id, rows[0].at],
      );
      return result.rows[0];
    });
    return done.waited;
  };

  const slowStillStoring = async (): Promise<boolean> => {
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event = 'PgSleep' AND query LIKE '%whatsapp_inbox%'`,
    );
    return rows.length > 0;
  };

  it('waits while a webhook is being stored, and for no longer than its limit', async () => {
    await settle(t);
    // Nothing being stored: the bot takes the greeting at once (well inside the limit).
    const quiet = await storeGreeting('919855500001');
    expect(await secondsUntilHandled(quiet)).toBeLessThan(GIVE_WAY_MAX_MS / 1000);

    // A webhook whose INSERT takes 9 s: the bot waits its limit, then answers all the same.
    const slow = postWebhook(t, messagesPayload([text('919855500002', 'SLOW-STORE')]));
    await waitFor('the slow webhook to be storing', slowStillStoring);
    // Another webhook meanwhile is stored by an INSERT of its own, not behind the slow one.
    const beside = await postWebhook(t, messagesPayload([text('919855500004', 'হ্যালো')]));
    expect(beside.status).toBe(200);
    expect(await slowStillStoring()).toBe(true);
    const waiting = await storeGreeting('919855500003');
    const waited = await secondsUntilHandled(waiting);
    expect(waited).toBeGreaterThanOrEqual((GIVE_WAY_MAX_MS - 100) / 1000);
    // Handled while the slow webhook was still being stored: a flood never stops the bot.
    expect(await slowStillStoring()).toBe(true);

    // The slow webhook is answered 200 once stored, and its message handled like any other.
    expect((await slow).status).toBe(200);
    await settle(t);
    const firstReply = (wa: string) =>
      fake
        .messages()
        .filter((call) => call.body.to === wa)
        .map(said)[0];
    expect(firstReply('919855500001')).toMatch(/^নমস্কার!/);
    expect(firstReply('919855500002')).toMatch(/^Hello!/); // it wrote in English letters
    expect(firstReply('919855500003')).toMatch(/^নমস্কার!/);
    expect(firstReply('919855500004')).toMatch(/^নমস্কার!/);
  }, 60_000);
});
