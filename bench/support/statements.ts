/**
 * What the application sends to PostgreSQL: the statements of one operation captured at
 * the `pg` client (with their parameters, to replay them in a baseline), and counts of
 * every statement the server executed, from `pg_stat_statements`.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, ClientBase } from 'pg';
import { percentile } from './measure';

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Every statement passes `pg`'s Client#query (TypeORM's pool is made of them), recorded
 * while `capture` runs. Only for an application running in this process.
 */
export class StatementRecorder {
  private recording: Statement[] | null = null;

  constructor() {
    const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const recorder = this;
    prototype.query = function (this: Client, ...args: unknown[]) {
      const [config, values] = args;
      if (recorder.recording) {
        if (typeof config === 'string') {
          recorder.recording.push({ sql: config, params: Array.isArray(values) ? values : [] });
        } else if (config && typeof config === 'object' && 'text' in config) {
          const { text, values: inner } = config as { text: string; values?: unknown[] };
          recorder.recording.push({ sql: text, params: inner ?? [] });
        }
      }
      return original.apply(this, args);
    };
  }

  async capture(work: () => Promise<void>): Promise<Statement[]> {
    this.recording = [];
    try {
      await work();
      return this.recording;
    } finally {
      this.recording = null;
    }
  }

  /**
   * The statements of one request: captured until two requests in a row made the same ones
   * (a background poll of the application may fall inside the window).
   */
  async captureRequest<T>(
    request: () => Promise<T>,
  ): Promise<{ answer: T; statements: Statement[] }> {
    let previous: Statement[] | null = null;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      let answer: T | undefined;
      const statements = await this.capture(async () => {
        answer = await request();
      });
      const same =
        previous !== null &&
        previous.length === statements.length &&
        previous.every((statement, i) => statement.sql === statements[i].sql);
      if (same) return { answer: answer as T, statements };
      previous = statements;
    }
    throw new Error(
      `no two requests in a row made the same statements: ${(previous ?? [])
        .map((statement) => statement.sql.trim().split('\n')[0])
        .join(' | ')}`,
    );
  }
}

/** A captured operation to replay: its statements, and what must be new each time. */
export interface RawRoute {
  statements: Statement[];
  /**
   * Values of the captured parameters that must be new for each request (a write): each
   * is replaced, wherever it occurs in a parameter, by a value unique to the request
   * (`uuid`: a random UUID; `key`: the value with a unique suffix; `serial`: the tracking
   * number, its serial taken from the row the counter statement returned; `hex`: random hex
   * digits of the same length, for fixed-width unique columns).
   */
  fresh?: Array<{ value: string; as: 'uuid' | 'key' | 'serial' | 'hex' }>;
}

let sequence = 0;

/** The statements of one operation, with its fresh values, run on one connection. */
export async function replay(client: ClientBase, route: RawRoute): Promise<unknown[]> {
  const replacements = new Map<string, string>();
  const suffix = `-${process.pid}-${(sequence += 1)}`;
  for (const { value, as } of route.fresh ?? []) {
    if (as === 'uuid') replacements.set(value, randomUUID());
    if (as === 'key') replacements.set(value, `${value}${suffix}`);
    if (as === 'hex') {
      replacements.set(
        value,
        randomBytes(Math.ceil(value.length / 2))
          .toString('hex')
          .slice(0, value.length),
      );
    }
  }
  const results: unknown[] = [];
  for (const { sql, params } of route.statements) {
    const values = params.map((param) => {
      if (typeof param !== 'string' || replacements.size === 0) return param;
      let out = param;
      for (const [from, to] of replacements) out = out.split(from).join(to);
      return out;
    });
    const result = await client.query(sql, values);
    results.push(result.rows);
    // The tracking number's serial comes from the counter, as in the application.
    const serial = result.rows[0]?.last_number;
    if (serial !== undefined) {
      for (const { value, as } of route.fresh ?? []) {
        if (as === 'serial') {
          replacements.set(value, value.replace(/\d+$/, String(serial).padStart(5, '0')));
        }
      }
    }
  }
  return results;
}

/** The first line of a statement, shortened: for listings. */
export const headline = (sql: string) => sql.trim().split('\n')[0].slice(0, 120);

/**
 * Statements the server executed, from `pg_stat_statements` (which must be preloaded):
 * `reset()` before a measurement, `count()` after it gives the calls of every statement
 * of the database since, BEGIN and COMMIT included (track_utility), this counter's own
 * queries excluded.
 */
export class ServerStatementCounter {
  constructor(private readonly db: Client) {}

  async install(): Promise<void> {
    await this.db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  }

  async reset(): Promise<void> {
    await this.db.query('SELECT pg_stat_statements_reset()');
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query(
      `SELECT coalesce(sum(calls), 0)::float8 AS calls FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%'`,
    );
    return rows[0].calls;
  }
}

export interface BareLoad {
  operations: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * The bare PostgreSQL cost of an operation: its statements, one after the other, through
 * `clients.length` connections at once (each in its own loop) for `seconds`, fresh values
 * made as the raw server makes them.
 */
export async function bareLoop(
  clients: Client[],
  seconds: number,
  route: RawRoute,
): Promise<BareLoad> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await replay(client, route);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    operations: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
