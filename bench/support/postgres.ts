/**
 * The embedded PostgreSQL of a benchmark: in a temporary directory (removed at the end) or
 * in a kept one (reused by the next run), with `pg_stat_statements` loaded so that the
 * statements of each scenario can be counted.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.launcher';

export interface BenchPostgres {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Server settings of every benchmark's PostgreSQL (the rest are the defaults). */
export const BENCH_PG_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_utility': 'on',
  // A modest server's: the defaults (128 MB) are for a laptop; bulk loads want WAL room.
  shared_buffers: '512MB',
  maintenance_work_mem: '512MB',
  max_wal_size: '8GB',
};

/**
 * Starts PostgreSQL in `keptDir` (created or reused) or, when it is null, in a fresh
 * temporary directory removed by stop().
 */
export async function startBenchPostgres(
  keptDir: string | null,
  log: (message: string) => void,
): Promise<BenchPostgres> {
  // Not inside a 0700 temp dir: run as root, PostgreSQL runs as another user.
  const dataDir = keptDir
    ? resolve(keptDir)
    : join(tmpdir(), `duare-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(join(dataDir, '..'), { recursive: true });
  log(`PostgreSQL in ${dataDir}${keptDir ? ' (kept)' : ''}`);
  const postgres = await startEmbeddedPostgres({
    dataDir,
    port: 0,
    databaseName: 'duare_bench',
    settings: BENCH_PG_SETTINGS,
  });
  return {
    url: postgres.url,
    dataDir,
    stop: async () => {
      await postgres.stop().catch(() => undefined);
      if (!keptDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
