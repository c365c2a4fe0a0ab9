import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeliveriesAndSla1764390000000 implements MigrationInterface {
  name = 'CreateDeliveriesAndSla1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE service_requests ADD COLUMN sla_breached_at timestamptz`);
    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        ward_id uuid NOT NULL,
        request_id uuid NOT NULL REFERENCES service_requests(id),
        agent_id uuid NOT NULL,
        scheduled_date date NOT NULL,
        window_start varchar(5) NOT NULL,
        window_end varchar(5) NOT NULL,
        address jsonb NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'SCHEDULED',
        code_hash char(64) NOT NULL,
        code_attempts integer NOT NULL DEFAULT 0,
        failure_reason varchar(20),
        failure_note text,
        delivered_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_deliveries_agent ON deliveries (agent_id, scheduled_date, id)`);
    await q.query(`CREATE INDEX ix_deliveries_request ON deliveries (request_id, created_at)`);
    // One delivery under way per request at a time.
    await q.query(
      `CREATE UNIQUE INDEX uq_deliveries_active ON deliveries (request_id) WHERE status IN ('SCHEDULED', 'LOCKED')`,
    );
    await q.query(`
      CREATE TABLE municipality_holidays (
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        date date NOT NULL,
        name varchar(200) NOT NULL,
        PRIMARY KEY (municipality_id, date)
      )`);
    await q.query(`
      CREATE TABLE job_runs (
        job varchar(60) NOT NULL,
        run_key varchar(60) NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job, run_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_runs`);
    await q.query(`DROP TABLE municipality_holidays`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`ALTER TABLE service_requests DROP COLUMN sla_breached_at`);
  }
}
