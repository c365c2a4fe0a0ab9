import { MigrationInterface, QueryRunner } from 'typeorm';

/** A delivery is ON_THE_WAY once its agent sets out; it is still the request's one under way. */
export class DeliveryTrip1764480000000 implements MigrationInterface {
  name = 'DeliveryTrip1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_deliveries_active`);
    await q.query(
      `CREATE UNIQUE INDEX uq_deliveries_active ON deliveries (request_id) WHERE status IN ('SCHEDULED', 'ON_THE_WAY', 'LOCKED')`,
    );
    // Deliveries scheduled before this change had their trip (and code) at scheduling.
    await q.query(`UPDATE deliveries SET status = 'ON_THE_WAY' WHERE status = 'SCHEDULED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE deliveries SET status = 'SCHEDULED' WHERE status = 'ON_THE_WAY'`);
    await q.query(`DROP INDEX uq_deliveries_active`);
    await q.query(
      `CREATE UNIQUE INDEX uq_deliveries_active ON deliveries (request_id) WHERE status IN ('SCHEDULED', 'LOCKED')`,
    );
  }
}
