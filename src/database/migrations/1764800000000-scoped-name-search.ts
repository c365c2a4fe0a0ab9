import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The residents' name search by municipality and ward first (issue 25, state scale): the
 * trigram index covered every resident of the deployment, so a common name in one ward of
 * 3 million residents gathered the hundreds of thousands of similar names of the whole state
 * before the municipality and ward filters. With `btree_gin` the municipality and the ward
 * are entries of the same GIN index as the name's trigrams, and PostgreSQL intersects them
 * inside the index. Every name search names the municipality, so the old index goes.
 */
export class ScopedNameSearch1764800000000 implements MigrationInterface {
  name = 'ScopedNameSearch1764800000000';

  async up(q: QueryRunner): Promise<void> {
    // A trusted extension (PostgreSQL 13+): the database owner may create it.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(
      `CREATE INDEX ix_residents_scoped_name_key ON residents
         USING gin (municipality_id, ward_id, name_key gin_trgm_ops)`,
    );
    await q.query(`DROP INDEX ix_residents_name_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_residents_name_key ON residents USING gin (name_key gin_trgm_ops)`,
    );
    // btree_gin stays: it may have been there before, and other objects may use it.
    await q.query(`DROP INDEX ix_residents_scoped_name_key`);
  }
}
