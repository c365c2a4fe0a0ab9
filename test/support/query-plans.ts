import type { PoolClient } from 'pg';

export type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
export function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * Runs `sql` under EXPLAIN (ANALYZE, BUFFERS) in a transaction rolled back after (a claim's
 * UPDATE or row locks leave nothing behind), with a statement timeout as a safety net. The
 * buffers touched are the figure a test may bound: unlike a time, they do not depend on how
 * busy the machine is.
 */
export async function analyzedPlan(
  client: PoolClient,
  sql: string,
  params: unknown[],
): Promise<{ plan: PlanNode; buffers: number; rows: number }> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL statement_timeout = '60s'`);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
    const plan = rows[0]['QUERY PLAN'][0].Plan as PlanNode;
    return {
      plan,
      buffers: Number(plan['Shared Hit Blocks']) + Number(plan['Shared Read Blocks']),
      rows: Number(plan['Actual Rows']),
    };
  } finally {
    await client.query('ROLLBACK');
  }
}
