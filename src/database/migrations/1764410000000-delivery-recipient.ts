import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a field agent needs at the door without reading the ward's requests or residents. */
export class DeliveryRecipient1764410000000 implements MigrationInterface {
  name = 'DeliveryRecipient1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries
        ADD COLUMN tracking_number varchar(32),
        ADD COLUMN recipient_name varchar(200),
        ADD COLUMN recipient_phone varchar(20)`);
    await q.query(`
      UPDATE deliveries d SET tracking_number = r.tracking_number
        FROM service_requests r WHERE r.id = d.request_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE deliveries
        DROP COLUMN tracking_number, DROP COLUMN recipient_name, DROP COLUMN recipient_phone`);
  }
}
