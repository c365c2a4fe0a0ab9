import { DataSource } from 'typeorm';
import { QueueMeasure } from './background-worker';

/**
 * Runs a worker's measuring query: one row with `due`, `oldest_due_seconds` and `failed`.
 * Each queue writes its own (its table and statuses are its own rule).
 */
export async function measureQueue(dataSource: DataSource, sql: string): Promise<QueueMeasure> {
  const [row] = (await dataSource.query(sql)) as Array<{
    due: number | null;
    oldest_due_seconds: number | null;
    failed: number | null;
  }>;
  return {
    due: row?.due ?? 0,
    oldestDueSeconds: row?.oldest_due_seconds == null ? null : Math.round(row.oldest_due_seconds),
    failed: row?.failed ?? 0,
  };
}
