import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's pending rows by due time: no statement needs it (the dispatcher's claim walks
 * `ix_notifications_pending_seq`; the queue measure reads QUEUED and FAILED rows), and with
 * statistics taken while nothing was pending the planner preferred it for the claim, then
 * ran the "oldest of this recipient" subquery for every queued row and sorted them all: with
 * 15,000 queued after a burst at the helpline, 66 ms a claim of 32 instead of 0.4 ms, and
 * some claims ran into the statement timeout — the bot's replies stopped for seconds.
 */
export class NotificationDueIndex1764660000000 implements MigrationInterface {
  name = 'NotificationDueIndex1764660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_notifications_due`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_notifications_due ON notifications (next_attempt_at)
        WHERE status IN ('QUEUED', 'SENDING')`,
    );
  }
}
