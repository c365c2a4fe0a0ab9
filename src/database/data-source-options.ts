import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { QueryCounter } from './query-counter';

/**
 * Connection options shared by the app, the migration runner and the scripts.
 * `statementTimeoutMs` (the app's pool only): PostgreSQL cancels any statement, and any wait
 * for a lock, that takes longer — runaway operations end instead of holding a connection.
 */
export function buildDataSourceOptions(
  url: string,
  poolSize: number,
  queryCounter?: QueryCounter,
  statementTimeoutMs?: number,
): DataSourceOptions {
  const timeouts = statementTimeoutMs
    ? { statement_timeout: statementTimeoutMs, lock_timeout: statementTimeoutMs }
    : {};
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: queryCounter ? ['query'] : false,
    logger: queryCounter,
    extra: {
      max: poolSize,
      application_name: 'duare',
      connectionTimeoutMillis: 5000,
      ...timeouts,
    },
  };
}
