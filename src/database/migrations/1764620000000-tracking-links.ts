import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request's public tracking link: only the token's hash is stored (looked up by it) and
 * the random nonce the token is derived from with the server's key, so a copy of the
 * database cannot open anyone's page. One live link per request; revoked ones stay.
 */
export class TrackingLinks1764620000000 implements MigrationInterface {
  name = 'TrackingLinks1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracking_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        ward_id uuid NOT NULL,
        request_id uuid NOT NULL CONSTRAINT tracking_links_request_id_fkey REFERENCES service_requests (id) ON DELETE CASCADE,
        nonce char(32) NOT NULL,
        token_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by_name varchar(200),
        CONSTRAINT uq_tracking_links_token UNIQUE (token_hash)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_tracking_links_live ON tracking_links (ward_id, request_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracking_links`);
  }
}
