import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files Duare keeps itself (residents' WhatsApp media, staff uploads): whose they are and
 * what they are; the bytes are in the file store under their SHA-256. Attachments and
 * helpline messages point at them once the bytes are here.
 */
export class StoredFiles1764435000000 implements MigrationInterface {
  name = 'StoredFiles1764435000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stored_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid NOT NULL,
        sha256 char(64) NOT NULL,
        mime_type varchar(100) NOT NULL,
        size_bytes integer NOT NULL,
        original_name varchar(255),
        source varchar(20) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_stored_files_sha256 ON stored_files (sha256)`);
    await q.query(
      `ALTER TABLE request_attachments ADD COLUMN file_id uuid REFERENCES stored_files(id)`,
    );
    await q.query(`ALTER TABLE whatsapp_media_fetches ADD COLUMN file_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whatsapp_media_fetches DROP COLUMN file_id`);
    await q.query(`ALTER TABLE request_attachments DROP COLUMN file_id`);
    await q.query(`DROP TABLE stored_files`);
  }
}
