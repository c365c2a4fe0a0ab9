import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret a caller presented (a token, a callback URL's secret) is the expected one,
 * in time that says nothing about how much of it matched: both are hashed to equal lengths
 * before the constant-time comparison.
 */
export function sameSecret(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string' || !given || !expected) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
