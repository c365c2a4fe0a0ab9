import { EntityManager } from 'typeorm';

/**
 * Deletes the rows of `table` whose `ctid`s `selectCtids` returns (a bounded SELECT, so a
 * purge of millions of rows runs as many short statements instead of one long lock), and
 * returns how many went.
 */
export async function deleteBatch(
  manager: EntityManager,
  table: string,
  selectCtids: string,
  parameters: unknown[],
): Promise<number> {
  const [, deleted] = (await manager.query(
    `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(${selectCtids}))`,
    parameters,
  )) as [unknown, number];
  return deleted;
}
