import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateServiceCatalogue1764350000000 implements MigrationInterface {
  name = 'CreateServiceCatalogue1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE service_category AS ENUM ('CERTIFICATE', 'SERVICE', 'COMPLAINT')`);
    await q.query(`
      CREATE TABLE service_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        code varchar(40) NOT NULL,
        category service_category NOT NULL,
        definition jsonb NOT NULL,
        definition_version integer NOT NULL DEFAULT 1,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_service_types_code UNIQUE (municipality_id, code)
      )`);
    await q.query(
      `CREATE INDEX ix_service_types_category ON service_types (municipality_id, category, code)`,
    );
    await q.query(`
      CREATE TABLE service_type_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        service_type_id uuid NOT NULL REFERENCES service_types(id),
        definition_version integer NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_service_type_versions UNIQUE (service_type_id, definition_version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_type_versions`);
    await q.query(`DROP TABLE service_types`);
    await q.query(`DROP TYPE service_category`);
  }
}
