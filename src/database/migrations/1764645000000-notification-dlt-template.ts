import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The DLT template id an SMS names itself. An announcement's SMS uses the id saved with the
 * announcement settings, not a wording's: it had been carried in `template_name`, which the
 * SMS channel never read, so in production every announcement SMS failed as "no DLT template".
 */
export class NotificationDltTemplate1764645000000 implements MigrationInterface {
  name = 'NotificationDltTemplate1764645000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN dlt_template_id varchar(19)`);
    await q.query(
      `UPDATE notifications SET dlt_template_id = template_name, template_name = NULL
        WHERE template_key = 'announcement' AND channel = 'SMS' AND template_name ~ '^[0-9]{1,19}$'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE notifications SET template_name = dlt_template_id
        WHERE template_key = 'announcement' AND channel = 'SMS' AND dlt_template_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE notifications DROP COLUMN dlt_template_id`);
  }
}
