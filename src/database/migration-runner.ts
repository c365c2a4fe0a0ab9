import { DataSource, Migration } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

// Any constant works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_KEY = 424_242_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that several app
 * instances starting together migrate once.
 */
export async function runMigrations(url: string): Promise<Migration[]> {
  return withMigrationDataSource(url, async (dataSource) => {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

export async function revertLastMigration(url: string): Promise<void> {
  await withMigrationDataSource(url, (dataSource) =>
    dataSource.undoLastMigration({ transaction: 'each' }),
  );
}

async function withMigrationDataSource<T>(
  url: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  // One connection: the advisory lock belongs to the session that took it.
  const dataSource = new DataSource({ ...buildDataSourceOptions(url, 1) });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
