import { DrainLoop } from '../common/background/drain-loop';
import type { WorkerSettings } from '../config/app-config';
import { PgListener } from '../database/pg-listener';

export type { WorkerSettings };

/** What a worker's queue holds now, read from its table (for metrics). */
export interface QueueMeasure {
  /** Items due now (claimable). */
  due: number;
  /** Age in seconds of the oldest due item; null when none is due. */
  oldestDueSeconds: number | null;
  /** Items parked after their last attempt (failed for good). */
  failed: number;
}

/** One worker's figures at a moment: what a `/metrics` endpoint exports. */
export interface WorkerSnapshot {
  name: string;
  enabled: boolean;
  settings: WorkerSettings;
  /** Items in hand on this instance (sends in flight, or the step running). */
  running: number;
  /** Runs of its step that threw since the start (each logged with its cause). */
  failedRuns: number;
  lastRunAt: string | null;
  /** From its table; null for workers without a queue (sweeps, housekeeping). */
  due: number | null;
  oldestDueSeconds: number | null;
  failed: number | null;
}

export interface WorkerDefinition {
  /** Kebab-case name, as in metrics and `AppConfig.workers`. */
  name: string;
  settings: WorkerSettings;
  /**
   * One unit of work: claims what is due (`FOR UPDATE SKIP LOCKED`, or an advisory lock for
   * a singleton) and does it or hands it to `worker.track()`; false when nothing was claimed.
   */
  step: (worker: BackgroundWorker) => Promise<boolean>;
  /** A step that threw: logged by the owner; the next wake-up or poll tries again. */
  onError: (error: unknown) => void;
  /** LISTEN on this channel (a connection of its own): a committed `pg_notify` wakes it. */
  listen?: { databaseUrl: string; channel: string };
  /** Look for work at once when started (queues), rather than only at the first poll. */
  runAtStart?: boolean;
  /** Reads the queue's due, oldest and failed items. */
  measure?: () => Promise<QueueMeasure>;
}

/**
 * The one shape of Duare's background jobs: wake-up by LISTEN/NOTIFY plus a poll, one step
 * at a time per instance (a wake-up while a step runs makes it look again), items in flight
 * bounded by `concurrency` and each recorded on its own, a graceful stop that takes no more
 * work and waits for what is in hand, and figures for metrics. The claim itself (which rows,
 * in which order, with which lease) stays with the job: it is the domain's rule. Retries use
 * `backoffMs` of `common/background/backoff.ts`.
 */
export class BackgroundWorker {
  private readonly loop: DrainLoop;
  private readonly listener: PgListener | null;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private failedRuns = 0;
  private lastRunAt: Date | null = null;
  private stepping = false;

  constructor(private readonly definition: WorkerDefinition) {
    this.loop = new DrainLoop(
      async () => {
        this.stepping = true;
        this.lastRunAt = new Date();
        try {
          return await definition.step(this);
        } finally {
          this.stepping = false;
        }
      },
      (error) => {
        this.failedRuns += 1;
        definition.onError(error);
      },
    );
    const { listen } = definition;
    this.listener = listen
      ? new PgListener(listen.databaseUrl, listen.channel, () => void this.loop.kick())
      : null;
  }

  get name(): string {
    return this.definition.name;
  }

  get settings(): WorkerSettings {
    return this.definition.settings;
  }

  get enabled(): boolean {
    return this.definition.settings.pollMs > 0;
  }

  /** Starts listening and polling (nothing when the worker is turned off). */
  start(): void {
    if (!this.enabled) return;
    this.loop.start();
    void this.listener?.start();
    this.timer = setInterval(() => void this.loop.kick(), this.definition.settings.pollMs);
    this.timer.unref();
    if (this.definition.runAtStart) void this.loop.kick();
  }

  /** Takes no more work, then waits for the step and every item in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.listener?.stop();
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Items this instance may still take on now. */
  room(): number {
    return this.definition.settings.concurrency - this.inFlight.size;
  }

  /**
   * Carries an item worked on outside the step (a send in flight): counted against
   * `concurrency`, waited for on stop, and its end wakes the worker for the next one.
   */
  track(work: Promise<void>): void {
    const running: Promise<void> = work.finally(() => {
      this.inFlight.delete(running);
      void this.loop.kick();
    });
    this.inFlight.add(running);
  }

  /** Looks for due work now (after a change that made some due), without waiting for it. */
  wake(): void {
    void this.loop.kick();
  }

  /**
   * Works until nothing due is left and every item in flight is done (tests and benchmarks
   * wait on it; the worker itself never does).
   */
  async kick(): Promise<void> {
    await this.loop.kick();
    while (this.inFlight.size) {
      await Promise.allSettled([...this.inFlight]);
      await this.loop.kick();
    }
  }

  async snapshot(): Promise<WorkerSnapshot> {
    const measured = this.definition.measure ? await this.definition.measure() : null;
    return {
      name: this.name,
      enabled: this.enabled,
      settings: this.settings,
      running: this.inFlight.size + (this.stepping ? 1 : 0),
      failedRuns: this.failedRuns,
      lastRunAt: this.lastRunAt?.toISOString() ?? null,
      due: measured?.due ?? null,
      oldestDueSeconds: measured?.oldestDueSeconds ?? null,
      failed: measured?.failed ?? null,
    };
  }
}
