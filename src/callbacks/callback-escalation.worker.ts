import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { BackgroundWorker } from '../jobs/background-worker';
import { WorkerRegistry } from '../jobs/worker-registry';
import { CallbacksService } from './callbacks.service';

/**
 * Escalates overdue callback tasks (`CallbacksService.runOnce`) on the SLA sweep's schedule,
 * as the `callback-escalation` background worker.
 */
@Injectable()
export class CallbackEscalationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: BackgroundWorker;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(APP_LOGGER) logger: Logger,
    callbacks: CallbacksService,
    registry: WorkerRegistry,
  ) {
    this.worker = registry.create({
      name: 'callback-escalation',
      settings: config.workers['callback-escalation'],
      step: async () => {
        await callbacks.runOnce();
        return false;
      },
      onError: (error) =>
        logger.warn({ err: error }, 'callback escalation failed; the next poll retries'),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
