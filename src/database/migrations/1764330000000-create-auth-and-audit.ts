import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuthAndAudit1764330000000 implements MigrationInterface {
  name = 'CreateAuthAndAudit1764330000000';

  async up(q: QueryRunner): Promise<void> {
    // Lets grants point at (ward, municipality) pairs: a grant can never name another
    // municipality's ward, without the auth module reading the wards table.
    await q.query(
      `ALTER TABLE wards ADD CONSTRAINT uq_wards_id_municipality UNIQUE (id, municipality_id)`,
    );
    await q.query(
      `CREATE TYPE staff_role AS ENUM ('MUNICIPAL_ADMIN', 'SIGNATORY', 'WARD_COORDINATOR', 'FIELD_AGENT')`,
    );
    await q.query(`
      CREATE TABLE staff_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        username varchar(64) NOT NULL,
        phone varchar(16),
        display_name varchar(200) NOT NULL,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_staff_accounts_username UNIQUE (username),
        CONSTRAINT uq_staff_accounts_phone UNIQUE (phone)
      )`);
    await q.query(
      `CREATE INDEX ix_staff_accounts_municipality ON staff_accounts (municipality_id, username)`,
    );
    await q.query(`
      CREATE TABLE staff_role_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        role staff_role NOT NULL,
        ward_id uuid,
        CONSTRAINT fk_staff_role_grants_ward FOREIGN KEY (ward_id, municipality_id)
          REFERENCES wards (id, municipality_id),
        CONSTRAINT ck_staff_role_grants_ward_roles
          CHECK ((role IN ('WARD_COORDINATOR', 'FIELD_AGENT')) = (ward_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_staff_role_grants_ward ON staff_role_grants (account_id, role, ward_id) WHERE ward_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_staff_role_grants_municipality ON staff_role_grants (account_id, role) WHERE ward_id IS NULL`,
    );
    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES staff_accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_refreshed_at timestamptz,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(32),
        user_agent varchar(300)
      )`);
    await q.query(
      `CREATE INDEX ix_auth_sessions_live ON auth_sessions (account_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES auth_sessions(id),
        token_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_refresh_tokens_session ON refresh_tokens (session_id)`);
    await q.query(`
      CREATE TABLE sign_in_throttles (
        key char(64) PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
    await q.query(`
      CREATE TABLE api_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        name varchar(200) NOT NULL,
        scopes text[] NOT NULL,
        secret_hash char(64) NOT NULL,
        created_by uuid REFERENCES staff_accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX ix_api_clients_municipality ON api_clients (municipality_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE api_client_wards (
        api_client_id uuid NOT NULL REFERENCES api_clients(id) ON DELETE CASCADE,
        ward_id uuid NOT NULL,
        municipality_id uuid NOT NULL,
        PRIMARY KEY (api_client_id, ward_id),
        CONSTRAINT fk_api_client_wards_ward FOREIGN KEY (ward_id, municipality_id)
          REFERENCES wards (id, municipality_id)
      )`);

    await q.query(
      `CREATE TYPE audit_actor_type AS ENUM ('STAFF', 'API_CLIENT', 'RESIDENT', 'SYSTEM')`,
    );
    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Insertion order, for keyset pages that do not depend on clock ties.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_type audit_actor_type NOT NULL,
        actor_id uuid,
        actor_label varchar(200),
        action varchar(64) NOT NULL,
        entity_type varchar(64) NOT NULL,
        entity_id uuid,
        municipality_id uuid,
        ward_id uuid,
        changes jsonb NOT NULL DEFAULT '{}',
        request_id varchar(128)
      )`);
    await q.query(`ALTER TABLE audit_log ADD CONSTRAINT uq_audit_log_seq UNIQUE (seq)`);
    await q.query(`CREATE INDEX ix_audit_log_municipality ON audit_log (municipality_id, seq)`);
    await q.query(`CREATE INDEX ix_audit_log_ward ON audit_log (ward_id, seq)`);
    await q.query(`CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id, seq)`);
    await q.query(`CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, seq)`);
    // Append-only, enforced by the database itself: no UPDATE, DELETE or TRUNCATE.
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TYPE audit_actor_type`);
    await q.query(`DROP TABLE api_client_wards`);
    await q.query(`DROP TABLE api_clients`);
    await q.query(`DROP TABLE sign_in_throttles`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE auth_sessions`);
    await q.query(`DROP TABLE staff_role_grants`);
    await q.query(`DROP TABLE staff_accounts`);
    await q.query(`DROP TYPE staff_role`);
    await q.query(`ALTER TABLE wards DROP CONSTRAINT uq_wards_id_municipality`);
  }
}
