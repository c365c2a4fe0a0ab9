import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The resident's rating of a finished request (asked once, answered at most once) and every
 * time a request was reopened, with the reason and by whom.
 */
export class RequestFeedback1764622000000 implements MigrationInterface {
  name = 'RequestFeedback1764622000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        ward_id uuid NOT NULL,
        request_id uuid NOT NULL CONSTRAINT request_feedback_request_id_fkey REFERENCES service_requests (id) ON DELETE CASCADE,
        resident_id uuid NOT NULL,
        asked_at timestamptz NOT NULL DEFAULT now(),
        closes_at timestamptz NOT NULL,
        rating smallint CONSTRAINT ck_request_feedback_rating CHECK (rating BETWEEN 1 AND 5),
        comment text,
        answered_at timestamptz,
        answered_via varchar(10),
        CONSTRAINT uq_request_feedback_request UNIQUE (ward_id, request_id)
      )`);
    await q.query(
      `CREATE INDEX ix_request_feedback_resident ON request_feedback (resident_id, asked_at)`,
    );
    await q.query(`
      CREATE TABLE request_reopenings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ward_id uuid NOT NULL,
        request_id uuid NOT NULL CONSTRAINT request_reopenings_request_id_fkey REFERENCES service_requests (id) ON DELETE CASCADE,
        reason text NOT NULL,
        by_resident boolean NOT NULL,
        actor_name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_request_reopenings_request ON request_reopenings (request_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_reopenings`);
    await q.query(`DROP TABLE request_feedback`);
  }
}
