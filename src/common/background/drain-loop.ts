/**
 * Runs a unit of background work again and again until it reports nothing left, one run at
 * a time per instance. A kick while a run is going makes it look once more before it
 * stops, so work that arrives meanwhile is not left waiting for the next poll.
 */
export class DrainLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    /** Does one unit of work; false when there was nothing to do. */
    private readonly step: () => Promise<boolean>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
  }

  /** Resolves when nothing due is left (tests and benchmarks wait on it). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Takes no more work and waits for the unit in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      while (!this.stopped && (await this.step())) {
        // keep going while there is work
      }
    } while (this.again && !this.stopped);
  }
}
