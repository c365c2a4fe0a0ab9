import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The helpline round: a conversation staff must look at (a voice note) or that nobody
 * answered after a hand-over (escalated), the message a
 * resident replied to, and the helpline a resident last wrote to (where they hear from us).
 */
export class HelplineAttention1764640000000 implements MigrationInterface {
  name = 'HelplineAttention1764640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE conversations
        ADD COLUMN attention varchar(20),
        ADD COLUMN attention_at timestamptz,
        ADD COLUMN escalated_at timestamptz;
      CREATE INDEX ix_conversations_handed_over ON conversations (handed_over_at)
        WHERE status = 'HUMAN' AND escalated_at IS NULL;
      CREATE INDEX ix_conversations_attention ON conversations (ward_id, attention_at)
        WHERE attention IS NOT NULL;
      ALTER TABLE whatsapp_messages ADD COLUMN context_wamid varchar(128);
      -- Rows of one transaction (a message and its replies) keep the order they were written.
      ALTER TABLE whatsapp_messages ALTER COLUMN created_at SET DEFAULT clock_timestamp();
      ALTER TABLE residents ADD COLUMN helpline_phone_number_id varchar(64);
      -- A sender's payloads are processed in WhatsApp's time order (the first message's
      -- timestamp, never later than receipt), not in arrival order.
      ALTER TABLE whatsapp_inbox ADD COLUMN order_at timestamptz NOT NULL DEFAULT now();
      UPDATE whatsapp_inbox SET order_at = received_at;
      DROP INDEX ix_whatsapp_inbox_sender_pending;
      CREATE INDEX ix_whatsapp_inbox_sender_pending ON whatsapp_inbox (sender, order_at, received_at, id)
        WHERE status = 'PENDING';
      CREATE INDEX ix_whatsapp_inbox_order_pending ON whatsapp_inbox (order_at, received_at, id)
        WHERE status = 'PENDING';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX ix_whatsapp_inbox_order_pending;
      DROP INDEX ix_whatsapp_inbox_sender_pending;
      CREATE INDEX ix_whatsapp_inbox_sender_pending ON whatsapp_inbox (sender, received_at, id)
        WHERE status = 'PENDING';
      ALTER TABLE whatsapp_inbox DROP COLUMN order_at;
      ALTER TABLE residents DROP COLUMN helpline_phone_number_id;
      ALTER TABLE whatsapp_messages ALTER COLUMN created_at SET DEFAULT now();
      ALTER TABLE whatsapp_messages DROP COLUMN context_wamid;
      DROP INDEX ix_conversations_handed_over;
      DROP INDEX ix_conversations_attention;
      ALTER TABLE conversations
        DROP COLUMN escalated_at, DROP COLUMN attention_at, DROP COLUMN attention;
    `);
  }
}
