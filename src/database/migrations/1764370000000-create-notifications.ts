import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1764370000000 implements MigrationInterface {
  name = 'CreateNotifications1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE notification_channel AS ENUM ('WHATSAPP', 'SMS', 'LOG')`);
    await q.query(
      `CREATE TYPE notification_status AS ENUM ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED')`,
    );
    await q.query(`
      CREATE TABLE notification_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        template_key varchar(60) NOT NULL,
        language varchar(2) NOT NULL,
        body text NOT NULL,
        whatsapp_template_name varchar(512) NOT NULL,
        whatsapp_template_params jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_notification_templates UNIQUE (municipality_id, template_key, language)
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid,
        event_id uuid REFERENCES domain_events(id),
        reply_to varchar(128),
        reply_index integer,
        content jsonb,
        template_key varchar(60) NOT NULL,
        request_id uuid,
        resident_id uuid,
        recipient_type varchar(10) NOT NULL,
        recipient_id uuid NOT NULL,
        channel notification_channel NOT NULL,
        address varchar(32) NOT NULL,
        sender varchar(64),
        language varchar(2) NOT NULL,
        body text NOT NULL,
        template_name varchar(512),
        template_params jsonb NOT NULL DEFAULT '[]',
        secret_values jsonb,
        critical boolean NOT NULL DEFAULT false,
        status notification_status NOT NULL DEFAULT 'QUEUED',
        sent_as varchar(10),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        provider_message_id varchar(128),
        error_code varchar(40),
        error_message text,
        sent_at timestamptz,
        delivered_at timestamptz,
        read_at timestamptz,
        failed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_notifications_seq UNIQUE (seq),
        CONSTRAINT uq_notifications_once UNIQUE (event_id, recipient_id, channel),
        CONSTRAINT uq_notifications_reply UNIQUE (reply_to, reply_index),
        CONSTRAINT uq_notifications_provider_message UNIQUE (provider_message_id)
      )`);
    // The dispatcher's two questions: what is due, and is anything older pending for the
    // same recipient (messages to one person leave in order).
    await q.query(
      `CREATE INDEX ix_notifications_due ON notifications (next_attempt_at) WHERE status IN ('QUEUED', 'SENDING')`,
    );
    await q.query(
      `CREATE INDEX ix_notifications_recipient_pending ON notifications (recipient_id, seq) WHERE status IN ('QUEUED', 'SENDING')`,
    );
    await q.query(`CREATE INDEX ix_notifications_request ON notifications (request_id, seq)`);
    await q.query(`CREATE INDEX ix_notifications_resident ON notifications (resident_id, seq)`);
    await q.query(`CREATE INDEX ix_notifications_ward ON notifications (ward_id, seq)`);
    await q.query(`
      CREATE TABLE notification_opt_outs (
        resident_id uuid PRIMARY KEY REFERENCES residents(id),
        opted_out_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE whatsapp_windows (
        phone_number_id varchar(64) NOT NULL,
        wa_id varchar(32) NOT NULL,
        last_inbound_at timestamptz NOT NULL,
        PRIMARY KEY (phone_number_id, wa_id)
      )`);
    await q.query(`
      CREATE TABLE whatsapp_inbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payload jsonb NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX ix_whatsapp_inbox_pending ON whatsapp_inbox (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await q.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        phone_number_id varchar(64) NOT NULL,
        wa_id varchar(32) NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid NOT NULL,
        resident_id uuid NOT NULL REFERENCES residents(id),
        language varchar(2) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'BOT',
        step varchar(20) NOT NULL DEFAULT 'IDLE',
        data jsonb NOT NULL DEFAULT '{}',
        last_inbound_at timestamptz,
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        handed_over_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_conversations_helpline_wa UNIQUE (phone_number_id, wa_id)
      )`);
    await q.query(
      `CREATE INDEX ix_conversations_ward ON conversations (ward_id, status, last_activity_at, id)`,
    );
    await q.query(`
      CREATE TABLE whatsapp_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        wamid varchar(128),
        direction varchar(3) NOT NULL,
        phone_number_id varchar(64) NOT NULL,
        wa_id varchar(32) NOT NULL,
        conversation_id uuid REFERENCES conversations(id),
        ward_id uuid,
        author varchar(10) NOT NULL,
        author_name varchar(200),
        type varchar(20) NOT NULL,
        text text,
        media jsonb,
        sent_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_whatsapp_messages_wamid UNIQUE (wamid)
      )`);
    await q.query(
      `CREATE INDEX ix_whatsapp_messages_conversation ON whatsapp_messages (conversation_id, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE whatsapp_messages`);
    await q.query(`DROP TABLE conversations`);
    await q.query(`DROP TABLE whatsapp_inbox`);
    await q.query(`DROP TABLE whatsapp_windows`);
    await q.query(`DROP TABLE notification_opt_outs`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE notification_templates`);
    await q.query(`DROP TYPE notification_status`);
    await q.query(`DROP TYPE notification_channel`);
  }
}
