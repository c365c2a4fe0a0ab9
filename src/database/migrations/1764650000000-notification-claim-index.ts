import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher's claim takes due notifications in `seq` order. Without an index of the
 * pending rows alone it walked `uq_notifications_seq` from the oldest row, past every SENT
 * one kept for the retention period: 120,000 kept rows made each claim 156 ms of PostgreSQL
 * time, and under load the claims ran into the statement timeout (bench/README.md, round 4).
 */
export class NotificationClaimIndex1764650000000 implements MigrationInterface {
  name = 'NotificationClaimIndex1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_notifications_pending_seq ON notifications (seq)
        WHERE status IN ('QUEUED', 'SENDING')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_notifications_pending_seq`);
  }
}
