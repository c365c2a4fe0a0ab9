import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRequests1764360000000 implements MigrationInterface {
  name = 'CreateRequests1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE domain_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        position bigserial NOT NULL,
        type varchar(60) NOT NULL,
        aggregate_type varchar(40) NOT NULL,
        aggregate_id uuid NOT NULL,
        municipality_id uuid NOT NULL,
        ward_id uuid,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_domain_events_position UNIQUE (position)
      )`);
    await q.query(
      `CREATE INDEX ix_domain_events_aggregate ON domain_events (aggregate_id, position)`,
    );
    await q.query(`
      CREATE TABLE idempotency_keys (
        caller varchar(80) NOT NULL,
        key varchar(200) NOT NULL,
        operation varchar(60) NOT NULL,
        input_hash char(64) NOT NULL,
        result_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (caller, key)
      )`);
    await q.query(`CREATE INDEX ix_idempotency_keys_expiry ON idempotency_keys (expires_at)`);

    await q.query(`
      CREATE TYPE request_status AS ENUM ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'APPROVED',
        'READY', 'OUT_FOR_DELIVERY', 'DELIVERED', 'RESOLVED', 'CLOSED', 'REJECTED', 'CANCELLED')`);
    // Declared from least to most pressing: ORDER BY priority follows this order.
    await q.query(`CREATE TYPE request_priority AS ENUM ('LOW', 'NORMAL', 'HIGH', 'URGENT')`);
    await q.query(
      `CREATE TYPE request_channel AS ENUM ('WHATSAPP', 'PHONE_CALL', 'WALK_IN', 'API')`,
    );
    await q.query(`
      CREATE TABLE request_counters (
        ward_id uuid NOT NULL,
        financial_year char(4) NOT NULL,
        last_number integer NOT NULL,
        PRIMARY KEY (ward_id, financial_year)
      )`);
    await q.query(`
      CREATE TABLE service_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid NOT NULL,
        tracking_number varchar(40) NOT NULL,
        resident_id uuid NOT NULL,
        service_type_id uuid NOT NULL REFERENCES service_types(id),
        definition_version integer NOT NULL,
        category service_category NOT NULL,
        channel request_channel NOT NULL,
        attributes jsonb NOT NULL,
        description text,
        priority request_priority NOT NULL DEFAULT 'NORMAL',
        status request_status NOT NULL DEFAULT 'SUBMITTED',
        assignee_id uuid,
        sla_due_at timestamptz NOT NULL,
        sla_paused_at timestamptz,
        completed_at timestamptz,
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_service_requests_tracking_number UNIQUE (ward_id, tracking_number),
        CONSTRAINT fk_service_requests_ward FOREIGN KEY (ward_id, municipality_id)
          REFERENCES wards (id, municipality_id),
        CONSTRAINT fk_service_requests_resident FOREIGN KEY (resident_id) REFERENCES residents(id),
        CONSTRAINT fk_service_requests_assignee FOREIGN KEY (assignee_id)
          REFERENCES staff_accounts(id),
        CONSTRAINT fk_service_requests_definition FOREIGN KEY (service_type_id, definition_version)
          REFERENCES service_type_versions (service_type_id, definition_version)
      )`);
    // The queue: one ward (or a few), newest first or by due time, optionally by status.
    await q.query(
      `CREATE INDEX ix_service_requests_ward_created ON service_requests (ward_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_ward_status ON service_requests (ward_id, status, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_ward_due ON service_requests (ward_id, sla_due_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_ward_updated ON service_requests (ward_id, updated_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_ward_priority ON service_requests (ward_id, priority, id)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_municipality_created ON service_requests (municipality_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_tracking ON service_requests (municipality_id, tracking_number)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_resident ON service_requests (resident_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX ix_service_requests_assignee ON service_requests (assignee_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE request_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES service_requests(id),
        ward_id uuid NOT NULL,
        kind varchar(30) NOT NULL,
        action varchar(30),
        from_status request_status,
        to_status request_status,
        note text,
        resident_visible boolean NOT NULL DEFAULT false,
        actor_type varchar(20) NOT NULL,
        actor_id uuid,
        actor_name varchar(200) NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `CREATE INDEX ix_request_events_request ON request_events (request_id, occurred_at, id)`,
    );
    await q.query(`
      CREATE TABLE request_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES service_requests(id),
        ward_id uuid NOT NULL,
        kind varchar(20) NOT NULL,
        source varchar(20) NOT NULL,
        media_ref varchar(500) NOT NULL,
        mime_type varchar(100) NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        caption text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_request_attachments_sha UNIQUE (request_id, sha256)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_attachments`);
    await q.query(`DROP TABLE request_events`);
    await q.query(`DROP TABLE service_requests`);
    await q.query(`DROP TABLE request_counters`);
    await q.query(`DROP TYPE request_channel`);
    await q.query(`DROP TYPE request_priority`);
    await q.query(`DROP TYPE request_status`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE domain_events`);
  }
}
