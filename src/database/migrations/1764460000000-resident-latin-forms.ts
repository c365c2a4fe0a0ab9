import { MigrationInterface, QueryRunner } from 'typeorm';

/** The guardian's name and the address in Latin letters: what a certificate's English text prints. */
export class ResidentLatinForms1764460000000 implements MigrationInterface {
  name = 'ResidentLatinForms1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE residents
        ADD COLUMN guardian_name_en varchar(200),
        ADD COLUMN address_en varchar(500)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE residents DROP COLUMN guardian_name_en, DROP COLUMN address_en`);
  }
}
