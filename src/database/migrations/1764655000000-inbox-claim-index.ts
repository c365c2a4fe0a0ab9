import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's pending rows by due time alone: no statement needs it any more (the claim walks
 * `ix_whatsapp_inbox_order_pending`, the counts read every pending row anyway), and with
 * statistics taken while nothing was pending the planner preferred it for the claim's
 * "oldest of this sender" subquery, then sorted every pending row for each row walked.
 */
export class InboxClaimIndex1764655000000 implements MigrationInterface {
  name = 'InboxClaimIndex1764655000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_whatsapp_inbox_pending`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_whatsapp_inbox_pending ON whatsapp_inbox (next_attempt_at) WHERE status = 'PENDING'`,
    );
  }
}
