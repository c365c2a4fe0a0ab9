import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWards1764320000000 implements MigrationInterface {
  name = 'CreateWards1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE municipalities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(16) NOT NULL,
        name_bn varchar(200) NOT NULL,
        name_en varchar(200) NOT NULL,
        district varchar(200) NOT NULL,
        state varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_municipalities_code UNIQUE (code)
      )`);
    await q.query(`CREATE TYPE councillor_status AS ENUM ('ELECTED', 'VACANT')`);
    await q.query(`
      CREATE TABLE wards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        number integer NOT NULL CHECK (number > 0),
        name_bn varchar(200) NOT NULL,
        name_en varchar(200) NOT NULL,
        councillor_status councillor_status NOT NULL DEFAULT 'ELECTED',
        councillor_status_since date,
        councillor_status_note text,
        population integer CHECK (population >= 0),
        helpline_whatsapp_number varchar(16),
        whatsapp_phone_number_id varchar(64),
        service_hours jsonb NOT NULL,
        active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_wards_municipality_number UNIQUE (municipality_id, number),
        CONSTRAINT uq_wards_whatsapp_phone_number_id UNIQUE (whatsapp_phone_number_id)
      )`);
    await q.query(
      `CREATE INDEX ix_wards_municipality_status ON wards (municipality_id, councillor_status, number)`,
    );
    await q.query(`
      CREATE TABLE ward_councillor_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ward_id uuid NOT NULL REFERENCES wards(id),
        status councillor_status NOT NULL,
        since date,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_ward_councillor_status_changes_ward ON ward_councillor_status_changes (ward_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ward_councillor_status_changes`);
    await q.query(`DROP TABLE wards`);
    await q.query(`DROP TYPE councillor_status`);
    await q.query(`DROP TABLE municipalities`);
  }
}
