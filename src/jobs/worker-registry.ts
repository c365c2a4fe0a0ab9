import { Injectable } from '@nestjs/common';
import { BackgroundWorker, WorkerDefinition, WorkerSnapshot } from './background-worker';

/**
 * Every background worker of this app instance, by name. Owners create their workers here
 * (and start and stop them with their module); `snapshot()` is what a `/metrics` endpoint
 * reads. One registry per app, not per process: tests run several apps in one process.
 */
@Injectable()
export class WorkerRegistry {
  private readonly workers = new Map<string, BackgroundWorker>();

  create(definition: WorkerDefinition): BackgroundWorker {
    if (this.workers.has(definition.name)) {
      throw new Error(`a background worker named ${definition.name} exists already`);
    }
    const worker = new BackgroundWorker(definition);
    this.workers.set(definition.name, worker);
    return worker;
  }

  get(name: string): BackgroundWorker | undefined {
    return this.workers.get(name);
  }

  /** Each worker's figures now (due, running, failed, oldest age), by name order. */
  async snapshot(): Promise<WorkerSnapshot[]> {
    const workers = [...this.workers.values()].sort((a, b) => a.name.localeCompare(b.name));
    return Promise.all(workers.map((worker) => worker.snapshot()));
  }
}
