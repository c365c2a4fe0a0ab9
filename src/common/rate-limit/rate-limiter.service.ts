import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { deleteBatch } from '../sql/delete-batch';
import { sha256Hex } from '../crypto/sha256';
import { RateLimitedError } from '../errors/app.error';

/** The longest window a limit may use; older windows are purged. */
const MAX_WINDOW_SECONDS = 86_400;

/** What is left of a budget. */
export interface RateBudget {
  limit: number;
  remaining: number;
  /** Seconds until the window starts over. */
  resetSeconds: number;
}

/** A budget of points from which an operation took some up front (see `spend`). */
export interface SpentBudget extends RateBudget {
  /** The stored key and window, to settle the charge once the real cost is known. */
  key: string;
  windowStart: Date;
  spent: number;
}

/** Callers whose refund may wait for their next operation; beyond, refunds are written at once. */
const MAX_PENDING_REFUNDS = 10_000;

interface PendingRefund {
  points: number;
  windowStart: Date;
  /** When its window ends (by this process's clock): worthless after. */
  endsAt: number;
}

/** The start of the current fixed window of `$2` seconds. */
const WINDOW_START = 'to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)';

/** The columns a planned spend adds to its statement's row. */
export interface SpendRow {
  spend_hits: number | null;
  spend_window_start: Date;
  spend_granted: boolean;
  spend_wait: number;
}

/** A `spend` to fold into another statement (see `RateLimiterService.planSpend`). */
export interface SpendPlan {
  ctes: string;
  columns: string;
  from: string;
  params: unknown[];
  finish(row: SpendRow): SpentBudget;
  abandon(): void;
}

/**
 * Fixed-window limits kept in PostgreSQL, so every app instance counts together: one
 * upsert per hit. Keys are hashed (they may hold client addresses).
 */
@Injectable()
export class RateLimiterService {
  /** Points owed back to a caller (by hashed key), given back by its next `spend`. */
  private readonly refunds = new Map<string, PendingRefund>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private owe(key: string, refund: PendingRefund): void {
    const earlier = this.refunds.get(key);
    // Only one operation's refund is outstanding per caller and window; a later one adds up.
    const points =
      earlier && earlier.windowStart.getTime() === refund.windowStart.getTime()
        ? earlier.points + refund.points
        : refund.points;
    this.refunds.set(key, { ...refund, points });
  }

  /** Whether a refund for `key` may wait; when the map is full, ended windows make room. */
  private roomFor(key: string): boolean {
    if (this.refunds.size < MAX_PENDING_REFUNDS || this.refunds.has(key)) return true;
    const now = Date.now();
    for (const [owedKey, refund] of this.refunds) {
      if (refund.endsAt <= now) this.refunds.delete(owedKey);
    }
    return this.refunds.size < MAX_PENDING_REFUNDS;
  }

  /** Counts a hit; throws RATE_LIMITED (with the seconds to wait) beyond `limit` per window. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateBudget> {
    if (windowSeconds > MAX_WINDOW_SECONDS) throw new Error('a rate window is at most a day');
    const [row] = (await this.dataSource.query(
      `INSERT INTO rate_limit_windows (key, window_start, hits)
       VALUES ($1, ${WINDOW_START}, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
       RETURNING hits, ceil($2 - extract(epoch FROM now() - window_start))::int AS wait`,
      [sha256Hex(key).slice(0, 64), windowSeconds],
    )) as Array<{ hits: number; wait: number }>;
    const resetSeconds = Math.max(1, row.wait);
    if (row.hits > limit) throw new RateLimitedError(resetSeconds);
    return { limit, remaining: limit - row.hits, resetSeconds };
  }

  /**
   * Takes `points` from a budget of `limit` points per window, only if they are all left
   * (a refused operation takes nothing); else throws RATE_LIMITED with the seconds to wait.
   */
  async spend(
    key: string,
    points: number,
    limit: number,
    windowSeconds: number,
  ): Promise<SpentBudget> {
    const plan = this.planSpend(key, points, limit, windowSeconds, 1);
    const [row] = (await this.dataSource.query(
      `WITH ${plan.ctes} SELECT ${plan.columns} FROM ${plan.from}`,
      plan.params,
    )) as SpendRow[];
    return plan.finish(row);
  }

  /**
   * The `spend` as parts of a larger statement (e.g. the sign-in check's), so that both cost
   * one round trip: CTEs `window_start` and `spent`, the columns and FROM of the final
   * SELECT (`spend_*`), and its parameters, numbered from `firstParam`. The points are only
   * taken when `condition` (SQL over the other CTEs) holds; `finish` reads the row (and
   * throws RATE_LIMITED when refused), `abandon` says nothing was charged (the condition did
   * not hold), so a refund owed stays owed.
   */
  planSpend(
    key: string,
    points: number,
    limit: number,
    windowSeconds: number,
    firstParam: number,
    condition = 'true',
  ): SpendPlan {
    if (windowSeconds > MAX_WINDOW_SECONDS) throw new Error('a rate window is at most a day');
    const hashed = sha256Hex(key).slice(0, 64);
    const owed = this.refunds.get(hashed);
    this.refunds.delete(hashed);
    const [k, win, pts, lim, ref, refWin] = [0, 1, 2, 3, 4, 5].map((i) => `$${firstParam + i}`);
    const windowStart = `to_timestamp(floor(extract(epoch FROM now()) / ${win}) * ${win})`;
    // What the caller's last operation did not use is given back here, in the same statement,
    // if that operation was charged in the window that is current now (else nothing is owed).
    const refund = `(CASE WHEN rate_limit_windows.window_start = ${refWin}::timestamptz THEN ${ref}::int ELSE 0 END)`;
    const ctes = `window_start AS (SELECT ${windowStart} AS at),
       spent AS (
         INSERT INTO rate_limit_windows (key, window_start, hits)
         SELECT ${k}, at, ${pts}::int FROM window_start WHERE ${pts}::int <= ${lim}::int AND (${condition})
         ON CONFLICT (key, window_start) DO UPDATE
           SET hits = greatest(0, rate_limit_windows.hits - ${refund}) + ${pts}::int
           WHERE greatest(0, rate_limit_windows.hits - ${refund}) + ${pts}::int <= ${lim}::int
         RETURNING hits, window_start
       )`;
    let settled = false;
    const keepOwed = () => {
      if (!settled && owed) this.owe(hashed, owed);
      settled = true;
    };
    return {
      ctes,
      columns: `s.hits AS spend_hits, w.at AS spend_window_start, (s.hits IS NOT NULL) AS spend_granted,
              ceil(${win} - extract(epoch FROM now() - w.at))::int AS spend_wait`,
      from: 'window_start w LEFT JOIN spent s ON true',
      params: [hashed, windowSeconds, points, limit, owed?.points ?? 0, owed?.windowStart ?? null],
      abandon: keepOwed,
      finish: (row) => {
        const resetSeconds = Math.max(1, row.spend_wait);
        if (!row.spend_granted) {
          // Refused: nothing was written, so the refund is still owed.
          keepOwed();
          throw new RateLimitedError(resetSeconds);
        }
        settled = true;
        return {
          key: hashed,
          windowStart: row.spend_window_start,
          spent: points,
          limit,
          remaining: Math.max(0, limit - row.spend_hits!),
          resetSeconds,
        };
      },
    };
  }

  /**
   * Corrects what `spend` took once the real cost is known: gives back what was not used
   * (or takes the difference when it was more). Returns the budget as it is now.
   */
  async settle(budget: SpentBudget, actual: number): Promise<RateBudget> {
    const delta = actual - budget.spent;
    if (delta === 0) return budget;
    // A refund waits for the caller's next `spend` (one statement less per operation; a
    // window that ends meanwhile owes nothing anyway). Kept in this instance only: a caller
    // whose next request reaches another instance is charged a little more, never less.
    if (delta < 0 && this.roomFor(budget.key)) {
      this.owe(budget.key, {
        points: -delta,
        windowStart: budget.windowStart,
        endsAt: Date.now() + budget.resetSeconds * 1000,
      });
      return { ...budget, remaining: Math.min(budget.limit, budget.remaining - delta) };
    }
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows] = (await this.dataSource.query(
      `UPDATE rate_limit_windows SET hits = greatest(0, hits + $3::int)
        WHERE key = $1 AND window_start = $2 RETURNING hits`,
      [budget.key, budget.windowStart, delta],
    )) as [Array<{ hits: number }>, number];
    const row = rows[0];
    // The window ended meanwhile: the new one owes nothing.
    const hits = row?.hits ?? 0;
    return { ...budget, remaining: Math.max(0, budget.limit - hits) };
  }

  /**
   * Deletes up to `batch` windows that started a day or more before `now` (no window is
   * longer than a day, so none of them counts any more); returns how many.
   */
  async purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    return deleteBatch(
      manager,
      'rate_limit_windows',
      `SELECT ctid FROM rate_limit_windows WHERE window_start < $1::timestamptz - interval '${MAX_WINDOW_SECONDS} seconds' LIMIT $2`,
      [now, batch],
    );
  }
}
