import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateResidents1764340000000 implements MigrationInterface {
  name = 'CreateResidents1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE TYPE resident_language AS ENUM ('BN', 'EN')`);
    await q.query(`CREATE TYPE resident_verification AS ENUM ('UNVERIFIED', 'VERIFIED')`);
    await q.query(`CREATE TYPE guardian_relation AS ENUM ('FATHER', 'HUSBAND', 'MOTHER')`);
    await q.query(
      `CREATE TYPE intake_channel AS ENUM ('WHATSAPP', 'PHONE_CALL', 'WALK_IN', 'API', 'IMPORT')`,
    );
    await q.query(`
      CREATE TABLE residents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid NOT NULL,
        full_name varchar(200) NOT NULL,
        alt_name varchar(200),
        guardian_name varchar(200),
        guardian_relation guardian_relation,
        phone varchar(16),
        whatsapp_id varchar(32),
        house_number varchar(50),
        locality varchar(200),
        street varchar(200),
        landmark varchar(200),
        post_office varchar(200),
        pin_code char(6) CHECK (pin_code ~ '^[1-9][0-9]{5}$'),
        preferred_language resident_language NOT NULL DEFAULT 'BN',
        date_of_birth date,
        verification resident_verification NOT NULL DEFAULT 'UNVERIFIED',
        verified_by uuid,
        verified_at timestamptz,
        consent_at timestamptz,
        consent_channel intake_channel,
        consent_purpose_version varchar(32),
        created_channel intake_channel NOT NULL,
        name_key text NOT NULL DEFAULT '',
        dedupe_key char(64),
        import_id uuid,
        erased_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_residents_ward FOREIGN KEY (ward_id, municipality_id)
          REFERENCES wards (id, municipality_id),
        CONSTRAINT uq_residents_phone UNIQUE (municipality_id, phone),
        CONSTRAINT uq_residents_dedupe_key UNIQUE (municipality_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX ix_residents_ward_created ON residents (ward_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_residents_holding ON residents (municipality_id, house_number)`);
    await q.query(`CREATE INDEX ix_residents_whatsapp ON residents (municipality_id, whatsapp_id)`);
    await q.query(
      `CREATE INDEX ix_residents_name_key ON residents USING gin (name_key gin_trgm_ops)`,
    );
    await q.query(`
      CREATE TABLE resident_ward_moves (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resident_id uuid NOT NULL REFERENCES residents(id),
        from_ward_id uuid NOT NULL,
        to_ward_id uuid NOT NULL,
        reason text,
        moved_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_resident_ward_moves_resident ON resident_ward_moves (resident_id, moved_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resident_ward_moves`);
    await q.query(`DROP TABLE residents`);
    await q.query(`DROP TYPE intake_channel`);
    await q.query(`DROP TYPE guardian_relation`);
    await q.query(`DROP TYPE resident_verification`);
    await q.query(`DROP TYPE resident_language`);
  }
}
