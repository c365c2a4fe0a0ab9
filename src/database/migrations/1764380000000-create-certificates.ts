import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCertificates1764380000000 implements MigrationInterface {
  name = 'CreateCertificates1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE certificate_types (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        code varchar(10) NOT NULL,
        name_bn varchar(200) NOT NULL,
        name_en varchar(200) NOT NULL,
        signer_role varchar(20) NOT NULL,
        validity_days integer,
        template_bn text NOT NULL,
        template_en text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_certificate_types_code UNIQUE (municipality_id, code)
      )`);
    await q.query(`
      CREATE TABLE certificate_counters (
        municipality_id uuid NOT NULL,
        type_code varchar(10) NOT NULL,
        financial_year varchar(7) NOT NULL,
        last_number integer NOT NULL,
        PRIMARY KEY (municipality_id, type_code, financial_year)
      )`);
    await q.query(`
      CREATE TABLE certificate_signing_keys (
        key_id varchar(64) PRIMARY KEY,
        public_key text NOT NULL,
        demo_private_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE certificates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid NOT NULL,
        request_id uuid NOT NULL,
        type_code varchar(10) NOT NULL,
        number varchar(40) NOT NULL,
        verification_code varchar(12) NOT NULL,
        holder jsonb NOT NULL,
        content jsonb NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'ISSUED',
        issued_at timestamptz NOT NULL,
        valid_until date,
        signer_id uuid,
        signer_name varchar(200) NOT NULL,
        signer_role varchar(20) NOT NULL,
        key_id varchar(64) NOT NULL REFERENCES certificate_signing_keys(key_id),
        signature text NOT NULL,
        supersedes_id uuid REFERENCES certificates(id),
        superseded_by_id uuid REFERENCES certificates(id),
        revoked_at timestamptz,
        revoke_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_certificates_number UNIQUE (municipality_id, number)
      )`);
    await q.query(`CREATE INDEX ix_certificates_ward ON certificates (ward_id, issued_at, id)`);
    await q.query(`CREATE INDEX ix_certificates_request ON certificates (request_id)`);
    await q.query(`CREATE INDEX ix_certificates_number ON certificates (number)`);
    await q.query(`
      CREATE TABLE rate_limit_windows (
        key varchar(100) NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_windows`);
    await q.query(`DROP TABLE certificates`);
    await q.query(`DROP TABLE certificate_signing_keys`);
    await q.query(`DROP TABLE certificate_counters`);
    await q.query(`DROP TABLE certificate_types`);
  }
}
