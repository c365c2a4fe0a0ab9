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

/** A queue table with a status column (`due` and `failed` statuses) and a due time. */
export interface StatusQueue {
  table: string;
  dueStatus: string;
  failedStatus: string;
  /** The column that makes a row due (`next_attempt_at <= now()`). */
  dueColumn: string;
  /** The column the age of the oldest due row is counted from. */
  ageColumn: string;
}

/** Due rows, the oldest one's age and parked rows of a status queue (names come from code). */
export function measureStatusQueue(dataSource: DataSource, q: StatusQueue): Promise<QueueMeasure> {
  const due = `status = '${q.dueStatus}' AND ${q.dueColumn} <= now()`;
  return measureQueue(
    dataSource,
    `SELECT count(*) FILTER (WHERE ${due})::int AS due,
            extract(epoch FROM now() - min(${q.ageColumn}) FILTER (WHERE ${due}))::float
              AS oldest_due_seconds,
            count(*) FILTER (WHERE status = '${q.failedStatus}')::int AS failed
       FROM ${q.table} WHERE status IN ('${q.dueStatus}', '${q.failedStatus}')`,
  );
}
