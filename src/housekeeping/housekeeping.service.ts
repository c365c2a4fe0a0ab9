import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { SignInThrottleService } from '../auth/sign-in-throttle.service';
import { BackgroundWorker } from '../jobs/background-worker';
import { WorkerRegistry } from '../jobs/worker-registry';
import { InjectWorkerDataSource } from '../database/worker-data-source';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { WhatsAppInboxService } from '../whatsapp/whatsapp-inbox.service';
import { WebhooksService } from '../integration/webhooks/webhooks.service';
import { NotificationDispatcherService } from '../notifications/notification-dispatcher.service';

/** The advisory lock that lets one instance purge at a time. */
const PURGE_LOCK = 424_242_102;
/** Rows deleted per table per transaction: short statements, short locks. */
export const PURGE_BATCH = 5_000;

type Purge = (manager: EntityManager, now: Date, batch: number) => Promise<number>;

/** Rows purged by table in one run. */
export type PurgeCounts = Record<string, number>;

/**
 * Deletes the rows that only ever grow and stop mattering: expired idempotency keys, old
 * rate-limit windows, forgotten sign-in throttles, processed raw WhatsApp payloads, finished
 * webhook deliveries (their attempts go with them) and finished notifications past their
 * retention. Each owning module says which of its
 * rows are dead; this only runs them, in batches, on every instance's timer, with an
 * advisory lock so that one instance purges at a time.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly purges: Record<string, Purge>;
  private readonly worker: BackgroundWorker;
  /** What the run under way purged so far (logged once when it finds nothing more). */
  private counts: PurgeCounts = {};

  constructor(
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    idempotency: IdempotencyService,
    rateLimiter: RateLimiterService,
    signInThrottle: SignInThrottleService,
    whatsappInbox: WhatsAppInboxService,
    webhooks: WebhooksService,
    notifications: NotificationDispatcherService,
    registry: WorkerRegistry,
  ) {
    this.purges = {
      idempotency_keys: (m, now, batch) => idempotency.purgeExpired(m, now, batch),
      rate_limit_windows: (m, now, batch) => rateLimiter.purgeExpired(m, now, batch),
      sign_in_throttles: (m, now, batch) => signInThrottle.purgeExpired(m, now, batch),
      whatsapp_inbox: (m, now, batch) => whatsappInbox.purgeExpired(m, now, batch),
      webhook_deliveries: (m, now, batch) => webhooks.purgeExpired(m, now, batch),
      notifications: (m, now, batch) => notifications.purgeExpired(m, now, batch),
    };
    this.worker = registry.create({
      name: 'housekeeping',
      settings: config.workers.housekeeping,
      step: () => this.step(new Date()),
      onError: (error) =>
        this.logger.warn({ err: error }, 'housekeeping failed; the next tick retries'),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }

  /** Purges everything dead at `now`, batch after batch; returns the counts by table. */
  async run(now: Date): Promise<PurgeCounts> {
    const total: PurgeCounts = Object.fromEntries(Object.keys(this.purges).map((t) => [t, 0]));
    for (;;) {
      const batch = await this.purgeBatch(now);
      for (const [table, n] of Object.entries(batch.counts)) total[table] += n;
      if (!batch.full) return total;
    }
  }

  /** One batch of the worker's run; when nothing more is left, the run's counts are logged. */
  private async step(now: Date): Promise<boolean> {
    if ((await this.purgeBatch(now)).full) return true;
    const purged = Object.entries(this.counts).filter(([, n]) => n > 0);
    if (purged.length) this.logger.info({ purged: Object.fromEntries(purged) }, 'housekeeping');
    this.counts = {};
    return false;
  }

  /**
   * One batch per table in one transaction. `full` when some table had a whole batch (more
   * may be left); nothing when another instance is purging.
   */
  private async purgeBatch(now: Date): Promise<{ counts: PurgeCounts; full: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        PURGE_LOCK,
      ])) as Array<{ locked: boolean }>;
      const counts: PurgeCounts = {};
      if (!locked) return { counts, full: false };
      for (const [table, purge] of Object.entries(this.purges)) {
        counts[table] = await purge(manager, now, PURGE_BATCH);
        this.counts[table] = (this.counts[table] ?? 0) + counts[table];
      }
      return { counts, full: Object.values(counts).some((n) => n >= PURGE_BATCH) };
    });
  }
}
