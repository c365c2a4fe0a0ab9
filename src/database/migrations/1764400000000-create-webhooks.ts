import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1764400000000 implements MigrationInterface {
  name = 'CreateWebhooks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        owner_type varchar(12) NOT NULL,
        owner_id uuid NOT NULL,
        url varchar(2000) NOT NULL,
        event_types jsonb NOT NULL,
        ward_ids jsonb NOT NULL DEFAULT '[]',
        secret varchar(100) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'ACTIVE',
        disabled_reason text,
        disabled_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_endpoints_municipality ON webhook_endpoints (municipality_id, status)`,
    );
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES domain_events(id),
        event_type varchar(60) NOT NULL,
        body text NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        give_up_at timestamptz NOT NULL,
        last_status_code integer,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_webhook_deliveries_seq UNIQUE (seq),
        CONSTRAINT uq_webhook_deliveries_once UNIQUE (endpoint_id, event_id)
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq)`,
    );
    await q.query(`
      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        status_code integer,
        duration_ms integer NOT NULL,
        response_excerpt text,
        error text
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
