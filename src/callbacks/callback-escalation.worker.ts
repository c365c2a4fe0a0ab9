import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { CallbacksService } from './callbacks.service';

/**
 * The thin timer around `CallbacksService.runOnce` (escalating overdue callback tasks), on
 * the SLA sweep's schedule; to move onto the shared worker primitive when it lands.
 */
@Injectable()
export class CallbackEscalationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly callbacks: CallbacksService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.requests.slaSweepSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.callbacks
        .runOnce()
        .catch((error) =>
          this.logger.warn({ err: error }, 'callback escalation failed; the next tick retries'),
        )
        .finally(() => {
          this.running = null;
        });
    }, seconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
