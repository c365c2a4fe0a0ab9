import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Announcements to residents (sent through the notifications outbox, one row per resident
 * and announcement), the approved templates and messaging tier per municipality, residents'
 * announcement opt-outs and the replies residents send to an announcement.
 */
export class Announcements1764630000000 implements MigrationInterface {
  name = 'Announcements1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE announcement_settings (
        municipality_id uuid PRIMARY KEY REFERENCES municipalities(id),
        messaging_tier varchar(12) NOT NULL DEFAULT 'TIER_1K',
        templates jsonb NOT NULL DEFAULT '[]',
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE announcements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_ids uuid[] NOT NULL,
        whole_municipality boolean NOT NULL DEFAULT false,
        locality varchar(200),
        service_type_ids uuid[] NOT NULL DEFAULT '{}',
        text_bn text NOT NULL,
        text_en text NOT NULL,
        status varchar(20) NOT NULL,
        needs_approval boolean NOT NULL DEFAULT false,
        created_by_id uuid,
        created_by_name varchar(200) NOT NULL,
        approved_by_id uuid,
        approved_by_name varchar(200),
        approved_at timestamptz,
        send_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        cancelled_at timestamptz,
        paused_until timestamptz,
        paused_at timestamptz,
        pause_reason varchar(200),
        pauses int NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_announcements_municipality ON announcements (municipality_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_announcements_due ON announcements (status, send_at) WHERE status IN ('SCHEDULED', 'SENDING')`,
    );
    await q.query(`
      CREATE TABLE announcement_recipients (
        announcement_id uuid NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
        ward_id uuid NOT NULL,
        resident_id uuid NOT NULL,
        channel varchar(10) NOT NULL,
        language varchar(2) NOT NULL,
        notification_id uuid,
        released_at timestamptz,
        CONSTRAINT pk_announcement_recipients PRIMARY KEY (announcement_id, ward_id, resident_id)
      )`);
    await q.query(
      `CREATE INDEX ix_announcement_recipients_unreleased ON announcement_recipients (announcement_id) WHERE released_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ix_announcement_recipients_released ON announcement_recipients (ward_id, released_at) WHERE released_at IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_announcement_recipients_notification ON announcement_recipients (notification_id)`,
    );
    await q.query(`
      CREATE TABLE announcement_opt_outs (
        resident_id uuid PRIMARY KEY,
        municipality_id uuid NOT NULL,
        ward_id uuid NOT NULL,
        source varchar(20) NOT NULL,
        opted_out_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE announcement_replies (
        wamid varchar(128) PRIMARY KEY,
        announcement_id uuid NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
        ward_id uuid NOT NULL,
        resident_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_announcement_replies_announcement ON announcement_replies (announcement_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE announcement_replies`);
    await q.query(`DROP TABLE announcement_opt_outs`);
    await q.query(`DROP TABLE announcement_recipients`);
    await q.query(`DROP TABLE announcements`);
    await q.query(`DROP TABLE announcement_settings`);
  }
}
