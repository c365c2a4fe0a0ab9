import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The helpline inbox no longer lets one payload hold up another (issue 27):
 * - each stored payload names its sender and helpline, so a failing row delays only the later
 *   payloads of the same resident, and administrators see parked rows of their own helplines;
 * - statuses for messages we have not recorded as sent are kept aside and matched late;
 * - media look-ups are retried on their own, never inside the resident's conversation;
 * - senders known only by a business-scoped user id (up to 2 + 1 + 128 characters) fit
 *   wherever a WhatsApp id is kept;
 * - locations and reactions are kept on the message rows staff read.
 */
export class HelplineInboxIsolation1764430000000 implements MigrationInterface {
  name = 'HelplineInboxIsolation1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whatsapp_inbox
      ADD COLUMN sender varchar(160),
      ADD COLUMN helpline varchar(64),
      ADD COLUMN parked_at timestamptz`);
    await q.query(
      `CREATE INDEX ix_whatsapp_inbox_sender_pending ON whatsapp_inbox (sender, received_at, id)
         WHERE status = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX ix_whatsapp_inbox_parked ON whatsapp_inbox (helpline, received_at, id)
         WHERE status = 'PARKED'`,
    );
    await q.query(`
      CREATE TABLE whatsapp_unmatched_statuses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id varchar(128) NOT NULL,
        status varchar(12) NOT NULL,
        occurred_at timestamptz NOT NULL,
        error_code varchar(40),
        error_message text,
        received_at timestamptz NOT NULL DEFAULT now(),
        checks integer NOT NULL DEFAULT 0,
        next_check_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_whatsapp_unmatched_statuses UNIQUE (message_id, status)
      )`);
    await q.query(`
      CREATE TABLE whatsapp_media_fetches (
        media_id varchar(128) PRIMARY KEY,
        phone_number_id varchar(64) NOT NULL,
        wamid varchar(128) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        mime_type varchar(100),
        sha256 char(64),
        file_size integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX ix_whatsapp_media_fetches_due ON whatsapp_media_fetches (next_attempt_at)
         WHERE status = 'PENDING'`,
    );
    await q.query(
      `ALTER TABLE whatsapp_messages ADD COLUMN location jsonb, ADD COLUMN reaction jsonb`,
    );
    for (const [table, column] of [
      ['residents', 'whatsapp_id'],
      ['whatsapp_windows', 'wa_id'],
      ['conversations', 'wa_id'],
      ['whatsapp_messages', 'wa_id'],
      ['notifications', 'address'],
    ])
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE varchar(160)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whatsapp_messages DROP COLUMN location, DROP COLUMN reaction`);
    await q.query(`DROP TABLE whatsapp_media_fetches`);
    await q.query(`DROP TABLE whatsapp_unmatched_statuses`);
    await q.query(`DROP INDEX ix_whatsapp_inbox_parked`);
    await q.query(`DROP INDEX ix_whatsapp_inbox_sender_pending`);
    await q.query(
      `ALTER TABLE whatsapp_inbox DROP COLUMN sender, DROP COLUMN helpline, DROP COLUMN parked_at`,
    );
  }
}
