import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The DLT template id (TRAI's registry) of a municipality's wording: Indian operators drop an
 * SMS whose text does not match a template registered under the sender's entity.
 */
export class SmsDltTemplates1764610000000 implements MigrationInterface {
  name = 'SmsDltTemplates1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_templates ADD COLUMN dlt_template_id varchar(19)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_templates DROP COLUMN dlt_template_id`);
  }
}
