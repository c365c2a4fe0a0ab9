import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { QueryCounter } from './query-counter';

/** Connection options shared by the app, the migration runner and the scripts. */
export function buildDataSourceOptions(
  url: string,
  poolSize: number,
  queryCounter?: QueryCounter,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: queryCounter ? ['query'] : false,
    logger: queryCounter,
    extra: { max: poolSize, application_name: 'duare', connectionTimeoutMillis: 5000 },
  };
}
