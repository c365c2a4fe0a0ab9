import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RateLimitedError } from '../common/errors/app.error';
import { sha256Hex } from '../common/crypto/sha256';
import { deleteBatch } from '../common/sql/delete-batch';

/** Failures older than this are forgotten. */
const WINDOW_MINUTES = 15;
const LONG_LOCK_SECONDS = 15 * 60;

interface ThrottlePolicy {
  /** Failures allowed before each further one imposes a wait. */
  free: number;
  /** Failures at which the long lock starts. */
  lockAt: number;
}

/** Per login name: slows down from the 5th failure (1 s, 2 s, 4 s, ...), locks at the 10th. */
const PER_LOGIN: ThrottlePolicy = { free: 4, lockAt: 10 };
/** Per client address: generous, it may be a shared office connection. */
const PER_ADDRESS: ThrottlePolicy = { free: 30, lockAt: 60 };

export function lockSeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures >= policy.lockAt) return LONG_LOCK_SECONDS;
  if (failures <= policy.free) return 0;
  return Math.min(2 ** (failures - policy.free - 1), LONG_LOCK_SECONDS);
}

export interface ThrottleKeys {
  /** The account when the login names one, else the login in its canonical form. */
  login: string;
  address: string;
}

/**
 * Throttles sign-in by the name tried, not by account: a name that does not exist is
 * throttled exactly like one that does, so the answers never tell them apart.
 */
@Injectable()
export class SignInThrottleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private hashed(keys: ThrottleKeys): { login: string; address: string } {
    return {
      login: sha256Hex(`login:${keys.login}`),
      address: sha256Hex(`address:${keys.address}`),
    };
  }

  /**
   * Runs one password check under the throttle. Checks of the same login are serialised
   * (an advisory lock for the transaction), so a burst of parallel guesses cannot slip
   * past a wait; a locked key answers RATE_LIMITED before any password is checked; a
   * failure is counted, a success forgets the login's failures.
   */
  async guard(keys: ThrottleKeys, check: () => Promise<boolean>): Promise<boolean> {
    const { login, address } = this.hashed(keys);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [login]);
      // clock_timestamp(), not now(): now() is when this transaction began, and it may have
      // waited on the advisory lock behind other slow password checks.
      const [row] = await manager.query(
        `SELECT ceil(extract(epoch FROM max(locked_until) - clock_timestamp()))::int AS wait
         FROM sign_in_throttles WHERE key IN ($1, $2) AND locked_until > clock_timestamp()`,
        [login, address],
      );
      if (row?.wait > 0) throw new RateLimitedError(row.wait);
      if (await check()) {
        await manager.query('DELETE FROM sign_in_throttles WHERE key = $1', [login]);
        return true;
      }
      await this.bump(manager, login, PER_LOGIN);
      await this.bump(manager, address, PER_ADDRESS);
      return false;
    });
  }

  /**
   * Deletes up to `batch` throttles that no longer matter at `now`: not locked, and whose
   * last failure is older than the window (the next failure would start again from 1).
   */
  async purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    return deleteBatch(
      manager,
      'sign_in_throttles',
      `SELECT ctid FROM sign_in_throttles
        WHERE last_failure_at < $1::timestamptz - make_interval(mins => ${WINDOW_MINUTES})
          AND (locked_until IS NULL OR locked_until < $1)
        LIMIT $2`,
      [now, batch],
    );
  }

  private async bump(manager: EntityManager, key: string, policy: ThrottlePolicy): Promise<void> {
    const [{ failures }] = await manager.query(
      `INSERT INTO sign_in_throttles (key, failures, last_failure_at) VALUES ($1, 1, clock_timestamp())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN sign_in_throttles.last_failure_at < clock_timestamp() - make_interval(mins => ${WINDOW_MINUTES})
                         THEN 1 ELSE sign_in_throttles.failures + 1 END,
         last_failure_at = clock_timestamp()
       RETURNING failures`,
      [key],
    );
    const wait = lockSeconds(failures, policy);
    if (wait > 0) {
      await manager.query(
        // From the failure itself, not from the start of a transaction that queued for the lock.
        `UPDATE sign_in_throttles SET locked_until = clock_timestamp() + make_interval(secs => $2) WHERE key = $1`,
        [key, wait],
      );
    }
  }
}
