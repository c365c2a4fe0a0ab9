import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which required document a file is, and the documents a coordinator waived (with why). */
export class RequestDocuments1764500000000 implements MigrationInterface {
  name = 'RequestDocuments1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE request_attachments ADD COLUMN document_code varchar(64)`);
    await q.query(`
      CREATE TABLE request_document_waivers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL,
        ward_id uuid NOT NULL,
        document_code varchar(64) NOT NULL,
        reason text NOT NULL,
        waived_by_id uuid,
        waived_by_name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_request_document_waivers UNIQUE (ward_id, request_id, document_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_document_waivers`);
    await q.query(`ALTER TABLE request_attachments DROP COLUMN document_code`);
  }
}
