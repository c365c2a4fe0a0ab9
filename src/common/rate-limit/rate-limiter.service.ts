import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { deleteBatch } from '../../database/delete-batch';
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

/**
 * Fixed-window limits kept in PostgreSQL, so every app instance counts together: one
 * upsert per hit. Keys are hashed (they may hold client addresses).
 */
@Injectable()
export class RateLimiterService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts a hit; throws RATE_LIMITED (with the seconds to wait) beyond `limit` per window. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateBudget> {
    if (windowSeconds > MAX_WINDOW_SECONDS) throw new Error('a rate window is at most a day');
    const [row] = (await this.dataSource.query(
      `INSERT INTO rate_limit_windows (key, window_start, hits)
       VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
       RETURNING hits, ceil($2 - extract(epoch FROM now() - window_start))::int AS wait`,
      [sha256Hex(key).slice(0, 64), windowSeconds],
    )) as Array<{ hits: number; wait: number }>;
    const resetSeconds = Math.max(1, row.wait);
    if (row.hits > limit) throw new RateLimitedError(resetSeconds);
    return { limit, remaining: limit - row.hits, resetSeconds };
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
