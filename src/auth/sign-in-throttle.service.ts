import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimitedError } from '../common/errors/app.error';
import { sha256Hex } from '../common/crypto/sha256';

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

  /** Throws RATE_LIMITED while either key is locked. */
  async assertAllowed(keys: ThrottleKeys): Promise<void> {
    const { login, address } = this.hashed(keys);
    const [row] = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS wait
       FROM sign_in_throttles WHERE key IN ($1, $2) AND locked_until > now()`,
      [login, address],
    );
    if (row?.wait > 0) throw new RateLimitedError(row.wait);
  }

  async recordFailure(keys: ThrottleKeys): Promise<void> {
    const { login, address } = this.hashed(keys);
    await this.bump(login, PER_LOGIN);
    await this.bump(address, PER_ADDRESS);
  }

  async clearLogin(keys: ThrottleKeys): Promise<void> {
    await this.dataSource.query('DELETE FROM sign_in_throttles WHERE key = $1', [
      this.hashed(keys).login,
    ]);
  }

  private async bump(key: string, policy: ThrottlePolicy): Promise<void> {
    const [{ failures }] = await this.dataSource.query(
      `INSERT INTO sign_in_throttles (key, failures, last_failure_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN sign_in_throttles.last_failure_at < now() - make_interval(mins => ${WINDOW_MINUTES})
                         THEN 1 ELSE sign_in_throttles.failures + 1 END,
         last_failure_at = now()
       RETURNING failures`,
      [key],
    );
    const wait = lockSeconds(failures, policy);
    if (wait > 0) {
      await this.dataSource.query(
        `UPDATE sign_in_throttles SET locked_until = now() + make_interval(secs => $2) WHERE key = $1`,
        [key, wait],
      );
    }
  }
}
