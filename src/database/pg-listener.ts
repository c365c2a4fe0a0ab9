import { Client } from 'pg';

/**
 * LISTEN on a PostgreSQL channel over a connection of its own (not from the pool), so a
 * `pg_notify` committed by any app instance reaches every instance. When the database goes
 * away it listens again a little later; what is missed meanwhile the callers catch up on
 * by polling.
 */
export class PgListener {
  private client: Client | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onMessage: (payload: string) => void,
    private readonly retryMs = 2000,
  ) {}

  start(): Promise<void> {
    this.stopped = false;
    this.starting = this.connect();
    return this.starting;
  }

  /** Closes the connection, also one still being opened. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private retryLater(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) this.starting = this.connect();
    }, this.retryMs).unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.url,
      application_name: `duare-${this.channel}`,
    });
    client.on('notification', (message) => this.onMessage(message.payload ?? ''));
    client.on('error', () => {
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      this.retryLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.stopped) await client.end();
      else this.client = client;
    } catch {
      await client.end().catch(() => undefined);
      this.retryLater();
    }
  }
}
