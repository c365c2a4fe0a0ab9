import { Algorithm, hash, verify } from '@node-rs/argon2';
import { normalizeText } from '../common/text/normalize';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

// The most common choices that pass the length rule; a full breached-password list would be
// better (see the issue notes).
const COMMON = new Set([
  '1234567890',
  '12345678910',
  '0987654321',
  'qwertyuiop',
  'password123',
  'password1234',
  'passw0rd123',
  'iloveyou123',
  'abcdefghij',
  'abcd123456',
  'admin12345',
  'welcome123',
  'duare12345',
  'basirhat123',
]);

/** Why a new password is refused, or null when it is acceptable. */
export function passwordWeakness(password: string, personal: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = normalizeText(password).toLowerCase();
  if (new Set(lower).size < 5) return 'must use at least 5 different characters';
  if (COMMON.has(lower)) return 'is one of the most common passwords';
  // The national part of a phone number is what people would type into a password.
  const digitsOnly = personal
    .map((p) => p.replace(/\D/g, '').slice(-10))
    .filter((p) => p.length >= 6);
  const words = personal.map((p) => p.toLowerCase()).filter((p) => p.length >= 3);
  if ([...words, ...digitsOnly].some((p) => lower.includes(p))) {
    return 'must not contain your username or phone number';
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

// Verified against when the account does not exist, so that the answer takes as long.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hashPassword('decoy password that never matches');
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
