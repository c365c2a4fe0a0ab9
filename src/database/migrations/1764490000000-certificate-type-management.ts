import { MigrationInterface, QueryRunner } from 'typeorm';

/** Certificate types kept by administrators: the attributes their texts use, a fee, retirement. */
export class CertificateTypeManagement1764490000000 implements MigrationInterface {
  name = 'CertificateTypeManagement1764490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE certificate_types
        ADD COLUMN attribute_codes jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN fee_rupees int NOT NULL DEFAULT 0,
        ADD COLUMN retired_at timestamptz`);
    await q.query(`UPDATE certificate_types SET retired_at = updated_at WHERE NOT active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE certificate_types
        DROP COLUMN attribute_codes, DROP COLUMN fee_rupees, DROP COLUMN retired_at`);
  }
}
