import { Global, Module } from '@nestjs/common';
import { WorkerRegistry } from './worker-registry';

/** The registry of background workers; global so that any feature module can own one. */
@Global()
@Module({ providers: [WorkerRegistry], exports: [WorkerRegistry] })
export class JobsModule {}
