/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * `base × 2^(n-1)`, capped at `max`. The jitter keeps many failed items from coming due at
 * the same instant (and, across instances, from retrying in lockstep).
 */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(step / 2 + Math.random() * (step / 2));
}
