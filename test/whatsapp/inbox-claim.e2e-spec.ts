import { INBOX_CLAIM_SQL } from '../../src/whatsapp/whatsapp-inbox.service';
import { analyzedPlan } from '../support/query-plans';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The inbox's claim when a burst arrives after a quiet spell (issue 25): the statistics, taken
 * while nothing was pending, say nothing is; 5,000 payloads are due. Its cost must follow the
 * rows it takes: as an anti-join it was planned to join every pending row to every other
 * (20,000 pending took two minutes a claim, and the bot stopped under the burst).
 */
describe('the inbox claim under a burst after a quiet spell (e2e)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const insert = (count: number, status: string, from: number) =>
      db.pool.query(
        `INSERT INTO whatsapp_inbox (payload, sender, helpline, order_at, next_attempt_at, status, processed_at)
         SELECT '{}'::jsonb, '9198' || lpad((n + $3)::text, 8, '0'), '106540352242922',
                now() - interval '1 hour' + n * interval '1 ms', now() - interval '1 minute',
                $2::text, CASE WHEN $2::text = 'DONE' THEN now() END
           FROM generate_series(1, $1::int) AS n`,
        [count, status, from],
      );
    await insert(20_000, 'DONE', 0);
    await db.pool.query('ANALYZE whatsapp_inbox');
    await insert(5_000, 'PENDING', 100_000);
    // The first sender writes again (a later payload), and a status-only payload has none.
    await db.pool.query(
      `INSERT INTO whatsapp_inbox (payload, sender, helpline, order_at, next_attempt_at)
       VALUES ('{}', '919800100001', '106540352242922', now() - interval '1 hour', now() - interval '1 minute'),
              ('{}', NULL, '106540352242922', now() - interval '2 hours', now() - interval '1 minute')`,
    );
  });
  afterAll(() => db.drop());

  it('takes the oldest due payload of each sender, in order, touching a few pages', async () => {
    const client = await db.pool.connect();
    try {
      const { buffers, rows } = await analyzedPlan(client, INBOX_CLAIM_SQL, [32]);
      expect(rows).toBe(32);
      expect(buffers).toBeLessThan(3_000);
    } finally {
      client.release();
    }
    const claimed = (
      await db.pool.query(
        INBOX_CLAIM_SQL.replace('SELECT i.id,', 'SELECT i.sender, i.order_at, i.id,'),
        [10_000],
      )
    ).rows;
    // Every sender once (the first sender's later payload waits), the sender-less one first.
    expect(claimed).toHaveLength(5_001);
    expect(claimed[0].sender).toBeNull();
    expect(new Set(claimed.map((row) => row.sender)).size).toBe(5_001);
    const order = claimed.map((row) => row.order_at.getTime());
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
