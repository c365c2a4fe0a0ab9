import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The helpline as a help desk: canned replies (per municipality or ward) and the episodes
 * of a conversation handed to people — who has it, its labels, when it was opened, first
 * answered, read and closed (the response times of the statistics come from here).
 */
export class HelplineDesk1764631000000 implements MigrationInterface {
  name = 'HelplineDesk1764631000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE canned_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid REFERENCES wards(id),
        title varchar(80) NOT NULL,
        body_bn text NOT NULL,
        body_en text NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_canned_replies_title ON canned_replies
         (municipality_id, coalesce(ward_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(title))`,
    );
    await q.query(`
      CREATE TABLE helpline_episodes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        municipality_id uuid NOT NULL,
        ward_id uuid NOT NULL,
        assignee_id uuid REFERENCES staff_accounts(id),
        labels text[] NOT NULL DEFAULT '{}',
        opened_at timestamptz NOT NULL,
        first_response_at timestamptz,
        first_responder_id uuid,
        last_read_at timestamptz,
        escalated_at timestamptz,
        closed_at timestamptz,
        closed_by_id uuid,
        version int NOT NULL DEFAULT 1
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_helpline_episodes_open ON helpline_episodes (conversation_id) WHERE closed_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ix_helpline_episodes_ward ON helpline_episodes (ward_id, opened_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE helpline_episodes`);
    await q.query(`DROP TABLE canned_replies`);
  }
}
