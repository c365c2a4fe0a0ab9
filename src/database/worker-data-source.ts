import { InjectDataSource } from '@nestjs/typeorm';

/**
 * The name of the background workers' DataSource: its own pool (`DATABASE_WORKER_POOL_SIZE`),
 * so that API traffic holding every connection of the main pool cannot stop the workers.
 */
export const WORKERS = 'workers';

/** Injects the workers' DataSource. */
export const InjectWorkerDataSource = (): ReturnType<typeof InjectDataSource> =>
  InjectDataSource(WORKERS);
