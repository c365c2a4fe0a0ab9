import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the scale benchmark showed missing (bench/results/scale-state.md):
 * - ward statistics counted deliveries by scanning every timeline entry of the deployment
 *   (13.5 million at state scale, 2.5 s a query); the delivery steps of a ward in a period
 *   are now an index range;
 * - the SLA sweep looked for running, unbreached requests past due by scanning every
 *   request each minute; those few are now an index of their own.
 */
export class StatisticsAndSweepIndexes1764420000000 implements MigrationInterface {
  name = 'StatisticsAndSweepIndexes1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_request_events_deliveries ON request_events (ward_id, occurred_at)
         INCLUDE (action, from_status)
         WHERE kind = 'STATUS_CHANGED' AND action IN ('DISPATCH', 'HAND_OVER')`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_sla_unbreached ON service_requests (sla_due_at)
         WHERE completed_at IS NULL AND sla_paused_at IS NULL AND sla_breached_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_service_requests_sla_unbreached`);
    await q.query(`DROP INDEX ix_request_events_deliveries`);
  }
}
