import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The `pg` pool under a TypeORM data source. A hot path whose statement is one plain INSERT
 * sends it here: TypeORM's query runner (a connection taken and released, the entity's
 * metadata walked, the statement built) cost a sixth of the webhook's CPU. Taken on each call,
 * because the data source makes a new pool when it is initialised again.
 */
export function pgPoolOf(source: DataSource): Pool {
  const pool = (source.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('The data source has no pg pool (not initialised)');
  return pool;
}
