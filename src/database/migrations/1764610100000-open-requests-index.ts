import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open requests per ward, with what "overdue" needs, in an index that holds only open
 * requests: the metrics scrape (and the daily digest) count them without reading closed ones.
 */
export class OpenRequestsIndex1764610100000 implements MigrationInterface {
  name = 'OpenRequestsIndex1764610100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_service_requests_open ON service_requests (ward_id)
         INCLUDE (sla_due_at, sla_paused_at) WHERE completed_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_service_requests_open`);
  }
}
