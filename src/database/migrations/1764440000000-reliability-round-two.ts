import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 30 (reliability round 2):
 * - `notifications.ambiguous_sends`: sends whose outcome was lost (a timeout, an unreadable
 *   answer); one such send is tried once more, a second parks the notification;
 * - indexes for the retention purge of finished notifications and webhook deliveries.
 */
export class ReliabilityRoundTwo1764440000000 implements MigrationInterface {
  name = 'ReliabilityRoundTwo1764440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN ambiguous_sends int NOT NULL DEFAULT 0`);
    await q.query(
      `CREATE INDEX ix_notifications_finished ON notifications (created_at)
         WHERE status IN ('SENT', 'DELIVERED', 'READ', 'FAILED')`,
    );
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_finished ON webhook_deliveries (created_at)
         WHERE status <> 'PENDING'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_webhook_deliveries_finished`);
    await q.query(`DROP INDEX ix_notifications_finished`);
    await q.query(`ALTER TABLE notifications DROP COLUMN ambiguous_sends`);
  }
}
